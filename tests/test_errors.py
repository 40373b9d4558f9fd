"""Bad input: one clear stderr line naming file / key / column, a named exit code, no
traceback, no output folder, and no personal value in the message."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CASE, CUSTOMERS, EVENTS, invoke, write_case

from scoping.errors import ExitCode


def run_fails(case: Path, tmp_path: Path, code: ExitCode, *needles: str) -> str:
    out = tmp_path / "out"
    result = invoke("run", case, "--out", out)
    assert result.exit_code == int(code), result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.stdout == ""
    for needle in needles:
        assert needle in result.stderr, result.stderr
    assert not out.exists(), "no partial output folder"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.partial")]
    return result.stderr


@pytest.mark.parametrize(
    ("old", "new", "needles"),
    [
        (
            'key = "customer_id"',
            'key = "customer_id"\nkye = "x"',
            ("[customers]", "unknown key 'kye'"),
        ),
        ('id = "T-1"\n', "", ("[case]", "missing key 'id'")),
        (
            '"customer.search" = ["first_name"',
            '"customer.search" = ["nickname"',
            ("nickname", "not declared"),
        ),
        (
            'timezone = "Europe/Brussels"',
            'timezone = "Europe/Bruxelles"',
            ("case.timezone", "Bruxelles"),
        ),
        (
            'action = "screen"',
            'action = "screen"\ntimezone = "Nowhere/X"',
            ("access_log.timezone", "Nowhere/X"),
        ),
        ('start = "2026-09-01"', 'start = "01/09/2026"', ("scope.start", "ISO 8601")),
        ('start = "2026-09-01"', 'start = "2026-12-01"', ("start is not before end",)),
        ('start = "2026-09-01"', 'start = "2026-02-30"', ("scope.start",)),
        ('path = "customers.csv"', 'path = "nowhere.csv"', ("customers.path", "nowhere.csv")),
        ('actors = ["PRT-0042"]', "actors = []", ("[scope]", "names no actor")),
        ("[actions]", '[actions]\n"x" = 3', ("actions.'x'",)),
        # One action spelt twice: refused whichever comes first, "*" or a list.
        (
            '"customer.detail" = "*"',
            '"customer.detail" = "*"\n"customer.search " = "*"',
            ("actions.'customer.search '", "declared twice", "'customer.search'"),
        ),
        (
            '"customer.detail" = "*"',
            '"customer.detail" = "*"\n" customer.detail" = []',
            ("actions.' customer.detail'", "declared twice", "'customer.detail'"),
        ),
        (
            '"customer.detail" = "*"',
            '"customer.detail" = "*"\n"customer.search\\u00A0" = ["email"]',
            ("declared twice", "'customer.search'"),
        ),
        # A format the engine cannot use is the case's mistake, named when the case is read.
        (
            'action = "screen"',
            'action = "screen"\ntimestamp_formats = ["%d/%m/%Y %H:%M", "%Q %Y"]',
            ("[access_log.timestamp_formats]", "format 2 ('%Q %Y')", "%Q"),
        ),
        (
            'action = "screen"',
            'action = "screen"\ntimestamp_formats = ["%Y-%m-%d %"]',
            ("[access_log.timestamp_formats]", "format 1", "Trailing format character"),
        ),
        # An action with no name would never match a log row.
        ("[actions]", '[actions]\n"" = []', ("actions.''", "blank")),
        ("[actions]", '[actions]\n" \\t" = "*"', ("actions.", "blank")),
        ("[actions]", '[actions]\n"\\uFEFF" = []', ("actions.", "blank")),
        # Labels match without regard to case, and a field's own name always matches: an
        # alias may be neither a field's name nor another alias, in any case.
        (
            "[scope]",
            '[field_aliases]\n"email" = "postal_code"\n\n[scope]',
            ("field_aliases.'email'", "field name 'email'"),
        ),
        (
            "[scope]",
            '[field_aliases]\n"EMAIL" = "postal_code"\n\n[scope]',
            ("field_aliases.'EMAIL'", "field name 'email'"),
        ),
        (
            "[scope]",
            '[field_aliases]\n" Email " = "email"\n\n[scope]',
            ("field_aliases.' Email '", "field name 'email'"),
        ),
        (
            "[scope]",
            '[field_aliases]\n"Zip" = "postal_code"\n"ZIP " = "email"\n\n[scope]',
            ("field_aliases.'ZIP '", "alias 'Zip'"),
        ),
        (
            "[scope]",
            '[field_aliases]\n"Post Code" = "postal_code"\n"post code" = "postal_code"\n\n[scope]',
            ("field_aliases.'post code'", "alias 'Post Code'"),
        ),
        ("[scope]", '[field_aliases]\n" " = "email"\n\n[scope]', ("field_aliases.' '", "blank")),
        # Field names become column names, which DuckDB compares without regard to case.
        (
            'email = "email"',
            'email = "email"\nEmail = { column = "zip", category = "phone" }',
            ("[customers.fields.Email]", "field 'email'"),
        ),
        (
            'email = "email"',
            'email = "email"\nCustomer_Key = "zip"',
            ("[customers.fields.Customer_Key]", "'customer_key'", "outputs use"),
        ),
        (
            'email = "email"',
            'email = "email"\nAVAILABLE_MASK = "zip"',
            ("[customers.fields.AVAILABLE_MASK]", "'available_mask'"),
        ),
        (
            'email = "email"',
            'email = "email"\nSource_Row = "zip"',
            ("[customers.fields.Source_Row]", "'source_row'"),
        ),
        (
            'email = "email"',
            'email = "email"\nMatch_Key = "zip"',
            ("[customers.fields.Match_Key]", "'match_key'"),
        ),
        (
            'email = "email"',
            'email = "email"\nEvents = "zip"',
            ("[customers.fields.Events]", "'events'"),
        ),
    ],
)
def test_case_file_mistakes_are_named(
    tmp_path: Path, old: str, new: str, needles: tuple[str, ...]
) -> None:
    assert old in CASE
    case = write_case(tmp_path / "c", case=CASE.replace(old, new, 1))
    stderr = run_fails(case, tmp_path, ExitCode.CASE, *needles)
    assert str(case) in stderr.replace("\n", "")


@pytest.mark.parametrize(
    ("route", "old", "new", "first", "second", "why"),
    [
        (
            "dot-dot",
            'path = ["logs/*.csv"]',
            'path = ["logs/a.csv", "logs/sub/../a.csv"]',
            "logs/a.csv",
            "logs/sub/../a.csv",
            "both resolve to logs/a.csv",
        ),
        ("symlink", "", "", "logs/a.csv", "logs/b.csv", "both resolve to logs/a.csv"),
        ("hard-link", "", "", "logs/a.csv", "logs/b.csv", "hard links to one file"),
        (
            "customers",
            'path = "customers.csv"',
            'path = ["customers.csv", "logs/../customers.csv"]',
            "customers.csv",
            "logs/../customers.csv",
            "both resolve to customers.csv",
        ),
    ],
    ids=lambda value: value if value in ("dot-dot", "symlink", "hard-link", "customers") else "",
)
def test_one_file_reached_by_two_paths_is_refused(
    tmp_path: Path, route: str, old: str, new: str, first: str, second: str, why: str
) -> None:
    root = tmp_path / "c"
    case = write_case(root, case=CASE.replace(old, new, 1))
    (root / "logs" / "sub").mkdir()
    if route == "symlink":
        (root / "logs" / "b.csv").symlink_to("a.csv")
    elif route == "hard-link":
        (root / "logs" / "b.csv").hardlink_to(root / "logs" / "a.csv")
    key = "customers.path" if route == "customers" else "access_log.path"
    stderr = run_fails(case, tmp_path, ExitCode.CASE, f"[{key}]", "list each file once")
    assert f"{first!r} and {second!r} are the same file ({why})" in stderr


def test_unparseable_case_file(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c", case=CASE.replace("[scope]", "[scope"))
    run_fails(case, tmp_path, ExitCode.CASE, "not valid TOML")


def test_missing_case_file(tmp_path: Path) -> None:
    run_fails(tmp_path / "missing.toml", tmp_path, ExitCode.CASE, "case file not found")


def test_missing_column_is_named_with_the_file(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c", customers=CUSTOMERS.replace(",zip", ",postcode"))
    run_fails(case, tmp_path, ExitCode.INPUT, "customers.csv", "'zip' not found", "postcode")


def test_a_file_without_its_header_line_is_not_quoted(tmp_path: Path) -> None:
    headerless = CUSTOMERS.split("\n", 1)[1]
    case = write_case(tmp_path / "c", customers=headerless)
    stderr = run_fails(case, tmp_path, ExitCode.INPUT, "customers.csv", "header line")
    for value in ("C1", "Ann", "Peeters", "ann@example.invalid"):
        assert value not in stderr


def test_duplicate_customer_keys_are_refused(tmp_path: Path) -> None:
    customers = CUSTOMERS + "C2 ,Other,Person,other@example.invalid,1000\n"
    case = write_case(tmp_path / "c", customers=customers)
    stderr = run_fails(case, tmp_path, ExitCode.INPUT, "1 key(s) occur more than once", "C2")
    assert "Other" not in stderr and "other@example" not in stderr


def test_blank_customer_key_is_refused(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c", customers=CUSTOMERS + "  ,Eve,Blank,,\n")
    run_fails(case, tmp_path, ExitCode.INPUT, "blank key")


def test_blank_and_duplicate_keys_are_reported_together(tmp_path: Path) -> None:
    customers = CUSTOMERS + "  ,Eve,Blank,,\n" + "C2 ,Other,Person,other@example.invalid,1000\n"
    case = write_case(tmp_path / "c", customers=customers)
    stderr = run_fails(
        case, tmp_path, ExitCode.INPUT, "1 row(s) have a blank key", "1 key(s) occur more than once"
    )
    assert "deduplicate" in stderr and "fix or remove" in stderr


def test_unparseable_timestamp_names_file_and_row_not_value(tmp_path: Path) -> None:
    events = EVENTS + "yesterday-ish,PRT-0042,customer.detail,C1\n"
    case = write_case(tmp_path / "c", events=events)
    stderr = run_fails(
        case, tmp_path, ExitCode.INPUT, "logs/a.csv line 10", "timestamp not understood"
    )
    assert "yesterday" not in stderr


def test_missing_timestamp_is_rejected_not_dropped(tmp_path: Path) -> None:
    events = EVENTS + '"",PRT-0042,customer.detail,C1\n'
    case = write_case(tmp_path / "c", events=events)
    run_fails(case, tmp_path, ExitCode.INPUT, "line 10", "timestamp missing")


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c", customers=CUSTOMERS.replace(",zip", ",postcode"))
    result = invoke("--debug", "run", case, "--out", tmp_path / "out")
    assert result.exit_code != 0
    assert result.exception is not None and "zip" in str(result.exception)


def test_check_reports_without_writing(tiny_case: Path) -> None:
    before = sorted(p.name for p in tiny_case.parent.rglob("*"))
    result = invoke("check", tiny_case)
    assert result.exit_code == 0, result.stderr
    assert "4 customer records" in result.stderr
    assert (
        "8 access-log rows read" in result.stderr
        and "0 input row(s) cannot be used" in result.stderr
    )
    after = sorted(p.name for p in tiny_case.parent.rglob("*") if ".scoping-cache" not in p.parts)
    assert after == before  # only the staging cache, no output


def test_check_fails_on_rows_that_cannot_be_used(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c", events=EVENTS + "2026-09-02T10:00:00Z,,customer.detail,C1\n")
    result = invoke("check", case)
    assert result.exit_code == int(ExitCode.INPUT)
    assert "line 10, column 'user_id': actor missing" in result.stderr
    assert "1 input row(s) cannot be used (at most 0 accepted" in result.stderr
    assert "--max-rejected" in result.stderr


def test_case_id_is_printed_as_written_not_as_markup(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c", case=CASE.replace('id = "T-1"', 'id = "INC[/x] [red]42"'))
    result = invoke("run", case, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert "Case INC[/x] [red]42" in result.stderr


def test_a_reader_that_stops_early_ends_the_command_quietly(tiny_case: Path) -> None:
    import subprocess
    import sys

    sql = "SELECT * FROM range(100000)"
    command = [sys.executable, "-m", "scoping", "--no-cache", "sql", sql]
    child = subprocess.Popen(
        [*command, "--case", str(tiny_case), "-f", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # as `| head` does once it has its lines
    stderr = child.stderr.read().decode()
    assert child.wait() == 141
    assert "Unexpected" not in stderr and "Traceback" not in stderr


def test_a_customer_table_with_no_record_is_refused(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c", customers=CUSTOMERS.split("\n", 1)[0] + "\n")
    run_fails(case, tmp_path, ExitCode.INPUT, "customers.csv: no customer record in the input")


def test_an_access_log_with_no_row_is_pointed_out(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c", events=EVENTS.split("\n", 1)[0] + "\n")
    for command in ("run", "check"):
        extra = ["--out", tmp_path / "out"] if command == "run" else []
        result = invoke(command, case, *extra)
        assert result.exit_code == 0, result.stderr
        assert "warning: the access log holds no row" in result.stderr


def test_an_actor_with_no_event_in_scope_is_pointed_out(tmp_path: Path) -> None:
    # PRT-42 is in the log, but only before the window: a warning, not an error.
    case = write_case(
        tmp_path / "c",
        case=CASE.replace('actors = ["PRT-0042"]', 'actors = ["PRT-0042", "PRT-42"]'),
        events=EVENTS + "2026-08-01 10:00:00,PRT-42,customer.detail,C1\n",
    )
    result = invoke("run", case, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert "warning: 1 actor(s) of [scope] have no event in scope: 'PRT-42'" in result.stderr
    assert "'PRT-0042' of [scope]" not in result.stderr


def test_one_extract_given_twice_is_refused(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c")
    logs = tmp_path / "c" / "logs"
    (logs / "copy.csv").write_bytes((logs / "a.csv").read_bytes())
    run_fails(case, tmp_path, ExitCode.INPUT, "logs/a.csv and logs/copy.csv hold the same bytes")
    # A different file of the same size is no copy; nor are two files of a header only.
    text = (logs / "a.csv").read_text(encoding="utf-8")
    (logs / "copy.csv").write_text(text.replace("C1", "C9", 1), encoding="utf-8")
    assert invoke("run", case, "--out", tmp_path / "out").exit_code == 0
    header = text.split("\n", 1)[0] + "\n"
    for quiet in ("quiet-1.csv", "quiet-2.csv"):
        (logs / quiet).write_text(header, encoding="utf-8")
    assert invoke("run", case, "--out", tmp_path / "out2").exit_code == 0
