"""Small pieces of what people see: sparklines, the progress bar, escaped control characters."""

from __future__ import annotations

import io
import json
from pathlib import Path

import duckdb
import pytest
from conftest import CASE, EVENTS, invoke, write_case
from rich.console import Console

from scoping import cli
from scoping.progress import StepProgress
from scoping.render import printable, sparkline


def test_sparkline_scales_to_the_row_maximum() -> None:
    assert sparkline([0, 1, 2, 4, 8]) == " ▁▂▄█"
    assert sparkline([0, 0]) == ""
    assert len(sparkline(list(range(100)), width=40)) <= 40


def test_progress_bar_draws_on_its_console_only() -> None:
    sink = io.StringIO()
    console = Console(file=sink, force_terminal=True, width=80)
    con = duckdb.connect()
    with StepProgress(console) as progress:
        progress("counting", con)
        con.execute("SELECT count(*) FROM range(2000000)").fetchall()
    assert "counting" in sink.getvalue()


def test_progress_bar_leaves_nothing_off_a_terminal() -> None:
    sink = io.StringIO()
    con = duckdb.connect()
    with StepProgress(Console(file=sink, width=80)) as progress:
        progress("counting", con)
        con.execute("SELECT count(*) FROM range(2000000)").fetchall()
    assert sink.getvalue() == ""


EVIL = "Eve\x1b]0;owned\x07\x1b[2J\u202eX"  # sets the window title, clears the screen, reverses


def test_printable_shows_controls_as_escapes() -> None:
    assert printable("PRT-0042 Zoë") == "PRT-0042 Zoë"
    assert printable(EVIL) == "Eve\\x1b]0;owned\\x07\\x1b[2J\\u202eX"
    assert printable("a\tb\nc\u00a0d") == "a\\tb\\nc\\xa0d"
    assert printable(42) == "42"


def _evil_case(root: Path) -> Path:
    case = CASE.replace('actors = ["PRT-0042"]', f'actors = ["PRT-0042", {json.dumps(EVIL)}]')
    case = case.replace('title = "Tiny case"', f"title = {json.dumps(EVIL)}")
    events = EVENTS + f"2026-09-03T10:00:00Z,{EVIL},customer.detail,C1\n"
    return write_case(root, case=case, events=events)


def test_no_control_character_reaches_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run summary, `check`, `actors` and `sql` draw actor names, the case's text and
    values as escapes: ESC never reaches the terminal, whatever the input holds."""
    for console in (cli.stdout, cli.stderr):
        monkeypatch.setattr(console, "width", 400)  # no cell is cut short
    case = _evil_case(tmp_path / "c")
    results = [
        invoke("run", case, "--out", tmp_path / "out"),
        invoke("check", case),
        invoke("actors", "--case", case),
        invoke("sql", "SELECT DISTINCT actor FROM access_log", "--case", case),
    ]
    for result in results:
        assert result.exit_code == 0, result.stderr
        shown = result.stdout + result.stderr
        assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
        assert "\\x1b" in shown, shown


def test_an_error_message_draws_no_control_character(tmp_path: Path) -> None:
    out = tmp_path / "out\x1b[2J"
    out.write_text("not a folder", encoding="utf-8")
    result = invoke("run", write_case(tmp_path / "c"), "--out", out)
    assert result.exit_code != 0
    assert "\x1b" not in result.stderr and "out\\x1b[2J" in result.stderr, result.stderr
