"""Writing an output set safely: all files or none, readable by their owner only.

Outputs hold personal data. They are written into a fresh private folder beside the target
and renamed into place at the end, so an error never leaves a partial set behind, and an
earlier run's outputs are replaced only when asked (`force`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import fcntl
import glob
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import duckdb

from scoping import db, interrupts, private, targets
from scoping.case import Field
from scoping.errors import OutputError, QueryError


@contextlib.contextmanager
def output_set(out_dir: Path, force: bool) -> Iterator[Path]:
    """Yield a private staging folder; on success it becomes `out_dir`, on error it is removed.

    The caller checks `out_dir` against the case's files first (`targets.check_folder` with
    the guarded paths) and holds its lock (`locked`); this checks it again, as it is, just
    before writing. The staging folder is named with this process's id, so that the next
    run removes it if this one is killed."""
    targets.check_folder(out_dir, force)
    target = out_dir.resolve()
    with targets.writing(out_dir):
        _make_parents(target.parent)
        staging = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.partial-{os.getpid()}-", dir=target.parent)
        )
        os.chmod(staging, private.DIR_MODE)
    try:
        try:
            yield staging
        except OSError as exc:
            # A full disk while the files are written is the output's problem, said so.
            if targets.no_space(exc):
                raise targets.write_error(out_dir, exc) from None
            raise
        with targets.writing(out_dir):
            for path in staging.iterdir():
                os.chmod(path, private.FILE_MODE)
            _replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _make_parents(parent: Path) -> None:
    """Missing parents are created private too: they will only ever hold output sets.
    (mkdir's mode applies to the last folder only: each is made one by one.)"""
    for folder in [*reversed(parent.parents), parent]:
        if not folder.exists():
            folder.mkdir(mode=private.DIR_MODE)
            os.chmod(folder, private.DIR_MODE)


def _leftovers(target: Path) -> tuple[str, str]:
    """Patterns of what a killed run writing `target` leaves beside it: its staging folder,
    and the earlier output set it was replacing."""
    name = re.escape(f".{target.name}.")
    return rf"{name}partial-(?P<pid>[0-9]+)-.+", rf"{name}old-(?P<pid>[0-9]+)"


@contextlib.contextmanager
def locked(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on an output folder for a whole run: a second run into the
    same folder is refused at once, instead of both computing and one result being lost.
    The lock is a file beside the folder (`.NAME.lock`, locked with fcntl, removed at the
    end; a killed run's lock is released by the system). Holding it, the run first removes
    what killed runs left there (see `interrupts.remove_leftovers`)."""
    target = out_dir.resolve()
    with targets.writing(out_dir):
        _make_parents(target.parent)
        fd = _lock(target.parent / f".{target.name}.lock", out_dir)
    try:
        _recover(target)
        interrupts.remove_leftovers(target.parent, _leftovers(target)[0])
        yield
    finally:
        with contextlib.suppress(OSError):
            (target.parent / f".{target.name}.lock").unlink()
        os.close(fd)


def _lock(path: Path, out_dir: Path) -> int:
    """Open and lock `path`; a lock file removed by its holder in between is opened again."""
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, private.FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip()
            os.close(fd)
            raise OutputError(
                f"{out_dir}: another scoping run is writing there"
                f"{f' (process {holder})' if holder.isdigit() else ''}",
                "wait for it to end, or choose another --out folder",
            ) from None
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
            return fd
        os.close(fd)


def _recover(target: Path) -> None:
    """An earlier output set moved aside by a run killed before it put its own in place:
    back where it was when nothing took its place, else removed like any replaced set."""
    for old in sorted(target.parent.glob(f".{glob.escape(target.name)}.old-*")):
        match = re.fullmatch(_leftovers(target)[1], old.name)
        if not match or interrupts.running(int(match["pid"])) or not old.is_dir():
            continue
        if not target.exists():
            old.rename(target)
            interrupts.notices.warning(
                "%s: put back the earlier outputs that an interrupted run had moved aside",
                target,
            )
        else:
            _remove_output_set(old)
            interrupts.notices.warning(
                "removed the replaced outputs that an interrupted run left in %s", old
            )


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
        _remove_output_set(old)


def _remove_output_set(folder: Path) -> None:
    """Remove an earlier output set: the files its manifest lists, then the folder, which
    is kept when anything else appeared in it meanwhile."""
    for name in targets.files_of_output_set(folder) or ():
        with contextlib.suppress(FileNotFoundError):
            (folder / name).unlink()
    try:
        folder.rmdir()
    except OSError:
        interrupts.notices.warning(
            "%s: the earlier outputs were replaced; files that appeared beside them meanwhile"
            " were kept in %s",
            folder.parent,
            folder,
        )


def write_json(path: Path, data: Any) -> None:
    """Stable JSON: keys in the order built, two-space indent, UTF-8, final newline."""
    text = json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
    path.write_text(text, encoding="utf-8")


def write_private_text(path: Path, text: str) -> None:
    """A small text output, 0600 from its creation (see write_private_bytes)."""
    write_private_bytes(path, text.encode("utf-8"))


def write_private_bytes(path: Path, data: bytes) -> None:
    """A file output, 0600 from its creation (private.write_file)."""
    private.write_file(path, data)


# Rows of one Excel sheet, less its header: a longer list goes on in further sheets.
XLSX_ROWS = 1_048_575
# The workbook's creation time in its properties: fixed, so that the same rows give the
# same bytes (xlsxwriter dates the zip entries 1980-01-01 too).
XLSX_CREATED = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


def write_xlsx(columns: list[str], rows: list[tuple[Any, ...]], path: Path, sheet: str) -> int:
    """Rows as an Excel workbook (Polars' write_excel), for people who open lists in a
    spreadsheet.

    Every column but true/false is written as text cells formatted as text (`@`): a
    spreadsheet keeps `+32470123456`, `0042` and `2026-09-03` as written instead of turning
    them into numbers and dates, and never runs a value as a formula, so no value needs
    the apostrophe of the CSV files. The header row is frozen and filters are on. Written
    in memory, then into place as a private file (write_private_bytes)."""
    import polars as pl
    import xlsxwriter

    frame = pl.DataFrame(rows, schema=columns, orient="row", infer_schema_length=None)
    frame = frame.with_columns(
        pl.col(name).cast(pl.String)
        for name, dtype in frame.schema.items()
        if dtype not in (pl.Boolean, pl.String)
    )
    text = {name: "@" for name, dtype in frame.schema.items() if dtype == pl.String}
    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    workbook = xlsxwriter.Workbook(buffer, options)
    workbook.set_properties({"created": XLSX_CREATED})
    for n, start in enumerate(range(0, max(frame.height, 1), XLSX_ROWS), start=1):
        frame.slice(start, XLSX_ROWS).write_excel(
            workbook,
            sheet if n == 1 else f"{sheet} ({n})",
            column_formats=text,  # type: ignore[arg-type]
            freeze_panes=(1, 0),
            autofilter=True,
            autofit=True,
        )
    workbook.close()
    write_private_bytes(path, buffer.getvalue())
    return int(frame.height)


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
    omit: tuple[str, ...] = (),
) -> int:
    """Write a packaged query's rows to CSV with DuckDB (streaming; the query sets the order).

    With `bom`, the file starts with a UTF-8 byte-order mark (see _copy_csv); the columns in
    `omit` are left out."""
    body = db.query(name).text.strip().rstrip(";")
    if omit:
        left_out = ", ".join(db.quote_ident(c) for c in omit)
        body = f"SELECT * EXCLUDE ({left_out}) FROM ({body})"
    rows = _copy_csv(con, name, body, {}, path, delimiter, bom=bom)
    db.record(con, name)
    return rows


def copy_lines(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any], path: Path, header: str
) -> int:
    """Write a packaged query's one column of finished CSV lines (each without its line
    break) to a file after `header`, as they are: DuckDB quotes nothing (QUOTE ''), puts a
    line break after each line, and keeps the query's order. For lines whose cells the query
    has quoted itself (the messages)."""
    body = db.query(name).text.strip().rstrip(";")
    sql = (
        f"COPY ({body}) TO {db.quote_literal(str(path))}"
        " (FORMAT csv, HEADER false, QUOTE '', ESCAPE '', DELIMITER '\x01',"
        f" PREFIX {db.quote_literal(header)}, SUFFIX {db.quote_literal(chr(10))})"
    )
    row = db.run_sql(con, name, sql, params).fetchone()
    db.record(con, name)
    rows = int(row[0]) if row else 0
    if rows == 0:  # DuckDB writes the prefix and the suffix: a blank line after the header
        path.write_text(header, encoding="utf-8")
    return rows


# DuckDB types written as they are in a CSV cell: numbers and true/false. Every other cell
# (text, dates, lists) is quoted, so that a separator of any kind inside it never splits a
# row: LibreOffice Calc's default import splits at commas, semicolons and tabs at once.
_BARE_TYPES = re.compile(
    r"(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|DECIMAL(\(.*\))?|BOOLEAN)"
)
# DuckDB's type for a sum of BIGINTs. Parquet has no such type (DuckDB writes it as a
# DOUBLE, which pandas reads as 4.0) and other clients choke on it: outputs cast it back.
_WIDE_INTEGERS = ("HUGEINT", "UHUGEINT")


def is_bare(type_name: str) -> bool:
    """Whether a column of this DuckDB type is written unquoted in a CSV output."""
    return _BARE_TYPES.fullmatch(type_name) is not None


@dataclass(frozen=True)
class OutputQuery:
    """A query as outputs write it: `select` casts HUGEINT columns to BIGINT (integer
    columns are BIGINT in every output); `quoted` are the columns whose CSV cells are
    quoted, `columns` all of them."""

    select: str
    columns: list[str]
    quoted: list[str]


def output_query(
    con: duckdb.DuckDBPyConnection, name: str, body: str, params: dict[str, Any] | None = None
) -> OutputQuery:
    described = db.run_sql(con, name, f"DESCRIBE {body}", params).fetchall()
    select, columns, quoted = [], [], []
    for column, type_name, *_ in described:
        value = db.quote_ident(column)
        if type_name in _WIDE_INTEGERS:
            value = f"CAST({value} AS BIGINT) AS {value}"
            type_name = "BIGINT"
        select.append(value)
        columns.append(column)
        if not is_bare(type_name):
            quoted.append(column)
    return OutputQuery(f"SELECT {', '.join(select)} FROM ({body})", columns, quoted)


def _copy_csv(
    con: duckdb.DuckDBPyConnection,
    name: str,
    body: str,
    params: dict[str, Any],
    path: Path,
    delimiter: str = ",",
    *,
    bom: bool = False,
) -> int:
    """COPY a query to CSV with every text cell quoted (see is_bare).

    The header line is written by DuckDB as the file's PREFIX (so a column quoted for its
    values keeps a plain name in the header), and with `bom` it starts with the UTF-8
    byte-order mark that Excel needs to read accents: no second pass over a file that can
    be gigabytes. Rows follow the prefix, each ended by a line break (the SUFFIX ends the
    last). The outer SELECT keeps the query's order: DuckDB preserves row order through a
    projection of a single subquery (its documented order preservation, which holds while
    preserve_insertion_order is on, its default; scoping never turns it off)."""
    query = output_query(con, name, body, params)
    header = (BOM if bom else "") + csv_header(query.columns, delimiter)
    force = ", ".join(db.quote_ident(c) for c in query.quoted)
    sql = (
        f"COPY ({query.select}) TO {db.quote_literal(str(path))}"
        f" (FORMAT csv, HEADER false, DELIMITER {db.quote_literal(delimiter)},"
        f" PREFIX {db.quote_literal(header)}, SUFFIX {db.quote_literal(chr(10))}"
        f"{f', FORCE_QUOTE ({force})' if force else ''})"
    )
    row = db.run_sql(con, name, sql, params).fetchone()
    rows = int(row[0]) if row else 0
    if rows == 0:  # DuckDB writes the prefix and the suffix: a blank line after the header
        path.write_text(header, encoding="utf-8")
    return rows


def csv_header(columns: Iterable[str], delimiter: str = ",") -> str:
    """A CSV header line: names as they are, quoted only when they must be."""
    cells = []
    for name in columns:
        special = any(c in name for c in (delimiter, '"', "\n", "\r")) or name != name.strip()
        cells.append('"' + name.replace('"', '""') + '"' if special else name)
    return delimiter.join(cells) + "\n"


def csv_line(values: Iterable[Any], delimiter: str = ",") -> str:
    """One CSV line written by Python, quoted as DuckDB's outputs are: numbers and
    true/false bare, NULL empty, every other value quoted."""
    cells = []
    for value in values:
        if value is None:
            cells.append("")
        elif isinstance(value, bool):
            cells.append("true" if value else "false")
        elif isinstance(value, int | float | decimal.Decimal):
            cells.append(str(value))
        else:
            cells.append('"' + str(value).replace('"', '""') + '"')
    return delimiter.join(cells) + "\n"


REJECTED_COLUMNS = ("file", "role", "source", "line", "row", "column", "reason")
# The column that says which access-log source a row came from: written when the case names
# its sources; a case with one unnamed source writes its files as it always has.
SOURCE = "source"


def write_rows(path: Path, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> int:
    """A small CSV from Python rows (used for rejected rows, whose lines Python fills in)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(csv_header(columns))
        for row in rows:
            handle.write(csv_line(row.get(c) for c in columns))
    return len(rows)


def write_run(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    fields: tuple[Field, ...],
    rejected: list[dict[str, Any]],
    *,
    actors_without_events: int = 0,
    named_sources: bool = False,
    history: bool = False,
) -> dict[str, tuple[Path, int | None]]:
    """Write the exposure's files of a run into `folder`; return each with its row count.
    The scope's actors without any event are listed in a file of their own when there are
    some (a scope of a million accounts is never a million lines on a terminal)."""
    written: dict[str, tuple[Path, int | None]] = {}

    def add(name: str, rows: int | None) -> None:
        written[name] = (folder / name, rows)

    add(
        "affected_customers.csv",
        write_affected_customers(con, folder / "affected_customers.csv", fields, history),
    )
    omit = () if named_sources else (SOURCE,)
    rejected_columns = tuple(c for c in REJECTED_COLUMNS if c not in omit)
    reconciliation = folder / "reconciliation.csv"
    add("reconciliation.csv", copy_query(con, "reconciliation", reconciliation, omit=omit))
    add("rejected_rows.csv", write_rows(folder / "rejected_rows.csv", rejected_columns, rejected))
    unmatched = folder / "unmatched_events.csv"
    add("unmatched_events.csv", copy_query(con, "unmatched_events", unmatched, omit=omit))
    if actors_without_events:
        name = "actors_without_events.csv"
        add(name, copy_query(con, "actors_without_events_report", folder / name))
    return written


# With the customers' history, affected_customers.csv also says which exposed fields held a
# value then that differs from today's, and which customers were deleted since.
HISTORY_COLUMNS = (
    "coalesce(mask_fields(changed_mask), '') AS changed_since",
    "customer_key IN (SELECT customer_key FROM customers WHERE deleted_since) AS deleted_since",
)


def write_affected_customers(
    con: duckdb.DuckDBPyConnection, path: Path, fields: tuple[Field, ...], history: bool = False
) -> int:
    """affected_customers.csv from the affected_customers_report query, sorted by key."""
    report = db.query("affected_customers_report").text.strip().rstrip(";")
    extra = "".join(f", {c}" for c in HISTORY_COLUMNS) if history else ""
    body = (
        f"SELECT customer_key, {flag_columns(fields)}, categories, first_exposure_utc,"
        f" last_exposure_utc, events, actors{extra} FROM ({report}) ORDER BY customer_key"
    )
    rows = _copy_csv(con, "affected_customers_report", body, {}, path)
    db.record(con, "affected_customers_report")
    return rows


_COPY_OPTIONS = {
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
    tmp = private.partial_name(path)
    try:
        if fmt == "csv":
            rows = _copy_csv(con, name, sql, params, tmp)
        else:
            select = output_query(con, name, sql, params).select
            copy = f"COPY ({select}) TO {db.quote_literal(str(tmp))} ({_COPY_OPTIONS[fmt]})"
            row = db.run_sql(con, name, copy, params).fetchone()
            rows = int(row[0]) if row else 0
        with targets.writing(path):
            os.chmod(tmp, private.FILE_MODE)
            tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return rows


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
    try:
        select = output_query(con, name, sql, params).select
    except QueryError:
        select = sql  # an EXPLAIN cannot be described; a real error is raised again below
    cur = db.run_sql(con, name, select, params)
    columns = [d[0] for d in cur.description or ()]
    count = 0
    if fmt == "csv":
        stream.write(csv_header(columns))
        while chunk := cur.fetchmany(batch):
            stream.writelines(csv_line(row) for row in chunk)
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
