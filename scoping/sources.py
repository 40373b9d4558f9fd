"""Staging: read every input file into DuckDB as text, one file at a time.

Each file is read on its own so that its columns are checked against the case, its rows are
counted and every staged row keeps (source_file, source_row): the file's number in
`input_files` and the row's 1-based position among the file's data rows. All values are staged
as text and parsed later, in SQL, where a value that does not parse is counted, not guessed.

This is the one module that builds SQL from case names: identifiers go through
`db.quote_ident`, file paths are bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from scoping import db
from scoping.case import Case, InputFile
from scoping.errors import InputError


@dataclass(frozen=True)
class StagedFile:
    source_file: int
    role: str
    file: InputFile
    rows: int


def stage(con: duckdb.DuckDBPyConnection, case: Case) -> list[StagedFile]:
    """Stage the customer table and the access log; return what was read from each file."""
    con.execute(
        "CREATE OR REPLACE TABLE input_files (source_file INTEGER, role VARCHAR, path VARCHAR,"
        " format VARCHAR, rows BIGINT)"
    )
    field_columns = ", ".join(f"{db.quote_ident(f.name)} VARCHAR" for f in case.customers.fields)
    con.execute(
        "CREATE OR REPLACE TABLE staged_customers (source_file INTEGER, source_row BIGINT,"
        f" customer_key VARCHAR, {field_columns}, available_mask BIGINT)"
    )
    con.execute(
        "CREATE OR REPLACE TABLE staged_access_log (source_file INTEGER, source_row BIGINT,"
        " ts_text VARCHAR, actor VARCHAR, record_key VARCHAR, action VARCHAR)"
    )
    staged: list[StagedFile] = []
    customers = case.customers
    availability = " + ".join(
        f"(CASE WHEN clean_text({db.quote_ident(f.name)}) IS NOT NULL THEN {f.mask} ELSE 0 END)"
        for f in customers.fields
    )
    customer_columns = [(customers.key, "customer_key")] + [
        (f.column, f.name) for f in customers.fields
    ]
    for file in customers.files:
        source = len(staged) + 1
        rows = _insert(
            con,
            "staged_customers",
            source,
            file,
            customer_columns,
            extra=f"{availability} AS available_mask",
            where="customers",
        )
        staged.append(_record(con, case, source, "customers", file, rows))
    log = case.access_log
    log_columns = [
        (log.timestamp, "ts_text"),
        (log.actor, "actor"),
        (log.record, "record_key"),
        (log.action, "action"),
    ]
    for file in log.files:
        source = len(staged) + 1
        rows = _insert(con, "staged_access_log", source, file, log_columns, where="access_log")
        staged.append(_record(con, case, source, "access_log", file, rows))
    return staged


def _record(
    con: duckdb.DuckDBPyConnection, case: Case, source: int, role: str, file: InputFile, rows: int
) -> StagedFile:
    path = case.display_path(file.path)
    con.execute(
        "INSERT INTO input_files VALUES ($source, $role, $path, $format, $rows)",
        {"source": source, "role": role, "path": path, "format": file.format, "rows": rows},
    )
    return StagedFile(source, role, file, rows)


def _reader(file: InputFile) -> str:
    """The table function that reads one file, every column as text; `$path` is bound."""
    if file.format == "csv":
        return "read_csv($path, all_varchar = true, header = true)"
    if file.format == "tsv":
        return "read_csv($path, all_varchar = true, header = true, delim = '\t')"
    if file.format == "parquet":
        return "read_parquet($path)"
    return "read_json($path, format = 'newline_delimited', sample_size = -1)"


def file_columns(con: duckdb.DuckDBPyConnection, file: InputFile) -> list[str]:
    """The column names of one input file (names only: never values)."""
    cur = _read(con, f"DESCRIBE SELECT * FROM {_reader(file)}", file)
    return [row[0] for row in cur.fetchall()]


def _insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    source: int,
    file: InputFile,
    columns: list[tuple[str, str]],
    *,
    where: str,
    extra: str | None = None,
) -> int:
    present = file_columns(con, file)
    for column, _ in columns:
        if column not in present:
            raise InputError(
                f"{file.path}: column {column!r} not found (set in [{where}])",
                f"the file has columns: {', '.join(present) or 'none'}",
            )
    select = ", ".join(
        f"CAST({db.quote_ident(column)} AS VARCHAR) AS {db.quote_ident(name)}"
        for column, name in columns
    )
    inner = f"SELECT ordinality AS source_row, {select} FROM {_reader(file)} WITH ORDINALITY"
    outer = ", ".join(db.quote_ident(name) for _, name in columns)
    if extra:
        outer += f", {extra}"
    sql = f"INSERT INTO {table} SELECT CAST($source AS INTEGER), source_row, {outer} FROM ({inner})"
    cur = _read(con, sql, file, {"source": source})
    row = cur.fetchone()
    return int(row[0]) if row else 0


def _read(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    file: InputFile,
    params: dict[str, object] | None = None,
) -> duckdb.DuckDBPyConnection:
    """Run a statement that reads `file`; turn a read failure into an InputError on that file.

    Only the first line of the engine's message is kept: later lines can quote the offending
    line of the file, which may hold personal data.
    """
    try:
        return con.execute(sql, {"path": str(file.path), **(params or {})})
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(
            f"{file.path}: cannot be read as {file.format}: {first}",
            "check the file's format, or set format in the case file",
        ) from exc
