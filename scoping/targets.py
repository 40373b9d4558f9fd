"""Where an output may go: never onto the evidence, and checked before any work.

An investigator's case file and extracts are irreplaceable, and `--force` replaces whatever
is at the target: a run's output folder whole, a query's or an export's file. So every
output target is checked against the paths it must never replace, before the computation
starts: the case file, every input (extracts, actors file, the case's own queries, earlier
waves' lists), the staging cache, and for a folder the current one. A target may not be one
of them, nor a folder that holds one, nor lie inside the staging cache. Paths are compared
as they resolve (symbolic links, `..`), and as written, so a link to an input is refused as
well as the input; an existing file is also compared by identity, which catches hard links.

Then the target must be able to take the output: a folder where a file is expected, a parent
that is missing or not a folder, a place that cannot be written are told in one line before
the computation, not found by the operating system after it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from scoping.errors import OutputError


@dataclass(frozen=True)
class Guarded:
    """A path no output may replace: `what` it is, for the message."""

    what: str
    path: Path
    inside: bool = False  # nothing may be written inside it either (the staging cache)


def guard(what: str, paths: Iterable[Path], *, inside: bool = False) -> list[Guarded]:
    return [Guarded(what, p, inside) for p in paths]


def _forms(path: Path) -> set[Path]:
    """The path resolved, and the path itself with only its folder resolved (the link)."""
    forms = {path.resolve()}
    if path.name not in ("", ".", ".."):
        forms.add(path.absolute().parent.resolve() / path.name)
    return forms


def _holds(folder: Path, path: Path) -> bool:
    return folder == path or folder in path.parents


def refuse_guarded(target: Path, guarded: Iterable[Guarded]) -> None:
    """Raise `OutputError` when `target` is, holds, or (for the cache) lies in a guarded path."""
    targets = _forms(target)
    for g in guarded:
        for t in targets:
            for p in _forms(g.path):
                if _holds(t, p):
                    verb = "is" if t == p else "holds"
                    raise OutputError(
                        f"{target}: {verb} {g.what} {g.path}; an output never replaces it,"
                        " not even with --force",
                        "choose an output place apart from the case's files",
                    )
                if g.inside and p in t.parents:
                    raise OutputError(
                        f"{target}: lies inside {g.what} {g.path}",
                        "choose an output place apart from the case's files",
                    )
        if target.is_file() and g.path.is_file() and os.path.samefile(target, g.path):
            raise OutputError(
                f"{target}: is the same file as {g.what} {g.path}; an output never"
                " replaces it, not even with --force",
                "choose an output place apart from the case's files",
            )


def check_folder(out_dir: Path, force: bool, guarded: Iterable[Guarded] = ()) -> None:
    """An output folder: apart from the evidence and the current folder, new unless forced,
    in a place that can be written (missing parents are created)."""
    refuse_guarded(out_dir, [*guarded, Guarded("the current folder", Path.cwd())])
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder", "choose another --out folder")
    if out_dir.exists() and not force:
        raise OutputError(
            f"{out_dir}: already exists; an earlier run's outputs are never overwritten",
            "choose another --out folder, or pass --force to replace it",
        )
    if out_dir.is_dir() and any(out_dir.iterdir()):
        # --force replaces only an earlier run's outputs: the files its manifest lists.
        written = files_of_output_set(out_dir)
        if written is None:
            raise OutputError(
                f"{out_dir}: holds files that are not an earlier run's outputs (no manifest.json"
                " of scoping); --force only replaces an output folder",
                "choose another --out folder, or empty this one yourself",
            )
        others = sorted(
            p.name for p in out_dir.iterdir() if p.name not in written or not _plain_file(p)
        )
        if others:
            more = f" and {len(others) - 5} more" if len(others) > 5 else ""
            raise OutputError(
                f"{out_dir}: holds {len(others)} file(s) that the earlier run did not write"
                f" ({', '.join(others[:5])}{more}); --force only replaces the files an earlier"
                " run's manifest lists",
                "move them elsewhere, or choose another --out folder",
            )
    check_writable(out_dir.resolve().parent, out_dir)


def _plain_file(path: Path) -> bool:
    return path.is_file() and not path.is_symlink()


# The files `scoping report` adds to an output set (scoping.report.FILES).
REPORT_FILES = ("report.html", "authority_notification.md", "authority_notification.json")


def files_of_output_set(folder: Path) -> set[str] | None:
    """The names of the files an earlier run wrote into `folder` (those its manifest lists,
    and the manifest); None when `folder` holds no manifest of scoping (tool: scoping)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("tool", {}).get("name") != "scoping":
        return None
    listed = manifest.get("outputs")
    names = {
        entry["file"]
        for entry in (listed if isinstance(listed, list) else [])
        if isinstance(entry, dict) and isinstance(entry.get("file"), str)
    }
    # Plain names only: a manifest never makes the tool reach outside the folder.
    names = {n for n in names if n == Path(n).name and n not in ("", ".", "..")}
    # `scoping report` writes its files into an output set after the run: they are its own.
    return names | {"manifest.json", *REPORT_FILES}


def check_file(path: Path, force: bool, guarded: Iterable[Guarded] = ()) -> None:
    """An output file: apart from the evidence, a regular file (never a folder or a device),
    new unless forced, in an existing folder that can be written."""
    refuse_guarded(path, guarded)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder", "give the path of a file")
    if path.exists() and not path.is_file():
        raise OutputError(f"{path}: exists and is not a regular file", "choose another file")
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists", "choose another file, or pass --force")
    parent = path.resolve().parent
    if not parent.exists():
        raise OutputError(
            f"{path}: the folder {path.parent} does not exist",
            "create it first, or choose another place",
        )
    check_writable(parent, path)


def check_writable(folder: Path, target: Path) -> None:
    """The first of `folder` and its parents that exists must be a folder in which this
    process can create a file: tried, not judged from the mode bits (root passes any such
    test, and /proc refuses everyone)."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        where = "" if existing == target else f" {existing}"
        raise OutputError(f"{target}:{where} is not a folder", "choose another place")
    try:
        fd, probe = tempfile.mkstemp(prefix=".scoping-probe-", dir=existing)
    except OSError as exc:
        raise OutputError(
            f"{target}: cannot write in {existing} ({exc.strerror})",
            "choose a folder you can write to",
        ) from None
    os.close(fd)
    os.unlink(probe)


# How the operating system and DuckDB say that a disk (or a quota) is full.
_NO_SPACE_ERRNOS = (errno.ENOSPC, errno.EDQUOT)
_NO_SPACE_TEXTS = ("no space left on device", "disk quota exceeded")


def no_space(exc: BaseException) -> bool:
    """Whether an error says a disk is full: an OSError's number, or an engine message."""
    if isinstance(exc, OSError):
        return exc.errno in _NO_SPACE_ERRNOS
    text = f"{exc} {exc.__cause__ or ''}".lower()
    return any(t in text for t in _NO_SPACE_TEXTS)


SPACE_HINT = (
    "free some space there, or choose another place (--out, --temp-dir, or TMPDIR for"
    " the work folder)"
)


def write_error(target: Path, exc: BaseException, what: str = "") -> OutputError:
    """An output error for a failed write at `target` (`what` it is, for the message),
    with a hint about space when the disk is full."""
    label = f"{target}{' (' + what + ')' if what else ''}"
    if no_space(exc):
        return OutputError(f"{label}: no space left on the disk", SPACE_HINT)
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
    return OutputError(
        f"{label}: cannot be written ({reason})",
        "check the place and the free space, then run again",
    )


@contextlib.contextmanager
def writing(target: Path) -> Iterator[None]:
    """An operating-system error while writing an output becomes an output error naming the
    target (the disk filled up, the folder went away), not an unexpected one."""
    try:
        yield
    except OSError as exc:
        raise write_error(target, exc) from None
