"""The two jobs the CLI offers on a case: `check` it, and `run` it into an output set.

Each returns data (a dataclass) for the CLI to render; neither prints. `progress` is called
with the name of each step as it starts, so the caller can show where a long run is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from scoping import db, exposure, manifest, outputs, sources
from scoping.case import Case, load_case
from scoping.errors import InputError
from scoping.sources import StagedFile

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class Prepared:
    """A connection with the case defined and the inputs staged and checked."""

    case: Case
    con: duckdb.DuckDBPyConnection
    staged: list[StagedFile]
    window: exposure.Window


@dataclass(frozen=True)
class CheckReport:
    case: Case
    staged: list[StagedFile]
    window: exposure.Window
    columns: dict[str, list[str]]
    customer_records: int
    events_read: int
    rejected: int
    rejected_examples: list[dict[str, Any]]


@dataclass(frozen=True)
class RunResult:
    case: Case
    out_dir: Path
    counts: dict[str, Any]
    files: list[str] = field(default_factory=list)


def prepare(case: Case, settings: db.Settings, progress: Progress = _quiet) -> Prepared:
    """Define the case's tables, stage every input, and stop on customer-key problems."""
    con = db.connect(settings)
    progress("reading the case")
    window = exposure.define(con, case)
    progress("staging inputs")
    staged = sources.stage(con, case)
    progress("checking customer keys")
    db.run(con, "customers")
    exposure.check_customers(con, case)
    progress("parsing the access log")
    exposure.parse_access_log(con)
    return Prepared(case, con, staged, window)


def check(case_path: Path, settings: db.Settings = db.DEFAULTS) -> CheckReport:
    """Validate the case and its inputs without writing anything."""
    case = load_case(case_path)
    prep = prepare(case, settings)
    rejected, examples = exposure.rejected_rows(prep.con)
    columns = {str(s.file.path): sources.file_columns(prep.con, s.file) for s in prep.staged}
    return CheckReport(
        case=case,
        staged=prep.staged,
        window=prep.window,
        columns=columns,
        customer_records=sum(s.rows for s in prep.staged if s.role == "customers"),
        events_read=sum(s.rows for s in prep.staged if s.role == "access_log"),
        rejected=rejected,
        rejected_examples=examples,
    )


def run(
    case_path: Path,
    out_dir: Path,
    *,
    force: bool = False,
    settings: db.Settings = db.DEFAULTS,
    progress: Progress = _quiet,
) -> RunResult:
    """Compute the exposure of a case and write its output set into `out_dir`."""
    case = load_case(case_path)
    outputs.ensure_target(out_dir, force)
    prep = prepare(case, settings, progress)
    _stop_on_rejects(prep.con)
    progress("computing exposure")
    exposure.compute(prep.con)
    progress("counting")
    counts: dict[str, Any] = {"case": {"id": case.id, "title": case.title}}
    counts.update(exposure.counts(prep.con))
    counts["summary"] = counts["summary"][0]
    progress("writing outputs")
    with outputs.output_set(out_dir, force) as staging:
        paths = {
            "affected_customers.csv": staging / "affected_customers.csv",
            "counts.json": staging / "counts.json",
        }
        rows = {
            "affected_customers.csv": outputs.write_affected_customers(
                prep.con, paths["affected_customers.csv"], case.customers.fields
            )
        }
        outputs.write_json(paths["counts.json"], counts)
        used = [
            *exposure.MACROS,
            "scope_window",
            "customer_problems",
            *exposure.PREPARE,
            *exposure.STEPS,
            "affected_customers_report",
            *exposure.COUNTS,
        ]
        record = manifest.build(
            case,
            prep.staged,
            queries=used,
            parameters=_parameters(case, prep.window, settings),
            row_counts=dict(counts["summary"]),
            outputs=paths,
            output_rows=rows,
        )
        outputs.write_json(staging / "manifest.json", record)
    return RunResult(case, out_dir, counts, [*paths, "manifest.json"])


def _stop_on_rejects(con: duckdb.DuckDBPyConnection) -> None:
    total, examples = exposure.rejected_rows(con)
    if total:
        where = "; ".join(f"{e['file']} row {e['row']}: {e['reason']}" for e in examples)
        raise InputError(
            f"{total} access-log row(s) cannot be used, for example {where}",
            "fix the extract, or map the right column in [access_log]",
        )


def _parameters(case: Case, window: exposure.Window, settings: db.Settings) -> dict[str, Any]:
    return {
        "timezone": case.timezone,
        "scope": {
            "actors": list(case.scope.actors),
            "actors_file": str(case.scope.actors_file) if case.scope.actors_file else None,
            "start": case.scope.start,
            "end": case.scope.end,
            "start_utc": window.start_utc,
            "end_utc": window.end_utc,
        },
        "actions": {a: list(f) for a, f in case.actions.items()},
        "fields": [
            {"field": f.name, "column": f.column, "category": f.category, "bit": f.bit}
            for f in case.customers.fields
        ],
        "customer_key": case.customers.key,
        "access_log_columns": {
            "timestamp": case.access_log.timestamp,
            "actor": case.access_log.actor,
            "record": case.access_log.record,
            "action": case.access_log.action,
        },
        "engine_settings": {
            "memory_limit": settings.memory_limit,
            "threads": settings.threads,
            "temp_directory": settings.temp_directory,
        },
    }
