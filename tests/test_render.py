"""Small pieces of what people see: sparklines and the progress bar."""

from __future__ import annotations

import io

import duckdb
from rich.console import Console

from scoping.progress import StepProgress
from scoping.render import sparkline


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
