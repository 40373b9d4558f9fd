"""The generator's SQL: one statement per file in `sql/`, under the header contract of the
pipeline's `queries/` (a comment saying what the statement computes, then a
`-- Parameters:` line naming every bound value it takes).

The files are read with importlib.resources from the installed package; every statement runs
through `db.run_sql` under the name `demo_<file>`, so an error names the file.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from scoping import db
from scoping.errors import QueryError


def sql_dir() -> Path:
    """The packaged `sql/` folder (a plain folder: the package is installed unzipped)."""
    return Path(str(resources.files("scoping.demo") / "sql"))


@cache
def catalogue() -> dict[str, db.Query]:
    """Every statement of the generator, by file name without `.sql`."""
    return {p.stem: db.parse_query(p) for p in sorted(sql_dir().glob("*.sql"))}


def run(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None
) -> duckdb.DuckDBPyConnection:
    """Run sql/<name>.sql with exactly the parameters its header declares."""
    try:
        statement = catalogue()[name]
    except KeyError:
        raise QueryError(f"no demo statement named {name!r}") from None
    params = params or {}
    if set(params) != set(statement.params):
        raise QueryError(
            f"demo statement {name!r} takes parameters {sorted(statement.params)},"
            f" was given {sorted(params)}"
        )
    return db.run_sql(con, f"demo_{name}", statement.text, params)
