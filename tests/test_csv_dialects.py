"""CSV files DuckDB's sniffer reads wrong or not at all: a quote left open in a file whose
values are all quoted, a quoted line break beyond its sample, line endings that change
part-way, a line too long, a column named twice; never a value in a message."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import CASE, EVENTS, invoke, write_case
from typer.testing import Result

HEADER = "customer_id,first_name,last_name,email,zip"


def quoted(i: int) -> str:
    return f'"C{i}","Ann{i}","Peeters","a{i}@example.invalid","1000"'


def run(
    tmp_path: Path, customers: str | bytes, case: str = CASE, events: str = EVENTS
) -> tuple[Result, Path]:
    root = tmp_path / "c"
    path = write_case(root, case=case, events=events)
    target = root / "customers.csv"
    target.write_bytes(customers if isinstance(customers, bytes) else customers.encode())
    out = tmp_path / "out"
    result = invoke("run", path, "--out", out)
    return result, out


def rows(out: Path, name: str) -> list[dict[str, str]]:
    with (out / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_as(out: Path) -> dict[str, object]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return next(i["read_as"] for i in manifest["inputs"] if i["path"] == "customers.csv")


def test_one_open_quote_does_not_make_every_value_keep_its_quotes(tmp_path: Path) -> None:
    lines = [HEADER, *(quoted(i) for i in range(1, 21))]
    lines[3] = '"C3","Ann3,"Peeters","a3@example.invalid","1000"'  # a quote left open
    result, out = run(
        tmp_path, "\n".join(lines) + "\n", CASE.replace("[case]", "[case]\nmax_rejected = 1")
    )
    assert result.exit_code == 0, result.stderr
    keys = {r["customer_key"] for r in rows(out, "affected_customers.csv")}
    assert keys == {"C1", "C2", "C9"}  # read with `"` as the quote: no key keeps its quotes
    assert [(r["line"], r["file"]) for r in rows(out, "rejected_rows.csv")] == [
        ("4", "customers.csv")
    ]
    assert read_as(out)["quote"] == '"'
    assert read_as(out)["fallback"] == "values kept their quotes"
    assert "Ann3" not in result.stderr


def test_the_open_quote_stops_the_run_with_its_line(tmp_path: Path) -> None:
    lines = [HEADER, *(quoted(i) for i in range(1, 21))]
    lines[3] = '"C3","Ann3,"Peeters","a3@example.invalid","1000"'
    result, _ = run(tmp_path, "\n".join(lines) + "\n")
    assert result.exit_code != 0
    assert "customers.csv line 4" in result.stderr
    assert "Ann3" not in result.stderr


def test_with_quote_and_delimiter_set_a_sniffing_error_gives_way_to_a_line(tmp_path: Path) -> None:
    lines = [HEADER, *(quoted(i) for i in range(1, 21))]
    lines[3] = '"C3","Ann3,"Peeters","a3@example.invalid","1000"'
    case = CASE.replace(
        'key = "customer_id"', 'key = "customer_id"\ncsv = { delimiter = ",", quote = \'"\' }'
    )
    result, _ = run(tmp_path, "\n".join(lines) + "\n", case)
    assert result.exit_code != 0
    assert "sniffing" not in result.stderr
    assert "customers.csv line 4" in result.stderr


def excel_rows(n: int, late: int) -> bytes:
    """A Belgian Excel export: Windows-1252, `;`, CR LF, a line break typed in a cell (LF)
    far beyond the rows DuckDB's sniffer samples."""
    out = ["customer_id;first_name;last_name;email;zip"]
    for i in range(1, n + 1):
        last = '"Peeters\nBoîte 3"' if i == late else "Peeters"
        out.append(f"C{i};Zoë;{last};z{i}@example.invalid;1000")
    return ("\r\n".join(out) + "\r\n").encode("cp1252")


def test_a_quoted_line_break_beyond_the_sniffers_sample_is_read(tmp_path: Path) -> None:
    events = EVENTS.replace("customer.detail,C3", "customer.detail,C25000")
    result, out = run(tmp_path, excel_rows(25_000, 24_990), events=events)
    assert result.exit_code == 0, result.stderr
    keys = {r["customer_key"] for r in rows(out, "affected_customers.csv")}
    assert keys == {"C1", "C2", "C9", "C25000"}
    recon = {r["file"]: r for r in rows(out, "reconciliation.csv")}
    assert recon["customers.csv"]["rows_read"] == "25000"
    assert read_as(out)["delimiter"] == ";"
    assert read_as(out)["encoding"] == "cp1252"
    assert read_as(out)["fallback"] == "the read failed"


def test_line_endings_that_change_part_way_name_the_line(tmp_path: Path) -> None:
    first = "".join(f"C{i},Ann,Peeters,a@example.invalid,1000\r\n" for i in range(1, 25_000))
    second = "".join(f"D{i},Bob,Dubois,b@example.invalid,2000\n" for i in range(1, 50))
    result, _ = run(tmp_path, HEADER + "\r\n" + first + second)
    assert result.exit_code != 0
    assert "customers.csv: line 25001 " in result.stderr
    assert "line endings" in result.stderr


def test_a_line_too_long_is_named_by_its_line(tmp_path: Path) -> None:
    body = "".join(f"C{i},Ann,Peeters,a@example.invalid,1000\n" for i in range(1, 30))
    long = "C30,Ann," + "x" * 2_100_000 + ",a@example.invalid,1000\n"
    result, _ = run(tmp_path, HEADER + "\n" + body + long + "C31,Bob,Maes,,9000\n")
    assert result.exit_code != 0
    assert "customers.csv: line 31 " in result.stderr
    assert "xxxx" not in result.stderr


def test_a_column_the_case_uses_named_twice_stops_the_run(tmp_path: Path) -> None:
    text = HEADER + ",customer_id\nC1,Ann,Peeters,a@example.invalid,1000,C9\n"
    result, _ = run(tmp_path, text)
    assert result.exit_code != 0
    assert "'customer_id'" in result.stderr and "2 times" in result.stderr
    assert "C9" not in result.stderr


def test_a_column_the_case_does_not_use_may_be_named_twice(tmp_path: Path) -> None:
    text = HEADER + ",note,note\nC1,Ann,Peeters,a@example.invalid,1000,x,y\n"
    result, _ = run(tmp_path, text)
    assert result.exit_code == 0, result.stderr


def test_a_json_key_the_case_uses_named_twice_stops_the_run(tmp_path: Path) -> None:
    case = CASE.replace('path = ["logs/*.csv"]', 'path = ["logs/*.jsonl"]')
    root = tmp_path / "c"
    path = write_case(root, case=case)
    lines = [
        '{"event_time": "2026-09-02T10:00:00Z", "user_id": "PRT-0042",'
        ' "screen": "customer.detail", "customer_id": "C1"}',
        '{"event_time": "2026-09-02T10:00:00Z", "user_id": "PRT-0042",'
        ' "screen": "customer.detail", "customer_id": "C1", "customer_id": "C4"}',
    ]
    (root / "logs" / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke("run", path, "--out", tmp_path / "out")
    assert result.exit_code != 0
    assert "record 2" in result.stderr and "'customer_id'" in result.stderr
    assert "C4" not in result.stderr
