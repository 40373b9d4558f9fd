"""Questions investigators ask, on the same tables and definitions as the official counts.

A session computes a case exactly as `run` does (same staging, same rules, same checks), or
reads the tables of that computation from the staging cache when an earlier command kept
them for this very case (pipeline.computed), and then answers named queries (the built-in
ones in queries/ask/ and the investigators' own folders), ad-hoc SQL, the actor ranking, or
copies every table into a DuckDB file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from scoping import db, outputs, pipeline, private, targets
from scoping.case import Case
from scoping.errors import CaseError, QueryError

# The tables and views a session offers, for export-db and for people writing SQL.
VIEWS = (
    "customers",
    "access_log",
    "access_log_status",
    "access_log_rows",
    "access_log_scoped",
    "event_counts",
    "events_in_scope",
    "exposure",
    "affected_customers",
    "customer_actor_exposure",
    "actor_events",
    "actor_days",
    "fields",
    "action_map",
    "scope_actors",
    "scope_window",
    "input_files",
    "rejected_lines",
)
RECIPIENT_VIEWS = (
    "recipients",
    "recipient_contacts",
    "recipient_phones",
    "person_links",
    "person_labels",
)
# Macros that export-db writes into the file, so that the documented examples work in any DuckDB
# client: each reads only its arguments and the exported tables (not the session's options).
EXPORT_MACROS = (
    "macro_mask_fields",
    "macro_clean_text",
    "macro_has_text",
    "macro_format_utc",
    "macro_parse_date",
)
# The storage format export-db writes: DuckDB 2.0 writes storage version 69 by default,
# which the DuckDB CLI 1.5 (the newest on PyPI) cannot open; 1.0's is read by DuckDB 1.0
# and every later release.
EXPORT_STORAGE_VERSION = "v1.0.0"


@dataclass(frozen=True)
class Session:
    case: Case
    con: duckdb.DuckDBPyConnection
    queries: dict[str, db.Query]
    has_recipients: bool
    reused: bool = False  # the computed tables were read from the staging cache


def builtin_dir() -> Path:
    return db.queries_dir() / "ask"


def catalogue(case: Case | None, extra: tuple[Path, ...] = ()) -> dict[str, db.Query]:
    """Named queries: built-in, then the case's folders, then --queries folders.

    A name found in two places is an error, never a silent pick."""
    folders = [builtin_dir(), *(case.query_dirs if case else ()), *extra]
    found: dict[str, db.Query] = {}
    for folder in folders:
        if not folder.is_dir():
            raise CaseError(f"{folder}: query folder not found", "check --queries")
        for path in sorted(folder.glob("*.sql")):
            query = db.parse_query(path)
            if query.name in found:
                raise CaseError(
                    f"query {query.name!r} is defined twice: {found[query.name].path} and {path}",
                    "rename one of them",
                )
            found[query.name] = query
    return found


@contextlib.contextmanager
def session(
    case: Case,
    options: pipeline.RunOptions | None = None,
    extra: tuple[Path, ...] = (),
    progress: pipeline.Progress = pipeline._quiet,
    outputs: tuple[tuple[Path, bool], ...] = (),
) -> Iterator[Session]:
    """A computed case (loaded by the caller, who may check a query against it first),
    ready for questions.

    `outputs` are the files the caller will write, each with its --force: they are checked
    against the case's files before the case is computed, not after."""
    queries = catalogue(case, extra)
    options = options or pipeline.RunOptions()
    guarded = pipeline.guarded(case, options, extra)
    for path, force in outputs:
        targets.check_file(path, force, guarded)
    with pipeline.computed(case, options, progress) as done:
        _lock(done.prep, outputs)
        yield Session(
            case, done.prep.con, queries, done.built is not None, bool(done.tables.get("reused"))
        )


def _lock(prep: pipeline.Prepared, files: tuple[tuple[Path, bool], ...]) -> None:
    """Lock the engine (db.lock) to what the session needs: the inputs and the staging
    cache's entries that views read where they lie (staged inputs, kept tables), and the
    temporary name of each output the command writes (a file, or a private folder for
    export-db)."""
    readable = [f.path for f in prep.case.input_files]
    cached = prep.cache.read if prep.cache is not None else []
    partials = [private.partial_name(path) for path, _ in files]
    db.lock(prep.con, partials, [*readable, *cached, *partials])


def bind(query: db.Query, given: dict[str, str]) -> dict[str, str]:
    """Check the parameters given against those the query declares."""
    missing = sorted(set(query.params) - set(given))
    unexpected = sorted(set(given) - set(query.params))
    if missing or unexpected:
        parts = []
        if missing:
            parts.append(f"missing {', '.join(missing)}")
        if unexpected:
            parts.append(f"unexpected {', '.join(unexpected)}")
        declared = ", ".join(query.params) or "none"
        raise QueryError(
            f"query {query.name!r}: {'; '.join(parts)} (it takes: {declared})",
            "pass each as -p name=value",
        )
    return given


# Parameters that name something of the case's data: the query that looks it up, and what to
# say when the data does not hold it. An empty result then means "no such customer/actor",
# not "nobody looked at them"; the note never repeats the value (it may be personal data).
LOOKUPS = {
    "customer": ("known_customer", "no customer with that key in the customer table"),
    "actor": ("known_actor", "no actor of that name in the access logs"),
}


def not_found(s: Session, params: dict[str, str]) -> list[str]:
    """One note per bound parameter that names a customer key or an actor which the case's
    data does not hold (any named query, built-in or the investigators' own)."""
    notes = []
    for name, (lookup, note) in LOOKUPS.items():
        if name in params:
            found = db.run(s.con, lookup, {name: params[name]}).fetchone()
            if not (found and found[0]):
                notes.append(f"-p {name}: {note}")
    return notes


def parse_params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"parameter {pair!r} is not name=value", "e.g. -p actor=PRT-0042")
        params[name.strip()] = value
    return params


def statement(sql: str) -> str:
    """One statement of the user's, without its final semicolon."""
    statements = _parse(sql)
    if len(statements) != 1:
        raise QueryError(f"give one statement, not {len(statements)}")
    kind = _kind(statements[0])
    # Read only: a COPY, ATTACH, INSTALL or CREATE would write the case's personal data where
    # no output rule applies (a COPY TO wrote a file readable by everyone), or fetch code.
    # Decided by the parsed type of the statement, and of the one an EXPLAIN wraps (EXPLAIN
    # ANALYZE runs it); the session's engine is locked below that (db.lock).
    if kind is not duckdb.StatementType.SELECT:
        # DuckDB gives INSTALL the type LOAD: name both, as the user may have written either.
        name = "an INSTALL or LOAD" if kind is duckdb.StatementType.LOAD else f"a {kind.name}"
        raise QueryError(
            f"{name} statement cannot be run here: only a query"
            " (SELECT, FROM, WITH, SHOW, DESCRIBE, SUMMARIZE, EXPLAIN of a query),"
            " which reads the case",
            "to keep a result, add -f csv -o FILE: it is written readable by you only",
        )
    return sql.strip().rstrip(";")


def _parse(sql: str) -> list[Any]:
    try:
        return list(duckdb.connect().extract_statements(sql))
    except duckdb.Error as exc:
        raise QueryError(f"the SQL does not parse: {str(exc).splitlines()[0]}") from None


def _kind(parsed: Any) -> duckdb.StatementType:
    """A statement's type; for an EXPLAIN, the type of the statement it explains."""
    if parsed.type is not duckdb.StatementType.EXPLAIN:
        return parsed.type  # type: ignore[no-any-return]
    inner = _parse(_explained(parsed.query))
    if len(inner) != 1:
        raise QueryError("an EXPLAIN must wrap one statement")
    return _kind(inner[0])


def _explained(text: str) -> str:
    """The statement an EXPLAIN wraps: what follows the keyword EXPLAIN, its ANALYZE and its
    options in brackets, found with DuckDB's own tokenizer (comments and case included)."""
    found = duckdb.tokenize(text)
    ends = [*(start for start, _ in found[1:]), len(text)]
    tokens = [
        (start, text[start:end].strip().lower())
        for (start, kind), end in zip(found, ends, strict=True)
        if kind != duckdb.token_type.comment
    ]
    if not tokens or tokens[0][1] != "explain":
        raise QueryError("the EXPLAIN statement could not be read", "write EXPLAIN SELECT ...")
    i, depth = 1, 0
    while i < len(tokens):
        word = tokens[i][1]
        if word == "(":
            depth += 1
        elif word == ")":
            depth -= 1
        elif depth == 0 and word not in ("analyze", "analyse"):
            return text[tokens[i][0] :]
        i += 1
    raise QueryError("an EXPLAIN must wrap a statement", "write EXPLAIN SELECT ...")


def export_db(s: Session, target: Path, force: bool) -> list[str]:
    """Copy every table and view of the session, and the macros of EXPORT_MACROS, into a
    DuckDB file (mode 0600) in a storage format that older clients open (see
    EXPORT_STORAGE_VERSION). Integer columns are BIGINT, as in every output."""
    targets.check_file(target, force)
    names = [*VIEWS, *(RECIPIENT_VIEWS if s.has_recipients else ())]
    # DuckDB writes the database and its .wal inside a private folder beside the target
    # (the one name the session's engine may write to: see _lock), from their first byte.
    scratch = private.partial_name(target)
    with targets.writing(target):
        if scratch.is_symlink():  # a killed export's folder is removed; a link only unlinked
            scratch.unlink()
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(mode=private.DIR_MODE)
        os.chmod(scratch, private.DIR_MODE)
    tmp = scratch / target.name
    row = s.con.execute("SELECT current_database()").fetchone()
    assert row is not None
    home = db.quote_ident(row[0])
    try:
        s.con.execute(
            f"ATTACH {db.quote_literal(str(tmp))} AS export_db"
            f" (STORAGE_VERSION {db.quote_literal(EXPORT_STORAGE_VERSION)})"
        )
        for name in names:
            select = outputs.output_query(s.con, name, f"FROM {db.quote_ident(name)}").select
            db.run_sql(
                s.con,
                f"export {name}",
                f"CREATE TABLE export_db.{db.quote_ident(name)} AS {select}",
            )
        # A macro is created in the default database: the file's, for a moment.
        s.con.execute("USE export_db")
        try:
            for macro in EXPORT_MACROS:
                db.run(s.con, macro)
        finally:
            s.con.execute(f"USE {home}")
        s.con.execute("DETACH export_db")
        with targets.writing(target):
            os.chmod(tmp, private.FILE_MODE)
            tmp.replace(target)
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            s.con.execute("DETACH export_db")
        raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return names


def rows(
    con: duckdb.DuckDBPyConnection, name: str, sql: str, params: dict[str, Any]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """A small result in memory (for tables on the terminal); `name` names it in errors."""
    cur = db.run_sql(con, name, sql, params)
    return [d[0] for d in cur.description or ()], cur.fetchall()


@dataclass(frozen=True)
class Ranking:
    rows: list[dict[str, Any]]
    daily: dict[str, list[int]]  # actor -> events per day over the whole span
    days: list[str]


def ranking(s: Session) -> Ranking:
    """The actor_ranking query, plus each actor's events per day for a sparkline."""
    q = s.queries["actor_ranking"]
    cur = db.run_sql(s.con, q.name, q.text, {})
    columns = [d[0] for d in cur.description or ()]
    ranked = [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]
    days = [
        str(d)
        for (d,) in s.con.execute(
            "SELECT CAST(range AS DATE) FROM range("
            "(SELECT min(day) FROM actor_days), (SELECT max(day) FROM actor_days) + 1,"
            " INTERVAL 1 DAY)"
        ).fetchall()
    ]
    position = {d: i for i, d in enumerate(days)}
    daily: dict[str, list[int]] = {}
    for actor, day, events in s.con.execute(
        "SELECT actor, CAST(day AS VARCHAR), events FROM actor_days"
    ).fetchall():
        daily.setdefault(actor, [0] * len(days))[position[day]] = events
    return Ranking(ranked, daily, days)


def write_actors_file(path: Path, actors: list[str], force: bool) -> None:
    """A scope's actors file (one account per line) for the next wave's case, readable by
    its owner only (0600), like every output: the accounts are a suspect list."""
    targets.check_file(path, force)
    lines = ["# actors for [scope] actors_file, written by scoping actors", *sorted(set(actors))]
    outputs.write_private_text(path, "\n".join(lines) + "\n")
