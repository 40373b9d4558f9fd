"""The exposure computation: case tables, then the queries/ steps in order, then the counts.

Every number comes from a file in queries/; this module only decides the order, binds the
case's parameters, and turns problems the queries find into errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from scoping import db
from scoping.case import Case
from scoping.errors import CaseError, InputError, example
from scoping.spark import run_step

# The steps run in these orders (the checks while preparing run where they are called); a
# run's manifest lists the queries that ran, as db.ran recorded them, not these tuples.
# Definitions first, then the staged inputs are cleaned, classified and aggregated.
MACROS = (
    "macro_clean_text",
    "macro_has_text",
    "macro_available",
    "macro_visible",
    "macro_normalize_key",
    "macro_json_text_list",
    "macro_record_keys",
    "macro_parse_instant",
    "macro_parse_date",
    "macro_format_utc",
)
STEPS = (
    "access_log_status",
    "scoped_rows",
    "access_log_rows",
    "event_counts",
    "events_in_scope",
    "customer_actor_exposure",
    "affected_customers",
    "exposure",
    "mask_categories",
    "macro_mask_fields",
    "actor_events",
    "actor_days",
    "in_scope_hours",
    "scope_hours",
    "in_scope_days",
)
COUNTS = (
    "count_summary",
    "count_status",
    "count_fields",
    "count_categories",
    "count_combinations",
    "count_actors",
    "count_days",
    "count_first_exposure",
)
# The steps that read the access log's lines, up to the table of the lines in play.
PARSE = ("access_log_parsed", "access_log", "access_log_scoped")
# The tables the computation makes from the staged inputs (the rest are views and macros over
# them, or come from the case itself): what the staging cache keeps of a computed case. The
# action map is among them: the "all-fields" policy adds the actions the logs used.
COMPUTED = (
    "customer_versions",
    "field_label_masks",
    "action_map",
    "access_log_scoped",
    "event_counts",
    "customer_actor_exposure",
    "affected_customers",
    "mask_categories",
    "in_scope_hours",
    "scope_hours",
    "in_scope_days",
)
# How many actors the per-day counts of each actor cover (those with the most events): a
# scope may name a million accounts, a chart per actor is for the few that did the most.
ACTOR_DAYS = 10


@dataclass(frozen=True)
class Window:
    """The scope window as the engine read it (ISO 8601 UTC, or None for an open side)."""

    start_utc: str | None
    end_utc: str | None


def define(con: duckdb.DuckDBPyConnection, case: Case) -> Window:
    """Create the macros and the tables that come from the case itself, not from the inputs."""
    db.run(
        con,
        "case_options",
        {
            "sources": source_options(case),
            "strip_key_zeros": case.customers.strip_key_zeros,
            "missing_values": [list(f.missing_values) for f in case.customers.fields],
            "history": case.history is not None,
        },
    )
    for name in MACROS:
        db.run(con, name)
    own_names = {f.name: (f.name,) for f in case.customers.fields}
    aliases = [
        {"log_source": n, "label": label, "fields": list(names), "mask": case.mask(names)}
        for n, log in enumerate(case.access_logs, 1)
        for label, names in (own_names | log.field_aliases).items()
    ]
    db.run(con, "field_aliases", {"aliases": aliases})
    fields = [
        {
            "field": f.name,
            "category": f.category,
            "bit": f.bit,
            "mask": f.mask,
            "column_name": f.column,
        }
        for f in case.customers.fields
    ]
    db.run(con, "fields", {"fields": fields})
    db.run(con, "action_map", {"actions": action_rows(case)})
    columns = [
        {"log_source": n, "part": part, "column_name": column}
        for n, log in enumerate(case.access_logs, 1)
        for part, column in (
            ("timestamp", log.timestamp),
            ("actor", log.actor),
            ("record", log.record),
            ("action", log.action),
        )
    ]
    db.run(con, "log_columns", {"columns": columns})
    db.run(con, "scope_actors", {"actors": list(case.scope.actors)})
    return _window(con, case)


def action_rows(case: Case) -> list[dict[str, Any]]:
    """Each source's action map (action_map.sql): its own, or the case's."""
    return [
        {
            "log_source": n,
            "action": action,
            "mask": case.mask(shown.fields),
            "use_fields_column": shown.use_fields_column,
        }
        for n, log in enumerate(case.access_logs, 1)
        for action, shown in log.actions.items()
    ]


def source_options(case: Case) -> list[dict[str, Any]]:
    """Each access-log source's settings (case_options.sql), with the source_file numbers of
    its files: staging numbers the customer table's files first, then each source's in turn."""
    options = []
    last = len(case.customers.files)
    for log in case.access_logs:
        aware = [f for f in log.timestamp_formats if "%z" in f or "%Z" in f]
        naive = [f for f in log.timestamp_formats if f not in aware]
        options.append(
            {
                "name": log.name,
                "first_file": last + 1,
                "last_file": last + len(log.files),
                "log_timezone": log.timezone or case.timezone,
                "naive_formats": naive or None,
                "aware_formats": aware or None,
                "record_list": log.record_list,
                "record_separator": log.record_separator,
                "fields_separator": log.fields_separator,
            }
        )
        last += len(log.files)
    return options


def define_log_view(con: duckdb.DuckDBPyConnection, case: Case) -> None:
    """access_log_timed: every source's rows (access_log_source), one source after the other.
    The number of each source is a literal, so that its settings are constants."""
    union = " UNION ALL ".join(
        f"SELECT * FROM access_log_source({n}, getvariable('case_options').sources[{n}])"
        for n in range(1, len(case.access_logs) + 1)
    )
    db.run(con, "access_log_source")
    db.run_sql(con, "access_log_timed", f"CREATE OR REPLACE VIEW access_log_timed AS {union}")


def _window(con: duckdb.DuckDBPyConnection, case: Case) -> Window:
    def bound(text: str | None) -> str | None:
        # A bare date is local midnight at the start of that day.
        return f"{text} 00:00:00" if text is not None and len(text) == 10 else text

    db.run(
        con,
        "scope_window",
        {
            "start": bound(case.scope.start),
            "end": bound(case.scope.end),
            "timezone": case.timezone,
        },
    )
    db.run(con, "scope_bounds")
    row = con.execute(
        "SELECT strftime(start_utc, '%Y-%m-%dT%H:%M:%SZ'), strftime(end_utc, '%Y-%m-%dT%H:%M:%SZ'),"
        " start_utc < end_utc FROM scope_window"
    ).fetchone()
    assert row is not None
    start, end, ordered = row
    for key, text, parsed in (("start", case.scope.start, start), ("end", case.scope.end, end)):
        if text is not None and parsed is None:
            raise CaseError(f"{case.path}: [scope.{key}] is not a valid date or date-time")
    if ordered is False:
        raise CaseError(f"{case.path}: [scope] start is not before end", "swap or fix the dates")
    return Window(start, end)


def check_customers(con: duckdb.DuckDBPyConnection, case: Case) -> None:
    """Stop on blank or duplicate customer keys: a key must name one customer record.
    Both problems are reported together, so that one fix of the extract settles them."""
    problems = {p["problem"]: p for p in db.fetch_dicts(con, "customer_problems")}
    found, fixes = [], []
    if blank := problems.get("blank_key"):
        found.append(f"{blank['keys']} row(s) have a blank key")
        fixes.append("every customer record needs a key; fix or remove those rows")
    if duplicate := problems.get("duplicate_key"):
        examples = ", ".join(map(example, duplicate["examples"]))
        found.append(f"{duplicate['keys']} key(s) occur more than once, for example: {examples}")
        fix = "a key must name one customer record; deduplicate the extract"
        if duplicate["spelt_apart"]:
            fix += (
                f" ({duplicate['spelt_apart']} differ only by leading zeros: if they are different"
                ' customers, set [customers] key_leading_zeros = "keep")'
            )
        fixes.append(fix)
    if found:
        raise InputError(
            f"customer table (column {case.customers.key!r}): {'; '.join(found)}",
            "; ".join(fixes),
        )


def parse_access_log(con: duckdb.DuckDBPyConnection, case: Case) -> None:
    """The access log's lines: the steps up to access_log_scoped (on DuckDB, or on Spark when
    the case says so: spark.run_step)."""
    db.run(con, "field_label_masks")
    define_log_view(con, case)
    for name in PARSE:
        run_step(con, name)


def check_fields_and_actions(con: duckdb.DuckDBPyConnection, case: Case) -> list[str]:
    """Fail closed on field labels that match no field; apply the case's policy to actions
    missing from [actions] on rows that would otherwise be in scope. Returns the actions
    that the "all-fields" policy added to the action map (recorded in the manifest)."""
    unknown = db.fetch_dicts(con, "unknown_field_labels")
    if unknown:
        listed = ", ".join(
            f"'{example(u['label'])}' ({u['events']} events{_in_source(case, u['source'])})"
            for u in unknown
        )
        columns = sorted({log.fields for log in case.access_logs if log.fields})
        raise CaseError(
            f"{case.path}: the fields column ({', '.join(map(repr, columns))}) names fields"
            f" that are not declared: {listed}",
            "map each label to a field, a list of fields, or [] (no personal field) in"
            " [field_aliases] (or the source's own field_aliases)",
        )
    unmapped = db.fetch_dicts(con, "unmapped_actions")
    if not unmapped or case.scope.unmapped == "ignore":
        return []
    if case.scope.unmapped == "error":
        listed = ", ".join(
            f"'{example(u['action'])}' ({u['events']} events{_in_source(case, u['source'])})"
            for u in unmapped
        )
        raise CaseError(
            f"{case.path}: [actions] does not map {len(unmapped)} action(s) used by in-scope"
            f" actors in the window: {listed}",
            "add them to [actions] (or the source's own actions), or set [scope] unmapped ="
            ' "all-fields" or "ignore"',
        )
    everything = sum(f.mask for f in case.customers.fields)
    added = [
        {
            "log_source": u["log_source"],
            "action": u["action"],
            "mask": everything,
            "use_fields_column": True,
        }
        for u in unmapped
    ]
    db.run(con, "action_map", {"actions": action_rows(case) + added})
    # Those lines' buckets change with the action map.
    run_step(con, "access_log")
    run_step(con, "access_log_scoped")
    return [example(u["action"]) + _in_source(case, u["source"]) for u in unmapped]


def _in_source(case: Case, source: str) -> str:
    """`, in crm`: where a finding was made, when the case names its sources."""
    return f", in {source}" if case.named_sources else ""


# How many actors without events a message or a warning names; the rest are counted (and,
# in a run that goes on, listed in actors_without_events.csv).
ACTORS_SHOWN = 5


@dataclass(frozen=True)
class ActorsWithoutEvents:
    """The scope's actors that no row of the access log names: how many, the first few (in
    order), and for those the log's actors that may be the ones meant."""

    count: int
    first: list[str]
    suggestions: dict[str, list[str]]


def actors_without_events(con: duckdb.DuckDBPyConnection) -> ActorsWithoutEvents:
    """Find the scope's actors with no event in the logs (table actors_without_events).
    The log's actor column is read again only when an actor has no line in the window."""
    db.run(con, "actors_without_events")
    if _count(con, "actors_without_events"):
        db.run(con, "actors_with_events_elsewhere")
    count = _count(con, "actors_without_events")
    first = [
        r[0]
        for r in con.execute(
            "SELECT actor FROM actors_without_events ORDER BY actor LIMIT $n", {"n": ACTORS_SHOWN}
        ).fetchall()
    ]
    suggestions: dict[str, list[str]] = {}
    if first:
        for row in db.fetch_dicts(con, "actor_suggestions", {"actors": first}):
            suggestions.setdefault(row["actor"], []).append(row["log_actor"])
    return ActorsWithoutEvents(count, first, suggestions)


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def field_profile(con: duckdb.DuckDBPyConnection, case: Case) -> list[dict[str, Any]]:
    """Per declared field: values available, blank and placeholder, and the five most
    frequent values (for `check`, on screen only). customer_values, the one line per record
    and field that the query reads, is built from the case's names (quoted)."""
    parts = " UNION ALL ".join(
        f"SELECT {db.quote_literal(f.name)} AS field, {f.bit} AS bit,"
        f" {db.quote_ident(f.name)} AS value FROM customers"
        for f in case.customers.fields
    )
    db.run_sql(con, "customer_values", f"CREATE OR REPLACE VIEW customer_values AS {parts}")
    return db.fetch_dicts(con, "field_profile")


def compute(con: duckdb.DuckDBPyConnection, case: Case) -> None:
    """Run the exposure steps over the cleaned and parsed inputs; with the customers' history,
    the events in scope see each customer's fields as they were at the event's instant. The
    steps of spark.CHAIN run on Spark when the case says so (spark.run_step)."""
    for name in STEPS:
        if name == "event_counts":
            # Whether event_counts reads the logs again for the rows out of scope; only it
            # reads the variable, so a computed case defines what a kept one does.
            db.run(con, "rows_counted_only")
            run_step(con, name)
            db.run_sql(con, "rows_counted_only", "RESET VARIABLE rows_counted_only")
            continue
        run_step(con, name)
        if name == "events_in_scope" and case.history is not None:
            db.run(con, "events_in_scope_history")


def reuse(con: duckdb.DuckDBPyConnection, case: Case, kept: tuple[str, ...]) -> None:
    """Define the computed case's views and macros, in the order read_history,
    parse_access_log and compute define them, over the tables `kept` from an earlier
    computation of the same case (already views over the kept files: see
    cache.Cache.load_tables). No kept table is made again and no check runs: the entry was
    kept once they had passed, with what they found."""
    db.run(con, "customers")
    if case.history is not None:
        db.run(con, "customers_history")
    define_log_view(con, case)
    for name in (*PARSE, *STEPS):
        if name not in kept:
            db.run(con, name)
        if name == "events_in_scope" and case.history is not None:
            db.run(con, "events_in_scope_history")


def read_history(con: duckdb.DuckDBPyConnection, case: Case) -> list[dict[str, Any]]:
    """The customers' versions (customer_versions: empty without a history), and with a
    history its overlaps and gaps, and the customer table widened to the customers deleted
    since."""
    history = case.history
    zone = (history.timezone if history else None) or case.timezone
    form = history.form if history else "intervals"
    versions = "customer_versions" if form == "intervals" else "customer_versions_from_changes"
    db.run(con, versions, {"timezone": zone})
    if history is None:
        return []
    problems = db.fetch_dicts(con, "history_problems")
    db.run(con, "customers_history")
    return [{**p, "examples": [example(k) for k in p["examples"]]} for p in problems]


def check_history(case: Case, problems: list[dict[str, Any]], allowed: int) -> None:
    """Stop when the history's overlaps and gaps are more than the rows a run may reject."""
    found = sum(p["versions"] for p in problems)
    if found <= allowed:
        return
    listed = "; ".join(
        f"{p['versions']} {p['problem']}(s) in {p['keys']} key(s), for example"
        f" {', '.join(p['examples'])}"
        for p in problems
    )
    raise InputError(
        f"{case.path}: [customer_history] versions that overlap or leave gaps: {listed}",
        "fix the history extract, or accept them with --max-rejected N (an overlap is then"
        " resolved by the later version; in a gap, today's values count)",
    )


# The per-line and per-(customer, actor) tables, which only the counts and the investigators'
# views read: a run drops them once its counts and exposure files are written.
LINE_TABLES = ("access_log_scoped", "customer_actor_exposure")


def release(con: duckdb.DuckDBPyConnection) -> None:
    """Free the memory of the per-line tables; affected_customers and the counts stay."""
    for table in LINE_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")


def rejected_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every input row that could not be used (file, line or row, column, reason)."""
    return db.fetch_dicts(con, "rejected_rows")


def counts(con: duckdb.DuckDBPyConnection, case: Case) -> dict[str, list[dict[str, Any]]]:
    """Every count query's rows, by name; without the `source` of a case whose one source
    has no name (its counts read as they always have)."""
    found = {name.removeprefix("count_"): db.fetch_dicts(con, name) for name in COUNTS}
    found["actor_days"] = db.fetch_dicts(con, "count_actor_days", {"actors": ACTOR_DAYS})
    if not case.named_sources:
        for rows in found.values():
            for row in rows:
                row.pop("source", None)
    return found
