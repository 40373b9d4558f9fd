"""Every table a command prints can be read by a program (-f csv, -f json) and never cuts an
identifier at 80 columns (a pipe, a small terminal)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from conftest import invoke
from rich.console import Console
from test_investigate import CASE, customers, events

from scoping import cli

# Salesforce-like user ids: long, and alike up to their last characters.
SUSPECT = "0053X00000AbCdEfGhIjKlMnOpQrStUv-PARTNER-P"
PEER = "0053X00000AbCdEfGhIjKlMnOpQrStUv-AGENT-"


def long_events() -> str:
    text = events().replace(",P,", f",{SUSPECT},")
    for n in range(1, 6):
        text = text.replace(f",A{n},", f",{PEER}A{n},")
    return text


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("listings")
    (root / "customers.csv").write_text(customers(), encoding="utf-8")
    (root / "events.csv").write_text(long_events(), encoding="utf-8")
    (root / "case.toml").write_text(
        CASE.replace('actors = ["P"]', f'actors = ["{SUSPECT}"]'), encoding="utf-8"
    )
    return root / "case.toml"


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a pipe or a small terminal gets, whatever the terminal running the tests."""
    monkeypatch.setattr(cli, "stdout", Console(width=80))
    monkeypatch.setattr(cli, "stderr", Console(width=80, stderr=True))


def test_actor_table_never_cuts_an_actor(case: Path) -> None:
    result = invoke("actors", "--case", case, "--flag-above", "3")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    shown = [SUSPECT, *(f"{PEER}A{n}" for n in range(1, 6))]
    for actor in shown:
        assert any(actor in line for line in lines), actor
    assert "…" not in result.stdout


def test_actors_for_programs(case: Path) -> None:
    as_csv = invoke("actors", "--case", case, "--flag-above", "3", "-f", "csv")
    assert as_csv.exit_code == 0, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [r["actor"] for r in rows[:2]] == [SUSPECT, f"{PEER}A5"]
    assert rows[0]["flagged"] == "true" and rows[1]["flagged"] == "false"
    assert rows[0]["customers_per_day"] == "10.0" and rows[0]["in_scope_actor"] == "true"
    as_json = json.loads(invoke("actors", "--case", case, "-f", "json").stdout)
    assert as_json[0]["actor"] == SUSPECT and as_json[0]["customers"] == 20
    assert set(as_json[0]) == set(rows[0])  # the sparkline is for people only


def test_queries_for_programs_and_people() -> None:
    listed = json.loads(invoke("queries", "-f", "json").stdout)
    by_name = {q["name"]: q for q in listed}
    assert by_name["actor_day"]["parameters"] == "actor, day"
    assert by_name["actor_day"]["file"].endswith("actor_day.sql")
    rows = list(csv.DictReader(io.StringIO(invoke("queries", "-f", "csv").stdout)))
    assert [r["name"] for r in rows] == [q["name"] for q in listed]
    table = invoke("queries").stdout
    for q in listed:
        assert q["name"] in table and Path(q["file"]).name in table


def test_check_for_programs(case: Path) -> None:
    result = invoke("check", str(case), "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [(i["role"], i["rows"]) for i in data["inputs"]] == [
        ("customers", 30),
        ("access_log", 35),
    ]
    assert {r["name"]: r["count"] for r in data["summary"]}["rows_not_usable"] == 0
    assert "customer records" in result.stderr
    rows = list(csv.DictReader(io.StringIO(invoke("check", str(case), "-f", "csv").stdout)))
    assert (rows[0]["table"], rows[0]["column"], rows[0]["value"]) == (
        "inputs",
        "role",
        "customers",
    )
    assert rows[0]["key"] == str(case.parent / "customers.csv")


def test_run_counts_for_programs_and_people(case: Path, tmp_path: Path) -> None:
    table = invoke("run", case, "--out", tmp_path / "t")
    assert table.exit_code == 0 and table.stdout == ""
    assert SUSPECT in table.stderr and "…" not in table.stderr
    as_json = invoke("run", case, "--out", tmp_path / "j", "-f", "json")
    written = (tmp_path / "j" / "counts.json").read_text(encoding="utf-8")
    assert as_json.stdout == written
    as_csv = invoke("run", case, "--out", tmp_path / "c", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert {"table": "actors", "key": SUSPECT, "column": "events", "value": "21"} in rows
    summary = json.loads(written)["summary"]
    assert {r["key"]: int(r["value"]) for r in rows if r["table"] == "summary"} == summary


@pytest.mark.parametrize("command", ["actors", "queries", "check", "run", "sql", "query"])
def test_help_lists_the_formats(command: str) -> None:
    shown = " ".join(invoke(command, "--help").stdout.split())
    assert "table|csv|json" in shown, command
