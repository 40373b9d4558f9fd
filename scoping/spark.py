"""The pass over the events on Apache Spark (`[engine] kind = "spark"`), from the same query
files as on DuckDB.

DuckDB stages the inputs and parses every timestamp (access_log_source: formats, zones and
the DST rule are DuckDB's); the steps of `CHAIN`, which read every event, are then rewritten
for Spark SQL and run there, and the tables they make come back to DuckDB as Parquet, where
every later step (counts, outputs, recipients, manifest) runs as on a DuckDB-only run.

The Spark SQL is generated, never kept by hand: each step's file is parsed with sqlglot
(DuckDB dialect), the macros it calls are expanded from their own files, the variables
(`getvariable`) become constants, the few constructs that sqlglot translates wrongly or not
at all are rewritten (`_spark_functions`; docs/spark.md lists them), and the rest is
sqlglot's Spark dialect. `problems` is the lint that keeps the chain's files within what
this rewrite covers (tests/test_spark_sql.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import os
import re
import shutil
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import duckdb

from scoping import db, private
from scoping.errors import CaseError, QueryError

if TYPE_CHECKING:  # pragma: no cover
    from sqlglot import exp

    from scoping.casefile import EngineTable

# The steps that run on Spark, in order, and what they read from DuckDB. Each later step of
# exposure.STEPS (views over these tables, counts, outputs) runs in DuckDB.
CHAIN = (
    "access_log_parsed",
    "access_log",
    "access_log_scoped",
    "scoped_rows",
    "event_counts",
    "events_in_scope",
    "customer_actor_exposure",
    "affected_customers",
)
# The macros the chain calls, expanded into the Spark SQL from their files.
MACROS = (
    "macro_clean_text",
    "macro_has_text",
    "macro_normalize_key",
    "macro_json_text_list",
    "macro_record_keys",
)
# The macros whose Spark form is its own: one rule, written once for each engine.
SPARK_TEMPLATES = {"json_text_list": "from_json({0}, 'array<string>')"}
# What DuckDB hands to Spark: the staged rows with their instants (the volume), the customer
# keys with their available fields, and the case's small tables.
INPUTS = {
    "access_log_timed": "SELECT * FROM access_log_timed",
    "customers": "SELECT customer_key, match_key, available_mask FROM customers",
    "scope_actors": "SELECT actor FROM scope_actors",
    "action_map": "SELECT * FROM action_map",
    "field_label_masks": "SELECT log_source, fields_text, mask FROM field_label_masks",
}
VARIABLES = ("case_options", "scope_bounds", "rows_counted_only")
# The keys of [engine] that only a Spark run uses (and its manifest records).
ENGINE_KEYS = ("kind", "master", "remote", "options", "exchange_dir")
# Spark's settings this pass relies on; the case's [engine] options come on top, except these.
REQUIRED = {
    "spark.sql.session.timeZone": "UTC",
    # Parquet timestamps as DuckDB writes and reads them (Spark's default is INT96).
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    # size(NULL) is NULL, as DuckDB's array_length.
    "spark.sql.legacy.sizeOfNull": "false",
}
# Spark's log is off (spark-log4j2.properties says why) and draws no progress bar; a case's
# options may say otherwise.
LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")
DEFAULTS = {
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile=file:{LOG_CONFIG}",
}
EXTRA_HINT = (
    'install the extra: pip install "scoping[spark]" (and a Java 17 runtime), or set [engine]'
    ' kind = "duckdb"'
)


# --- the rewrite ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """One step as Spark runs it: the relation it creates, whether DuckDB's file makes it a
    table (computed once and handed back) or a view, and its query in Spark SQL."""

    name: str
    table: bool
    sql: str


def _parse(sql: str, dialect: str = "duckdb") -> exp.Expression:
    """One statement or expression, parsed by sqlglot."""
    try:
        from sqlglot import parse_one
    except ImportError:  # pragma: no cover - the extra is missing
        raise CaseError('[engine] kind = "spark" needs sqlglot', EXTRA_HINT) from None
    return cast("exp.Expression", parse_one(sql, read=dialect))


def _body(text: str) -> str:
    """A query file without its header comment."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))


_MACRO = re.compile(
    r"CREATE\s+OR\s+REPLACE\s+MACRO\s+(\w+)\s*\(([^)]*)\)\s+AS\s+(.*?);?\s*$", re.S | re.I
)


@cache
def macros() -> dict[str, tuple[tuple[str, ...], exp.Expression]]:
    """Each macro the chain may call: its parameters and its body, parsed (DuckDB)."""
    found = {}
    for name in MACROS:
        match = _MACRO.search(_body(db.query(name).text))
        if not match:
            raise QueryError(f"query {name!r} defines no macro")
        params = tuple(p.strip().lower() for p in match.group(2).split(",") if p.strip())
        found[match.group(1).lower()] = (params, _parse(match.group(3)))
    return found


def _expand(tree: exp.Expression) -> exp.Expression:
    """Every macro call replaced by the macro's body with its arguments (repeatedly: a macro
    calls others), except those with a Spark template of their own."""
    from sqlglot import exp

    defined = macros()

    def one(node: exp.Expression) -> exp.Expression:
        if not isinstance(node, exp.Anonymous):
            return node
        name = node.name.lower()
        if name in SPARK_TEMPLATES or name not in defined:
            return node
        params, body = defined[name]
        if len(params) != len(node.expressions):
            raise QueryError(f"macro {name!r} takes {len(params)} arguments")
        args = dict(zip(params, node.expressions, strict=True))

        def bind(inner: exp.Expression) -> exp.Expression:
            if isinstance(inner, exp.Column) and not inner.table and inner.name.lower() in args:
                return exp.paren(args[inner.name.lower()].copy(), copy=False)
            return inner

        return body.copy().transform(bind)

    return _until_fixed(tree, one)


def _until_fixed(
    tree: exp.Expression, rule: Callable[[exp.Expression], exp.Expression]
) -> exp.Expression:
    """`rule` applied to every node, again until nothing changes (a node it makes may hold
    others it applies to: a macro's body calls macros, an index holds an index)."""
    for _ in range(20):
        before = tree.sql("duckdb")
        tree = tree.transform(rule)
        if tree.sql("duckdb") == before:
            return tree
    raise QueryError("a rewrite of the Spark SQL does not end")  # pragma: no cover


def _literal(value: Any) -> exp.Expression:
    """A Python value (a DuckDB variable's) as a Spark constant."""
    from sqlglot import exp

    if value is None:
        return exp.null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float):
        return exp.Literal.number(value)
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, dt.datetime):
        utc = value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
        return exp.cast(exp.Literal.string(utc.isoformat(sep=" ")), exp.DataType.build("TIMESTAMP"))
    if isinstance(value, list | tuple):
        return exp.Array(expressions=[_literal(v) for v in value])
    if isinstance(value, dict):
        pairs = [x for k, v in value.items() for x in (exp.Literal.string(k), _literal(v))]
        return exp.Anonymous(this="named_struct", expressions=pairs)
    raise QueryError(f"a variable holds a value Spark SQL cannot spell: {type(value).__name__}")


def _index(node: exp.Bracket) -> exp.Expression:
    """A bracket's index as DuckDB reads it (1-based): sqlglot stores a literal one 0-based,
    and leaves any other as written."""
    from sqlglot import exp

    (index,) = node.expressions
    written = _constant(index)
    return index if written is None else exp.Literal.number(written + 1)


def _constant(index: exp.Expression) -> int | None:
    """An integer constant's value (None for any other expression)."""
    from sqlglot import exp

    if isinstance(index, exp.Literal) and index.is_int:
        return int(index.this)
    if isinstance(index, exp.Neg) and isinstance(index.this, exp.Literal) and index.this.is_int:
        return -int(index.this.this)
    return None


def _resolve(value: Any, path: list[tuple[str, Any]]) -> exp.Expression:
    """A variable's value along a path of fields and indexes; an index that is not a constant
    picks among the values the rest of the path gives for each element."""
    from sqlglot import exp

    if not path:
        return _literal(value)
    (kind, step), rest = path[0], path[1:]
    if kind == "field":
        return _resolve(value[step], rest)
    if (position := _constant(step)) is not None:
        return _resolve(value[position - 1], rest)
    items = exp.Array(expressions=[_resolve(v, rest) for v in value])
    index = exp.cast(step.copy(), exp.DataType.build("INT"))
    return exp.Anonymous(this="try_element_at", expressions=[items, index])


def _variables(tree: exp.Expression, variables: dict[str, Any]) -> exp.Expression:
    """`getvariable('name')`, with the fields and elements read from it, as constants."""
    from sqlglot import exp

    for call in list(tree.find_all(exp.Anonymous)):
        if call.name.lower() != "getvariable":
            continue
        (arg,) = call.expressions
        if arg.name not in variables:
            raise QueryError(f"variable {arg.name!r} is not handed to Spark")
        top: exp.Expression = call
        path: list[tuple[str, Any]] = []
        while True:
            parent = top.parent
            if isinstance(parent, exp.Dot) and parent.this is top:
                path.append(("field", parent.expression.name))
            elif isinstance(parent, exp.Bracket) and parent.this is top:
                path.append(("index", _index(parent)))
            else:
                break
            top = parent
        replacement = _resolve(variables[arg.name], path)
        if top is tree:
            return replacement
        top.replace(replacement)
    return tree


def _spark_functions(node: exp.Expression) -> exp.Expression:
    """The constructs sqlglot leaves in DuckDB's form or translates wrongly."""
    from sqlglot import exp

    if isinstance(node, exp.Bracket):
        index = _index(node)
        written = _constant(index)
        if written is not None and written < 0:
            # A negative index is a character counted from the end of a text (clean_text's
            # v[-1]); sqlglot turns v[-1] into v[-2].
            return exp.Substring(this=node.this, start=index, length=exp.Literal.number(1))
        # A list's element, 1-based, NULL when there is none (as in DuckDB); Spark takes an
        # INT index (array_position gives a BIGINT).
        if written is None:
            index = exp.cast(index, exp.DataType.build("INT"))
        return exp.Anonymous(this="try_element_at", expressions=[node.this, index])
    if isinstance(node, exp.RegexpFullMatch):
        pattern = node.expression
        if not (isinstance(pattern, exp.Literal) and pattern.is_string):
            raise QueryError("regexp_full_match needs a constant pattern to run on Spark")
        anchored = exp.Literal.string(f"^(?:{pattern.this})$")
        return exp.RegexpLike(this=node.this, expression=anchored)
    if isinstance(node, exp.Anonymous):
        name = node.name.lower()
        if name == "list_position":
            return exp.Anonymous(this="array_position", expressions=node.expressions)
        if name in SPARK_TEMPLATES:
            args = [a.sql("spark") for a in node.expressions]
            return _parse(SPARK_TEMPLATES[name].format(*args), "spark")
    return node


def translate(name: str, variables: dict[str, Any]) -> Statement:
    """One step of CHAIN in Spark SQL."""
    tree = _parse(_body(db.query(name).text))
    from sqlglot import exp

    if not isinstance(tree, exp.Create) or tree.kind not in ("TABLE", "VIEW"):
        raise QueryError(f"query {name!r} creates no table or view")
    query = _variables(_expand(tree.expression), variables)
    query = _until_fixed(query, _spark_functions)
    return Statement(tree.this.name, tree.kind == "TABLE", query.sql(dialect="spark"))


# --- the lint -------------------------------------------------------------------------------

# Constructs of DuckDB SQL that the rewrite does not carry over to Spark: a file of the chain
# (or a macro it calls) must not use them.
UNPORTABLE = {
    r"\bBY\s+NAME\b": "UNION BY NAME (Spark unions by position: list the columns)",
    r"\*\s*(?:EXCLUDE\s*\([^)]*\)\s*)?REPLACE\s*\(": "* REPLACE (list the columns)",
    r"\bMATERIALIZED\b": "[NOT] MATERIALIZED (a DuckDB planner hint)",
    r"\blen\s*\(": "len() (sqlglot makes it the length of a text: use array_length or length)",
    r"\bgenerate_subscripts\s*\(": "generate_subscripts (unnest generate_series instead)",
    r"\bMACRO\b[^;]*\bAS\s+TABLE\b": "a table macro (Spark has none: a view over a staged table)",
    r"\bstrftime\s*\(|\bstrptime\s*\(|\btimezone\s*\(": "time formats or zones (staging's)",
    r"\bGROUP\s+BY\s+CUBE\b|\bPIVOT\b": "CUBE / PIVOT",
}
# Functions a translated step may call that sqlglot does not know as Spark's own.
SPARK_KNOWN = {"try_element_at", "array_position", "named_struct", "from_json"}


def problems(name: str) -> list[str]:
    """Why the query file `name` (a step of CHAIN or a macro it calls) would not run the same
    on Spark; empty when it would."""
    return problems_in(db.query(name).text)


def problems_in(text: str) -> list[str]:
    """Why a query's text would not run the same on Spark (see `problems`)."""
    text = _body(text)
    match = _MACRO.search(text)
    if match and match.group(1).lower() in SPARK_TEMPLATES:
        return []  # Spark runs its own template, not this body
    # String literals hold patterns (`'[0-9]+'`) and JSON paths: not constructs.
    code = re.sub(r"'(?:[^']|'')*'", "''", text)
    found = [why for pattern, why in UNPORTABLE.items() if re.search(pattern, code, re.I)]
    from sqlglot import exp
    from sqlglot.errors import ParseError

    try:
        tree = _parse(match.group(3) if match else text)
    except ParseError:
        return [*found, "SQL that sqlglot cannot read as DuckDB's"]
    if any(tree.find_all(exp.Slice)):
        found.append("a list slice (Spark has slice(list, start, length), spelt otherwise)")
    for call in tree.find_all(exp.Anonymous):
        callee = call.name.lower()
        if callee == "getvariable":
            variable = call.expressions[0].name if call.expressions else ""
            if variable not in VARIABLES:
                found.append(f"getvariable({variable!r}) (Spark is handed {VARIABLES})")
        elif callee in SPARK_TEMPLATES or callee in SPARK_KNOWN or callee == "list_position":
            continue
        elif callee not in macros():
            found.append(f"{callee}() (neither Spark's, nor a macro of the chain)")
    return found


# --- running it -----------------------------------------------------------------------------


def available(remote: bool = False) -> str | None:
    """Why Spark cannot run here (None when it can): pyspark or sqlglot missing, or (for Spark
    in this process, not a Connect server) no Java runtime."""
    for module in ("pyspark", "sqlglot"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed"
    if not remote and not shutil.which("java") and not os.environ.get("JAVA_HOME"):
        return "no Java runtime was found (java, or JAVA_HOME)"
    return None


def settings(engine: EngineTable) -> dict[str, str]:
    """The Spark settings a pass runs with: ours, and the case's on top but never over the
    ones the numbers depend on (the session's zone, the Parquet timestamps)."""
    return {**DEFAULTS, **engine.options, **REQUIRED}


@cache
def _session(master: str | None, remote: str | None, conf: tuple[tuple[str, str], ...]) -> Any:
    """One Spark session per process (starting one takes half a minute): a later run in the
    same process reuses it with its own SQL settings."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("scoping")
    builder = builder.remote(remote) if remote else builder.master(master or "local[*]")
    for key, value in conf:
        builder = builder.config(key, value)
    return builder.getOrCreate()


def session(engine: EngineTable) -> Any:
    """The Spark session for the case's [engine] table, with its settings; a case error that
    names the extra when Spark cannot run here."""
    if (why := available(engine.remote is not None)) is not None:
        raise CaseError(f'[engine] kind = "spark", but {why}', EXTRA_HINT)
    conf = settings(engine)
    spark = _session(engine.master, engine.remote, tuple(sorted(conf.items())))
    for key, value in conf.items():
        if key.startswith("spark.sql."):
            spark.conf.set(key, value)
    return spark


def _failed(name: str, exc: BaseException) -> QueryError:
    """Spark's error as a message: its error class only, as Spark's message can quote a value
    (a conversion error quotes the value it could not convert)."""
    text = str(exc).strip()
    found = re.match(r"\[([A-Z0-9_.]+)\]", text)
    kind = found.group(1) if found else type(exc).__name__
    return QueryError(f"query {name!r} failed on Spark: {kind}", "see docs/spark.md")


@dataclass
class Pass:
    """The chain's steps on Spark for one case, through a folder both engines reach: what
    DuckDB hands over (`in/`) and the tables Spark makes (`out/`)."""

    spark: Any
    folder: Path
    variables: dict[str, Any] = field(default_factory=dict)
    handed: set[str] = field(default_factory=set)
    runs: int = 0  # numbers the files written: never one over a file Spark has read

    def hand_over(self, con: duckdb.DuckDBPyConnection, names: tuple[str, ...]) -> None:
        """Write DuckDB's relations as Parquet and show them to Spark under their names."""
        for name in names:
            # A file of its own each time: Spark may hold what it listed of an earlier one.
            self.runs += 1
            path = self.folder / "in" / f"{name}.{self.runs}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            db.run_sql(
                con,
                f"hand {name} to Spark",
                f"COPY ({INPUTS[name]}) TO {db.quote_literal(str(path))} (FORMAT parquet)",
            )
            self.spark.read.parquet(str(path)).createOrReplaceTempView(name)
            self.handed.add(name)

    def step(self, con: duckdb.DuckDBPyConnection, name: str) -> None:
        """Run one step of CHAIN on Spark; a table comes back to DuckDB under its name, with
        the types DuckDB gives it, and a view is made in DuckDB too (cheap: investigators and
        the counts read it)."""
        if not self.handed:
            for variable in VARIABLES:
                row = con.execute("SELECT getvariable($v)", {"v": variable}).fetchone()
                self.variables[variable] = row[0] if row else None
            self.hand_over(con, tuple(INPUTS))
        elif name == "access_log":
            # Made again after the unmapped policy added actions to the action map. (A Spark
            # view keeps the plan it was made with: every step after it is made again too.)
            self.hand_over(con, ("action_map",))
        statement = translate(name, self.variables)
        self.runs += 1
        path = self.folder / "out" / f"{name}.{self.runs}"
        try:
            frame = self.spark.sql(statement.sql)
            if statement.table:
                frame.write.parquet(str(path))
                self.spark.read.parquet(str(path)).createOrReplaceTempView(statement.name)
            else:
                frame.createOrReplaceTempView(statement.name)
        except Exception as exc:  # Spark's errors share no base class across its clients
            raise _failed(name, exc) from None
        if statement.table:
            self._load(con, name, path)
            db.record(con, name)
        else:
            db.run(con, name)

    def _load(self, con: duckdb.DuckDBPyConnection, name: str, path: Path) -> None:
        """The table Spark wrote, as DuckDB's own step would have made it: DuckDB's column
        names and types (DESCRIBE of the step's query), by position."""
        text = _body(db.query(name).text)
        select = re.sub(r"^\s*CREATE\s+OR\s+REPLACE\s+TABLE\s+\w+\s+AS\s+", "", text, flags=re.I)
        described = db.run_sql(con, name, f"DESCRIBE {select.rstrip().rstrip(';')}").fetchall()
        files = db.quote_literal(db.reader_path(path) + "/*.parquet")
        spark_columns = [
            r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet({files})").fetchall()
        ]
        columns = ", ".join(
            f"CAST({db.quote_ident(theirs)} AS {row[1]}) AS {db.quote_ident(row[0])}"
            for theirs, row in zip(spark_columns, described, strict=True)
        )
        db.run_sql(
            con,
            name,
            f"CREATE OR REPLACE TABLE {db.quote_ident(name)} AS"
            f" SELECT {columns} FROM read_parquet({files})",
        )


# Where each connection runs the steps of CHAIN: on Spark while a pass is registered for it
# (`runner`), else on DuckDB. Held weakly, as db.ran's record.
_PASSES: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, Pass] = weakref.WeakKeyDictionary()


def run_step(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Run a packaged step: one of CHAIN on Spark when the case runs its pass there, any
    other (and every step of a DuckDB case) on DuckDB."""
    spark_pass = _PASSES.get(con)
    if spark_pass is not None and name in CHAIN:
        spark_pass.step(con, name)
    else:
        db.run(con, name)


@contextlib.contextmanager
def runner(
    con: duckdb.DuckDBPyConnection, engine: EngineTable, work: Path, exchange: Path | None
) -> Iterator[Pass | None]:
    """Run the chain's steps of `con` as the case's [engine] says: on DuckDB (None), or on
    Spark through a private folder (inside `exchange`, the case's exchange_dir, when it gives
    one), removed afterwards."""
    if engine.kind != "spark":
        yield None
        return
    spark = session(engine)
    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(private.work_folder(exchange)) if exchange else work / "spark"
        folder.mkdir(exist_ok=True, mode=0o700)
        _PASSES[con] = spark_pass = Pass(spark, folder)
        try:
            yield spark_pass
        finally:
            _PASSES.pop(con, None)


def manifest(engine: EngineTable, spark_pass: Pass) -> dict[str, Any]:
    """What the manifest records of the Spark that ran: its version, where, and the settings
    the pass set."""
    return {
        "spark": str(spark_pass.spark.version),
        "master": None if engine.remote else engine.master or "local[*]",
        "remote": engine.remote,
        "settings": settings(engine),
    }
