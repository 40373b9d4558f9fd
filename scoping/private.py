"""The tool's own files and folders are private to their owner from their first byte.

What a run writes holds personal data: the outputs, the staging cache, transcoded copies of
the inputs, DuckDB's spill files, a database written by export-db and its `.wal`. DuckDB
creates several of them itself, with the modes the process's umask allows, so a `chmod`
afterwards leaves a window (and a killed run leaves the file as it was): `files()` sets the
umask instead, for everything created while a case is worked on.

A run's temporary files live in a private work folder (`work_folder`); DuckDB spills into it
too, also when `--temp-dir` names a shared folder, which gets the work folder, never a spill
file of its own. The folder's name carries the process id, so a folder that a killed run left
behind is recognised and removed by the next run in the same place.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

from scoping import interrupts, targets

DIR_MODE = 0o700
FILE_MODE = 0o600
WORK_PREFIX = "scoping-work-"
# The host is part of the name: a temp folder on a shared disk may hold the live work folder
# of a run on another machine, whose process id means nothing here.
_HOST = re.sub(r"[^A-Za-z0-9-]", "", socket.gethostname())[:40] or "host"


@contextlib.contextmanager
def files() -> Iterator[None]:
    """Every file and folder created meanwhile, by Python or by DuckDB, is readable and
    writable by its owner only (umask 077). The umask belongs to the process: the earlier
    one is restored afterwards."""
    earlier = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(earlier)


@contextlib.contextmanager
def work_folder(parent: str | Path | None) -> Iterator[Path]:
    """A new private folder (0700) inside `parent` (the system's temporary folder when None),
    removed afterwards; the leftovers of killed runs in `parent` are removed first."""
    where = Path(parent) if parent else Path(tempfile.gettempdir())
    remove_leftovers(where)
    try:
        folder = Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{os.getpid()}.{_HOST}.", dir=where))
    except OSError as exc:
        raise targets.write_error(where, exc, "the work folder") from None
    try:
        os.chmod(folder, DIR_MODE)  # mkdtemp's mode already; said again for clarity
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def remove_leftovers(where: Path) -> list[Path]:
    """Remove the work folders in `where` that runs of this user on this host left behind
    when they were killed: those whose process is gone (saying so). Returns them."""
    pattern = re.escape(WORK_PREFIX) + r"(?P<pid>[0-9]+)\." + re.escape(_HOST) + r"\..+"
    return interrupts.remove_leftovers(where, pattern)


def partial_name(path: Path) -> Path:
    """Where a file is written before it is renamed into place: beside it, hidden, named with
    this process's id (`.NAME.partial-PID`); what a killed run left there is removed first."""
    parent = path.resolve().parent
    pattern = re.escape(f".{path.name}.partial-") + "(?P<pid>[0-9]+)"
    interrupts.remove_leftovers(parent, pattern)
    return parent / f".{path.name}.partial-{os.getpid()}"


def write_file(path: Path, data: bytes) -> None:
    """A file, 0600 from its creation, whatever the umask: written under its partial name and
    renamed into place, so a file it replaces never stays readable by others (a plain write
    keeps the old file's mode) and a failure or a kill leaves no half file under its name."""
    tmp = partial_name(path)
    try:
        with targets.writing(path):
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            os.fchmod(fd, FILE_MODE)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
