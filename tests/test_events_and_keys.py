"""Events that name many records or their own fields, the unmapped-action policy, and the
key rule shared by both extracts."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import CASE, CUSTOMERS, invoke, write_case

from scoping.errors import ExitCode

HEADER = "event_time,user_id,screen,customer_id\n"


def run(tmp_path: Path, case: str = CASE, customers: str = CUSTOMERS, events: str = HEADER):
    path = write_case(tmp_path / "c", case=case, customers=customers, events=events)
    out = tmp_path / "out"
    return invoke("run", path, "--out", out), out


def affected(out: Path) -> dict[str, dict[str, str]]:
    with (out / "affected_customers.csv").open(encoding="utf-8", newline="") as handle:
        return {r["customer_key"]: r for r in csv.DictReader(handle)}


def reconciliation(out: Path) -> dict[str, str]:
    with (out / "reconciliation.csv").open(encoding="utf-8", newline="") as handle:
        return next(r for r in csv.DictReader(handle) if r["role"] == "access_log")


def test_unmapped_actions_fail_by_default_listing_each(tmp_path: Path) -> None:
    case = CASE.replace('unmapped = "ignore"\n', "")
    events = HEADER + (
        "2026-09-02T10:00:00Z,PRT-0042,billing.view,C1\n"
        "2026-09-02T10:00:00Z,PRT-0042,billing.view,C2\n"
        "2026-09-02T10:00:00Z,PRT-0042,audit.trail,C2\n"
        "2026-09-02T10:00:00Z,AGT-1,legit.only,C2\n"  # another actor: not listed
    )
    result, out = run(tmp_path, case=case, events=events)
    assert result.exit_code == int(ExitCode.CASE)
    assert "'billing.view' (2 events), 'audit.trail' (1 events)" in result.stderr
    assert "legit.only" not in result.stderr
    assert not out.exists()


def test_unmapped_all_fields_counts_every_available_field(tmp_path: Path) -> None:
    case = CASE.replace('unmapped = "ignore"', 'unmapped = "all-fields"')
    result, out = run(tmp_path, case=case, events=HEADER + "2026-09-02T10:00:00Z,PRT-0042,x,C1\n")
    assert result.exit_code == 0, result.stderr
    assert affected(out)["C1"]["email"] == "true"
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["unmapped_as_all_fields"] == ["x"]


def test_keys_match_across_blanks_and_leading_zeros(tmp_path: Path) -> None:
    customers = CUSTOMERS + "00042,Zoë,Zero,z@example.invalid,1000\n"
    events = HEADER + "2026-09-02T10:00:00Z,PRT-0042,customer.detail, 42 \n"
    result, out = run(tmp_path, customers=customers, events=events)
    assert result.exit_code == 0, result.stderr
    # Matched through the rule, written as the customer table wrote it.
    assert list(affected(out)) == ["00042"]


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def first_column(text: str) -> list[str]:
    """The first column of a CSV text, header included (text cells come quoted)."""
    return [row[0] for row in csv.reader(text.splitlines()) if row]


def test_keys_are_written_as_the_extracts_wrote_them(tmp_path: Path) -> None:
    # Leading zeros in both extracts, in the customer table only, and a key only the log
    # names (unmatched), in a log that names several keys per row.
    customers = CUSTOMERS + (
        "0101939073,Ann,Zero,a@example.invalid,1000\n"
        " 0042 ,Bo,Zero,b@example.invalid,1000\n"
        "00012345,Cas,Zero,c@example.invalid,1000\n"
        "100,Dee,Zero,d@example.invalid,1000\n"
    )
    case = CASE.replace('action = "screen"', 'action = "screen"\nrecord_list = ";"')
    events = HEADER + (
        "2026-09-02T10:00:00Z,PRT-0042,customer.detail,0101939073\n"
        '2026-09-02T11:00:00Z,PRT-0042,customer.detail,"42;0042; 00012345;0077;77"\n'
        "2026-09-02T12:00:00Z,PRT-0042,customer.detail,100\n"
    )
    result, out = run(tmp_path, case=case, customers=customers, events=events)
    assert result.exit_code == 0, result.stderr
    # Sorted by the key as written (text order).
    written = ["00012345", "0042", "0101939073", "100"]
    assert list(affected(out)) == written
    unmatched = csv_rows(out / "unmatched_events.csv")
    assert [r["record_key"] for r in unmatched] == ["0077"]  # the log's first spelling
    rec = reconciliation(out)
    assert (rec["keys_found"], rec["keys_not_found"], rec["keys_repeated"]) == ("4", "1", "2")
    path = tmp_path / "c" / "case.toml"
    for table in ("affected_customers", "exposure", "customer_actor_exposure"):
        sql = f"SELECT DISTINCT customer_key FROM {table} ORDER BY 1"
        shown = invoke("sql", sql, "--case", path, "-f", "csv")
        assert first_column(shown.stdout) == ["customer_key", *written], table
    sql = "SELECT DISTINCT record_key FROM events_in_scope ORDER BY 1"
    shown = invoke("sql", sql, "--case", path, "-f", "csv")
    assert first_column(shown.stdout) == ["record_key", *written]
    sql = "SELECT customer_key FROM customers WHERE customer_key LIKE '0%' ORDER BY 1"
    shown = invoke("sql", sql, "--case", path, "-f", "csv")
    assert first_column(shown.stdout) == ["customer_key", *written[:3]]
    for asked in ("0042", "42", " 042 "):
        access = invoke("query", "customer_access", "--case", path, "-p", f"customer={asked}")
        assert access.exit_code == 0 and "PRT-0042" in access.stdout, asked
    consulted = invoke(
        "query", "actor_customers", "--case", path, "-p", "actor=PRT-0042", "-f", "csv"
    )
    assert first_column(consulted.stdout)[1:] == written


def test_keys_that_collide_after_normalisation_are_duplicates(tmp_path: Path) -> None:
    customers = CUSTOMERS + "0042,A,B,,\n42,C,D,,\n"
    result, _ = run(tmp_path, customers=customers)
    assert result.exit_code == int(ExitCode.INPUT)
    assert "occur more than once" in result.stderr and "0042/42" in result.stderr
    assert 'key_leading_zeros = "keep"' in result.stderr
    keep = CASE.replace('key = "customer_id"', 'key = "customer_id"\nkey_leading_zeros = "keep"')
    result, _ = run(tmp_path / "keep", case=keep, customers=customers)
    assert result.exit_code == 0, result.stderr


def test_an_export_naming_many_records_exposes_each(tmp_path: Path) -> None:
    case = CASE.replace('action = "screen"', 'action = "screen"\nrecord_list = ";"')
    events = HEADER + (
        '2026-09-02T10:00:00Z,PRT-0042,customer.detail,"C1; C2;C9"\n'
        "2026-09-02T11:00:00Z,PRT-0042,customer.detail,C9\n"
        "2026-09-02T12:00:00Z,PRT-0042,customer.detail, ; \n"
    )
    result, out = run(tmp_path, case=case, events=events)
    assert result.exit_code == 0, result.stderr
    assert list(affected(out)) == ["C1", "C2"]
    rec = reconciliation(out)
    # Row 1 is in scope (two of its three keys found); row 2 names only an unknown key; row 3
    # lists no key at all: it names no customer, which is no broken row.
    assert (rec["rows_read"], rec["in_scope"], rec["unmatched"]) == ("3", "1", "1")
    assert (rec["no_record"], rec["rejected"]) == ("1", "0")
    assert (rec["keys_found"], rec["keys_not_found"], rec["balanced"]) == ("2", "2", "true")


def test_json_record_lists(tmp_path: Path) -> None:
    case = CASE.replace('action = "screen"', 'action = "screen"\nrecord_list = "json"')
    events = HEADER + '2026-09-02T10:00:00Z,PRT-0042,customer.detail,"[""C1"", ""C4""]"\n'
    result, out = run(tmp_path, case=case, events=events)
    assert result.exit_code == 0, result.stderr
    assert list(affected(out)) == ["C1", "C4"]
    bad = HEADER + "2026-09-02T10:00:00Z,PRT-0042,customer.detail,C1\n"
    result, _ = run(tmp_path / "bad", case=case, events=bad)
    assert "record list not understood" in result.stderr


def test_events_naming_their_fields_use_those_fields(tmp_path: Path) -> None:
    case = CASE.replace(
        'action = "screen"', 'action = "screen"\nfields = "columns"\nfields_separator = "|"'
    ).replace(
        "[scope]", '[field_aliases]\n"Last Name" = "last_name"\n"E-mail" = "email"\n\n[scope]'
    )
    events = "event_time,user_id,screen,customer_id,columns\n" + (
        "2026-09-02T10:00:00Z,PRT-0042,report.export,C1,Last Name|e-mail\n"
        "2026-09-02T10:00:00Z,PRT-0042,customer.search,C2,\n"
    )
    result, out = run(tmp_path, case=case, events=events)
    assert result.exit_code == 0, result.stderr
    rows = affected(out)
    assert rows["C1"]["last_name"] == "true" and rows["C1"]["email"] == "true"
    assert rows["C1"]["first_name"] == "false"
    assert rows["C2"]["first_name"] == "true"  # no fields named: its action decides
    unknown = events.replace("Last Name|e-mail", "Last Name|IBAN")
    result, _ = run(tmp_path / "unknown", case=case, events=unknown)
    assert result.exit_code == int(ExitCode.CASE)
    assert "'IBAN' (1 events)" in result.stderr and "[field_aliases]" in result.stderr


def test_an_alias_cannot_take_a_field_name_in_any_case(tmp_path: Path) -> None:
    case = CASE.replace('action = "screen"', 'action = "screen"\nfields = "cols"').replace(
        'email = "email"', 'email = "email"\nphone = { column = "zip", category = "phone" }'
    )
    events = "event_time,user_id,screen,customer_id,cols\n" + (
        "2026-09-02T10:00:00Z,PRT-0042,report.export,C1,email\n"
        "2026-09-02T10:00:00Z,PRT-0042,report.export,C4,Email\n"
    )
    # A field's own name matches its labels in any case, without an alias.
    result, out = run(tmp_path, case=case, events=events)
    assert result.exit_code == 0, result.stderr
    rows = affected(out)
    assert [(k, r["email"], r["phone"]) for k, r in rows.items()] == [
        ("C1", "true", "false"),
        ("C4", "true", "false"),
    ]
    # An alias spelt as a field name would take its labels over, or add a second field.
    for label in ("email", "EMAIL"):
        aliased = case.replace("[scope]", f'[field_aliases]\n"{label}" = "phone"\n\n[scope]')
        result, out = run(tmp_path / label, case=aliased, events=events)
        assert result.exit_code == int(ExitCode.CASE), result.stderr
        assert f"[field_aliases.{label!r}]" in result.stderr and "'email'" in result.stderr
        assert not out.exists()


def test_exports_out_of_scope_count_once_per_row(tmp_path: Path) -> None:
    case = CASE.replace('action = "screen"', 'action = "screen"\nrecord_list = ";"')
    events = HEADER + (
        '2026-09-02T10:00:00Z,AGT-7,customer.detail,"C1;C2;C3"\n'  # another actor: 3 keys
        '2026-12-02T10:00:00Z,PRT-0042,customer.detail,"C1;C2"\n'  # after the end: 2 keys
        "2026-09-02T10:00:00Z,PRT-0042,customer.detail,C1\n"
    )
    result, out = run(tmp_path, case=case, events=events)
    assert result.exit_code == 0, result.stderr
    rec = reconciliation(out)
    assert (rec["rows_read"], rec["out_of_scope_actor"], rec["out_of_scope_after_end"]) == (
        "3",
        "1",
        "1",
    )
    assert (rec["in_scope"], rec["balanced"]) == ("1", "true")
    status = json.loads((out / "counts.json").read_text(encoding="utf-8"))["status"]
    assert {s["status"]: s["events"] for s in status} == {
        "in_scope": 1,
        "out_of_scope_actor": 1,
        "out_of_scope_after_end": 1,
    }
    # The investigators' views: one row per event, one line per key.
    sql = (
        "SELECT (SELECT count(*) FROM access_log_rows), (SELECT count(*) FROM access_log_status),"
        " (SELECT sum(keys) FROM event_counts)"
    )
    counted = invoke("sql", sql, "--case", tmp_path / "c" / "case.toml", "-f", "csv")
    assert counted.exit_code == 0, counted.stderr
    assert counted.stdout.splitlines()[1].split(",") == ["3", "6", "6"]


def test_keys_not_found_of_a_row_in_scope_are_counted(tmp_path: Path) -> None:
    case = CASE.replace('action = "screen"', 'action = "screen"\nrecord_list = ";"')
    events = HEADER + (
        '2026-09-02T10:00:00Z,PRT-0042,customer.detail,"C1;C9"\n'  # C9 is no customer
        "2026-09-02T11:00:00Z,PRT-0042,customer.detail,C2\n"
    )
    result, out = run(tmp_path, case=case, events=events)
    assert result.exit_code == 0, result.stderr
    rec = reconciliation(out)
    assert (rec["in_scope"], rec["unmatched"], rec["balanced"]) == ("2", "0", "true")
    assert (rec["keys_found"], rec["keys_not_found"]) == ("2", "1")
    counts = json.loads((out / "counts.json").read_text(encoding="utf-8"))
    assert counts["summary"]["keys_unmatched"] == 1
    assert {s["status"] for s in counts["status"]} == {"in_scope"}


def test_a_key_named_several_times_in_one_row_is_one_line(tmp_path: Path) -> None:
    case = CASE.replace('action = "screen"', 'action = "screen"\nrecord_list = ";"')
    events = HEADER + (
        "2026-09-02T10:00:00Z,PRT-0042,customer.detail,C1;C1;C1\n"
        '2026-09-02T11:00:00Z,PRT-0042,customer.detail,"C2; C2;C9;C9 "\n'  # after clean_text
        "2026-09-02T12:00:00Z,PRT-0042,customer.detail,C9;C9\n"  # unmatched, named twice
        "2026-09-02T13:00:00Z,AGT-1,customer.detail,C4;C4\n"  # out of scope: not counted
    )
    result, out = run(tmp_path, case=case, events=events)
    assert result.exit_code == 0, result.stderr
    rows = affected(out)
    assert (rows["C1"]["events"], rows["C2"]["events"]) == ("1", "1")
    rec = reconciliation(out)
    assert (rec["rows_read"], rec["in_scope"], rec["unmatched"], rec["balanced"]) == (
        "4",
        "2",
        "1",
        "true",
    )
    # Keys are counted once per row; the further mentions are counted apart.
    assert (rec["keys_found"], rec["keys_not_found"], rec["keys_repeated"]) == ("2", "2", "5")
    summary = json.loads((out / "counts.json").read_text(encoding="utf-8"))["summary"]
    assert (summary["events_in_scope"], summary["events_exposing"]) == (2, 2)
    assert summary["customer_event_pairs_exposing"] == 2
    assert summary["keys_unmatched"] == 2
    # All-digit keys meet after normalize_key too: 042 and 42 are one key.
    customers = CUSTOMERS + "42,Zoë,Zero,z@example.invalid,1000\n"
    events = HEADER + "2026-09-02T10:00:00Z,PRT-0042,customer.detail,042;42\n"
    result, out = run(tmp_path / "zeros", case=case, customers=customers, events=events)
    assert result.exit_code == 0, result.stderr
    assert affected(out)["42"]["events"] == "1"
    assert reconciliation(out)["keys_found"] == "1"


def test_scope_actors_are_trimmed_as_the_logs_actors_are(tmp_path: Path) -> None:
    # An em space is no blank to clean_text: the log's actor keeps it, and so must the case's.
    actor = "PRT-0042\u2003"
    case = CASE.replace('actors = ["PRT-0042"]', f'actors = ["{actor}"]')
    events = HEADER + f"2026-09-02T10:00:00Z,{actor},customer.detail,C1\n"
    result, out = run(tmp_path, case=case, events=events)
    assert result.exit_code == 0, result.stderr
    assert list(affected(out)) == ["C1"]


def test_counts_of_events_and_of_customer_event_pairs_are_named_apart(tmp_path: Path) -> None:
    case = CASE.replace('action = "screen"', 'action = "screen"\nrecord_list = ";"').replace(
        '"customer.detail" = "*"', '"customer.detail" = "*"\n"email.view" = ["email"]'
    )
    events = HEADER + (
        '2026-09-02T10:00:00Z,PRT-0042,customer.detail,"C1;C4"\n'  # one event, two customers
        "2026-09-02T11:00:00Z,PRT-0042,email.view,C2\n"  # C2 has no email: exposes nothing
        "2026-09-02T12:00:00Z,PRT-0042,email.view,C1\n"
    )
    result, out = run(tmp_path, case=case, events=events)
    assert result.exit_code == 0, result.stderr
    summary = json.loads((out / "counts.json").read_text(encoding="utf-8"))["summary"]
    assert "exposing_events" not in summary
    assert summary["events_in_scope"] == 3
    assert summary["events_exposing"] == 2
    assert summary["customer_event_pairs_exposing"] == 3
    assert sum(int(r["events"]) for r in affected(out).values()) == 3


def test_a_page_view_log_with_blank_record_ids_runs_with_no_rejects(tmp_path: Path) -> None:
    # Salesforce LightningPageView: home pages, list views and dashboards have no RECORD_ID.
    # Such rows are events that name no customer, not broken lines: with max_rejected = 0 and
    # the default unmapped = "error", the run goes through and counts them as no_record.
    case = (
        CASE.replace('timestamp = "event_time"', 'timestamp = "TIMESTAMP_DERIVED"')
        .replace('actor = "user_id"', 'actor = "USER_ID"')
        .replace('record = "customer_id"', 'record = "RECORD_ID"')
        .replace('action = "screen"', 'action = "PAGE_ENTITY_TYPE"')
        .replace('unmapped = "ignore"\n', "")
        .replace("[case]\n", "[case]\nmax_rejected = 0\n")
    )
    case = case.replace('"customer.detail" = "*"', '"customer.detail" = "*"\n"Contact" = "*"')
    events = "TIMESTAMP_DERIVED,USER_ID,RECORD_ID,PAGE_ENTITY_TYPE\n" + (
        "2026-09-02T10:00:00.000Z,PRT-0042,,home\n" * 3
        + "2026-09-02T10:01:00.000Z,PRT-0042,C1,Contact\n"
        + '2026-09-02T10:02:00.000Z,PRT-0042,"",list\n'
        + "2026-09-02T10:03:00.000Z,AGT-1,,home\n"
    )
    result, out = run(tmp_path, case=case, events=events)
    assert result.exit_code == 0, result.stderr
    rec = reconciliation(out)
    assert (rec["rows_read"], rec["rejected"], rec["no_record"]) == ("6", "0", "4")
    assert (rec["out_of_scope_actor"], rec["in_scope"], rec["balanced"]) == ("1", "1", "true")
    assert (out / "rejected_rows.csv").read_text(encoding="utf-8").count("\n") == 1
    counts = json.loads((out / "counts.json").read_text(encoding="utf-8"))
    assert counts["summary"]["events_no_record"] == 4
    assert counts["summary"]["events_rejected"] == 0
    assert {"file": "logs/a.csv", "status": "no_record", "events": 4} in counts["status"]
    assert list(affected(out)) == ["C1"]


def test_rows_that_name_no_customer_count_no_key(tmp_path: Path) -> None:
    # A blank record is one event and no key, in scope (no_record) and out of it alike.
    events = HEADER + (
        "2026-09-02T10:00:00Z,PRT-0042,customer.detail,\n"
        "2026-09-02T10:01:00Z,AGT-1,customer.detail,\n"
        "2026-09-02T10:02:00Z,PRT-0042,customer.detail,C1\n"
    )
    result, _ = run(tmp_path, events=events)
    assert result.exit_code == 0, result.stderr
    sql = "SELECT status, events, keys, repeated_keys FROM event_counts ORDER BY status"
    shown = invoke("sql", sql, "--case", tmp_path / "c" / "case.toml", "-f", "json")
    assert shown.exit_code == 0, shown.stderr
    assert json.loads(shown.stdout) == [
        {"status": "in_scope", "events": 1, "keys": 1, "repeated_keys": 0},
        {"status": "no_record", "events": 1, "keys": 0, "repeated_keys": 0},
        {"status": "out_of_scope_actor", "events": 1, "keys": 0, "repeated_keys": 0},
    ]
