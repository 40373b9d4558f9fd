"""Stopping cleanly on SIGINT (Ctrl-C) and SIGTERM, and clearing what a killed run left.

An interrupted command must leave nothing behind: partial outputs and work folders hold
personal data. The CLI installs `handling()`: on the first signal, every registered DuckDB
connection is interrupted (from a watcher thread, so a query stops even when the engine does
not hand control back to Python), and `Interrupted` is raised in the main thread, so that
the `finally` blocks remove what the command was writing. DuckDB itself turns the signal
into its own error while a query runs; `received()` tells the CLI that the stop was asked
for, whatever error came out. Further signals are ignored while the command cleans up.

A run killed outright (`kill -9`) cleans nothing. What it writes is named with its process
id (`.OUT.partial-PID-*`, `.FILE.partial-PID`, `scoping-work-PID.HOST.*`);
`remove_leftovers` removes such entries of processes that are no longer running, when a
later command works in the same place.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import duckdb

# What the library tells people besides errors (leftovers removed, the cache skipped); the
# CLI shows each message as one line on stderr.
notices = logging.getLogger("scoping.notice")

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_connections: set[duckdb.DuckDBPyConnection] = set()
_lock = threading.Lock()
_received: list[int] = []


class Interrupted(BaseException):
    """A signal asked the command to stop (a BaseException, like KeyboardInterrupt, so that
    no `except Exception` takes it for an error to handle)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def received() -> int | None:
    """The signal that asked the command to stop, if any."""
    return _received[0] if _received else None


@contextlib.contextmanager
def interruptible(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Register a connection whose queries a signal interrupts."""
    with _lock:
        _connections.add(con)
    try:
        yield
    finally:
        with _lock:
            _connections.discard(con)


def _interrupt_all() -> None:
    with _lock:
        connections = list(_connections)
    for con in connections:
        with contextlib.suppress(duckdb.Error):
            con.interrupt()


def _handler(signum: int, _frame: FrameType | None) -> None:
    if _received:
        return  # already stopping: let the cleanup finish
    _received.append(signum)
    _interrupt_all()
    raise Interrupted(signum)


def _watch(fd: int) -> None:
    """Interrupt the engine as soon as a signal arrives: the Python handler only runs when
    the main thread runs Python code, which a long query may not do for a while. A zero
    byte (no signal's number) ends the watch."""
    while data := os.read(fd, 16):
        if any(b in (int(s) for s in SIGNALS) for b in data):
            _interrupt_all()
        if 0 in data:
            return


@contextlib.contextmanager
def handling() -> Iterator[None]:
    """SIGINT and SIGTERM raise `Interrupted` and interrupt the engine while inside; the
    previous handlers are restored afterwards. Only the main thread can install handlers;
    elsewhere this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _received.clear()
    previous = {s: signal.signal(s, _handler) for s in SIGNALS}
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)  # as set_wakeup_fd requires
    old_fd = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
    watcher = threading.Thread(target=_watch, args=(read_fd,), daemon=True)
    watcher.start()
    try:
        yield
    finally:
        signal.set_wakeup_fd(old_fd)
        for s, handler in previous.items():
            signal.signal(s, handler)
        os.write(write_fd, b"\0")
        watcher.join()
        os.close(read_fd)
        os.close(write_fd)


def exit_code(signum: int) -> int:
    """A shell's exit code for a command stopped by a signal: 128 + its number."""
    return 128 + signum


def running(pid: int) -> bool:
    """Whether a process of that id runs (someone else's included)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def remove_leftovers(folder: Path, pattern: str) -> list[Path]:
    """Remove the entries of `folder` whose names match `pattern` (a regular expression with
    a group `pid`) when that process is no longer running and the entry is this user's;
    return what was removed. Used before a command writes where a killed one may have."""
    removed: list[Path] = []
    name = re.compile(pattern)
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in sorted(entries):
        match = name.fullmatch(entry.name)
        if not match or int(match["pid"]) == os.getpid() or running(int(match["pid"])):
            continue
        try:
            if entry.lstat().st_uid != os.getuid():
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError:
            continue
        removed.append(entry)
    if removed:
        notices.warning(
            "removed %d leftover(s) of an interrupted run in %s: %s",
            len(removed),
            folder,
            ", ".join(p.name for p in removed),
        )
    return removed
