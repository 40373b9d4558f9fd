"""Extracts as they really come: delimiters, encodings, BOMs, gzip, quoted line breaks,
column orders, broken rows; every row accounted for in reconciliation.csv."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CASE, invoke, write_case

HEADER = ["customer_id", "first_name", "last_name", "email", "zip"]
ROWS = [
    ["C1", "Hélène", "Peeters", "helene@example.invalid", "1000"],
    ["C2", "François", "Dubois", "", "9000"],
    ["C3", "Jürgen", "Œuvray", "j@example.invalid", "4700"],
]
EVENTS = [
    ["event_time", "user_id", "screen", "customer_id"],
    ["2026-09-02T10:00:00Z", "PRT-0042", "customer.detail", "C1"],
    ["2026-09-02T10:00:00Z", "PRT-0042", "customer.search", "C2"],
    ["2026-09-02T10:00:00Z", "PRT-0042", "customer.detail", "C3"],
]


def text(rows: list[list[str]], delimiter: str = ",") -> str:
    lines = []
    for row in rows:
        cells = [f'"{c}"' if (delimiter in c or "\n" in c) else c for c in row]
        lines.append(delimiter.join(cells))
    return "\n".join(lines) + "\n"


def run_case(tmp_path: Path, files: dict[str, bytes], case: str = CASE) -> tuple[int, Path, str]:
    root = tmp_path / "c"
    path = write_case(root, case=case, events=text(EVENTS))
    for name, data in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    out = tmp_path / "out"
    result = invoke("run", path, "--out", out)
    return result.exit_code, out, result.stderr


def affected(out: Path) -> dict[str, dict[str, str]]:
    with (out / "affected_customers.csv").open(encoding="utf-8", newline="") as handle:
        return {r["customer_key"]: r for r in csv.DictReader(handle)}


def reconciliation(out: Path) -> list[dict[str, str]]:
    with (out / "reconciliation.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def rejected_rows(out: Path) -> list[dict[str, str]]:
    with (out / "rejected_rows.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [
        ("utf-8", ","),
        ("utf-8-sig", ";"),
        ("cp1252", ";"),
        ("latin-1", "|"),
        ("utf-16", "\t"),
    ],
)
def test_encodings_and_delimiters_are_detected(
    tmp_path: Path, encoding: str, delimiter: str
) -> None:
    rows = ROWS if encoding != "latin-1" else [[c.replace("Œ", "O") for c in r] for r in ROWS]
    customers = text([HEADER, *rows], delimiter).encode(encoding)
    code, out, stderr = run_case(tmp_path, {"customers.csv": customers})
    assert code == 0, stderr
    rows = affected(out)
    assert set(rows) == {"C1", "C2", "C3"}
    assert rows["C2"]["email"] == "false" and rows["C1"]["email"] == "true"
    assert rows["C3"]["postal_code"] == "true"


def test_a_windows_1252_file_keeps_its_accents(tmp_path: Path) -> None:
    customers = text([HEADER, *ROWS], ";").encode("cp1252")
    root = tmp_path / "c"
    path = write_case(root)
    (root / "customers.csv").write_bytes(customers)
    from scoping import transcode

    assert transcode.detect(root / "customers.csv") == "cp1252"
    target = tmp_path / "copy.csv"
    transcode.to_utf8(root / "customers.csv", "cp1252", target)
    assert "Œuvray" in target.read_text(encoding="utf-8")
    assert invoke("run", path, "--out", tmp_path / "out").exit_code == 0


def test_gzip_quoted_newlines_and_column_order(tmp_path: Path) -> None:
    reordered = [["screen", "customer_id", "user_id", "event_time"]] + [
        [r[2], r[3], r[1], r[0]] for r in EVENTS[1:]
    ]
    customers = [HEADER, ["C1", "Line\nbreak", "Peeters", "", "1000"], *ROWS[1:]]
    files = {
        "customers.csv": text(customers).encode(),
        "logs/a.csv": text(EVENTS).encode(),
        "logs/b.csv.gz": gzip.compress(text(reordered).encode()),
    }
    case = CASE.replace('path = ["logs/*.csv"]', 'path = ["logs/*.csv", "logs/*.csv.gz"]')
    code, out, stderr = run_case(tmp_path, files, case=case)
    assert code == 0, stderr
    rows = affected(out)
    assert rows["C1"]["events"] == "2" and rows["C3"]["events"] == "2"
    assert all(r["balanced"] == "true" for r in reconciliation(out))


def test_csv_options_in_the_case_override_detection(tmp_path: Path) -> None:
    case = CASE.replace(
        'key = "customer_id"\n',
        'key = "customer_id"\ncsv = { delimiter = ";", encoding = "windows-1252", header = true }\n',
        1,
    )
    customers = text([HEADER, *ROWS], ";").encode("cp1252")
    code, out, stderr = run_case(tmp_path, {"customers.csv": customers}, case=case)
    assert code == 0, stderr
    assert len(affected(out)) == 3


def test_broken_rows_are_rejected_with_their_line_and_counted(tmp_path: Path) -> None:
    lines = [
        "event_time,user_id,screen,customer_id",
        "2026-09-02T10:00:00Z,PRT-0042,customer.detail,C1",
        "",  # line 3: blank
        '2026-09-02T10:00:00Z,PRT-0042,"customer.\ndetail",C2',  # quoted line break: line 4-5
        "2026-09-02T10:00:00Z,PRT-0042,customer.detail,C3,extra",  # line 6: too many columns
        "not a time,PRT-0042,customer.detail,C3",  # line 7: timestamp not understood
        "2026-09-02T10:00:00Z,PRT-0042,customer.detail,C9",  # line 8: unmatched
        "2026-09-02T10:00:00Z,AGT-1,customer.detail,C2",  # line 9: another actor
    ]
    root = tmp_path / "c"
    path = write_case(root, events="\n".join(lines) + "\n")
    refused = invoke("run", path, "--out", tmp_path / "refused")
    assert refused.exit_code != 0 and "2 input row(s) cannot be used" in refused.stderr
    assert "logs/a.csv line 6" in refused.stderr
    out = tmp_path / "out"
    result = invoke("run", path, "--out", out, "--max-rejected", "2")
    assert result.exit_code == 0, result.stderr
    assert [(r["line"], r["column"], r["reason"]) for r in rejected_rows(out)] == [
        ("6", "", "TOO MANY COLUMNS"),
        ("7", "event_time", "timestamp not understood"),
    ]
    (log,) = [r for r in reconciliation(out) if r["role"] == "access_log"]
    assert log["rows_read"] == "6"
    assert (log["rejected"], log["unmatched"], log["out_of_scope_actor"]) == ("2", "1", "1")
    assert (log["out_of_scope_action"], log["in_scope"], log["balanced"]) == ("1", "1", "true")
    with (out / "unmatched_events.csv").open(encoding="utf-8", newline="") as handle:
        unmatched = list(csv.DictReader(handle))
    assert [(u["record_key"], u["actor"]) for u in unmatched] == [("C9", "PRT-0042")]


@pytest.mark.parametrize(
    ("bad", "column", "reason"),
    [
        ("2026-09-02T11:00:00Z,PRT-1,customer.detail,C1,a,b,c", "", "TOO MANY COLUMNS"),
        ("2026-09-02T11:00:00Z,PRT-1", "screen, customer_id", "MISSING COLUMNS"),
        ("   ", "user_id, screen, customer_id", "MISSING COLUMNS"),
    ],
    ids=["three-extra", "two-missing", "blanks"],
)
def test_a_row_with_several_column_errors_is_one_rejected_row(
    tmp_path: Path, bad: str, column: str, reason: str
) -> None:
    # DuckDB records one error per extra or missing column: the row is still one row.
    good = "2026-09-02T10:00:00Z,PRT-0042,customer.detail,C1"
    lines = ["event_time,user_id,screen,customer_id", good, good, bad, good, good, good]
    root = tmp_path / "c"
    path = write_case(root)
    (root / "logs" / "a.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    checked = invoke("check", path)
    assert "6 access-log rows read" in checked.stderr, checked.stderr
    assert "1 input row(s) cannot be used" in checked.stderr, checked.stderr
    out = tmp_path / "out"
    result = invoke("run", path, "--out", out, "--max-rejected", "1")
    assert result.exit_code == 0, result.stderr
    assert [(r["line"], r["column"], r["reason"]) for r in rejected_rows(out)] == [
        ("4", column, reason)
    ]
    (log,) = [r for r in reconciliation(out) if r["role"] == "access_log"]
    assert (log["rows_read"], log["rejected"], log["in_scope"]) == ("6", "1", "5")
    assert log["balanced"] == "true"


@pytest.mark.parametrize("decoy", [False, True], ids=["alone", "beside-a-match"])
def test_a_file_whose_name_holds_glob_characters_is_that_file(tmp_path: Path, decoy: bool) -> None:
    root = tmp_path / "c"
    path = write_case(root, case=CASE.replace('["logs/*.csv"]', '"logs/log[1].csv"'))
    (root / "logs" / "a.csv").rename(root / "logs" / "log[1].csv")
    if decoy:  # what the name matches as a pattern
        (root / "logs" / "log1.csv").write_text(text(EVENTS), encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("run", path, "--out", out)
    assert result.exit_code == 0, result.stderr
    logs = [(r["file"], r["rows_read"]) for r in reconciliation(out) if r["role"] == "access_log"]
    assert logs == [("logs/log[1].csv", "8")]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_a_case_folder_whose_name_holds_glob_characters_is_not_a_pattern(
    tmp_path: Path, fmt: str
) -> None:
    import duckdb

    case = CASE.replace('["logs/*.csv"]', f'"logs/a.{fmt}"')
    # INC4 is what INC[42] matches as a pattern: its log has one row, not three.
    for name, events in (("INC[42]", EVENTS), ("INC4", EVENTS[:2])):
        path = write_case(tmp_path / name, case=case, events=text(events))
        log = tmp_path / name / "logs" / "a"
        if fmt != "csv":
            options = "FORMAT json" if fmt == "jsonl" else "FORMAT parquet"
            duckdb.connect().execute(
                f"COPY (SELECT * FROM read_csv($csv, all_varchar = true)) TO $out ({options})",
                {"csv": str(log.with_suffix(".csv")).replace("[", "[[]"), "out": f"{log}.{fmt}"},
            )
    path = tmp_path / "INC[42]" / "case.toml"
    for run in ("one", "two"):  # the second reads the staging cache, beside the case
        out = tmp_path / run
        result = invoke("run", path, "--out", out)
        assert result.exit_code == 0, result.stderr
        logs = [
            (r["file"], r["rows_read"]) for r in reconciliation(out) if r["role"] == "access_log"
        ]
        assert logs == [(f"logs/a.{fmt}", "3")], run
        assert len(affected(out)) == 3, run


def test_parquet_customers_and_json_lines_logs(tmp_path: Path) -> None:
    import duckdb

    root = tmp_path / "c"
    case = CASE.replace('path = "customers.csv"', 'path = "customers.parquet"').replace(
        'path = ["logs/*.csv"]', 'path = ["logs/*.jsonl"]'
    )
    path = write_case(root, case=case)
    con = duckdb.connect()
    con.execute(
        "COPY (SELECT * FROM (VALUES (42, 'Ann', 'Peeters', NULL, 1000),"
        " (7, 'Bob', 'Dubois', 'b@example.invalid', 9000))"
        " t(customer_id, first_name, last_name, email, zip)) TO $p (FORMAT parquet)",
        {"p": str(root / "customers.parquet")},
    )
    (root / "logs" / "a.jsonl").write_text(
        '{"event_time": "2026-09-02T10:00:00Z", "user_id": "PRT-0042", "screen": "customer.detail", "customer_id": "0042"}\n'
        '{"event_time": 1788343200, "user_id": "PRT-0042", "screen": "customer.search", "customer_id": 7}\n'
        "{not json at all\n",
        encoding="utf-8",
    )
    result = invoke("run", path, "--out", tmp_path / "out", "--max-rejected", "1")
    assert result.exit_code == 0, result.stderr
    rows = affected(tmp_path / "out")
    assert set(rows) == {"42", "7"}
    assert rows["42"]["email"] == "false" and rows["7"]["email"] == "false"
    assert rows["7"]["first_exposure_utc"] == "2026-09-02T10:00:00Z"
    (log,) = [r for r in reconciliation(tmp_path / "out") if r["role"] == "access_log"]
    assert (log["rows_read"], log["rejected"], log["in_scope"]) == ("3", "1", "2")


def test_parquet_typed_timestamps_need_no_parsing(tmp_path: Path) -> None:
    import duckdb

    root = tmp_path / "c"
    case = CASE.replace('path = ["logs/*.csv"]', 'path = ["logs/*.parquet"]')
    path = write_case(root, case=case)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    # An instant, typed with its zone ...
    con.execute(
        "COPY (SELECT TIMESTAMPTZ '2026-09-02 10:00:00+00' AS event_time, 'PRT-0042' AS user_id,"
        " 'customer.detail' AS screen, 'C1' AS customer_id) TO $p (FORMAT parquet)",
        {"p": str(root / "logs" / "a.parquet")},
    )
    # ... and a naive one: local time in the case's zone, 2026-09-01 00:00 = 2026-08-31 22:00Z.
    con.execute(
        "COPY (SELECT TIMESTAMP '2026-09-01 00:00:00' AS event_time, 'PRT-0042' AS user_id,"
        " 'customer.search' AS screen, 'C2' AS customer_id) TO $p (FORMAT parquet)",
        {"p": str(root / "logs" / "b.parquet")},
    )
    result = invoke("run", path, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    rows = affected(tmp_path / "out")
    assert rows["C1"]["first_exposure_utc"] == "2026-09-02T10:00:00Z"
    assert rows["C2"]["first_exposure_utc"] == "2026-08-31T22:00:00Z"


def parquet_log_case(tmp_path: Path, select: str) -> tuple[Path, Path]:
    """A case whose access log is one Parquet file, written by DuckDB from `select`."""
    import duckdb

    root = tmp_path / "c"
    path = write_case(root, case=CASE.replace('path = ["logs/*.csv"]', 'path = ["logs/*.parquet"]'))
    log = root / "logs" / "a.parquet"
    duckdb.connect().execute(f"COPY ({select}) TO $p (FORMAT parquet)", {"p": str(log)})
    return path, log


def test_parquet_is_read_where_it_lies_and_keeps_its_row_numbers(tmp_path: Path) -> None:
    from scoping import db, pipeline
    from scoping.case import load_case

    path, _ = parquet_log_case(
        tmp_path,
        "SELECT event_time, user_id, 'customer.detail' AS screen, customer_id"
        " FROM (VALUES (1, '2026-09-02T10:00:00Z', 'PRT-0042', 'C1'),"
        " (2, '2026-09-02T10:01:00Z', 'PRT-0042', 'C2'), (3, '2026-09-02T10:02:00Z', NULL, 'C1'),"
        " (4, '2026-09-02T10:03:00Z', 'AGT-1', 'C1')) t(n, event_time, user_id, customer_id)"
        " ORDER BY n",
    )
    result = invoke("run", path, "--out", tmp_path / "out", "--max-rejected", "1")
    assert result.exit_code == 0, result.stderr
    (rejected,) = rejected_rows(tmp_path / "out")
    assert (rejected["row"], rejected["column"], rejected["reason"]) == (
        "3",
        "user_id",
        "actor missing",
    )
    (log,) = [r for r in reconciliation(tmp_path / "out") if r["role"] == "access_log"]
    assert (log["rows_read"], log["in_scope"], log["out_of_scope_actor"]) == ("4", "2", "1")
    # Nothing of the file was copied into the database: a view reads it.
    with pipeline.prepare(load_case(path), db.Settings(cache=False)) as prep:
        copied = prep.con.execute("SELECT count(*) FROM staged_access_log_copied").fetchone()
        staged = prep.con.execute(
            "SELECT list(source_row ORDER BY source_row) FROM staged_access_log"
        ).fetchone()
    assert copied == (0,)
    assert staged == ([1, 2, 3, 4],)


def _touch_later(path: Path) -> None:
    import os

    seen = path.stat()
    os.utime(path, ns=(seen.st_atime_ns, seen.st_mtime_ns + 1_000_000_000))


def _replace_keeping_size_and_time(path: Path) -> None:
    # What `cp -p` or `rsync -a` of another file of the same size would leave behind.
    import os
    import shutil

    seen = path.stat()
    other = path.with_name("other.parquet.tmp")
    shutil.copyfile(path, other)
    os.replace(other, path)
    os.utime(path, ns=(seen.st_atime_ns, seen.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (seen.st_size, seen.st_mtime_ns)


@pytest.mark.parametrize("change", [_touch_later, _replace_keeping_size_and_time])
def test_a_parquet_input_that_changes_during_the_run_stops_it(
    tmp_path: Path, change: Callable[[Path], None]
) -> None:
    from scoping import pipeline
    from scoping.errors import InputError

    path, log = parquet_log_case(
        tmp_path,
        "SELECT '2026-09-02T10:00:00Z' AS event_time, 'PRT-0042' AS user_id,"
        " 'customer.detail' AS screen, 'C1' AS customer_id",
    )

    def while_running(step: str, _con: object) -> None:
        if step == "writing outputs":  # as if another program were still writing the file
            change(log)

    with pytest.raises(InputError, match="changed while the run was reading it"):
        pipeline.run(path, tmp_path / "out", progress=while_running)
    assert not (tmp_path / "out").exists()
    pipeline.run(path, tmp_path / "out")  # left alone, the same file runs
    assert (tmp_path / "out" / "manifest.json").exists()


@pytest.mark.parametrize("kind", ["TIMESTAMPTZ", "TIMESTAMP"])
def test_an_infinite_typed_timestamp_is_rejected_not_put_outside_the_window(
    tmp_path: Path, kind: str
) -> None:
    # A naive one (TIMESTAMP) goes through the log's zone first, and stays infinite.
    path, _ = parquet_log_case(
        tmp_path,
        f"SELECT CAST(t AS {kind}) AS event_time, 'PRT-0042' AS user_id,"
        " 'customer.detail' AS screen, 'C1' AS customer_id"
        " FROM (VALUES (1, '2026-09-02 10:00:00'), (2, 'infinity'), (3, '-infinity')) v(n, t)"
        " ORDER BY n",
    )
    result = invoke("run", path, "--out", tmp_path / "out", "--max-rejected", "2")
    assert result.exit_code == 0, result.stderr
    rejected = [(r["row"], r["reason"]) for r in rejected_rows(tmp_path / "out")]
    assert rejected == [("2", "timestamp not understood"), ("3", "timestamp not understood")]
    (log,) = [r for r in reconciliation(tmp_path / "out") if r["role"] == "access_log"]
    assert (log["rows_read"], log["in_scope"], log["rejected"]) == ("3", "1", "2")
    assert log["out_of_scope_before_start"] == log["out_of_scope_after_end"] == "0"


def run_numbered_parquet_log(tmp_path: Path, event_time: str) -> Path:
    """Run a case whose Parquet log has its own column named file_row_number; the output."""
    path, _ = parquet_log_case(
        tmp_path,
        f"SELECT 7 AS file_row_number, {event_time} AS event_time,"
        " 'PRT-0042' AS user_id, 'customer.detail' AS screen, 'C1' AS customer_id",
    )
    result = invoke("run", path, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    return tmp_path / "out"


def test_a_parquet_column_named_like_duckdbs_row_number_is_read(tmp_path: Path) -> None:
    run_numbered_parquet_log(tmp_path, "'2026-09-02T10:00:00Z'")
    (log,) = [r for r in reconciliation(tmp_path / "out") if r["role"] == "access_log"]
    assert (log["rows_read"], log["in_scope"]) == ("1", "1")


def test_a_naive_typed_log_copied_for_its_row_number_column_is_read(tmp_path: Path) -> None:
    # Copied rather than viewed (see above), with a naive timestamp: local time in the zone.
    run_numbered_parquet_log(tmp_path, "TIMESTAMP '2026-09-01 00:00:00'")
    assert affected(tmp_path / "out")["C1"]["first_exposure_utc"] == "2026-08-31T22:00:00Z"


JSON_EVENT = (
    b'{"event_time": "2026-09-02T10:00:00Z", "user_id": "PRT-0042",'
    b' "screen": "customer.detail", "customer_id": "C1"}'
)


def run_json_log(tmp_path: Path, content: bytes, accepted: int) -> list[tuple[str, str, str]]:
    """Run the case over one JSON Lines log; its rejected rows as (line, row, reason)."""
    root = tmp_path / "c"
    path = write_case(root, case=CASE.replace('path = ["logs/*.csv"]', 'path = ["logs/*.jsonl"]'))
    (root / "logs" / "a.jsonl").write_bytes(content)
    result = invoke("run", path, "--out", tmp_path / "out", "--max-rejected", str(accepted))
    assert result.exit_code == 0, result.stderr
    return [(r["line"], r["row"], r["reason"]) for r in rejected_rows(tmp_path / "out")]


def test_json_lines_that_are_not_objects_are_rejected_with_their_lines(tmp_path: Path) -> None:
    event = JSON_EVENT + b"\n"
    rejected = run_json_log(
        tmp_path,
        event + b"\n   \n{not json at all\n" + event + b'["a", "list"]\n\n"text"\n{}\n' + event,
        accepted=4,
    )
    (log,) = [r for r in reconciliation(tmp_path / "out") if r["role"] == "access_log"]
    # Seven records (blank lines are none): three events, three lines that are not objects,
    # and an empty object, whose timestamp is missing.
    assert (log["rows_read"], log["rejected"], log["in_scope"]) == ("7", "4", "3")
    assert log["balanced"] == "true"
    assert rejected == [
        ("4", "2", "not valid JSON"),
        ("6", "4", "not a JSON object"),
        ("8", "5", "not a JSON object"),
        ("9", "6", "timestamp missing"),
    ]


def test_a_json_lines_log_with_no_object_has_its_lines_rejected(tmp_path: Path) -> None:
    # No line has keys to check the mapped columns against: each line is still accounted.
    rejected = run_json_log(tmp_path, b'[1]\n"text"\n{not json\n', accepted=3)
    assert rejected == [
        ("1", "1", "not a JSON object"),
        ("2", "2", "not a JSON object"),
        ("3", "3", "not valid JSON"),
    ]
    (log,) = [r for r in reconciliation(tmp_path / "out") if r["role"] == "access_log"]
    assert (log["rows_read"], log["rejected"], log["balanced"]) == ("3", "3", "true")


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"{}\n{}\n", "column 'event_time' not found"),  # objects, but without the keys
        (b"event_time,user_id\n2026-09-02,PRT-0042\n", "no line of the file is JSON"),
    ],
)
def test_a_json_lines_log_without_keys_or_json_stops_the_run(
    tmp_path: Path, content: bytes, needle: str
) -> None:
    root = tmp_path / "c"
    path = write_case(root, case=CASE.replace('path = ["logs/*.csv"]', 'path = ["logs/*.jsonl"]'))
    (root / "logs" / "a.jsonl").write_bytes(content)
    result = invoke("run", path, "--out", tmp_path / "out", "--max-rejected", "5")
    assert result.exit_code != 0 and needle in result.stderr.replace("\n", " "), result.stderr


def test_an_empty_json_lines_log_is_read_as_no_rows(tmp_path: Path) -> None:
    root = tmp_path / "c"
    path = write_case(root, case=CASE.replace('path = ["logs/*.csv"]', 'path = ["logs/*.jsonl"]'))
    (root / "logs" / "a.jsonl").write_bytes(b"")
    (root / "logs" / "b.jsonl").write_bytes(JSON_EVENT + b"\n")
    result = invoke("run", path, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    (log,) = [r for r in reconciliation(tmp_path / "out") if r["file"].endswith("a.jsonl")]
    assert (log["rows_read"], log["balanced"]) == ("0", "true")
    # Alone, it is an access log with no row at all: the summary says so.
    (root / "logs" / "b.jsonl").unlink()
    result = invoke("run", path, "--out", tmp_path / "out2")
    assert result.exit_code == 0, result.stderr
    assert "warning: the access log holds no row" in result.stderr


def test_a_json_lines_customer_line_that_is_not_an_object_is_named(tmp_path: Path) -> None:
    root = tmp_path / "c"
    case = CASE.replace('path = "customers.csv"', 'path = "customers.jsonl"')
    path = write_case(root, case=case)
    (root / "customers.jsonl").write_text(
        '{"customer_id": "C1", "first_name": "Ann", "last_name": "Peeters", "email": "",'
        ' "zip": "1000"}\n[1, 2]\n',
        encoding="utf-8",
    )
    result = invoke("run", path, "--out", tmp_path / "out")
    assert result.exit_code != 0
    assert "customers.jsonl line 2" in result.stderr and "not a JSON object" in result.stderr
    assert "blank key" not in result.stderr


def test_json_lines_blank_lines_are_those_duckdb_skips(tmp_path: Path) -> None:
    # A byte-order mark alone on the first line, a form feed, a vertical tab: not records.
    event = JSON_EVENT + b"\r\n"
    content = b"\xef\xbb\xbf\r\n" + event + b"\x0c\n\x0b\r\n[1]\r\n" + event
    assert run_json_log(tmp_path, content, accepted=1) == [("5", "2", "not a JSON object")]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.jsonl.zst", b"[1]\n"),  # DuckDB decompresses by extension, Python would not
        ("a.jsonl", gzip.compress(b"[1]\n")),  # Python would, DuckDB would not
    ],
)
def test_json_lines_are_numbered_only_when_both_read_the_same_bytes(
    tmp_path: Path, name: str, content: bytes
) -> None:
    from scoping.case import InputFile
    from scoping.sources import StagedFile, json_line_numbers

    file = tmp_path / name
    file.write_bytes(content)
    staged = StagedFile(1, "access_log", InputFile(file, "jsonl"), 0, 1)
    assert json_line_numbers(staged, {1}) == {}
    plain = tmp_path / "plain.jsonl"
    plain.write_bytes(b"\n[1]\n")
    assert json_line_numbers(StagedFile(1, "access_log", InputFile(plain, "jsonl"), 0, 1), {1}) == {
        1: 2
    }
