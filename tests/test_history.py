"""Point in time: with a customer history, an event exposes the values the customer had at its
instant. A reference written here (plain Python over the generated rows, not scoping's SQL)
must agree with the run on random histories, in both forms (versions and change log), with
events on interval boundaries, customers deleted since and values that become blank."""

from __future__ import annotations

import csv
import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from conftest import CASE as BASE_CASE
from conftest import invoke, write_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIELDS = ("first_name", "last_name", "email", "postal_code")
COLUMNS = {
    "first_name": "first_name",
    "last_name": "last_name",
    "email": "email",
    "postal_code": "zip",
}
SEARCH = {"first_name", "last_name", "postal_code"}
BASE = datetime(2026, 9, 1, tzinfo=UTC)
HOURS = 24 * 30  # every instant is a whole hour in September 2026
KEYS = ("C1", "C2", "C3", "C4")
DELETED = "C9"  # in the history only

# The shared tiny case (its window holds all of September), with a history section after it.
CASE = BASE_CASE + "\n[customer_history]\n"

INTERVALS = """\
form = "intervals"
path = "history.csv"
key = "customer_id"
valid_from = "valid_from"
valid_to = "valid_to"
"""

CHANGES = """\
form = "changes"
path = "history.csv"
key = "customer_id"
changed_at = "changed_at"
field = "column"
old_value = "old"
new_value = "new"
"""


def _at(hour: int) -> datetime:
    return BASE + timedelta(hours=hour)


def _iso(hour: int) -> str:
    return _at(hour).strftime("%Y-%m-%dT%H:%M:%SZ")


value = st.sampled_from(["", "x", "y", "n/a"])
record = st.fixed_dictionaries({f: value for f in FIELDS})


@dataclass
class Case:
    current: dict[str, dict[str, str]]
    # Per key: versions (start hour, end hour or None, values), contiguous or with gaps.
    versions: dict[str, list[tuple[int, int | None, dict[str, str]]]]
    events: list[tuple[int, str, str]]  # (hour, key, action)


@st.composite
def cases(draw: st.DrawFn, gaps: bool) -> Case:
    current = {k: draw(record) for k in KEYS}
    versions: dict[str, list[tuple[int, int | None, dict[str, str]]]] = {}
    boundaries: list[int] = []
    for key in (*KEYS, DELETED):
        if key != DELETED and not draw(st.booleans()):
            continue
        cuts = sorted(set(draw(st.lists(st.integers(1, HOURS - 1), min_size=1, max_size=3))))
        start = 0
        own = []
        for cut in cuts:
            own.append((start, cut, draw(record)))
            gap = draw(st.integers(0, 5)) if gaps else 0
            start = cut + gap
            boundaries += [cut, start]
        last_end = None if key != DELETED else HOURS + 24  # deleted after the events
        own.append((start, last_end, draw(record) if key == DELETED else current[key]))
        versions[key] = own
    instants = st.one_of(st.integers(0, HOURS - 1), st.sampled_from(boundaries or [0]))
    events = draw(
        st.lists(
            st.tuples(
                instants,
                st.sampled_from((*KEYS, DELETED)),
                st.sampled_from(["customer.search", "customer.detail"]),
            ),
            max_size=25,
        )
    )
    return Case(current, versions, events)


def _available(text: str) -> bool:
    return text.strip() not in ("", "n/a")


def _expected(case: Case) -> dict[str, tuple[frozenset[str], frozenset[str], bool]]:
    """Per affected customer: the fields exposed, those whose value then differs from today's,
    and whether it was deleted since."""
    found: dict[str, tuple[frozenset[str], frozenset[str], bool]] = {}
    for hour, key, action in case.events:
        now = case.current.get(key)
        then = None
        for start, end, values in case.versions.get(key, []):
            if start <= hour and (end is None or hour < end):
                then = values
        own = case.versions.get(key, [])
        if then is None and now is None and not own:
            continue  # not a customer at all: unmatched
        # Outside its versions, a customer has today's values; one deleted since, its last.
        values = then if then is not None else now if now is not None else own[-1][2]
        assert values is not None
        shown = SEARCH if action == "customer.search" else set(FIELDS)
        exposed = {f for f in shown if _available(values[f])}
        if not exposed:
            continue
        changed = {f for f in exposed if then is not None and now is not None and then[f] != now[f]}
        before = found.get(key, (frozenset(), frozenset(), now is None))
        found[key] = (before[0] | exposed, before[1] | changed, now is None)
    return found


def _write(root: Path, case: Case, form: str) -> Path:
    customers = "customer_id,first_name,last_name,email,zip\n" + "".join(
        f"{k},{v['first_name']},{v['last_name']},{v['email']},{v['postal_code']}\n"
        for k, v in case.current.items()
    )
    events = "event_time,user_id,screen,customer_id\n" + "".join(
        f"{_iso(h)},PRT-0042,{a},{k}\n" for h, k, a in case.events
    )
    path = write_case(
        root, CASE + (INTERVALS if form == "intervals" else CHANGES), customers, events
    )
    with (root / "history.csv").open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        if form == "intervals":
            out.writerow(["customer_id", "valid_from", "valid_to", *COLUMNS.values()])
            for key, own in case.versions.items():
                for start, end, values in own:
                    out.writerow(
                        [
                            key,
                            _iso(start),
                            "" if end is None else _iso(end),
                            *(values[f] for f in FIELDS),
                        ]
                    )
        else:
            out.writerow(["customer_id", "changed_at", "column", "old", "new"])
            for key, own in case.versions.items():
                for (_, _, old), (start, _, new) in itertools.pairwise(own):
                    for f in FIELDS:
                        if old[f] != new[f]:
                            out.writerow([key, _iso(start), COLUMNS[f], old[f], new[f]])
    return path


def _run(
    root: Path, case: Case, form: str
) -> dict[str, tuple[frozenset[str], frozenset[str], bool]]:
    path = _write(root, case, form)
    out = root / "out"
    result = invoke("--no-cache", "run", path, "--out", out, "--max-rejected", "1000")
    assert result.exit_code == 0, result.stderr
    rows = csv.DictReader((out / "affected_customers.csv").open(encoding="utf-8"))
    return {
        r["customer_key"]: (
            frozenset(f for f in FIELDS if r[f] == "true"),
            frozenset(filter(None, r["changed_since"].split("|"))),
            r["deleted_since"] == "true",
        )
        for r in rows
    }


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=cases(gaps=True))
def test_versions_expose_the_values_of_the_events_instant(tmp_path_factory, case: Case) -> None:
    root = tmp_path_factory.mktemp("h")
    assert _run(root, case, "intervals") == _expected(case)


def _as_change_log(case: Case) -> Case:
    """The same history without gaps, whose deleted customer's fields are only those the log
    changes (a change log holds no other value): the reference then knows no more."""
    versions = {}
    for key, own in case.versions.items():
        if key == DELETED:
            continue  # a change log cannot say what a deleted customer's unchanged fields held
        joined = [
            (start, nxt[0] if nxt else None, values)
            for (start, _, values), nxt in zip(own, [*own[1:], None], strict=True)
        ]
        versions[key] = joined
    return Case(case.current, versions, case.events)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=cases(gaps=False))
def test_a_change_log_gives_the_same_answer(tmp_path_factory, case: Case) -> None:
    log = _as_change_log(case)
    root = tmp_path_factory.mktemp("c")
    assert _run(root, log, "changes") == _expected(log)


def test_the_example_shows_each_kind_of_history() -> None:
    """In the shipped example: a customer who moved during the window is told of the address
    they had then; one who added an email after the window was not exposed through it; the
    customer deleted since is matched and flagged. Checked against the history file itself."""
    root = Path(__file__).resolve().parents[1]
    golden = root / "tests" / "golden" / "telecom" / "affected_customers.csv"
    affected = {r["customer_key"]: r for r in csv.DictReader(golden.open(encoding="utf-8"))}
    history = list(
        csv.DictReader(
            (root / "examples" / "telecom" / "customer_history.csv").open(encoding="utf-8")
        )
    )
    current = {
        r["customer_id"]: r
        for r in csv.DictReader(
            (root / "examples" / "telecom" / "customers.csv").open(encoding="utf-8")
        )
    }
    earlier = {r["customer_id"]: r for r in history if r["valid_from"] == "2015-01-01"}
    moved = [k for k, r in earlier.items() if k in current and r["street"] != current[k]["street"]]
    added = [
        k
        for k, r in earlier.items()
        if k in current and not r["email"] and current[k]["email"] and r["valid_to"] > "2026-11-15"
    ]
    deleted = [k for k in earlier if k not in current]
    assert moved and added and deleted == ["C9000001"]
    assert affected["C9000001"]["deleted_since"] == "true"
    assert all(r["deleted_since"] == "false" for k, r in affected.items() if k != "C9000001")
    told_old_address = [
        k for k in moved if k in affected and "street" in affected[k]["changed_since"]
    ]
    assert told_old_address
    assert all(affected[k]["email"] == "false" for k in added if k in affected)
    assert any(k in affected for k in added)
