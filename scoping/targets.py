"""Where an output may go: never onto the evidence, and checked before any work.

An investigator's case file and extracts are irreplaceable, and `--force` replaces whatever
is at the target: a run's output folder whole, a query's or an export's file. So every
output target is checked against the paths it must never replace, before the computation
starts: the case file, every input (extracts, actors file, the case's own queries, earlier
waves' lists), the staging cache, and for a folder the current one. A target may not be one
of them, nor a folder that holds one, nor lie inside the staging cache. Paths are compared
as they resolve (symbolic links, `..`), and as written, so a link to an input is refused as
well as the input; an existing file is also compared by identity, which catches hard links.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
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
    """An output folder: apart from the evidence and the current folder, new unless forced."""
    refuse_guarded(out_dir, [*guarded, Guarded("the current folder", Path.cwd())])
    if out_dir.exists() and not force:
        raise OutputError(
            f"{out_dir}: already exists; an earlier run's outputs are never overwritten",
            "choose another --out folder, or pass --force to replace it",
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder", "choose another --out folder")
    parent = out_dir.resolve().parent
    if parent.exists() and not parent.is_dir():
        raise OutputError(f"{parent}: is not a folder", "choose another --out")


def check_file(path: Path, force: bool, guarded: Iterable[Guarded] = ()) -> None:
    """An output file: apart from the evidence, new unless forced."""
    refuse_guarded(path, guarded)
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists", "choose another file, or pass --force")
