"""The manifest: enough to show later exactly how each number was made.

It records the tool and engine versions, the case file and every input with size, SHA-256
and rows read, every query file used with its SHA-256 (and the statements built from the
case's names), the parameters and resources, and the row counts at each step.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import platform
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import duckdb

import scoping
from scoping import db
from scoping.case import Case
from scoping.hashing import sha256_file
from scoping.sources import StagedFile


def build(
    case: Case,
    staged: list[StagedFile],
    queries: list[str],
    parameters: dict[str, Any],
    row_counts: dict[str, Any],
    outputs: dict[str, tuple[Path, int | None, Future[str]]],
    computed_tables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest of a run; `outputs` maps each file to its path, rows and hash (started
    when the file was written); `computed_tables` says under which key the staging cache
    keeps the computed tables (None: it does not), and whether they were read from it or
    written to it."""
    return {
        "tool": {"name": "scoping", "version": scoping.__version__},
        "run_at_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        # Read from the packages' metadata: importing Polars only for its version cost a
        # tenth of a second of every run. phonenumbers and email-validator decide which
        # contact points are valid, so their versions are part of a recipient list's record.
        "engine": {
            "duckdb": duckdb.__version__,
            "polars": importlib.metadata.version("polars"),
            "python": platform.python_version(),
            "phonenumbers": importlib.metadata.version("phonenumbers"),
            "email-validator": importlib.metadata.version("email-validator"),
        },
        "case": {
            "id": case.id,
            "path": case.path.resolve().as_posix(),
            "sha256": sha256_file(case.path),
            "size": case.path.stat().st_size,
        },
        "parameters": parameters,
        "inputs": [
            {
                "role": s.role,
                "source": s.source,
                "path": case.display_path(s.file.path),
                "format": s.file.format,
                "size": s.file.path.stat().st_size,
                "sha256": s.sha256,
                "from_cache": s.cached,
                "rows_read": s.rows_read,
                "rows_unreadable": s.rejected_lines,
                "read_as": s.read_as,
            }
            for s in staged
        ],
        "queries": query_entries(queries),
        "computed_tables": computed_tables or {"key": None, "reused": False, "written": False},
        "row_counts": row_counts,
        "outputs": [
            {
                "file": name,
                "sha256": digest.result(),
                "size": path.stat().st_size,
                **({"rows": rows} if rows is not None else {}),
            }
            for name, (path, rows, digest) in outputs.items()
        ],
    }


def query_entries(names: list[str]) -> list[dict[str, str]]:
    """The manifest's entries of packaged queries: name, file and SHA-256."""
    return [
        {"name": name, "file": f"queries/{name}.sql", "sha256": db.query(name).sha256}
        for name in names
    ]
