"""Write the corpus of ugly extracts under tests/corpus/ (synthetic people only).

Each folder is one case as extracts really arrive, with `expected.json`: the affected
customer keys with their exposed categories, and each input file's reconciliation. The
expectations are written here by hand, from how each row was built, never computed by
scoping. Run `python tests/corpus/make_corpus.py` to rewrite the corpus; do not edit the
generated files by hand.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

FIELDS = """\
[customers.fields]
first_name  = { column = "first_name", category = "name" }
last_name   = { column = "last_name", category = "name" }
street      = { column = "street", category = "address" }
postal_code = { column = "postal_code", category = "address" }
email       = "email"
birth_date  = "birth_date"
"""
ACTIONS = """\
[actions]
"customer.search" = ["first_name", "last_name", "postal_code"]
"customer.detail" = "*"
"billing.view" = []
"""
CUSTOMER_HEADER = [
    "customer_id",
    "first_name",
    "last_name",
    "street",
    "postal_code",
    "email",
    "birth_date",
]
CUSTOMERS = [
    ["C1", "Hélène", "Peeters", "Rue de la Loi 16", "1000", "helene@example.invalid", "1980-02-03"],
    ["C2", "François", "Dubois", "Grand-Place 1", "7000", "", "03/04/1975"],
    ["C3", "Jürgen", "Œuvray", "Kirchstraße 2", "4700", "j@example.invalid", ""],
    ["C4", "Zoë", "Van den Broeck", "  ", "9000", "zoe@example.invalid", "2010-06-30"],
]


def case_toml(
    customers: str, logs: str, extra_log: str = "", extra: str = "", scope: str = ""
) -> str:
    return f"""\
[case]
id = "CORPUS"
timezone = "Europe/Brussels"
{extra}
[customers]
{customers}
key = "customer_id"

{FIELDS}
[access_log]
{logs}
timestamp = "event_time"
actor = "user_id"
record = "customer_id"
action = "screen"
{extra_log}
{ACTIONS}
[scope]
actors = ["PRT-0042"]
start = "2026-09-01"
end = "2026-11-15"
{scope}"""


def table(rows: list[list[str]], delimiter: str) -> str:
    def cell(value: str) -> str:
        if any(c in value for c in (delimiter, '"', "\n")):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "".join(delimiter.join(cell(v) for v in row) + "\n" for row in rows)


def write(folder: Path, name: str, data: str | bytes, encoding: str = "utf-8") -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


def expect(folder: Path, affected: dict[str, str], files: dict[str, dict[str, int]]) -> None:
    (folder / "expected.json").write_text(
        json.dumps({"affected": affected, "reconciliation": files}, indent=2) + "\n",
        encoding="utf-8",
    )


LOG_HEADER = ["event_time", "user_id", "screen", "customer_id"]


def excel_be_cp1252(folder: Path) -> None:
    """A Belgian Excel export: `;`, Windows-1252, day-first local times."""
    write(folder, "customers.csv", table([CUSTOMER_HEADER, *CUSTOMERS], ";"), "cp1252")
    rows = [
        LOG_HEADER,
        ["01/09/2026 00:00", "PRT-0042", "customer.search", "C1"],  # local midnight: in
        ["31/08/2026 23:59:59", "PRT-0042", "customer.detail", "C2"],  # before start
        ["02/09/2026 14:30", "PRT-0042", "customer.detail", "C3"],
        ["02/09/2026 14:30", "AGT-0001", "customer.detail", "C4"],  # another actor
        ["15/11/2026 00:00", "PRT-0042", "customer.detail", "C4"],  # at end: out
    ]
    write(folder, "logs/access.csv", table(rows, ";"), "cp1252")
    write(folder, "case.toml", case_toml('path = "customers.csv"', 'path = "logs/*.csv"'))
    expect(
        folder,
        {"C1": "name|address", "C3": "name|address|email"},
        {
            "customers.csv": {"rows_read": 4, "used": 4},
            "logs/access.csv": {
                "rows_read": 5,
                "in_scope": 2,
                "out_of_scope_before_start": 1,
                "out_of_scope_actor": 1,
                "out_of_scope_after_end": 1,
            },
        },
    )


def utf16_tabs_and_bom_pipes_gzip(folder: Path) -> None:
    """A UTF-16 tab-separated log beside a gzip-compressed UTF-8-with-BOM `|` log whose
    columns come in another order; customers with a quoted line break in a street."""
    customers = [CUSTOMER_HEADER, *CUSTOMERS]
    customers[2] = ["C2", "François", "Dubois", "Grand-Place 1\nBoîte 3", "7000", "", "03/04/1975"]
    write(folder, "customers.csv", table(customers, ","))
    tabs = [LOG_HEADER, ["2026-09-03T08:00:00Z", "PRT-0042", "customer.detail", "C2"]]
    write(folder, "logs/a.tsv", table(tabs, "\t"), "utf-16")
    pipes = [
        ["customer_id", "screen", "event_time", "user_id"],
        ["C4", "customer.detail", "2026-09-03T08:00:00+02:00", "PRT-0042"],
        ["C1", "billing.view", "2026-09-03T08:00:00+02:00", "PRT-0042"],  # shows nothing
    ]
    write(
        folder,
        "logs/b.csv.gz",
        gzip.compress(b"\xef\xbb\xbf" + table(pipes, "|").encode(), mtime=0),
    )
    write(
        folder,
        "case.toml",
        case_toml('path = "customers.csv"', 'path = ["logs/*.tsv", "logs/*.csv.gz"]'),
    )
    expect(
        folder,
        {"C2": "name|address|birth_date", "C4": "name|address|email|birth_date"},
        {
            "customers.csv": {"rows_read": 4, "used": 4},
            "logs/a.tsv": {"rows_read": 1, "in_scope": 1},
            "logs/b.csv.gz": {"rows_read": 2, "in_scope": 2},
        },
    )


def broken_rows(folder: Path) -> None:
    """Truncated and overlong rows, a bad timestamp, a blank line; the case accepts 3."""
    write(folder, "customers.csv", table([CUSTOMER_HEADER, *CUSTOMERS], ","))
    text = (
        "event_time,user_id,screen,customer_id\n"
        "2026-09-02T10:00:00Z,PRT-0042,customer.detail,C1\n"
        "2026-09-02T10:00:00Z,PRT-0042,customer.detail\n"  # too few columns
        "\n"
        "2026-09-02T10:00:00Z,PRT-0042,customer.detail,C2,surplus\n"  # too many
        "yesterday,PRT-0042,customer.detail,C3\n"  # timestamp not understood
        "2026-09-02T10:00:00Z,PRT-0042,customer.detail,C999\n"  # unmatched
    )
    write(folder, "logs/access.csv", text)
    write(
        folder,
        "case.toml",
        case_toml('path = "customers.csv"', 'path = "logs/access.csv"', extra="max_rejected = 3"),
    )
    expect(
        folder,
        {"C1": "name|address|email|birth_date"},
        {
            "customers.csv": {"rows_read": 4, "used": 4},
            "logs/access.csv": {"rows_read": 5, "in_scope": 1, "rejected": 3, "unmatched": 1},
        },
    )


def salesforce_utc_and_dst(folder: Path) -> None:
    """Salesforce-style GMT timestamps, a window in Brussels time across both DST changes."""
    write(folder, "customers.csv", table([CUSTOMER_HEADER, *CUSTOMERS], ","))
    rows = [
        LOG_HEADER,
        ["20240330225959.999", "PRT-0042", "customer.detail", "C1"],  # 23:59:59.999 local: before
        ["20240330230000.000", "PRT-0042", "customer.search", "C2"],  # local midnight: in
        ["20241027003000.000", "PRT-0042", "customer.detail", "C3"],  # 02:30 CEST: in
        ["20241027013000.000", "PRT-0042", "customer.detail", "C4"],  # 02:30 CET: the end, out
    ]
    write(folder, "logs/events.csv", table(rows, ","))
    case = (
        case_toml(
            'path = "customers.csv"', 'path = "logs/events.csv"', extra_log='timezone = "UTC"'
        )
        .replace('start = "2026-09-01"', 'start = "2024-03-31"')
        .replace('end = "2026-11-15"', 'end = "2024-10-27 02:30"')
    )
    write(folder, "case.toml", case)
    expect(
        folder,
        {"C2": "name|address", "C3": "name|address|email"},
        {
            "customers.csv": {"rows_read": 4, "used": 4},
            "logs/events.csv": {
                "rows_read": 4,
                "in_scope": 2,
                "out_of_scope_before_start": 1,
                "out_of_scope_after_end": 1,
            },
        },
    )


def report_exports(folder: Path) -> None:
    """Exports naming many customers and their own columns; keys with blanks and zeros, and
    keys an export names twice (one key of that event, counted as repeated)."""
    customers = [CUSTOMER_HEADER, *CUSTOMERS, ["000123", "Ann", "Numeric", "Weg 1", "2000", "", ""]]
    write(folder, "customers.csv", table(customers, ","))
    rows = [
        [*LOG_HEADER, "columns"],
        [
            "2026-09-05T09:00:00Z",
            "PRT-0042",
            "report.export",
            "C1; C2 ;123;C404; C1",
            "Last Name|E-mail",
        ],
        ["2026-09-05T09:00:00Z", "PRT-0042", "customer.search", " C4 ", ""],
        ["2026-09-05T09:00:00Z", "PRT-0042", "report.export", "C404;C405;C404", "Last Name"],
    ]
    write(folder, "logs/exports.csv", table(rows, ","))
    case = case_toml(
        'path = "customers.csv"',
        'path = "logs/exports.csv"',
        extra_log='record_list = ";"\nfields = "columns"\nfields_separator = "|"',
    ).replace(
        "[scope]", '[field_aliases]\n"Last Name" = "last_name"\n"E-mail" = "email"\n\n[scope]'
    )
    write(folder, "case.toml", case)
    expect(
        folder,
        {"123": "name", "C1": "name|email", "C2": "name", "C4": "name|address"},
        {
            "customers.csv": {"rows_read": 5, "used": 5},
            "logs/exports.csv": {
                "rows_read": 3,
                "in_scope": 2,
                "unmatched": 1,
                "keys_found": 4,
                "keys_not_found": 3,
                "keys_repeated": 2,
            },
        },
    )


def json_lines_and_parquet_epochs(folder: Path) -> None:
    """JSON Lines with epoch milliseconds and a JSON array of keys."""
    write(folder, "customers.csv", table([CUSTOMER_HEADER, *CUSTOMERS], ","))
    lines = [
        {
            "event_time": 1788339600000,
            "user_id": "PRT-0042",
            "screen": "customer.detail",
            "customer_id": '["C1","C3"]',
        },
        {
            "event_time": "1788339600",
            "user_id": "PRT-0042",
            "screen": "customer.search",
            "customer_id": '["C2"]',
        },
    ]
    write(folder, "logs/events.jsonl", "".join(json.dumps(x) + "\n" for x in lines))
    write(
        folder,
        "case.toml",
        case_toml(
            'path = "customers.csv"', 'path = "logs/events.jsonl"', extra_log='record_list = "json"'
        ),
    )
    expect(
        folder,
        {"C1": "name|address|email|birth_date", "C2": "name|address", "C3": "name|address|email"},
        {
            "customers.csv": {"rows_read": 4, "used": 4},
            "logs/events.jsonl": {"rows_read": 2, "in_scope": 2, "keys_found": 3},
        },
    )


def excel_quoted_line_break_late(folder: Path) -> None:
    """A Belgian Excel export (Windows-1252, `;`, CR LF) of more rows than DuckDB's sniffer
    samples, with a line break typed in a cell (a bare LF inside quotes) near its end: the
    sniffer sees no quote and the parser stops in "an invalid state" unless the file is read
    again in a usual dialect. The filler customers have a key and nothing else."""
    filler = [[f"F{i:05d}", "", "", "", "", "", ""] for i in range(21_000)]
    customers = [CUSTOMER_HEADER, *filler, *CUSTOMERS]
    customers[-3] = ["C2", "François", "Dubois", "Grand-Place 1\nBoîte 3", "7000", "", "03/04/1975"]
    text = table(customers, ";").replace("\n", "\r\n").replace("1\r\nBo", "1\nBo")
    write(folder, "customers.csv", text, "cp1252")
    rows = [LOG_HEADER, ["2026-09-03T08:00:00Z", "PRT-0042", "customer.detail", "C2"]]
    write(folder, "logs/access.csv", table(rows, ","))
    write(folder, "case.toml", case_toml('path = "customers.csv"', 'path = "logs/*.csv"'))
    expect(
        folder,
        {"C2": "name|address|birth_date"},
        {
            "customers.csv": {"rows_read": 21_004, "used": 21_004},
            "logs/access.csv": {"rows_read": 1, "in_scope": 1},
        },
    )


CASES: dict[str, Any] = {
    "excel_be_cp1252": excel_be_cp1252,
    "utf16_tabs_and_bom_pipes_gzip": utf16_tabs_and_bom_pipes_gzip,
    "broken_rows": broken_rows,
    "salesforce_utc_and_dst": salesforce_utc_and_dst,
    "report_exports": report_exports,
    "json_lines_epochs": json_lines_and_parquet_epochs,
    "excel_quoted_line_break_late": excel_quoted_line_break_late,
}


def main() -> None:
    for name, build in CASES.items():
        folder = HERE / name
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        build(folder)


if __name__ == "__main__":
    main()
