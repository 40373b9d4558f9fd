"""Writing an output set safely: all files or none, readable by their owner only.

Outputs hold personal data. They are written into a fresh private folder beside the target
and renamed into place at the end, so an error never leaves a partial set behind, and an
earlier run's outputs are replaced only when asked (`force`).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import duckdb

from scoping import db, targets
from scoping.case import Field
from scoping.errors import OutputError

DIR_MODE = 0o700
FILE_MODE = 0o600


@contextlib.contextmanager
def output_set(out_dir: Path, force: bool) -> Iterator[Path]:
    """Yield a private staging folder; on success it becomes `out_dir`, on error it is removed.

    The caller checks `out_dir` against the case's files first (`targets.check_folder` with
    the guarded paths); this checks it again, as it is, just before writing."""
    targets.check_folder(out_dir, force)
    parent = out_dir.resolve().parent
    with targets.writing(out_dir):
        # Missing parents are created private too: they will only ever hold output sets.
        # (mkdir's mode applies to the last folder only: each is made one by one.)
        for folder in [*reversed(parent.parents), parent]:
            if not folder.exists():
                folder.mkdir(mode=DIR_MODE)
                os.chmod(folder, DIR_MODE)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=parent))
        os.chmod(staging, DIR_MODE)
    try:
        yield staging
        with targets.writing(out_dir):
            for path in staging.iterdir():
                os.chmod(path, FILE_MODE)
            _replace(staging, out_dir.resolve())
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _replace(staging: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    try:
        staging.rename(target)
    except OSError as exc:
        if old is not None:
            old.rename(target)
        raise OutputError(f"{target}: cannot move the outputs into place: {exc.strerror}") from exc
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_json(path: Path, data: Any) -> None:
    """Stable JSON: keys in the order built, two-space indent, UTF-8, final newline."""
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    path.write_text(text, encoding="utf-8")


def _partial(path: Path) -> Path:
    """Where a file output is written before it is renamed into place: beside it, hidden."""
    return path.resolve().parent / f".{path.name}.partial-{os.getpid()}"


def write_private_text(path: Path, text: str) -> None:
    """A small text output, 0600 from its creation: written under a temporary name in the
    same folder and renamed into place, so a file it replaces never stays readable by others
    (a plain write would keep the old file's mode) and a failure leaves no half file."""
    tmp = _partial(path)
    try:
        with targets.writing(path):
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            os.fchmod(fd, FILE_MODE)  # whatever the umask
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def flag_columns(fields: tuple[Field, ...]) -> str:
    """One true/false column per declared field, from the exposed field mask."""
    return ", ".join(f"(exposed_mask & {f.mask}) <> 0 AS {db.quote_ident(f.name)}" for f in fields)


# The UTF-8 byte-order mark that Excel needs to read a CSV file as UTF-8.
BOM = "\ufeff"


def copy_query(
    con: duckdb.DuckDBPyConnection,
    name: str,
    path: Path,
    delimiter: str = ",",
    *,
    bom: bool = False,
) -> int:
    """Write a packaged query's rows to CSV with DuckDB (streaming; the query sets the order).

    With `bom`, the file starts with a UTF-8 byte-order mark, written by DuckDB as the first
    characters of the first column's name in the header: the same bytes as a mark put in
    front of the file, without rewriting a file that can be gigabytes (10 s at 10M
    recipients). The outer SELECT keeps the query's order: DuckDB preserves row order
    through a projection of a single subquery (its documented order preservation, which
    holds while preserve_insertion_order is on, its default; scoping never turns it off)."""
    body = db.query(name).text.strip().rstrip(";")
    if bom:
        first = con.execute(f"DESCRIBE {body}").fetchone()
        assert first is not None
        renamed = f"{db.quote_ident(first[0])} AS {db.quote_ident(BOM + first[0])}"
        body = f"SELECT * RENAME ({renamed}) FROM ({body})"
    sql = (
        f"COPY ({body}) TO {db.quote_literal(str(path))}"
        f" (FORMAT csv, HEADER true, DELIMITER {db.quote_literal(delimiter)})"
    )
    row = db.run_sql(con, name, sql).fetchone()
    return int(row[0]) if row else 0


REJECTED_COLUMNS = ("file", "role", "line", "row", "column", "reason")


def write_rows(path: Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> int:
    """A small CSV from Python rows (used for rejected rows, whose lines Python fills in)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row[c] for c in columns])
    return len(rows)


def write_run(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    fields: tuple[Field, ...],
    rejected: list[dict[str, Any]],
    *,
    actors_without_events: int = 0,
) -> dict[str, tuple[Path, int | None]]:
    """Write the exposure's files of a run into `folder`; return each with its row count.
    The scope's actors without any event are listed in a file of their own when there are
    some (a scope of a million accounts is never a million lines on a terminal)."""
    written: dict[str, tuple[Path, int | None]] = {}

    def add(name: str, rows: int | None) -> None:
        written[name] = (folder / name, rows)

    add(
        "affected_customers.csv",
        write_affected_customers(con, folder / "affected_customers.csv", fields),
    )
    add("reconciliation.csv", copy_query(con, "reconciliation", folder / "reconciliation.csv"))
    add("rejected_rows.csv", write_rows(folder / "rejected_rows.csv", REJECTED_COLUMNS, rejected))
    add(
        "unmatched_events.csv", copy_query(con, "unmatched_events", folder / "unmatched_events.csv")
    )
    if actors_without_events:
        name = "actors_without_events.csv"
        add(name, copy_query(con, "actors_without_events_report", folder / name))
    return written


def write_affected_customers(
    con: duckdb.DuckDBPyConnection, path: Path, fields: tuple[Field, ...]
) -> int:
    """affected_customers.csv from the affected_customers_report query, sorted by key."""
    report = db.query("affected_customers_report").text.strip().rstrip(";")
    sql = (
        f"COPY (SELECT customer_key, {flag_columns(fields)}, categories, first_exposure_utc,"
        f" last_exposure_utc, events, actors FROM ({report}) ORDER BY customer_key)"
        f" TO {db.quote_literal(str(path))} (FORMAT csv, HEADER true, DELIMITER ',')"
    )
    cur = db.run_sql(con, "affected_customers_report", sql)
    row = cur.fetchone()
    return int(row[0]) if row else 0


RESULT_FORMATS = ("table", "csv", "json", "parquet")
_COPY_OPTIONS = {
    "csv": "FORMAT csv, HEADER true",
    "json": "FORMAT json, ARRAY true",
    "parquet": "FORMAT parquet",
}


def write_result(
    con: duckdb.DuckDBPyConnection,
    name: str,
    sql: str,
    params: dict[str, Any],
    fmt: str,
    path: Path,
    force: bool,
) -> int:
    """A query's result into a file (csv, json or parquet), written by DuckDB under a
    temporary name, made private (0600), then renamed into place."""
    targets.check_file(path, force)
    tmp = _partial(path)
    try:
        copy = f"COPY ({sql}) TO {db.quote_literal(str(tmp))} ({_COPY_OPTIONS[fmt]})"
        row = db.run_sql(con, name, copy, params).fetchone()
        with targets.writing(path):
            os.chmod(tmp, FILE_MODE)
            tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return int(row[0]) if row else 0


def stream_result(
    con: duckdb.DuckDBPyConnection,
    name: str,
    sql: str,
    params: dict[str, Any],
    fmt: str,
    stream: TextIO,
    batch: int = 10_000,
) -> int:
    """A query's result as CSV or JSON (an array of objects) on a text stream, in batches,
    so that `scoping query ... --format csv > file.csv` works on large results."""
    cur = db.run_sql(con, name, sql, params)
    columns = [d[0] for d in cur.description or ()]
    count = 0
    if fmt == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(columns)
        while chunk := cur.fetchmany(batch):
            writer.writerows([_csv_cell(v) for v in row] for row in chunk)
            count += len(chunk)
        return count
    stream.write("[")
    while chunk := cur.fetchmany(batch):
        for values in chunk:
            record = dict(zip(columns, values, strict=True))
            stream.write(
                ("\n  " if count == 0 else ",\n  ")
                + json.dumps(record, default=str, ensure_ascii=False)
            )
            count += 1
    stream.write("\n]\n" if count else "]\n")
    return count


def _csv_cell(value: Any) -> Any:
    """Values as DuckDB's own CSV writer spells them (true/false), so that a result
    streamed to stdout and one written with -o read the same."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
