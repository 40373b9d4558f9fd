"""No value read from an input file reaches a message or a file that is not data: columns are
mapped wrongly on purpose, so that names, emails and URLs land where the tool quotes what it
read (unknown actions, field labels, duplicated keys, column names, engine errors), and every
line on stdout and stderr and every non-data output file is searched for them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pytest
from conftest import CASE, invoke, write_case

from scoping.errors import engine_message, example

URL = "https://crm.planted.invalid/p?name=Zyxwyn%20Ann&mail=zyxwyn.qorvath@planted.invalid"
PLANTED = (
    "Zyxwyn",
    "Qorvath",
    "zyxwyn.qorvath@planted.invalid",
    "Brannoc",
    "Vexmoor",
    "brannoc.vexmoor@planted.invalid",
    "crm.planted.invalid",
    "planted.invalid",
)

CUSTOMERS = f"""\
customer_id,first_name,last_name,email,zip,note
C1,Zyxwyn Ann,Qorvath-Peeters,zyxwyn.qorvath@planted.invalid,1000,{URL}
C2,Brannoc Lee,Vexmoor,brannoc.vexmoor@planted.invalid,9000,Brannoc Lee Vexmoor
C3,Brannoc Lee,Vexmoor,brannoc.vexmoor@planted.invalid,9000,Brannoc Lee Vexmoor
"""

EVENTS = f"""\
event_time,user_id,screen,customer_id,page,shown
2026-09-02T10:00:00Z,PRT-0042,customer.detail,C1,{URL},Zyxwyn Ann Qorvath-Peeters
2026-09-03T10:00:00Z,PRT-0042,customer.detail,C2,{URL},brannoc.vexmoor@planted.invalid
"""

# What a wrong mapping does to the case of conftest (its columns, its [scope]).
MAPPINGS = {
    "action holds a URL": [('action = "screen"', 'action = "page"'), ("ignore", "error")],
    "action holds a URL, mapped to all fields": [
        ('action = "screen"', 'action = "page"'),
        ('unmapped = "ignore"', 'unmapped = "all-fields"'),
    ],
    "key holds emails": [('key = "customer_id"', 'key = "email"')],
    "fields column holds names and emails": [
        ('action = "screen"', 'action = "screen"\nfields = "shown"')
    ],
    "timestamp holds names": [('timestamp = "event_time"', 'timestamp = "shown"')],
    "record holds URLs": [('record = "customer_id"', 'record = "page"')],
    "actor holds emails": [('actor = "user_id"', 'actor = "shown"')],
}


def case_text(edits: list[tuple[str, str]]) -> str:
    text = CASE.replace(
        'email = "email"', 'email = "email"\nnote = { column = "note", category = "other" }'
    )
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    return text


def assert_nothing_planted(text: str, where: str) -> None:
    found = [value for value in PLANTED if value.lower() in text.lower()]
    assert not found, f"{where} shows {found}: {text}"


def assert_clean_run(case: Path, out: Path, *more: str) -> None:
    """`check` and `run` (and any other command given) show no planted value; nor does any
    output file but the data ones (customers listed by key, events that name no customer)."""
    for args in (("check", case), ("run", case, "--out", out, "--max-rejected", "100"), more):
        if args:
            result = invoke(*args)
            assert_nothing_planted(result.stdout + result.stderr, " ".join(map(str, args[:1])))
    data = {"affected_customers.csv", "unmatched_events.csv"}
    for path in sorted(out.rglob("*")) if out.exists() else ():
        if path.is_file() and path.name not in data:
            assert_nothing_planted(path.read_text(encoding="utf-8"), path.name)


@pytest.mark.parametrize("mapping", sorted(MAPPINGS))
def test_a_wrong_mapping_quotes_no_value(tmp_path: Path, mapping: str) -> None:
    case = write_case(tmp_path / "c", case_text(MAPPINGS[mapping]), CUSTOMERS, EVENTS)
    assert_clean_run(case, tmp_path / "out")


def test_an_unknown_action_is_named_by_a_hash_that_sql_finds(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c", case_text(MAPPINGS["action holds a URL"]), CUSTOMERS, EVENTS)
    result = invoke("run", case, "--out", tmp_path / "out")
    shown = example(URL)
    assert f"'{shown}' (2 events)" in result.stderr
    prefix = shown.removeprefix("sha256:")
    row = duckdb.connect().execute("SELECT sha256($v)", {"v": URL}).fetchone()
    assert row is not None and row[0].startswith(prefix)


def test_a_headerless_file_whose_first_row_holds_a_column_name(tmp_path: Path) -> None:
    # The first row is taken as the header; one of its values happens to be a case column.
    events = "2026-09-02T10:00:00Z,Zyxwyn,customer_id,Qorvath\n" + EVENTS.split("\n", 1)[1]
    case = write_case(tmp_path / "c", case_text([]), CUSTOMERS, events)
    result = invoke("run", case, "--out", tmp_path / "out")
    assert "header line missing" in result.stderr
    assert_nothing_planted(result.stderr, "run")


def test_json_keys_are_not_quoted(tmp_path: Path) -> None:
    line = {"event_time": "2026-09-02T10:00:00Z", "user_id": "PRT-0042", "customer_id": "C1"}
    line |= {"zyxwyn.qorvath@planted.invalid": 1, "Zyxwyn Ann Qorvath": 2}
    case = write_case(tmp_path / "c", case_text([("logs/*.csv", "logs/*.jsonl")]), CUSTOMERS)
    (case.parent / "logs" / "a.csv").unlink()
    (case.parent / "logs" / "a.jsonl").write_text(json.dumps(line) + "\n", encoding="utf-8")
    result = invoke("run", case, "--out", tmp_path / "out")
    assert "column 'screen' not found" in result.stderr and "'customer_id'" in result.stderr
    assert_nothing_planted(result.stderr, "run")


def test_an_engine_error_quotes_no_value(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c", case_text([]), CUSTOMERS, EVENTS)
    result = invoke("sql", "SELECT CAST(email AS INTEGER) FROM customers", "--case", case)
    assert "Conversion Error" in result.stderr
    assert_nothing_planted(result.stdout + result.stderr, "sql")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("customer.detail", "customer.detail"),
        ("C-0042", "C-0042"),
        ("/crm/report:export", "/crm/report:export"),
        ("", ""),
        ("x" * 40, "x" * 40),
        ("x" * 41, "sha256:" + hashlib.sha256(b"x" * 41).hexdigest()[:8]),
        ("Ann Peeters", "sha256:" + hashlib.sha256(b"Ann Peeters").hexdigest()[:8]),
        ("ann@example.invalid", "sha256:" + hashlib.sha256(b"ann@example.invalid").hexdigest()[:8]),
        ("Cé", "sha256:" + hashlib.sha256("Cé".encode()).hexdigest()[:8]),
    ],
)
def test_example_shows_identifiers_and_hashes_the_rest(value: str, shown: str) -> None:
    assert example(value) == shown


def test_engine_message_keeps_one_line_and_hides_quoted_values() -> None:
    message = engine_message(
        duckdb.ConversionException(
            "Conversion Error: Could not convert string 'ann@example.invalid' to INT32\n"
            "LINE 1: SELECT 'ann@example.invalid'"
        )
    )
    assert message == (
        f"Conversion Error: Could not convert string '{example('ann@example.invalid')}' to INT32"
    )


def test_a_rejected_row_names_each_of_its_columns() -> None:
    from scoping.pipeline import where

    row = {"file": "logs/a.csv", "line": 3, "row": 2, "column": "screen, customer_id"}
    shown = where({**row, "reason": "too many columns"})
    assert shown == "logs/a.csv line 3, column 'screen, customer_id': too many columns"
    odd = where({**row, "column": "screen, e-mail adres", "reason": "x"})
    assert "screen, sha256:" in odd and "e-mail adres" not in odd
