"""The pipeline must agree with an independent Polars oracle on generated cases.

`affected_customers.csv` is the number that matters in a breach notification, so it is checked
against a second implementation written from the exposure rule alone (`tests/oracle.py`). The
oracle is itself pinned by a few hand-worked examples first.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from tempfile import TemporaryDirectory
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from oracle import (
    ALL,
    OracleField,
    OracleSpec,
    expected_affected,
    format_utc,
    parse_instant,
)
from polars.testing import assert_frame_equal
from typer.testing import CliRunner

from scoping.cli import app

RESERVED = {
    "customer_key",
    "match_key",
    "categories",
    "first_exposure_utc",
    "last_exposure_utc",
    "events",
    "actors",
    "exposed_mask",
    "available_mask",
    "source_file",
    "source_row",
}

# ---------------------------------------------------------------------------------------------
# Writing a case folder and running the CLI
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A generated case: the spec plus the raw rows written to the two CSV files."""

    spec: OracleSpec
    customers: list[dict[str, str | None]]
    events: list[dict[str, str]]

    def customer_frame(self) -> pl.DataFrame:
        columns = [self.spec.customer_key, *(f.column for f in self.spec.fields)]
        return _frame(self.customers, columns)

    def event_frame(self) -> pl.DataFrame:
        s = self.spec
        return _frame(self.events, list(dict.fromkeys([s.timestamp, s.actor, s.action, s.record])))


def _frame(
    rows: list[dict[str, str | None]] | list[dict[str, str]], cols: list[str]
) -> pl.DataFrame:
    """Rows as the CSV reader will see them: text, and an empty cell is NULL."""
    data = {c: [r[c] or None for r in rows] for c in cols}
    return pl.DataFrame(data, schema={c: pl.String for c in cols})


def _write_csv(
    path: Path, rows: list[dict[str, str | None]] | list[dict[str, str]], cols: list[str]
) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(cols)
        writer.writerows([["" if r[c] is None else r[c] for c in cols] for r in rows])


def _q(text: str) -> str:
    """A TOML basic string (JSON string syntax is a subset of it)."""
    return json.dumps(text)


def case_toml(spec: OracleSpec) -> str:
    """The case file for `spec`, using both field notations and optional scope bounds."""
    lines = [
        "[case]",
        'id = "T-oracle"',
        f"timezone = {_q(spec.timezone)}",
        "",
        "[customers]",
        'path = "customers.csv"',
        f"key = {_q(spec.customer_key)}",
        "",
        "[customers.fields]",
    ]
    for f in spec.fields:
        if f.category == f.name:
            lines.append(f"{f.name} = {_q(f.column)}")
        else:
            lines.append(f"{f.name} = {{ column = {_q(f.column)}, category = {_q(f.category)} }}")
    lines += [
        "",
        "[access_log]",
        'path = "events.csv"',
        f"timestamp = {_q(spec.timestamp)}",
        f"actor = {_q(spec.actor)}",
        f"record = {_q(spec.record)}",
        f"action = {_q(spec.action)}",
        "",
        "[actions]",
    ]
    for action, shown in spec.actions.items():
        value = _q(ALL) if shown == ALL else "[" + ", ".join(_q(n) for n in shown) + "]"
        lines.append(f"{_q(action)} = {value}")
    lines += ["", "[scope]", "actors = [" + ", ".join(_q(a) for a in spec.actors) + "]"]
    # The generated scope may name an actor the log never does: the exposure is the question.
    lines.append("allow_actors_without_events = true")
    # The written rule: an action missing from [actions] puts the event out of scope. The CLI
    # refuses such cases by default (so an investigator notices the gap); "ignore" is the rule.
    lines.append('unmapped = "ignore"')
    lines += [f"{k} = {_q(v)}" for k, v in (("start", spec.start), ("end", spec.end)) if v]
    return "\n".join(lines) + "\n"


def write_case(root: Path, case: Case) -> Path:
    """Write customers.csv, events.csv and case.toml into `root`; return the case path."""
    root.mkdir(parents=True, exist_ok=True)
    _write_csv(root / "customers.csv", case.customers, case.customer_frame().columns)
    _write_csv(root / "events.csv", case.events, case.event_frame().columns)
    path = root / "case.toml"
    path.write_text(case_toml(case.spec), encoding="utf-8")
    return path


def run_cli(case_path: Path, out: Path) -> tuple[int, str]:
    """Run `scoping run` in-process; return the exit code and a readable failure text."""
    result = CliRunner().invoke(app, ["run", str(case_path), "--out", str(out)])
    detail = f"stderr:\n{result.stderr}\nexception: {result.exception!r}"
    return result.exit_code, detail


def run_and_read(case: Case, log: Callable[[str], object] = print) -> pl.DataFrame:
    """Run the CLI on `case` in a fresh folder and read back affected_customers.csv as text.

    The written files go to `log` (Hypothesis' `note` in generated tests), so that a failure
    shows a case one can paste into a folder and rerun.
    """
    with TemporaryDirectory() as tmp:
        case_path = write_case(Path(tmp) / "case", case)
        for name in ("case.toml", "customers.csv", "events.csv"):
            log(f"--- {name}\n" + (case_path.parent / name).read_text(encoding="utf-8"))
        out = Path(tmp) / "out"
        code, detail = run_cli(case_path, out)
        assert code == 0, detail
        return pl.read_csv(out / "affected_customers.csv", infer_schema=False)


# ---------------------------------------------------------------------------------------------
# The oracle, checked by hand-worked examples
# ---------------------------------------------------------------------------------------------

BRUSSELS = "Europe/Brussels"


def _spec(**changes: object) -> OracleSpec:
    """A small spec (email, street/address, zip/address) that the examples vary."""
    base: dict[str, object] = dict(
        timezone=BRUSSELS,
        customer_key="id",
        fields=(
            OracleField("email", "mail", "email"),
            OracleField("street", "street", "address"),
            OracleField("zip", "zip", "address"),
        ),
        timestamp="t",
        actor="who",
        record="id",
        action="what",
        actions={"detail": ALL, "search": ["zip"]},
        actors=("P1",),
        start="2026-09-01",
        end="2026-09-03 12:00",
    )
    base.update(changes)
    return OracleSpec(**base)  # type: ignore[arg-type]


def _customers(*rows: tuple[str, str | None, str | None, str | None]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema={c: pl.String for c in ("id", "mail", "street", "zip")}, orient="row"
    )


def _events(*rows: tuple[str, str, str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema={c: pl.String for c in ("t", "who", "what", "id")}, orient="row"
    )


def test_oracle_unit_bounds_and_availability() -> None:
    """Start is inclusive, end exclusive, and a blank or missing email is not exposed."""
    customers = _customers(
        ("C1", None, "Main St 1", "1000"),
        (" C2 ", " \t\u00a0", "Side St 2", None),
        ("C3", "c3@example.invalid", None, None),
    )
    events = _events(
        ("2026-09-01 00:00:00", "P1", "detail", "C1"),  # exactly at start: in
        ("2026-09-03T10:00:00Z", "P1", "detail", " C3"),  # 12:00 Brussels = end: out
        ("2026-08-31T22:00:00Z", "P1", "search", "C2"),  # start, as UTC; zip is NULL
        ("2026-09-02T09:30:00.25+02:00", " P1 ", "detail", "C2"),
        ("2026-09-02 10:00", "P2", "detail", "C3"),  # actor out of scope
    )
    got = expected_affected(customers, events, _spec())
    want = pl.DataFrame(
        [
            [
                "C1",
                "false",
                "true",
                "true",
                "address",
                "2026-08-31T22:00:00Z",
                "2026-08-31T22:00:00Z",
                "1",
                "1",
            ],
            [
                "C2",
                "false",
                "true",
                "false",
                "address",
                "2026-09-02T07:30:00.250000Z",
                "2026-09-02T07:30:00.250000Z",
                "1",
                "1",
            ],
        ],
        schema=[
            "customer_key",
            "email",
            "street",
            "zip",
            "categories",
            "first_exposure_utc",
            "last_exposure_utc",
            "events",
            "actors",
        ],
        orient="row",
    )
    assert_frame_equal(got, want)


def test_oracle_unit_counts_categories_and_order() -> None:
    """Categories follow declaration order; rows sort by code point; actors count distinct."""
    spec = _spec(
        fields=(OracleField("zip", "zip", "address"), OracleField("email", "mail", "email")),
        start=None,
        end=None,
        actors=("P1", "P2"),
    )
    customers = _customers(
        ("a1", "a@x.invalid", None, "1"),
        ("C10", "c@x.invalid", None, None),
        ("C2", None, None, "2"),
    )
    events = _events(
        ("2026-09-01 10:00", "P1", "search", "a1"),
        ("2026-09-01 11:00", "P2", "detail", "a1"),
        ("2026-09-01 12:00", "P2", "detail", "a1"),
        ("2026-09-01 12:00", "P1", "search", "C10"),  # displays zip only, C10 has none
        ("2026-09-01 12:00", "P1", "unknown", "C2"),  # action not in the map
        ("2026-09-01 12:00", "P1", "detail", "C99"),  # no such customer
    )
    got = expected_affected(customers, events, spec)
    assert got.rows() == [
        (
            "a1",
            "true",
            "true",
            "address|email",
            "2026-09-01T08:00:00Z",
            "2026-09-01T10:00:00Z",
            "3",
            "2",
        ),
    ]
    assert expected_affected(customers, events.clear(), spec).columns == got.columns


@pytest.mark.parametrize(
    ("text", "tz", "utc"),
    [
        ("2024-03-31 02:30", BRUSSELS, "2024-03-31T01:30:00Z"),  # spring gap: offset before
        ("2024-10-27 02:30", BRUSSELS, "2024-10-27T01:30:00Z"),  # repeated hour: second one
        ("2024-10-27T01:30:00", BRUSSELS, "2024-10-26T23:30:00Z"),
        ("2026-09-01", BRUSSELS, "2026-08-31T22:00:00Z"),
        (" 2026-09-01T00:00:00+0200 ", "UTC", "2026-08-31T22:00:00Z"),
        ("2026-09-01T00:00:00-05", "UTC", "2026-09-01T05:00:00Z"),
        ("2026-09-01 00:00:00.000001Z", BRUSSELS, "2026-09-01T00:00:00.000001Z"),
    ],
)
def test_oracle_unit_timestamps(text: str, tz: str, utc: str) -> None:
    """The DST rule ("standard time wins"), offsets and the output notation."""
    assert format_utc(parse_instant(text, tz, allow_date=True)) == utc


# ---------------------------------------------------------------------------------------------
# Generated cases: the CLI must agree with the oracle
# ---------------------------------------------------------------------------------------------

# Three-day windows: an ordinary one and the two 2026 DST changes in Brussels.
BASE_DAYS = (datetime(2026, 9, 1), datetime(2026, 3, 28), datetime(2026, 10, 24))
STEP = timedelta(minutes=30)
VALUES = (
    "ann@example.invalid",
    "Ann",
    "x",
    " a ",
    "Zoë",
    "",
    "   ",
    " \t ",
    "\t",
    None,
    None,
    "\u00a0",
    " \r\n ",
    " N/A ",
    "Null",
    " none",
    "onbekend",
    "-",
    "\u200b",
    "\u3000",
)
OFFSETS = ((2, 0), (1, 0), (0, 0), (-5, 0), (5, 30))
ACTION_NAMES = ("customer.search", "customer.detail", "customer.edit", "invoice.view", "list all")
ACTORS = ("PRT-0042", "PRT-7", "AGT-1")
KEYS = ("C1", "C2", "C3", "C10", "c1", "Z9", "é1", "a 4")


def _clock(moment: datetime, compact: bool, sep: str) -> str:
    """Wall clock text; seconds may be dropped when zero, fractions keep only needed digits."""
    text = moment.strftime(f"%Y-%m-%d{sep}%H:%M")
    if compact and not moment.second and not moment.microsecond:
        return text
    text += moment.strftime(":%S")
    return text + (f".{moment.microsecond:06d}".rstrip("0") if moment.microsecond else "")


def _offset_text(hours: int, minutes: int, style: int) -> str:
    sign = "-" if hours < 0 else "+"
    hh, mm = f"{abs(hours):02d}", f"{minutes:02d}"
    return (f"{sign}{hh}:{mm}", f"{sign}{hh}{mm}", f"{sign}{hh}")[
        0 if minutes and style == 2 else style
    ]


@st.composite
def notation(draw: st.DrawFn, instant: datetime, tz: str) -> str:
    """One text for an aware instant: naive local, UTC with Z, or a fixed offset."""
    kind = draw(st.sampled_from(("local", "z", "offset")))
    compact, sep = draw(st.booleans()), draw(st.sampled_from((" ", "T")))
    if kind == "local":
        return _clock(instant.astimezone(ZoneInfo(tz)), compact, sep)
    if kind == "z":
        return _clock(instant.astimezone(UTC), compact, sep) + "Z"
    hours, minutes = draw(st.sampled_from(OFFSETS))
    local = instant.astimezone(timezone(timedelta(hours=hours, minutes=minutes)))
    return _clock(local, compact, sep) + _offset_text(hours, minutes, draw(st.integers(0, 2)))


@st.composite
def raw_time(draw: st.DrawFn, base: datetime) -> str:
    """A wall-clock time within three days of `base`, with a random zone notation."""
    moment = base + STEP * draw(st.integers(24, 132))
    moment += timedelta(microseconds=draw(st.sampled_from((0, 0, 0, 500_000, 123_456, 1))))
    clock = _clock(moment, draw(st.booleans()), draw(st.sampled_from((" ", "T"))))
    zone = draw(st.sampled_from(("", "", "Z", "+02:00", "+0100", "+02", "-05:00")))
    return clock + zone


@st.composite
def bounds(draw: st.DrawFn, base: datetime) -> tuple[str | None, str | None]:
    """Optional start and end, start strictly before end; bare dates or datetimes."""
    first = draw(st.integers(0, 72))
    last = draw(st.integers(max(first + 6, 96), 150))

    def text(index: int) -> str:
        moment = base + STEP * index
        if index % 48 == 0 and draw(st.booleans()):
            return moment.strftime("%Y-%m-%d")
        clock = _clock(moment, draw(st.booleans()), draw(st.sampled_from((" ", "T"))))
        return clock + draw(st.sampled_from(("", "", "", "Z")))

    start = draw(st.none() | st.just(text(first)))
    end = draw(st.none() | st.just(text(last)))
    return start, end


@st.composite
def fields(draw: st.DrawFn) -> tuple[OracleField, ...]:
    """1-6 fields, categories drawn from a small pool so that some are shared."""
    names = draw(
        st.lists(
            st.from_regex(r"[a-z_][a-z0-9_]{0,7}", fullmatch=True).filter(
                lambda n: n not in RESERVED
            ),
            min_size=1,
            max_size=6,
            unique=True,
        )
    )
    out = []
    for i, name in enumerate(names):
        category = draw(st.sampled_from((name, name, "name", "address", "contact", "email")))
        column = draw(st.sampled_from((name, f"col {i}", f"C_{i}")))
        out.append(OracleField(name, column, category))
    return tuple(out)


def _pad(draw: st.DrawFn, text: str) -> str:
    return draw(st.sampled_from(("", "", " ", "  "))) + text + draw(st.sampled_from(("", "", " ")))


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """A whole case: spec, customers and events, with boundary events and noise."""
    tz = draw(st.sampled_from(("UTC", BRUSSELS)))
    base = draw(st.sampled_from(BASE_DAYS))
    declared = draw(fields())
    names = [f.name for f in declared]
    action_keys = draw(st.lists(st.sampled_from(ACTION_NAMES), min_size=1, max_size=5, unique=True))
    actions: dict[str, list[str] | str] = {
        a: draw(st.just(ALL) | st.lists(st.sampled_from(names), unique=True)) for a in action_keys
    }
    start, end = draw(bounds(base))
    key_col = draw(st.sampled_from(("customer_id", "klant nr")))
    spec = OracleSpec(
        timezone=tz,
        customer_key=key_col,
        fields=declared,
        timestamp="event_time",
        actor="user_id",
        action="screen",
        record=draw(st.sampled_from(("customer_id", "record"))),
        actions=actions,  # type: ignore[arg-type]
        actors=tuple(draw(st.lists(st.sampled_from(ACTORS), min_size=1, max_size=2, unique=True))),
        start=start,
        end=end,
    )
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=6, unique=True))
    customers = [
        {key_col: _pad(draw, k), **{f.column: draw(st.sampled_from(VALUES)) for f in declared}}
        for k in keys
    ]
    moments = [b for b in (start, end) if b is not None]
    events = draw(st.lists(event(spec, base, keys, moments), min_size=2, max_size=16))
    return Case(spec, customers, events)


@st.composite
def event(
    draw: st.DrawFn, spec: OracleSpec, base: datetime, keys: list[str], bounds_: list[str]
) -> dict[str, str]:
    """One access-log row; a third of the time exactly at a scope bound, in any notation."""
    if bounds_ and draw(st.integers(0, 2)) == 0:
        instant = parse_instant(draw(st.sampled_from(bounds_)), spec.timezone, allow_date=True)
        stamp = draw(notation(instant, spec.timezone))
    else:
        stamp = draw(raw_time(base))
    row = {
        spec.timestamp: _pad(draw, stamp),
        spec.actor: _pad(draw, draw(_mostly(spec.actors, (*ACTORS, "prt-0042", "X-1")))),
        spec.action: _pad(draw, draw(_mostly(spec.actions, ("billing.view", "Customer.search")))),
        spec.record: _pad(draw, draw(_mostly(keys, ("C99", "c2", "C1")))),
    }
    return row


def _mostly(usual: Iterable[str], other: Iterable[str]) -> st.SearchStrategy[str]:
    """Usually a value that matches, sometimes one that does not, so most cases expose data."""
    usual, other = tuple(usual), tuple(other)
    return st.sampled_from((True, True, True, True, False)).flatmap(
        lambda hit: st.sampled_from(usual if hit else other)
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_cli_agrees_with_oracle(case: Case) -> None:
    """Every generated case: the CLI's affected_customers.csv equals the oracle's, exactly."""
    want = expected_affected(case.customer_frame(), case.event_frame(), case.spec)
    got = run_and_read(case, log=note)
    note(f"want:\n{want.write_csv()}\ngot:\n{got.write_csv()}")
    assert_frame_equal(got, want)


def test_cli_dst_standard_time_wins() -> None:
    """Naive Brussels times in the spring gap and the repeated autumn hour, bounds included."""
    case = Case(
        spec=_spec(start="2026-03-29 02:30", end="2026-10-25 02:30"),
        customers=[{"id": "C1", "mail": "a@x.invalid", "street": None, "zip": "1000"}],
        events=[
            {"t": t, "who": "P1", "what": "detail", "id": "C1"}
            for t in (
                "2026-03-29 02:30",  # = start (01:30Z): in
                "2026-03-29T01:29:59Z",  # just before start: out
                "2026-10-25T00:30:00Z",  # first 02:30 local, before end: in
                "2026-10-25T01:29:59Z",  # just before end: in
                "2026-10-25T01:30:00Z",  # = end, the second 02:30 local: out
            )
        ],
    )
    want = expected_affected(case.customer_frame(), case.event_frame(), case.spec)
    assert want["first_exposure_utc"].to_list() == ["2026-03-29T01:30:00Z"]
    assert want["last_exposure_utc"].to_list() == ["2026-10-25T01:29:59Z"]
    assert want["events"].to_list() == ["3"]
    assert_frame_equal(run_and_read(case), want)


def test_cli_rejects_unparseable_timestamp(tmp_path: Path) -> None:
    """One bad timestamp stops the run, and no half-written output folder is left behind."""
    case = Case(
        spec=_spec(customer_key="id"),
        customers=[{"id": "C1", "mail": "a@x.invalid", "street": None, "zip": "1000"}],
        events=[
            {"t": "2026-09-02 10:00", "who": "P1", "what": "detail", "id": "C1"},
            {"t": "next tuesday", "who": "P1", "what": "detail", "id": "C1"},
        ],
    )
    out = tmp_path / "out"
    code, detail = run_cli(write_case(tmp_path / "case", case), out)
    assert code != 0, detail
    assert not out.exists()
