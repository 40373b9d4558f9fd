"""The engine boundary: opening DuckDB, finding the query files, and running SQL.

All SQL runs through `run` (or `run_sql` for statements built from the case), which logs the
query name and the names of its parameters, never their values (values may be personal data),
and re-raises engine errors as `QueryError` naming the query.

Every packaged query that ran on a connection is recorded on it (`ran`): a run's manifest
lists those, and only those, so that it names the queries that made its numbers and not the
ones that could have run (a "did you mean" lookup runs only when an actor has no event).
"""

from __future__ import annotations

import glob
import hashlib
import logging
import os
import re
import time
import weakref
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from scoping import targets
from scoping.errors import OutputError, QueryError, engine_message

log = logging.getLogger("scoping.db")

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Settings:
    """Engine resources; recorded in the manifest."""

    memory_limit: str | None = None
    threads: int | None = None
    temp_directory: str | None = None
    cache: bool = True  # reuse staged inputs across commands (see scoping.cache)
    cache_dir: str | None = None


# A memory limit as DuckDB reads it: a positive amount and a unit of bytes. DuckDB itself
# takes "-5GB" as no limit at all, and fails on "garbage" only once the run has started.
_MEMORY_LIMIT = re.compile(
    r"\s*(?P<amount>[0-9]+(\.[0-9]+)?)\s*(?P<unit>[KMGT]i?B|B|bytes)?\s*", re.IGNORECASE
)


# Below this DuckDB cannot even start a query ("2KB" fails when it is set). Above the largest
# byte count it stores (a 64-bit number), DuckDB fails only once the run has started.
MIN_MEMORY = 100 * 10**6
MAX_MEMORY = 2**63 - 1


def memory_limit_problem(text: str) -> str | None:
    """Why `text` is not a memory limit (None when it is one, e.g. 2GB, 500MB, 1.5GiB)."""
    match = _MEMORY_LIMIT.fullmatch(text)
    if not match or not match.group("unit"):
        return f"{text!r} is not an amount of memory with its unit, such as 2GB or 500MB"
    unit = match.group("unit").lower()
    # B and bytes are the power 0; KB is 1000 bytes, KiB 1024.
    size = (1024 if unit.endswith("ib") else 1000) ** "bkmgt".index(unit[0])
    amount = Fraction(match.group("amount")) * size  # exact: no float rounds 1e20 bytes
    if amount < MIN_MEMORY:
        return f"{text!r} is too little memory to run: give at least 100MB, such as 2GB"
    if amount > MAX_MEMORY:
        return f"{text!r} is more memory than DuckDB can address: give an amount such as 2GB"
    return None


@dataclass(frozen=True)
class Query:
    """One .sql file: its name, what its header says it computes, its parameters and hash."""

    name: str
    path: Path
    text: str
    description: str
    params: tuple[str, ...]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


DEFAULTS = Settings()


def queries_dir() -> Path:
    """Where the query files are: inside the installed package, or beside it in a checkout.

    A built wheel carries them as `scoping/queries`; an editable install imports `scoping`
    from the source tree, where they sit in the top-level `queries/` folder.
    """
    packaged = Path(str(resources.files("scoping"))) / "queries"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "queries"
    if checkout.is_dir():
        return checkout
    raise QueryError("the query files were not found", "reinstall scoping")


def parse_query(path: Path) -> Query:
    """Read a query file and its header comment (description and `-- Parameters:` line)."""
    text = path.read_text(encoding="utf-8")
    description: list[str] = []
    params: tuple[str, ...] = ()
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        body = line[2:].strip()
        if body.lower().startswith("parameters:"):
            params = tuple(_PARAM.findall(body))
        elif body:
            description.append(body)
    return Query(path.stem, path, text, " ".join(description), params)


@cache
def catalogue() -> dict[str, Query]:
    """Every packaged query by name."""
    return {p.stem: parse_query(p) for p in sorted(queries_dir().glob("*.sql"))}


def query(name: str) -> Query:
    try:
        return catalogue()[name]
    except KeyError:
        raise QueryError(f"no query named {name!r}") from None


def connect(settings: Settings = DEFAULTS, spill: Path | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with UTC as its session zone and the resources asked for;
    `spill` is where it spills (a private folder inside the temp directory asked for:
    see private.work_folder)."""
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")
    # DuckDB's own progress bar would draw on the terminal; the CLI shows its own on stderr.
    con.execute("SET enable_progress_bar = false")
    # The allocator hands freed memory back to the system in the background: the memory
    # limit bounds what DuckDB holds, not what the process keeps resident. At 10M customers
    # x 100M events with a 2GB limit the peak went from 1.21-1.24 to 1.16-1.18 times the
    # limit over repeated runs, at the same speed.
    con.execute("SET allocator_background_threads = true")
    if settings.memory_limit:
        con.execute(f"SET memory_limit = {quote_literal(settings.memory_limit)}")
    if settings.threads:
        # More threads than the machine has CPUs only adds switching, and DuckDB starts every
        # one it is given: a mistyped --threads 100000 would start 100,000 of them. The
        # manifest records the number asked for and the number used.
        con.execute(f"SET threads = {min(int(settings.threads), os.cpu_count() or 1)}")
    temp = str(spill) if spill else settings.temp_directory
    if temp:
        con.execute(f"SET temp_directory = {quote_literal(temp)}")
    return con


def lock(con: duckdb.DuckDBPyConnection, directories: list[Path], files: list[Path]) -> None:
    """From now on the engine reaches only `directories` (and what is inside them) and
    `files`, on disk, and nothing on the network; it installs and loads no extension, and
    no statement can change its settings again (DuckDB's lock_configuration). Spilling to
    the temp directory goes on. Set once the case is computed, before anyone's SQL runs."""
    con.execute(
        "SET allowed_directories = $d", {"d": [str(d.resolve()) + os.sep for d in directories]}
    )
    con.execute("SET allowed_paths = $p", {"p": [str(f.resolve()) for f in files]})
    con.execute("SET enable_external_access = false")
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    con.execute("SET lock_configuration = true")


def effective_settings(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The resources DuckDB actually runs with (for the manifest)."""
    row = con.execute(
        "SELECT current_setting('memory_limit'), current_setting('threads'),"
        " current_setting('temp_directory')"
    ).fetchone()
    assert row is not None
    return {
        "effective_memory_limit": row[0],
        "effective_threads": row[1],
        "effective_temp_directory": row[2],
    }


# The packaged queries each connection has run, each once, in the order they first ran (a
# dict keeps insertion order). Held weakly: a closed and dropped connection takes its record.
_RAN: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[str, None]] = (
    weakref.WeakKeyDictionary()
)


def record(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Note that the packaged query `name` ran on `con`. `run` does it; a caller that runs a
    statement built around a packaged query's text (a COPY of a report) does it once that
    statement has run."""
    query(name)  # only packaged queries are recorded: an unknown name is a bug
    _RAN.setdefault(con, {})[name] = None


def ran(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The packaged queries that ran on `con`, each once, in the order they first ran."""
    return list(_RAN.get(con, {}))


def run(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> duckdb.DuckDBPyConnection:
    """Run a packaged query by name with bound parameters (recorded on `con`: see `ran`)."""
    q = query(name)
    params = params or {}
    if set(params) != set(q.params):
        raise QueryError(
            f"query {name!r} takes parameters {sorted(q.params)}, was given {sorted(params)}"
        )
    result = run_sql(con, name, q.text, params)
    record(con, name)
    return result


def run_sql(
    con: duckdb.DuckDBPyConnection, name: str, sql: str, params: dict[str, Any] | None = None
) -> duckdb.DuckDBPyConnection:
    """Run one statement; name it in the log and in any error."""
    log.debug("query %s params=%s", name, sorted(params or {}))
    started = time.perf_counter()
    try:
        result = con.execute(sql, params or {})
    except duckdb.Error as exc:
        if targets.no_space(exc):
            # Spilling (--temp-dir) or writing an output: the place, not the query, failed.
            raise OutputError(
                f"query {name!r}: no space left on the disk: {engine_message(exc)}",
                targets.SPACE_HINT,
            ) from exc
        raise QueryError(f"query {name!r} failed: {engine_message(exc)}") from exc
    log.debug("query %s took %.2f s", name, time.perf_counter() - started)
    return result


def fetch_dicts(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Rows of a packaged query as dicts (for small results only: counts, not customers)."""
    cur = run(con, name, params)
    columns = [d[0] for d in cur.description or ()]
    return [dict(zip(columns, row, strict=True)) for row in cur.fetchall()]


def quote_ident(name: str) -> str:
    """The one way identifiers from a case file enter SQL: double-quoted, quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


def reader_path(path: Path | str) -> str:
    """A file's path as DuckDB's readers (read_csv, read_parquet, read_ndjson_objects) take
    it: they read it as a glob pattern, so that `log[1].csv` would read `log1.csv`, and
    `INC[42]/a.csv` the file of a folder `INC4`. Escaping `[`, `*` and `?` in brackets
    makes the pattern match the one file named, and nothing else."""
    return glob.escape(str(path))


def quote_literal(value: str) -> str:
    """For the few places DuckDB takes no bound parameter (SET, COPY targets)."""
    return "'" + value.replace("'", "''") + "'"
