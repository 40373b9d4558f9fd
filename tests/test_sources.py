"""Several access-log sources in one case: the two-system example checked against a reference
written here from the raw files, and what a case file with several sources may say."""

from __future__ import annotations

import csv
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from conftest import invoke, write_case

from scoping.casefile import DEFAULT_MISSING_VALUES

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))

import update

EXAMPLE = update.EXAMPLES["two-systems"][0]
FOLDER = EXAMPLE.parent
FIELDS = {
    "first_name": "first_name",
    "last_name": "last_name",
    "street": "street",
    "house_number": "house_number",
    "postal_code": "postal_code",
    "city": "city",
    "email": "email",
    "birth_date": "date_of_birth",
    "phone_fixed": "fixed_phone",
    "phone_mobile": "mobile_phone",
}
ALL = frozenset(FIELDS)
CRM_ACTIONS = {
    "customer.search": {"first_name", "last_name", "postal_code", "city"},
    "customer.detail": set(ALL),
    "billing.view": set(),
}
LABELS = {
    "fullname": {"first_name", "last_name"},
    "emailaddress1": {"email"},
    "telephone1": {"phone_fixed"},
    "mobilephone": {"phone_mobile"},
    "address1_line1": {"street", "house_number"},
    "address1_postalcode": {"postal_code"},
    "address1_city": {"city"},
    "birthdate": {"birth_date"},
    "statecode": set(),
    "ownerid": set(),
}
ACTORS = {"PRT-0042", "partner.agent42@prt.example"}
ZONE = ZoneInfo("Europe/Brussels")
START = datetime(2026, 9, 1, tzinfo=ZONE)
END = datetime(2026, 10, 1, tzinfo=ZONE)


def _available(field: str, value: str) -> bool:
    text = value.strip()
    if not any(c.isalnum() for c in text):
        return False
    missing = set(DEFAULT_MISSING_VALUES)
    if field in ("first_name", "last_name"):
        missing -= {"null", "none"}
    return text.lower() not in missing


def _reference() -> dict[str, tuple[frozenset[str], int]]:
    """Per affected customer: the fields exposed and the events that exposed some, computed
    from the example's raw files without scoping's code."""
    customers = pl.read_csv(FOLDER / "customers.csv", infer_schema=False)
    available = {
        row["customer_id"].strip(): frozenset(
            f for f, column in FIELDS.items() if row[column] and _available(f, row[column])
        )
        for row in customers.iter_rows(named=True)
    }
    events: list[tuple[str, set[str]]] = []  # (key, fields shown), one per event and key
    with (FOLDER / "crm" / "pageviews.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            seen = datetime.fromisoformat(row["viewed_at"]).replace(tzinfo=ZONE)
            if row["login"] in ACTORS and START <= seen < END and row["customer"]:
                events.append((row["customer"], CRM_ACTIONS[row["page"]]))
    with (FOLDER / "dynamics" / "audit.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            seen = datetime.fromisoformat(record["createdon"]).astimezone(UTC)
            if record["userid"] not in ACTORS or not START <= seen < END:
                continue
            objects = record["objectid"]
            keys = objects if isinstance(objects, list) else None
            if keys is None:
                keys = json.loads(objects) if objects.startswith("[") else [objects]
            if record["operation"] == "Update":  # its attributes are what it changed
                shown = set(ALL)
            else:
                shown = set().union(*(LABELS[a] for a in record["attributes"].split(",")))
            events += [(key, shown) for key in dict.fromkeys(keys)]
    exposed: dict[str, tuple[frozenset[str], int]] = {}
    for key, shown in events:
        fields = shown & available.get(key, frozenset())
        if fields:
            before, count = exposed.get(key, (frozenset(), 0))
            exposed[key] = (before | fields, count + 1)
    return exposed


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("two") / "out"
    update.run_example(out, "two-systems")
    return out


def test_the_two_system_example_exposes_what_a_reference_finds(run: Path) -> None:
    expected = _reference()
    rows = pl.read_csv(run / "affected_customers.csv", infer_schema=False).iter_rows(named=True)
    found = {
        r["customer_key"]: (frozenset(f for f in FIELDS if r[f] == "true"), int(r["events"]))
        for r in rows
    }
    assert found == expected
    # Both sources contribute, through their own rules: an Update shows the whole record
    # whatever its attributes say, and a label that is no personal field exposes nothing.
    assert len(found) > 200


def test_each_source_is_reconciled_on_its_own(run: Path) -> None:
    rows = list(csv.DictReader((run / "reconciliation.csv").open(encoding="utf-8")))
    by_file = {r["file"]: r for r in rows}
    assert by_file["crm/pageviews.csv"]["source"] == "crm"
    assert by_file["dynamics/audit.jsonl"]["source"] == "dynamics"
    assert by_file["customers.csv"]["source"] == ""
    assert all(r["balanced"] == "true" for r in rows)
    # Every line of each original file is a row read: nothing was merged before the run.
    assert int(by_file["crm/pageviews.csv"]["rows_read"]) == 900
    assert int(by_file["dynamics/audit.jsonl"]["rows_read"]) == 500
    # The CRM's home page names no customer: no_record, not rejected.
    assert int(by_file["crm/pageviews.csv"]["no_record"]) > 0
    assert int(by_file["crm/pageviews.csv"]["rejected"]) == 0
    unmatched = list(csv.DictReader((run / "unmatched_events.csv").open(encoding="utf-8")))
    assert unmatched and {r["source"] for r in unmatched} <= {"crm", "dynamics"}


def test_the_manifest_hashes_every_file_of_every_source(run: Path) -> None:
    manifest = json.loads((run / "manifest.json").read_text(encoding="utf-8"))
    files = {i["path"]: i for i in manifest["inputs"]}
    assert {p: f["source"] for p, f in files.items()} == {
        "customers.csv": None,
        "crm/pageviews.csv": "crm",
        "dynamics/audit.jsonl": "dynamics",
    }
    assert all(len(f["sha256"]) == 64 for f in files.values())
    sources = manifest["parameters"]["access_log"]
    assert [s["name"] for s in sources] == ["crm", "dynamics"]
    assert sources[1]["actions"]["Update"]["use_fields_column"] is False
    assert sources[1]["field_aliases"]["statecode"] == []


def test_the_same_person_under_two_accounts_is_two_rows_per_source(run: Path) -> None:
    counts = json.loads((run / "counts.json").read_text(encoding="utf-8"))
    accounts = {(r["source"], r["actor"]) for r in counts["actors"]}
    assert accounts == {("crm", "PRT-0042"), ("dynamics", "partner.agent42@prt.example")}
    assert {r["source"] for r in counts["status"]} == {"crm", "dynamics"}


def test_investigation_views_and_the_ranking_name_the_source() -> None:
    result = invoke(
        "--no-cache",
        "sql",
        "SELECT source, count(*) AS n FROM access_log_status GROUP BY source ORDER BY source",
        "--case",
        EXAMPLE,
        "-f",
        "json",
    )
    assert result.exit_code == 0, result.stderr
    assert [r["source"] for r in json.loads(result.stdout)] == ["crm", "dynamics"]
    ranking = invoke("--no-cache", "query", "actor_ranking", "--case", EXAMPLE, "-f", "json")
    assert ranking.exit_code == 0, ranking.stderr
    rows = json.loads(ranking.stdout)
    # Peers are the accounts of the same source: the medians differ between the two.
    medians = {r["source"]: r["peer_median"] for r in rows}
    assert set(medians) == {"crm", "dynamics"}
    crm = [r for r in rows if r["source"] == "crm"]
    assert {r["actor"] for r in crm} == {"PRT-0042", "AGT-0101", "AGT-0102", "AGT-0103", "AGT-0104"}


# --- the case file ---------------------------------------------------------------------------

TWO_SOURCES = """\
[[access_log]]
name = "crm"
path = ["logs/*.csv"]
timestamp = "event_time"
actor = "user_id"
record = "customer_id"
action = "screen"

[[access_log]]
name = "api"
path = ["api/*.jsonl"]
timestamp = "at"
actor = "client"
record = "ids"
action = "call"
fields = "shown"
record_list = "auto"
record_separator = "|"

[access_log.field_aliases]
fullname = ["first_name", "last_name"]
statecode = []

[access_log.actions]
"GET /customer" = []
"PATCH /customer" = { fields = ["email"], use_fields_column = false }
"""

API = [
    # A single key, a JSON array, a separated list, and a JSON array as a value.
    {
        "at": "2026-09-03T10:00:00Z",
        "client": "PRT-0042",
        "ids": "C1",
        "call": "GET /customer",
        "shown": "fullname,statecode",
    },
    {
        "at": "2026-09-03T10:01:00Z",
        "client": "PRT-0042",
        "ids": '["C2", "C4"]',
        "call": "GET /customer",
        "shown": "statecode",
    },
    {
        "at": "2026-09-03T10:02:00Z",
        "client": "PRT-0042",
        "ids": "C4|C9",
        "call": "GET /customer",
        "shown": "email",
    },
    {
        "at": "2026-09-03T10:03:00Z",
        "client": "PRT-0042",
        "ids": ["C1"],
        "call": "PATCH /customer",
        "shown": "first_name",
    },
    # Not a JSON array although it begins like one: rejected, never guessed.
    {
        "at": "2026-09-03T10:04:00Z",
        "client": "PRT-0042",
        "ids": "[C1",
        "call": "GET /customer",
        "shown": "email",
    },
]


def _two_source_case(tmp_path: Path, api: list[dict[str, object]] = API) -> Path:
    case = write_case(tmp_path)
    text = case.read_text(encoding="utf-8")
    start = text.index("[access_log]")
    end = text.index("[actions]")
    case.write_text(text[:start] + TWO_SOURCES + "\n" + text[end:], encoding="utf-8")
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "calls.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in api), encoding="utf-8"
    )
    return case


def test_a_source_reads_keys_labels_and_actions_its_own_way(tmp_path: Path) -> None:
    case = _two_source_case(tmp_path / "c")
    out = tmp_path / "out"
    result = invoke("--no-cache", "run", case, "--out", out, "--max-rejected", "1")
    assert result.exit_code == 0, result.stderr
    rows = {
        r["customer_key"]: r
        for r in csv.DictReader((out / "affected_customers.csv").open(encoding="utf-8"))
    }
    # C1: fullname (the API) and the PATCH, whose fields column is set aside for its action's
    # fields; the tiny case's CRM rows add what its own action map shows.
    assert rows["C1"]["first_name"] == rows["C1"]["last_name"] == rows["C1"]["email"] == "true"
    # C2 through the JSON array shows only statecode (no personal field) in the API, but the
    # CRM's detail page shows it all.
    api_only = [r for r in csv.DictReader((out / "rejected_rows.csv").open(encoding="utf-8"))]
    assert [(r["source"], r["reason"]) for r in api_only] == [("api", "record list not understood")]
    unmatched = list(csv.DictReader((out / "unmatched_events.csv").open(encoding="utf-8")))
    assert ("api", "C9") in {(r["source"], r["record_key"]) for r in unmatched}
    assert rows["C4"]["email"] == "true"  # through C4|C9, split on the separator


def test_an_unknown_label_names_its_source(tmp_path: Path) -> None:
    api = [{**API[0], "shown": "fullname,iban"}]
    case = _two_source_case(tmp_path / "c", api)
    result = invoke("--no-cache", "run", case, "--out", tmp_path / "out")
    assert result.exit_code != 0
    assert "'iban' (1 events, in api)" in result.stderr


@pytest.mark.parametrize(
    ("old", "new", "key", "message"),
    [
        ('name = "api"\n', "", "top level", "each needs a name"),
        ('name = "api"\n', 'name = "CRM"\n', "top level", "given twice"),
        ('record_list = "auto"\n', 'record_list = "json"\n', "access_log[1]", "goes with"),
        (
            "statecode = []",
            '"nick" = "nickname"',
            "access_log[1].field_aliases.'nick'",
            "'nickname'",
        ),
        ('name = "api"\n', 'name = "api gateway"\n', "access_log[1].name", "a short name"),
        (
            '"GET /customer" = []',
            '"GET /customer" = ["iban"]',
            "access_log[1].actions.'GET /customer'",
            "'iban'",
        ),
    ],
    ids=["unnamed", "twice", "separator", "unknown-field", "bad-name", "unknown-action-field"],
)
def test_a_source_mistake_names_its_key(
    tmp_path: Path, old: str, new: str, key: str, message: str
) -> None:
    case = _two_source_case(tmp_path / "c")
    text = case.read_text(encoding="utf-8")
    assert old in text
    case.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = invoke("check", case)
    assert result.exit_code != 0
    assert f"[{key}]" in result.stderr and message in result.stderr, result.stderr


def test_one_unnamed_source_keeps_its_key_paths_and_columns(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c")
    text = case.read_text(encoding="utf-8").replace(
        "[access_log]\n", '[access_log]\nrecord_separator = ";"\n'
    )
    case.write_text(text, encoding="utf-8")
    result = invoke("check", case)
    assert "[access_log] record_separator goes with" in result.stderr, result.stderr
    out = tmp_path / "out"
    assert invoke("--no-cache", "run", write_case(tmp_path / "d"), "--out", out).exit_code == 0
    header = (out / "reconciliation.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "source" not in header.split(",")


def test_check_lists_each_file_with_its_source() -> None:
    result = invoke("--no-cache", "check", EXAMPLE, "-f", "json")
    assert result.exit_code == 0, result.stderr
    inputs = json.loads(result.stdout)["inputs"]
    assert [(Path(r["file"]).name, r["source"]) for r in inputs] == [
        ("customers.csv", ""),
        ("pageviews.csv", "crm"),
        ("audit.jsonl", "dynamics"),
    ]
