"""The staging cache: each input file staged once, reused by every later command.

Parsing a large CSV is the slowest step of a run, and investigators run many commands on
the same extracts. What staging produced for one file (its rows as text, the lines DuckDB
could not read, how it was read) is kept as Parquet, under a key made of the file's SHA-256
and everything that shapes the staged rows: the statement (columns, names, masks), the read
options, the staging rules' own version (STAGING_FORMAT), the tool's and DuckDB's versions.
Change any of them and the key changes; nothing is ever invalidated by time or guessed from
a file's date.

A computed case is kept too (`store_tables`, `load_tables`): the tables its computation made
from the staged inputs (the lines in play, the exposure, the bucket counts...), one Parquet
file each, with what the checks found, under a key of everything that determines them (the
inputs' hashes, the whole case, every packaged query's SHA-256, the format of what is kept
here, TABLES_FORMAT, and the versions). The investigation commands define the same tables
over those files instead of computing the case again.

The cache holds personal data: its folder is private (0700) and its files 0600. A folder
scoping creates is made 0700; the mode of a folder it did not create is never changed (a
shared folder such as /tmp must stay open to its other users): an existing folder that is
not already private to this user holds the cache in a private subfolder of its own
(`folder_for`), so that nobody else can read the entries or plant one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import duckdb

import scoping
from scoping import db, private, targets
from scoping.errors import OutputError, QueryError
from scoping.hashing import sha256_file
from scoping.interrupts import notices

T = TypeVar("T")

log = logging.getLogger("scoping.cache")

# Raised whenever staging changes what it makes of the same file under the same case (2: JSON
# Lines records that are not objects are rejected lines, not rows; 3: a CSV row with several
# extra or missing columns is one rejected line, not one per column; 4: a CSV file whose
# values kept their quotes, or that DuckDB's sniffer could not read, is read again in a usual
# dialect), so that no entry written under the old rules is reused.
STAGING_FORMAT = 4
# Raised whenever what a kept computation holds, or how its files are written or read back,
# changes, so that no entry kept under the old rules is read.
TABLES_FORMAT = 1
# The column types a Parquet file gives back exactly as DuckDB wrote them (and lists of
# them). HUGEINT (a sum of counts) is written as DECIMAL(38,0), which holds every one of its
# values, and cast back: DuckDB would write it as a DOUBLE. A table with any other type is
# not kept (it would not read back as it was).
_EXACT = re.compile(
    r"(BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT"
    r"|DOUBLE|VARCHAR|BLOB|DATE|TIMESTAMP|TIMESTAMP WITH TIME ZONE|DECIMAL\([0-9]+,[0-9]+\))"
    r"(\[\])*"
)
_WIDE = {"HUGEINT": "DECIMAL(38,0)"}


@dataclass(frozen=True)
class Entry:
    """What staging one file produced, apart from its rows."""

    rows: int
    rejected: list[tuple[int, str | None, str]]  # (line, column, reason)
    read_as: dict[str, Any]


@dataclass(frozen=True)
class Cache:
    folder: Path
    # The entries' Parquet files that views read where they lie (filled by `load`): the
    # only ones of the folder an investigation's locked engine may read.
    read: list[Path] = field(default_factory=list, compare=False)

    def key(self, file_sha256: str, statement: str, options: dict[str, Any]) -> str:
        return _digest(
            {
                "file": file_sha256,
                "statement": statement,
                "options": options,
                "staging_format": STAGING_FORMAT,
            }
        )

    def load(
        self, con: duckdb.DuckDBPyConnection, key: str, view: str, source: int
    ) -> Entry | None:
        """Create `view` over a cached file's rows, as file number `source` (read where they
        lie, never copied into memory); None on a miss. A damaged entry (an empty or cut
        .json, a Parquet file without its footer or with another row count, as a full disk
        or a killed run leaves them) is a miss too: staging reads the file again and writes
        the entry anew, instead of every later command failing on it."""
        meta, rows = self._paths(key)
        if not (meta.is_file() and rows.is_file()):
            return None
        entry = _read_entry(meta)
        located = db.quote_literal(db.reader_path(rows))
        try:
            counted = con.execute(f"SELECT count(*) FROM read_parquet({located})").fetchone()
        except duckdb.Error:
            return None
        if entry is None or counted is None or counted[0] != entry.rows:
            return None
        db.run_sql(
            con,
            "load staging cache",
            f"CREATE OR REPLACE VIEW {db.quote_ident(view)} AS SELECT {int(source)} AS"
            f" source_file, * FROM read_parquet({located})",
        )
        self.read.append(rows)
        return entry

    def store(
        self, con: duckdb.DuckDBPyConnection, key: str, table: str, source: int, entry: Entry
    ) -> None:
        """Keep one staged file: its rows (without the file number) and its entry."""
        meta, rows = self._paths(key)
        # Both files are written under a temporary name and renamed into place (the rows
        # first, the entry that vouches for them last): a reader finds a whole entry or none.
        partial = private.partial_name(rows)
        try:
            db.run_sql(
                con,
                "store staging cache",
                f"COPY (SELECT * EXCLUDE (source_file) FROM {db.quote_ident(table)}"
                f" WHERE source_file = $source ORDER BY source_row)"
                f" TO {db.quote_literal(str(partial))} (FORMAT parquet)",
                {"source": source},
            )
            os.chmod(partial, private.FILE_MODE)
            partial.replace(rows)
        finally:
            partial.unlink(missing_ok=True)
        text = json.dumps(
            {"rows": entry.rows, "rejected": entry.rejected, "read_as": entry.read_as}
        )
        private.write_file(meta, text.encode("utf-8"))

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.folder / f"{key}.json", self.folder / f"{key}.parquet"

    def tables_key(self, material: dict[str, Any]) -> str:
        """The key of a computed case: `material` (what determines its tables) with the
        format of what is kept and the versions that compute and read it."""
        return _digest({"computed": material, "tables_format": TABLES_FORMAT})

    def store_tables(
        self,
        con: duckdb.DuckDBPyConnection,
        key: str,
        tables: tuple[str, ...],
        found: dict[str, Any],
    ) -> bool:
        """Keep the tables of a computed case and what its checks `found` (JSON). Each
        table is written under a temporary name and renamed into place, and the entry that
        vouches for them (their rows, types, sizes and SHA-256) last, so that a reader finds
        a whole entry or none. False, and nothing kept, when a table has a column type that
        Parquet would not give back as it was."""
        described = {name: _columns(con, name) for name in tables}
        for name, columns in described.items():
            odd = [t for _, t in columns if t not in _WIDE and not _EXACT.fullmatch(t)]
            if odd:
                log.debug("table %s not kept: a column of type %s", name, odd[0])
                return False
        meta = self._tables_meta(key)
        # A damaged entry under the same key is replaced: its entry goes first.
        meta.unlink(missing_ok=True)
        record: dict[str, Any] = {}
        for name, columns in described.items():
            path = self._table_path(key, name)
            select = ", ".join(
                f"CAST({db.quote_ident(c)} AS {_WIDE[t]}) AS {db.quote_ident(c)}"
                if t in _WIDE
                else db.quote_ident(c)
                for c, t in columns
            )
            partial = private.partial_name(path)
            try:
                cur = db.run_sql(
                    con,
                    "store computed tables",
                    f"COPY (SELECT {select} FROM {db.quote_ident(name)})"
                    f" TO {db.quote_literal(str(partial))} (FORMAT parquet)",
                )
                row = cur.fetchone()
                os.chmod(partial, private.FILE_MODE)
                partial.replace(path)
            finally:
                partial.unlink(missing_ok=True)
            record[name] = {
                "file": path.name,
                "rows": int(row[0]) if row else 0,
                "columns": [[c, t] for c, t in columns],
                "size": path.stat().st_size,
                "sha256": sha256_file(path),
            }
        text = json.dumps({"tables_format": TABLES_FORMAT, "tables": record, "found": found})
        private.write_file(meta, text.encode("utf-8"))
        return True

    def has_tables(self, con: duckdb.DuckDBPyConnection, key: str, tables: tuple[str, ...]) -> bool:
        """Whether the cache holds these tables, whole, under `key`."""
        return self._whole_tables(con, key, tables) is not None

    def load_tables(
        self, con: duckdb.DuckDBPyConnection, key: str, tables: tuple[str, ...]
    ) -> dict[str, Any] | None:
        """Define `tables` as views over a kept computation's files (read where they lie,
        each column cast back to the type it was computed with) and return what its checks
        found; None on a miss. An entry that is not whole (its .json missing, cut or of
        another format, a table missing, a file of another size, SHA-256 or row count, as a
        full disk, a killed command or a damaged disk leave them) is a miss too, and nothing
        is defined: the case is computed again and the entry written anew."""
        entry = self._whole_tables(con, key, tables)
        if entry is None:
            return None
        for name in tables:
            path = self._table_path(key, name)
            columns = ", ".join(
                f"CAST({db.quote_ident(c)} AS {t}) AS {db.quote_ident(c)}"
                for c, t in entry["tables"][name]["columns"]
            )
            located = db.quote_literal(db.reader_path(path))
            # A table the case's own definitions made (the action map) gives way to the kept one.
            con.execute(f"DROP TABLE IF EXISTS {db.quote_ident(name)}")
            db.run_sql(
                con,
                "load computed tables",
                f"CREATE VIEW {db.quote_ident(name)} AS SELECT {columns}"
                f" FROM read_parquet({located})",
            )
            self.read.append(path)
        return dict(entry["found"])

    def _whole_tables(
        self, con: duckdb.DuckDBPyConnection, key: str, tables: tuple[str, ...]
    ) -> dict[str, Any] | None:
        """A kept computation's entry when it and every file it vouches for are whole."""
        entry = _read_tables(self._tables_meta(key), tables)
        if entry is None:
            return None
        for name in tables:
            kept, path = entry["tables"][name], self._table_path(key, name)
            if kept["file"] != path.name:
                return None
            if not _whole(con, path, kept["size"], kept["sha256"], kept["rows"]):
                return None
        return entry

    def _table_path(self, key: str, table: str) -> Path:
        return self.folder / f"{key}.{table}.parquet"

    def _tables_meta(self, key: str) -> Path:
        return self.folder / f"{key}.tables.json"


def _digest(material: dict[str, Any]) -> str:
    """A cache key: the SHA-256 of `material` with the versions of the tool and the engine
    that made and read what it names."""
    text = json.dumps(
        {**material, "scoping": scoping.__version__, "duckdb": duckdb.__version__},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unless_full(folder: Path, what: str, store: Callable[[], T]) -> T | None:
    """Run `store`, which writes into the cache; when the cache's disk is full, go on
    without it (the cache only saves time), say so with `what` (what was not kept and how
    the command goes on), and return None."""
    try:
        return store()
    except (OSError, QueryError, OutputError) as exc:
        if not targets.no_space(exc):
            raise
        notices.warning(
            "the staging cache %s is on a full disk: %s (free some space, or pass --no-cache)",
            folder,
            what,
        )
        return None


def _read_entry(meta: Path) -> Entry | None:
    """An entry's .json, or None when it is not one that `store` wrote whole."""
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        entry = Entry(
            int(data["rows"]),
            [(line, column, reason) for line, column, reason in data["rejected"]],
            dict(data["read_as"]),
        )
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return entry


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """A table's columns and their types, in order."""
    cur = db.run_sql(con, "describe computed table", f"DESCRIBE {db.quote_ident(table)}")
    return [(str(r[0]), str(r[1])) for r in cur.fetchall()]


def _read_tables(meta: Path, tables: tuple[str, ...]) -> dict[str, Any] | None:
    """A kept computation's .json, or None when it is not one that `store_tables` wrote
    whole, under this format, for these tables."""
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        ok = (
            data["tables_format"] == TABLES_FORMAT
            and set(data["tables"]) == set(tables)
            and isinstance(data["found"], dict)
            and all(
                isinstance(data["tables"][name][part], kind)
                for name in tables
                for part, kind in (
                    ("file", str),
                    ("rows", int),
                    ("size", int),
                    ("sha256", str),
                    ("columns", list),
                )
            )
        )
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return data if ok else None


def _whole(con: duckdb.DuckDBPyConnection, path: Path, size: int, sha256: str, rows: int) -> bool:
    """Whether a kept file is the one its entry vouches for: its size and SHA-256, and the
    rows its Parquet footer holds."""
    try:
        if path.stat().st_size != size or sha256_file(path) != sha256:
            return False
        located = db.quote_literal(db.reader_path(path))
        counted = con.execute(f"SELECT count(*) FROM read_parquet({located})").fetchone()
    except (OSError, duckdb.Error):
        return False
    return counted is not None and counted[0] == rows


def _uid() -> int:
    return os.getuid() if hasattr(os, "getuid") else -1


def _private(folder: Path) -> bool:
    """A folder of this user's that nobody else may read, enter or write."""
    info = folder.stat()
    mine = _uid() in (-1, info.st_uid)
    return stat.S_ISDIR(info.st_mode) and mine and not info.st_mode & 0o077


def folder_for(chosen: Path) -> Path:
    """Where the cache lives when `chosen` is asked for: `chosen` itself when it does not
    exist yet (it is then created private) or is already private to this user, else a
    private subfolder of it, `scoping-cache-<uid>`."""
    if not chosen.exists() or not chosen.is_dir() or _private(chosen):
        return chosen
    return chosen / f"scoping-cache-{_uid()}"


def open_cache(chosen: Path) -> Cache:
    """The cache in `folder_for(chosen)`, created 0700 when missing; an OutputError when it
    cannot be: `chosen` is a file, the place cannot be written, or the folder exists and
    someone else could reach it (it is then left as it is)."""
    if chosen.exists() and not chosen.is_dir():
        raise OutputError(
            f"--cache-dir {chosen}: is not a folder",
            "give a folder (it is created private when it does not exist), or pass --no-cache",
        )
    folder = folder_for(chosen)
    try:
        folder.mkdir(mode=private.DIR_MODE, parents=True)
        os.chmod(folder, private.DIR_MODE)  # created here: private whatever the umask
    except FileExistsError:
        pass
    except OSError as exc:
        raise OutputError(
            f"--cache-dir {folder}: cannot be created ({exc.strerror})",
            "give a folder you can write to, or pass --no-cache",
        ) from None
    if not _private(folder):
        raise OutputError(
            f"--cache-dir {folder}: is not private to you, and the staging cache holds"
            " personal data; its mode is left as it is",
            "remove it or make it yours with mode 0700, give another folder, or pass --no-cache",
        )
    return Cache(folder)
