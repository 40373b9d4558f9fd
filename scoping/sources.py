"""Staging: present every input file to DuckDB as text rows, one file at a time.

Each file is read on its own so that its columns are checked against the case, its rows are
counted and every staged row keeps (source_file, source_row): the file's number in
`input_files` and the row's 1-based position among the file's data rows that could be read.
All values are staged as text and parsed later, in SQL, where a value that does not parse is
counted, not guessed. CSV rows that cannot be read at all (too many or too few columns, bad
quoting), and JSON Lines records that are not JSON objects, are kept in `rejected_lines` with
their line or record number and the reason, never dropped.

CSV and JSON Lines files are copied into the tables `staged_customers_copied` and
`staged_access_log_copied`. A Parquet file, and a file the staging cache already holds (as
Parquet), is not copied: a view reads it where it lies, so the rows are decoded only by the
steps that use them and memory holds none of them. `staged_customers` and
`staged_access_log` are views over both.

This is the one module that builds SQL from case names: identifiers go through
`db.quote_ident`; file paths and CSV options are bound parameters.
"""

from __future__ import annotations

import contextlib
import csv
import io
from concurrent.futures import CancelledError, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from scoping import db, dialect, targets, transcode
from scoping.cache import Cache, Entry, unless_full
from scoping.case import AccessLog, Case, InputFile
from scoping.errors import InputError, OutputError, engine_message, example
from scoping.hashing import Hasher, sha256_file

_REJECTS = "rejects_table = 'csv_reject_errors', rejects_scan = 'csv_reject_scans'"


@dataclass(frozen=True)
class StagedFile:
    source_file: int
    role: str
    file: InputFile
    rows: int  # data rows read into staging
    rejected_lines: int = 0  # rows that could not be read at all (CSV, JSON Lines)
    read_as: dict[str, Any] = field(default_factory=dict)  # detected or set encoding, dialect
    digest: Future[str] | None = None  # the file's SHA-256, hashed in the background
    cached: bool = False  # staged from the cache, not read again
    view: str | None = None  # the view that reads it where it lies (not copied)
    seen: tuple[int, ...] = ()  # what _seen said of the file when it was hashed
    source: str | None = None  # the access-log source the file belongs to
    cache_key: str | None = None  # its entry's key in the staging cache, when it has one

    @property
    def rows_read(self) -> int:
        return self.rows + self.rejected_lines

    @property
    def sha256(self) -> str:
        """The file's SHA-256: the background hash, waited for while the run is on (the
        manifest); read again from the file if that hash was stopped when the run ended."""
        if self.digest is not None:
            with contextlib.suppress(CancelledError):
                return self.digest.result()
        return sha256_file(self.file.path)


@dataclass(frozen=True)
class _Readable:
    """How DuckDB reads one input: the path it opens, the table function and its options."""

    file: InputFile
    path: Path
    function: str
    params: dict[str, Any]
    read_as: dict[str, Any]

    def sql(self, with_rejects: bool = False) -> str:
        return self.function.replace(
            "{rejects}", f", store_rejects = true, {_REJECTS}" if with_rejects else ""
        )


def stage(
    con: duckdb.DuckDBPyConnection,
    case: Case,
    work: Path,
    hasher: Hasher,
    cache: Cache | None = None,
) -> list[StagedFile]:
    """Stage the customer table and the access log; return what was read from each file,
    each with its hash, which `hasher` reads while the run goes on."""
    _create_tables(con, case)
    staged: list[StagedFile] = []
    customers = case.customers
    availability = (
        " + ".join(
            f"(CASE WHEN available({db.quote_ident(f.name)},"
            f" getvariable('case_options').missing_values[{f.bit + 1}]) THEN {f.mask} ELSE 0 END)"
            for f in customers.fields
        )
        or "0"
    )
    customer_columns = [
        (customers.key, "customer_key"),
        *((f.column, f.name) for f in customers.fields),
        *extra_customer_columns(case),
    ]
    customer_extra = f"{availability} AS available_mask"

    def stage_all(
        files: tuple[InputFile, ...],
        role: str,
        columns: list[tuple[str, str]],
        extra: str | None = None,
        log: tuple[int, AccessLog] | None = None,
    ) -> None:
        # Numbered in the order staged: the customer table's files, each source's in turn
        # (source_options counts on it), the customers' history last.
        for file in files:
            number = len(staged) + 1
            staged.append(
                _stage_file(
                    con,
                    case,
                    work,
                    number,
                    role,
                    file,
                    columns,
                    hasher=hasher,
                    extra=extra,
                    cache=cache,
                    log=log,
                )
            )

    stage_all(customers.files, "customers", customer_columns, customer_extra)
    for number, log in enumerate(case.access_logs, 1):
        log_columns = [
            (log.timestamp, "ts_text"),
            (log.actor, "actor"),
            (log.record, "record_key"),
            (log.action, "action"),
        ]
        for column, name in ((log.fields, "fields_text"), (log.team, "team")):
            if column:
                log_columns.append((column, name))
        stage_all(log.files, "access_log", log_columns, log=(number, log))
    if case.history is not None:
        # Versions carry the fields, with their available ones; a change log carries none.
        versions = case.history.form == "intervals"
        history_columns = list(case.history.columns)
        extra = customer_extra if versions else None
        stage_all(case.history.files, "customer_history", history_columns, extra)
    for table, role in TABLES.items():
        # The copied rows first: their columns (names, order, types) are the view's.
        parts = [f"{table}_copied", *(s.view for s in staged if s.role == role and s.view)]
        union = " UNION ALL BY NAME ".join(f"SELECT * FROM {part}" for part in parts)
        db.run_sql(con, f"stage {table}", f"CREATE OR REPLACE VIEW {table} AS {union}")
    return staged


# The staged table of each role.
TABLES = {
    "staged_customers": "customers",
    "staged_access_log": "access_log",
    "staged_customer_history": "customer_history",
}


def extra_customer_columns(case: Case) -> list[tuple[str, str]]:
    """Customer columns the recipient lists read that are not exposure fields."""
    r = case.recipients
    if r is None:
        return []
    wanted = (
        (r.person_column, "person_ref"),
        (r.language_column, "language_ref"),
        (r.deceased_column, "deceased_ref"),
    )
    return [(column, name) for column, name in wanted if column]


def _create_tables(con: duckdb.DuckDBPyConnection, case: Case) -> None:
    con.execute(
        "CREATE OR REPLACE TABLE input_files (source_file INTEGER, role VARCHAR, path VARCHAR,"
        " format VARCHAR, rows BIGINT, rejected_lines BIGINT, log_source INTEGER,"
        " source VARCHAR)"
    )
    con.execute(
        "CREATE OR REPLACE TABLE rejected_lines (source_file INTEGER, line BIGINT,"
        " column_name VARCHAR, reason VARCHAR)"
    )
    names = [f.name for f in case.customers.fields] + [n for _, n in extra_customer_columns(case)]
    field_columns = ", ".join(f"{db.quote_ident(n)} VARCHAR" for n in names)
    con.execute(
        "CREATE OR REPLACE TABLE staged_customers_copied (source_file INTEGER, source_row BIGINT,"
        f" customer_key VARCHAR, {field_columns}, available_mask BIGINT)"
    )
    con.execute(
        "CREATE OR REPLACE TABLE staged_customer_history_copied (source_file INTEGER,"
        " source_row BIGINT, customer_key VARCHAR, valid_from_text VARCHAR, valid_to_text VARCHAR,"
        f" {field_columns}, changed_at_text VARCHAR, field_name VARCHAR, old_value VARCHAR,"
        " new_value VARCHAR, available_mask BIGINT)"
    )
    con.execute(
        "CREATE OR REPLACE TABLE staged_access_log_copied (source_file INTEGER, source_row BIGINT,"
        " ts_text VARCHAR, actor VARCHAR, record_key VARCHAR, action VARCHAR, fields_text VARCHAR,"
        " team VARCHAR, ts_typed TIMESTAMPTZ)"
    )


def _stage_file(
    con: duckdb.DuckDBPyConnection,
    case: Case,
    work: Path,
    source: int,
    role: str,
    file: InputFile,
    columns: list[tuple[str, str]],
    *,
    hasher: Hasher,
    extra: str | None = None,
    cache: Cache | None = None,
    log: tuple[int, AccessLog] | None = None,
) -> StagedFile:
    """Stage one file (of the customer table, or of the access-log source `log`: its number
    and settings)."""
    seen = _seen(file.path)
    digest = hasher.start(file.path)

    def register(
        entry: Entry, *, cached: bool, view: str | None = None, key: str | None = None
    ) -> StagedFile:
        return _register(
            con,
            case,
            source,
            role,
            file,
            entry,
            digest,
            cached=cached,
            view=view,
            seen=seen,
            log=log,
            cache_key=key,
        )

    table = next(t for t, r in TABLES.items() if r == role)
    log_timezone = (log[1].timezone if log else None) or case.timezone
    if file.format == "parquet":
        parquet = readable_file(file, work, source)
        # Already columnar and typed: read where it lies, through a view that numbers rows
        # with DuckDB's file_row_number (copied instead if the file has a column so named).
        types = dict(column_types(con, parquet))
        if "file_row_number" not in types:
            view = f"{table}_{source}"
            select = _selection(file, role, columns, types, log_timezone)
            located = db.quote_literal(db.reader_path(file.path))
            db.run_sql(
                con,
                f"stage {view}",
                f"CREATE OR REPLACE VIEW {view} AS SELECT {source} AS source_file, *"
                f"{', ' + extra if extra else ''} FROM (SELECT file_row_number + 1 AS"
                f" source_row, {select} FROM read_parquet({located}, file_row_number = true))",
            )
            row = _read(con, "SELECT count(*) FROM read_parquet($path)", parquet).fetchone()
            entry = Entry(int(row[0]) if row else 0, [], {})
            return register(entry, cached=False, view=view)
    key = None
    if cache is not None:
        options: dict[str, Any] = {"format": file.format, "csv": file.csv}
        if role == "access_log":
            # Naive typed timestamps are staged as instants in the log's zone.
            options["log_timezone"] = log_timezone
        else:
            # The available fields are staged: they depend on the placeholder values.
            options["missing_values"] = [f.missing_values for f in case.customers.fields]
        key = cache.key(digest.result(), repr((columns, extra)), options)
        view = f"{table}_{source}"
        hit = cache.load(con, key, view, source)
        if hit is not None:
            _record_rejects(con, source, hit.rejected)
            return register(hit, cached=True, view=view, key=key)
    readable = readable_file(file, work, source)
    if file.format in ("csv", "tsv"):
        rows, rejected, read_as = _stage_csv(
            con, readable, role, columns, table, source, extra, log_timezone
        )
    else:
        jsonl = file.format == "jsonl"
        types = dict(column_types(con, readable))
        keyless = jsonl and not types and _keyless_json_is_data(con, readable, role)
        select = _selection(file, role, columns, types, log_timezone, keyless=keyless)
        # A JSON Lines record that is not an object has no columns: it is rejected instead.
        rows = _copy(con, readable, table, source, select, extra, jsonl)
        wanted = [c for c, _ in columns]
        rejected = _json_rejects(con, readable, source, role, wanted) if jsonl else []
        read_as = readable.read_as
    entry = Entry(rows, rejected, read_as)
    if cache is not None and key is not None:
        _keep(con, cache, key, f"{table}_copied", source, entry)
    return register(entry, cached=False, key=key)


def _keep(
    con: duckdb.DuckDBPyConnection, cache: Cache, key: str, table: str, source: int, entry: Entry
) -> None:
    """Store a staged file in the cache; when the cache's disk is full, go on without it
    (the cache only saves time) and say so."""
    unless_full(
        cache.folder,
        "this file was not kept in it, the run goes on without it",
        lambda: cache.store(con, key, table, source, entry),
    )


def _copy(
    con: duckdb.DuckDBPyConnection,
    readable: _Readable,
    table: str,
    source: int,
    select: str,
    extra: str | None,
    objects_only: bool = False,
) -> int:
    """Copy one file's rows into `{table}_copied`; return how many were read."""
    csv = readable.file.format in ("csv", "tsv")
    where = " WHERE json_type(json) = 'OBJECT'" if objects_only else ""
    inner = (
        f"SELECT ordinality AS source_row, {select} FROM {readable.sql(with_rejects=csv)}"
        f" WITH ORDINALITY{where}"
    )
    # By name: columns the file does not have (no fields column, say) stay NULL.
    sql = (
        f"INSERT INTO {table}_copied BY NAME SELECT CAST($source AS INTEGER) AS source_file, *"
        f"{', ' + extra if extra else ''} FROM ({inner})"
    )
    row = _read(con, sql, readable, {"source": source}).fetchone()
    return int(row[0]) if row else 0


def _stage_csv(
    con: duckdb.DuckDBPyConnection,
    readable: _Readable,
    role: str,
    columns: list[tuple[str, str]],
    table: str,
    source: int,
    extra: str | None,
    log_timezone: str,
) -> tuple[int, list[tuple[int, str | None, str]], dict[str, Any]]:
    """Copy a CSV file in the dialect DuckDB detects; when its sniffer fails, finds a header
    without the case's columns, when the read fails, or when the values it read kept their
    quotes, read it again in the first usual dialect whose header holds the case's columns
    (see `dialect`), recording why in `read_as`. Return the rows read, the rejects and how
    the file was read."""
    file = readable.file
    line = dialect.long_line(readable.path)
    if line is not None:
        raise InputError(
            f"{file.path}: line {line} is {dialect.LINE_LIMIT:,} bytes or longer, more than"
            " a CSV line can be",
            "a line that long is most likely a quote left open or data that is not text:"
            " fix or remove that line",
        )
    wanted = [c for c, _ in columns]
    error: InputError | None = None
    try:
        types = dict(column_types(con, readable, with_rejects=True))
    except InputError as exc:
        types, error, reason = {}, exc, "the sniffer failed"
    else:
        reason = "" if all(c in types for c in wanted) else "the header lacks the case's columns"
    if not reason:
        _no_duplicate_columns(con, readable, role, types, wanted)
        select = _selection(file, role, columns, types, log_timezone)
        try:
            rows = _copy(con, readable, table, source, select, extra)
        except InputError as exc:
            error, reason = exc, "the read failed"
            _clear_csv_rejects(con)
        else:
            rejected, read_as = _collect_rejects(con, readable, source)
            if not _quotes_kept(con, readable, table, source, columns, read_as):
                return rows, rejected, read_as
            reason = "values kept their quotes"
            for cleared in (f"{table}_copied", "rejected_lines"):
                con.execute(
                    f"DELETE FROM {cleared} WHERE source_file = $source", {"source": source}
                )
    fallback = _fallback(readable, role, wanted)
    if fallback is None:
        if error is not None:
            raise error
        _selection(file, role, columns, types, log_timezone)  # names the missing column
        raise InputError(f"{file.path}: no dialect reads it", "set csv options in the case file")
    select = _selection(
        file, role, columns, dict.fromkeys(fallback.params["columns"], "VARCHAR"), log_timezone
    )
    try:
        rows = _copy(con, fallback, table, source, select, extra)
    except InputError as exc:
        _clear_csv_rejects(con)
        raise _line_at_fault(fallback) or exc from exc
    rejected, read_as = _collect_rejects(con, fallback, source)
    return rows, rejected, {**read_as, "fallback": reason}


def _fallback(readable: _Readable, role: str, wanted: list[str]) -> _Readable | None:
    """The file read in the first usual dialect (the case's delimiter and quote where it sets
    them) whose header holds the case's columns, with the columns named from that header, so
    that DuckDB reads it without sniffing: a row it cannot read is rejected with its line."""
    file = readable.file
    options = file.csv
    if options.delimiter:
        delimiters: tuple[str, ...] = (options.delimiter,)
    else:
        delimiters = ("\t",) if file.format == "tsv" else dialect.DELIMITERS
    quote = options.quote or dialect.QUOTE
    escape = options.escape or quote
    for delimiter in delimiters:
        names = dialect.header(readable.path, delimiter, quote, escape, options.header)
        if names is None or not all(c in names for c in wanted):
            continue
        _raise_duplicates(file, role, names, wanted)
        params = {
            "header": options.header,
            "delim": delimiter,
            "quote": quote,
            "escape": escape,
            "columns": dict.fromkeys(dialect.unique(names), "VARCHAR"),
        }
        function = (
            "read_csv($path, auto_detect = false, header = $header, delim = $delim,"
            " quote = $quote, escape = $escape, columns = $columns{rejects})"
        )
        read_as = {
            **readable.read_as,
            "delimiter": delimiter,
            "quote": quote,
            "escape": escape,
            "header": options.header,
        }
        return _Readable(file, readable.path, function, params, read_as)
    return None


def _quotes_kept(
    con: duckdb.DuckDBPyConnection,
    readable: _Readable,
    table: str,
    source: int,
    columns: list[tuple[str, str]],
    read_as: dict[str, Any],
) -> bool:
    """Whether a file was read in a dialect without `"` as its quote (that the case did not
    set) although its values are quoted: a key holds a quote character, or most rows' values
    begin and end with one. One quote left open makes DuckDB's sniffer choose no quote."""
    if readable.file.csv.quote or read_as.get("quote") == dialect.QUOTE:
        return False
    names = [db.quote_ident(name) for _, name in columns]
    key = "record_key" if table == "staged_access_log" else "customer_key"
    quoted = " + ".join(f"CASE WHEN {n} LIKE '\"%\"' THEN 1 ELSE 0 END" for n in names)
    filled = " + ".join(f"CASE WHEN {n} <> '' THEN 1 ELSE 0 END" for n in names)
    row = con.execute(
        f"SELECT count(*) FILTER (WHERE contains({key}, '\"')),"
        f" count(*) FILTER (WHERE 2 * ({quoted}) > ({filled})), count(*)"
        f" FROM {table}_copied WHERE source_file = $source",
        {"source": source},
    ).fetchone()
    keys, rows_quoted, rows = row if row else (0, 0, 0)
    return bool(keys) or 2 * rows_quoted > rows


def _no_duplicate_columns(
    con: duckdb.DuckDBPyConnection,
    readable: _Readable,
    role: str,
    types: dict[str, Any],
    wanted: list[str],
) -> None:
    """Stop when a column the case uses is named twice in a CSV header. DuckDB names the
    second `name_1`: only then is the header read again, in the detected dialect."""
    if not any(f"{c}_1" in types for c in wanted):
        return
    sniff = readable.function.replace("read_csv(", "sniff_csv(").replace("{rejects}", "")
    sniff = sniff.replace("all_varchar = true, ", "")
    found = _read(
        con, f"SELECT delimiter, quote, escape, hasheader FROM {sniff}", readable
    ).fetchone()
    if found:
        delimiter, quote, escape, header = found
        names = dialect.header(readable.path, delimiter, quote, escape, header)
        _raise_duplicates(readable.file, role, names or [], wanted)


def _raise_duplicates(file: InputFile, role: str, names: list[str], wanted: list[str]) -> None:
    for column in wanted:
        if names.count(column) > 1:
            raise InputError(
                f"{file.path}: column {column!r} (set in [{role}]) is named"
                f" {names.count(column)} times in the header",
                "rename or remove the other column of that name, so that the case reads the"
                " one it means",
            )


def _clear_csv_rejects(con: duckdb.DuckDBPyConnection) -> None:
    """Forget what a failed read left in DuckDB's reject tables."""
    for name in ("csv_reject_errors", "csv_reject_scans"):
        con.execute(f"DROP TABLE IF EXISTS {name}")


def _line_at_fault(readable: _Readable) -> InputError | None:
    """Name the line at which a file DuckDB cannot read in a known dialect goes wrong: where
    its line endings change, or where its quoting breaks."""
    path, file, params = readable.path, readable.file, readable.params
    line = dialect.ending_change(path, params["quote"])
    if line is not None:
        return InputError(
            f"{file.path}: line {line} ends in another way than line 1 (CR LF or LF): the"
            " file mixes line endings, as two extracts put together do",
            "convert the file to one kind of line ending (e.g. with dos2unix) and run again",
        )
    delimiter = params["delim"].replace("\\t", "\t")
    line = dialect.quoting_break(path, delimiter, params["quote"], params["escape"])
    if line is not None:
        return InputError(
            f"{file.path}: quoting breaks at line {line}",
            "a quote is left open or stray there: fix that line, or set csv.quote",
        )
    return None


def _selection(
    file: InputFile,
    role: str,
    columns: list[tuple[str, str]],
    types: dict[str, str],
    log_timezone: str,
    *,
    keyless: bool = False,
) -> str:
    """The select list that stages a file's mapped columns (`types`: the file's columns);
    stop on a column it lacks, unless the file is `keyless` (see _keyless_json_is_data)."""
    for column, _ in columns:
        if column not in types and not keyless:
            # With fewer than half of the case's columns, the first line is most likely data
            # (a file without its header line, one value of which may equal a column name):
            # its values are not repeated in the message. Column names go through `example`.
            found = sum(c in types for c, _ in columns)
            listed = ", ".join(f"'{example(t)}'" for t in types) or "none"
            raise InputError(
                f"{file.path}: column {column!r} not found (set in [{role}])",
                f"the file has columns: {listed}"
                if 2 * found >= len(columns)
                else f"{found} of the case's {len(columns)} columns for this file are in it"
                f" ({len(types)} columns read): is its header line missing, or is it split on"
                " another delimiter?",
            )
    return ", ".join(
        _select(file, column, name, types.get(column, "JSON"), log_timezone)
        for column, name in columns
    )


def _keyless_json_is_data(con: duckdb.DuckDBPyConnection, readable: _Readable, role: str) -> bool:
    """Whether a JSON Lines file in which no line has a key is still read: when it is empty
    or holds JSON values that are not objects, its lines are staged and rejected one by one
    (not objects), so that the reconciliation counts them. Objects without keys (`{}`) fall
    to the missing-column error; a file in which no line is JSON stops the run here, as its
    format is likely not JSON Lines at all."""
    row = _read(
        con,
        "SELECT count(*) FILTER (WHERE json_type(json) = 'OBJECT'), count(json_type(json)),"
        f" count(*) FROM {readable.sql()}",
        readable,
    ).fetchone()
    objects, valid, lines = row if row else (0, 0, 0)
    if lines and not valid:
        raise InputError(
            f"{readable.file.path}: no line of the file is JSON",
            f"a JSON Lines file holds one JSON object per line; check format in [{role}]",
        )
    return not objects


def _register(
    con: duckdb.DuckDBPyConnection,
    case: Case,
    source: int,
    role: str,
    file: InputFile,
    entry: Entry,
    digest: Future[str],
    *,
    cached: bool,
    view: str | None = None,
    seen: tuple[int, ...] = (),
    log: tuple[int, AccessLog] | None = None,
    cache_key: str | None = None,
) -> StagedFile:
    con.execute(
        "INSERT INTO input_files VALUES ($source, $role, $path, $format, $rows, $rejected,"
        " $log_source, $name)",
        {
            "log_source": log[0] if log else None,
            "name": log[1].name if log else None,
            "source": source,
            "role": role,
            "path": case.display_path(file.path),
            "format": file.format,
            "rows": entry.rows,
            "rejected": len(entry.rejected),
        },
    )
    return StagedFile(
        source,
        role,
        file,
        entry.rows,
        len(entry.rejected),
        entry.read_as,
        digest,
        cached,
        view,
        seen,
        log[1].name if log else None,
        cache_key,
    )


def _seen(path: Path) -> tuple[int, ...]:
    """What tells a file was changed or replaced: size, modification and change times (the
    latter cannot be set back, as `cp -p` or `rsync -a` set the former) and inode."""
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def check_unchanged(staged: list[StagedFile]) -> None:
    """Stop when an input changed since it was first looked at (before its hash and its
    rows were read), in any format: the outputs would not be those of the recorded file.
    Called once the rows are staged, and again before a run writes its manifest (Parquet
    and cached files are read where they lie while the run goes on, and hashes are read
    in the background)."""
    for s in staged:
        try:
            now = _seen(s.file.path)
        except OSError:
            now = ()
        if now != s.seen:
            raise InputError(
                f"{s.file.path}: the file changed while the run was reading it (its size,"
                " time or identity is not what it was when the run began)",
                "run again once the file is no longer being written",
            )


def _record_rejects(
    con: duckdb.DuckDBPyConnection, source: int, rejected: list[tuple[int, str | None, str]]
) -> None:
    if rejected:
        con.executemany(
            "INSERT INTO rejected_lines VALUES ($source, $line, $column, $reason)",
            [{"source": source, "line": a, "column": b, "reason": c} for a, b, c in rejected],
        )


def readable_file(file: InputFile, work: Path, source: int) -> _Readable:
    """Decide how DuckDB will read a file, transcoding a non-UTF-8 CSV into `work` first."""
    if file.format == "parquet":
        return _Readable(file, file.path, "read_parquet($path)", {}, {})
    if file.format == "jsonl":
        # Objects, not typed columns: every value keeps its text as written, and a line that
        # is not JSON becomes an empty object, whose row is then rejected (not dropped).
        return _Readable(
            file, file.path, "read_ndjson_objects($path, ignore_errors = true)", {}, {}
        )
    options = file.csv
    encoding = (
        transcode.codec(options.encoding) if options.encoding else transcode.detect(file.path)
    )
    path = file.path
    if encoding not in ("utf-8", "utf-8-sig"):
        path = work / f"input-{source}.csv"
        transcode.to_utf8(file.path, encoding, path)
    params: dict[str, Any] = {"header": options.header}
    named = ["all_varchar = true", "header = $header"]
    delimiter = options.delimiter or ("\t" if file.format == "tsv" else None)
    for name, value in (("delim", delimiter), ("quote", options.quote), ("escape", options.escape)):
        if value is not None:
            params[name] = value
            named.append(f"{name} = ${name}")
    function = f"read_csv($path, {', '.join(named)}{{rejects}})"
    return _Readable(file, path, function, params, {"encoding": encoding})


def column_types(
    con: duckdb.DuckDBPyConnection, readable: _Readable, with_rejects: bool = False
) -> list[tuple[str, str]]:
    """The columns of one input file with their types (names and types only: never
    values), detected with the same options as the read itself (the same dialect)."""
    if readable.file.format == "jsonl":
        sql = f"SELECT DISTINCT unnest(json_keys(json)), 'JSON' FROM {readable.sql()} ORDER BY 1"
    else:
        described = f"DESCRIBE SELECT * FROM {readable.sql(with_rejects)}"
        sql = f"SELECT column_name, column_type FROM ({described})"
    return [(row[0], row[1]) for row in _read(con, sql, readable).fetchall()]


def _select(file: InputFile, column: str, name: str, kind: str, log_timezone: str) -> str:
    """How one mapped column is staged. A timestamp that the file already types (Parquet)
    is kept as an instant: there is nothing to parse, and nothing to guess. A naive one is
    local time in the log's zone, read by the same timezone() rule as text (the zone is a
    quoted literal: a view cannot take parameters)."""
    if name == "ts_text" and kind == "TIMESTAMP WITH TIME ZONE":
        return f"{db.quote_ident(column)} AS ts_typed"
    if name == "ts_text" and kind.startswith("TIMESTAMP"):
        zone = db.quote_literal(log_timezone)
        return f"timezone({zone}, CAST({db.quote_ident(column)} AS TIMESTAMP)) AS ts_typed"
    return f"{_column_text(file, column)} AS {db.quote_ident(name)}"


def _column_text(file: InputFile, column: str) -> str:
    """A column's values as text: JSON values as written, others cast (Parquet is typed)."""
    if file.format == "jsonl":
        path = '$."' + column.replace("\\", "\\\\").replace('"', '\\"') + '"'
        return f"json_extract_string(json, {db.quote_literal(path)})"
    return f"CAST({db.quote_ident(column)} AS VARCHAR)"


def _collect_rejects(
    con: duckdb.DuckDBPyConnection, readable: _Readable, source: int
) -> tuple[list[tuple[int, str | None, str]], dict[str, Any]]:
    """Move the CSV rows DuckDB could not read into rejected_lines; return their count and
    the dialect the file was read with."""
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'csv_reject_errors'"
    ).fetchone()
    rejected: list[tuple[int, str | None, str]] = []
    found: tuple[Any, ...] | None = None
    if exists and exists[0]:
        # One row per line: DuckDB records an error per extra or missing column.
        rejected = [
            (int(line), column, reason)
            for line, column, reason in db.run(con, "csv_rejected_lines").fetchall()
        ]
        _record_rejects(con, source, rejected)
        found = con.execute(
            "SELECT delimiter, quote, escape, has_header FROM csv_reject_scans"
            " ORDER BY scan_id DESC LIMIT 1"
        ).fetchone()
        con.execute("DELETE FROM csv_reject_errors")
        con.execute("DELETE FROM csv_reject_scans")
    if found is None and "delimiter" in readable.read_as:
        return rejected, readable.read_as  # read in a dialect set, not sniffed
    if found is None:
        sniff = readable.function.replace("read_csv(", "sniff_csv(").replace("{rejects}", "")
        sniff = sniff.replace("all_varchar = true, ", "")
        found = _read(
            con, f"SELECT delimiter, quote, escape, hasheader FROM {sniff}", readable
        ).fetchone()
    delimiter, quote, escape, header = found or (None, None, None, None)
    return rejected, {
        **readable.read_as,
        "delimiter": delimiter,
        "quote": quote,
        "escape": escape,
        "header": header,
    }


def _json_rejects(
    con: duckdb.DuckDBPyConnection,
    readable: _Readable,
    source: int,
    role: str,
    wanted: list[str],
) -> list[tuple[int, str | None, str]]:
    """Move the JSON Lines records that are not JSON objects into rejected_lines, numbered
    as DuckDB numbers records (blank lines are not records; see json_line_numbers); stop
    when a record names a key the case uses twice (which of its values counts is a guess)."""
    rejected: list[tuple[int, str | None, str]] = []
    for ordinal, valid, repeated in _read(
        con,
        "SELECT ordinality, json_type(json), list_filter(json_keys(json),"
        " lambda k: list_contains($wanted, k)) FROM"
        f" {readable.sql()} WITH ORDINALITY WHERE json_type(json) IS DISTINCT FROM 'OBJECT'"
        " OR len(json_keys(json)) > len(list_distinct(json_keys(json))) ORDER BY ordinality",
        readable,
        {"wanted": wanted},
    ).fetchall():
        if valid == "OBJECT":
            for column in sorted(dialect.duplicates(repeated or [])):
                raise InputError(
                    f"{readable.file.path}: record {ordinal} names the key {column!r}"
                    f" (set in [{role}]) more than once",
                    "a record's key must be named once, so that its value is not a guess",
                )
            continue
        rejected.append(
            (int(ordinal), None, "not valid JSON" if valid is None else "not a JSON object")
        )
    _record_rejects(con, source, rejected)
    return rejected


def _read(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    readable: _Readable,
    params: dict[str, object] | None = None,
) -> duckdb.DuckDBPyConnection:
    """Run a statement that reads a file; turn a read failure into an InputError on that file.

    The engine's message is made safe by `engine_message`: later lines can quote the offending
    line of the file, and the first can quote a value.
    """
    try:
        bound = {"path": db.reader_path(readable.path), **readable.params, **(params or {})}
        return con.execute(sql, bound)
    except duckdb.Error as exc:
        if targets.no_space(exc):
            raise OutputError(
                f"{readable.file.path}: no space left on the disk while reading it:"
                f" {engine_message(exc)}",
                targets.SPACE_HINT,
            ) from exc
        raise InputError(
            f"{readable.file.path}: cannot be read as {readable.file.format}:"
            f" {engine_message(exc)}",
            "check the file's format, or set format / csv options in the case file",
        ) from exc


def line_numbers(
    staged: StagedFile, rows: set[int], records: set[int]
) -> tuple[dict[int, int], dict[int, int]]:
    """Physical lines (1-based, where the row starts) of CSV rows reported to people.

    DuckDB numbers the rows it could read (`rows`: 1, 2, ... among readable data rows), and
    gives the rows it could not read a "line" that counts records, not physical lines
    (`records`: a quoted line break does not count, a blank line does). Both differ from the
    line an investigator opens the file at. One pass with Python's csv module, in the
    dialect the file was read with, maps both; it runs only for the rows that are reported.
    """
    if not (rows or records):
        return {}, {}
    read_as = staged.read_as
    quote = read_as.get("quote")
    escape = read_as.get("escape")
    dialect: dict[str, Any] = {
        "delimiter": (read_as.get("delimiter") or ",").replace("\\t", "\t"),
        "quotechar": quote if quote and quote != "(empty)" else None,
        "doublequote": escape in (None, "(empty)", quote),
        "escapechar": escape if escape not in (None, "(empty)", quote) else None,
    }
    if dialect["quotechar"] is None:
        dialect["quoting"] = csv.QUOTE_NONE
    by_row: dict[int, int] = {}
    by_record: dict[int, int] = {}
    header = bool(read_as.get("header", True))
    encoding = read_as.get("encoding", "utf-8")
    with (
        transcode.decompressing(staged.file.path),
        transcode.open_binary(staged.file.path) as raw,
        io.TextIOWrapper(
            raw,
            encoding=_python_codec(encoding),
            errors="latin1_fallback" if encoding == "cp1252" else "strict",
            newline="",
        ) as text,
    ):
        reader = csv.reader(text, **dialect)
        ordinal, previous = 0, 0
        for record_no, record in enumerate(reader, start=1):
            start, previous = previous + 1, reader.line_num
            if record_no in records:
                by_record[record_no] = start
            elif record and not (header and record_no == 1):
                ordinal += 1
                if ordinal in rows:
                    by_row[ordinal] = start
            if len(by_row) == len(rows) and len(by_record) == len(records):
                break
    return by_row, by_record


def json_line_numbers(staged: StagedFile, records: set[int]) -> dict[int, int]:
    """Physical lines (1-based) of JSON Lines records reported to people. DuckDB numbers
    the records of a file and skips the lines that hold only blanks (ASCII whitespace, or a
    byte-order mark alone on the first line); counting the other lines maps a record to its
    line. Empty, so that the records are reported by number and never by a wrong line, when
    the count does not come out at the file's number of records, or when DuckDB and Python
    would not read the same bytes (DuckDB decompresses by the file's extension, Python by its
    first bytes, and only gzip)."""
    if not records:
        return {}
    path = staged.file.path
    name = path.name.lower()
    if transcode.is_gzip(path) != name.endswith(".gz") or name.endswith(".zst"):
        return {}
    lines: dict[int, int] = {}
    record = 0
    with transcode.decompressing(path), transcode.open_binary(path) as raw:
        for line_no, line in enumerate(raw, start=1):
            if line_no == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")
            if not line.strip():
                continue
            record += 1
            if record in records:
                lines[record] = line_no
    if record != staged.rows + staged.rejected_lines:
        return {}
    return lines


def _python_codec(encoding: str) -> str:
    """The codec Python reads a file with, as the staging step read it."""
    if encoding == "utf-8":
        return "utf-8-sig"
    if encoding == "cp1252":
        return "cp1252"
    return encoding
