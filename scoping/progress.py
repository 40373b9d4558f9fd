"""A progress bar on stderr for long steps, fed by DuckDB's own query progress.

The library calls `progress(step, con)` as each step starts; a background thread polls the
connection's query_progress() and moves the bar. Nothing is drawn when stderr is not a
terminal, and stdout is never touched.
"""

from __future__ import annotations

import threading
from types import TracebackType

import duckdb
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

POLL_SECONDS = 0.2


class StepProgress:
    """Use as a context manager; pass the instance as the pipeline's progress callback."""

    def __init__(self, console: Console) -> None:
        self._bar = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            # Off the terminal (a file, a pipe) it draws nothing, not even the blank line a
            # stopped bar leaves: stderr then starts with the summary or the error.
            disable=not console.is_terminal,
        )
        self._task = self._bar.add_task("starting", total=100)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __call__(self, step: str, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self._bar.update(self._task, description=step, completed=0)

    def _poll(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            con = self._con
            if con is None:
                continue
            try:
                done = con.query_progress()
            except duckdb.Error:
                continue
            if done >= 0:
                self._bar.update(self._task, completed=min(done, 100.0))

    def __enter__(self) -> StepProgress:
        self._bar.__enter__()
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        self._bar.__exit__(kind, value, traceback)
