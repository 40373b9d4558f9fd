"""Files that survive the programs a notification team opens them with: LibreOffice Calc's
default CSV import (comma, semicolon and tab at once), Excel workbooks, Parquet readers.
Every expectation is worked out by hand."""

from __future__ import annotations

import csv
import io
import shutil
import stat
import subprocess
from pathlib import Path

import duckdb
import openpyxl
import pytest
from conftest import invoke
from test_recipients import CASE, detail, rows, write

from scoping.errors import ExitCode

PEOPLE = [
    # A separator followed by a formula, inside one value: one cell, never a formula.
    'Q1,"Øster,=1+1",Peeters,Kerkstraat,1,9000,Gent,q1@example.com,1980-01-01,,,nl,',
    'Q2,"Ayşe\t=3+3",Yilmaz,Molenweg,3,1000,Brussel,,1981-02-02,,0470 12 34 56,fr,',
    # A valid address that a spreadsheet would run as a formula: no usable contact point.
    "Q3,Eva,Formula,Dorpstraat,5,9000,Gent,=1+1@example.com,1982-03-03,,,nl,",
    # Digits in a key and the + of a mobile must survive a workbook as written.
    "90042,Jan,Maes,Weg,1,9000,Gent,jan@example.com,1983-04-04,,+32470999888,nl,",
]
KEYS = ("Q1", "Q2", "Q3", "90042")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
CSV_FILES = (
    "affected_customers.csv",
    "reconciliation.csv",
    "rejected_rows.csv",
    "unmatched_events.csv",
    "recipients.csv",
    "notify_email.csv",
    "notify_sms.csv",
    "notify_letter.csv",
    "no_contact.csv",
)


def calc_split(line: str) -> list[str]:
    """A row as Calc's default CSV import reads it: comma, semicolon and tab all separate,
    `"` quotes (and a doubled quote inside quotes is one quote)."""
    cells, cell, quoted, i = [], "", False, 0
    while i < len(line):
        c = line[i]
        if quoted:
            if c == '"' and line[i + 1 : i + 2] == '"':
                cell += '"'
                i += 1
            elif c == '"':
                quoted = False
            else:
                cell += c
        elif c == '"':
            quoted = True
        elif c in ",;\t":
            cells.append(cell)
            cell = ""
        else:
            cell += c
        i += 1
    return [*cells, cell]


@pytest.fixture(scope="module", params=["standard", "excel-be"])
def run_out(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp(request.param)
    case = write(root / "c", PEOPLE, detail(*KEYS))
    out = root / "out"
    result = invoke("run", case, "--out", out, "--csv-dialect", request.param, "--xlsx")
    assert result.exit_code == 0, result.stderr
    return out


def test_calc_default_import_splits_no_row(run_out: Path) -> None:
    seen = set()
    for name in CSV_FILES:
        lines = (run_out / name).read_text(encoding="utf-8-sig").splitlines()
        width = len(calc_split(lines[0]))
        for line in lines[1:]:
            cells = calc_split(line)
            assert len(cells) == width, (name, line)
            for cell in cells:
                seen.add(cell)
                # An E.164 number is validated: a + and digits is no formula.
                assert not cell.startswith(FORMULA_START) or cell[1:].isdigit(), (name, cell)
    assert "Øster,=1+1" in seen and "Ayşe\t=3+3" in seen


def test_every_text_cell_is_quoted(run_out: Path) -> None:
    delimiter = ";" if (run_out / "notify_email.csv").read_bytes()[:3] == b"\xef\xbb\xbf" else ","
    text = (run_out / "notify_email.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert lines[0].split(delimiter)[:2] == ["recipient_id", "first_name"]
    # Text quoted, flags bare: Calc and pandas read true/false as such.
    q1 = next(line for line in lines if "Øster" in line)
    assert q1.startswith('"R-') and '"Øster,=1+1"' in q1 and "false" + delimiter in q1
    assert '"new"' + delimiter in q1
    reconciliation = (run_out / "reconciliation.csv").read_text(encoding="utf-8").splitlines()
    assert reconciliation[1] == '"customers.csv","customers",4,4,0,0,0,0,0,0,0,0,true,0,0,0'


def test_an_email_that_would_need_neutralising_is_no_contact_point(run_out: Path) -> None:
    delimiter = ";" if (run_out / "recipients.csv").read_bytes()[:3] == b"\xef\xbb\xbf" else ","
    eva = next(r for r in rows(run_out / "recipients.csv", delimiter) if r["customer_keys"] == "Q3")
    assert eva["email"] == "" and eva["invalid_contact"] == "true" and eva["channel"] == "letter"
    for path in run_out.iterdir():
        if path.suffix == ".csv":
            assert "1+1@example.com" not in path.read_text(encoding="utf-8-sig"), path.name


def test_workbooks_keep_identifiers_as_text(run_out: Path) -> None:
    for name in ("recipients", "notify_email", "notify_sms", "notify_letter", "no_contact"):
        path = run_out / f"{name}.xlsx"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        sheet = openpyxl.load_workbook(path).active
        assert sheet.title == name and sheet.freeze_panes == "A2"
        (table,) = sheet.tables.values()
        assert table.autoFilter is not None and table.autoFilter.ref == table.ref
    sheet = openpyxl.load_workbook(run_out / "recipients.xlsx").active
    header = [c.value for c in sheet[1]]
    people = {}
    for row in sheet.iter_rows(min_row=2):
        values = dict(zip(header, row, strict=True))
        people[values["customer_keys"].value] = values
    jan = people["90042"]
    for column in ("customer_keys", "mobile", "address_line2", "first_exposure_utc"):
        assert jan[column].data_type == "s" and jan[column].number_format == "@", column
    assert jan["mobile"].value == "+32470999888" and jan["address_line2"].value == "9000 Gent"
    assert jan["first_exposure_utc"].value == "2026-09-02T10:00:00Z"
    assert jan["minor"].data_type == "b" and jan["minor"].value is False
    # As the extract wrote them: a text cell never runs, so no apostrophe is added.
    assert people["Q1"]["first_name"].value == "Øster,=1+1"
    assert people["Q2"]["first_name"].value == "Ayşe\t=3+3"
    assert people["Q3"]["email"].value is None and people["Q3"]["invalid_contact"].value is True
    # The same people, in the same order, as the CSV file.
    delimiter = ";" if (run_out / "recipients.csv").read_bytes()[:3] == b"\xef\xbb\xbf" else ","
    ids = [r["recipient_id"] for r in rows(run_out / "recipients.csv", delimiter)]
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == ids


def test_formats_in_the_case(tmp_path: Path) -> None:
    both = CASE.replace('csv_dialect = "standard"', 'formats = ["csv", "xlsx"]')
    case = write(tmp_path / "c", PEOPLE, detail(*KEYS), both)
    assert invoke("run", case, "--out", tmp_path / "out").exit_code == 0
    assert (tmp_path / "out" / "notify_email.xlsx").is_file()
    plain = write(tmp_path / "p", PEOPLE, detail(*KEYS))
    assert invoke("run", plain, "--out", tmp_path / "plain").exit_code == 0
    assert not list((tmp_path / "plain").glob("*.xlsx"))
    only = write(
        tmp_path / "o",
        PEOPLE,
        detail(*KEYS),
        CASE.replace('csv_dialect = "standard"', 'formats = ["xlsx"]'),
    )
    refused = invoke("run", only, "--out", tmp_path / "only")
    assert refused.exit_code == int(ExitCode.CASE) and "formats" in refused.stderr


def test_integer_columns_are_bigint(run_out: Path, tmp_path: Path) -> None:
    case = run_out.parent / "c" / "case.toml"
    out = tmp_path / "affected.parquet"
    sql = "SELECT customer_key, events, actors FROM affected_customers"
    assert invoke("sql", sql, "--case", case, "-f", "parquet", "-o", out).exit_code == 0
    types = (
        duckdb.connect()
        .execute(
            "SELECT name, type FROM parquet_schema($p) WHERE name IN ('events', 'actors')",
            {"p": str(out)},
        )
        .fetchall()
    )
    assert sorted(types) == [("actors", "INT64"), ("events", "INT64")]
    summed = tmp_path / "summed.csv"
    sum_sql = "SELECT sum(events) AS events FROM affected_customers"
    assert invoke("sql", sum_sql, "--case", case, "-f", "csv", "-o", summed).exit_code == 0
    assert summed.read_text(encoding="utf-8") == "events\n4\n"
    as_json = invoke("sql", sum_sql, "--case", case, "-f", "json")
    assert as_json.stdout == '[\n  {"events": 4}\n]\n'


SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_calc_reads_every_row_whole(run_out: Path, tmp_path: Path) -> None:
    # Calc's default import options: separators comma, semicolon and tab (44/59/9), quote
    # character ", UTF-8 (76), from line 1.
    source = tmp_path / "notify_email.csv"
    shutil.copyfile(run_out / "notify_email.csv", source)
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--infilter=CSV:44/59/9,34,76,1",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    sheet = openpyxl.load_workbook(tmp_path / "notify_email.xlsx").active
    got = [[c.value for c in row] for row in sheet.iter_rows()]
    text = (run_out / "notify_email.csv").read_text(encoding="utf-8-sig")
    delimiter = ";" if (run_out / "notify_email.csv").read_bytes()[:3] == b"\xef\xbb\xbf" else ","
    expected = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    assert len(got) == len(expected) and all(len(r) == len(expected[0]) for r in got)
    q1 = next(r for r in got if r[1] == "Øster,=1+1")
    assert q1[5] == "naam, adres, e-mailadres, geboortedatum"
    assert [str(v).lower() for v in q1[6:9]] == ["false", "false", "false"]
