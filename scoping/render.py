"""Rich rendering of results for people (on stderr: stdout is data)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from scoping.exposure import ActorsWithoutEvents
from scoping.pipeline import CheckReport, RunResult, describe_actors, where

MAX_DAYS_SHOWN = 14
MAX_ACTORS_SHOWN = 20  # rows of the per-actor table; every actor is in counts.json
ACTORS_NAMED = 5  # actors a warning names before it counts the rest
MAX_REJECTED_SHOWN = 20
NO_LOG_ROW = (
    "warning: the access log holds no row: nothing in it can have been exposed;"
    " check that the extract is complete"
)


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> Table:
    # Escaped: a title can hold the case's id, which is the case author's text, not markup.
    table = Table(title=escape(title), title_justify="left", show_edge=False)
    for i, name in enumerate(columns):
        table.add_column(name, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*(f"{v:,}" if isinstance(v, int) else escape(str(v)) for v in row))
    return table


def counts(console: Console, result: RunResult) -> None:
    c = result.counts
    s = c["summary"]
    console.print(
        _table(
            f"Case {c['case']['id']}",
            ["", "count"],
            [
                ["customer records", s["customer_records"]],
                ["access-log rows read", s["events_read"]],
                ["events in scope", s["events_in_scope"]],
                ["events unmatched (unknown customer)", s["events_unmatched"]],
                ["affected customer records", s["affected_customer_records"]],
            ],
        )
    )
    console.print(
        _table(
            "Per field", ["field", "customers"], [[r["field"], r["customers"]] for r in c["fields"]]
        )
    )
    console.print(
        _table(
            "Per category",
            ["category", "customers"],
            [[r["category"], r["customers"]] for r in c["categories"]],
        )
    )
    console.print(
        _table(
            "Per combination of categories",
            ["categories", "customers"],
            [[r["categories"], r["customers"]] for r in c["combinations"]],
        )
    )
    actors = c["actors"]
    shown = f" (first {MAX_ACTORS_SHOWN} of {len(actors):,}; all in counts.json)"
    console.print(
        _table(
            "Per actor in scope" + (shown if len(actors) > MAX_ACTORS_SHOWN else ""),
            ["actor", "events", "customers"],
            [[r["actor"], r["events"], r["customers"]] for r in actors[:MAX_ACTORS_SHOWN]],
        )
    )
    if s["events_read"] == 0:
        console.print(NO_LOG_ROW, markup=False, highlight=False)
    _warn_actors_without_events(console, result.actors_without_events)
    idle = [r["actor"] for r in actors if r["events"] == 0]
    if len(idle) > result.actors_without_events.count:
        named = ", ".join(repr(a) for a in idle[:ACTORS_NAMED])
        more = f" and {len(idle) - ACTORS_NAMED:,} more" if len(idle) > ACTORS_NAMED else ""
        console.print(
            f"warning: {len(idle):,} actor(s) of [scope] have no event in scope: {named}{more}"
            " (events 0 in counts.json); check their spelling against the log and the window",
            markup=False,
            highlight=False,
        )
    days = sorted(c["days"], key=lambda r: (-r["customers"], str(r["day"])))[:MAX_DAYS_SHOWN]
    console.print(
        _table(
            f"Busiest days (case time zone; all {len(c['days'])} in counts.json)",
            ["day", "events", "customers"],
            [[str(r["day"]), r["events"], r["customers"]] for r in days],
        )
    )
    if "recipients" in c:
        console.print(_recipients_table(c["recipients"]))
    console.print(f"Outputs written to {result.out_dir}: {', '.join(result.files)}", markup=False)


def _warn_actors_without_events(console: Console, quiet: ActorsWithoutEvents) -> None:
    """One line for the scope's actors with no event at all, which the case allowed."""
    if quiet.count:
        console.print(
            f"warning: {quiet.count:,} actor(s) of [scope] have no event in the access log"
            f" (allowed by allow_actors_without_events): {describe_actors(quiet)}",
            markup=False,
            highlight=False,
        )


def _fields_table(fields: list[dict[str, Any]]) -> Table:
    """What the customer table holds per declared field, so that a placeholder (`n/a`) is
    seen before a run. The most frequent values are shown as Python literals: invisible
    and control characters appear escaped (`'\\u200b'`), never raw on the terminal."""
    rows = [
        [
            f["field"],
            f["available"],
            f["blank"],
            f["placeholder"],
            ", ".join(f"{t['value']!r} ({t['count']:,})" for t in f["top"]),
        ]
        for f in fields
    ]
    return _table(
        "Customer fields (values on screen only)",
        ["field", "available", "blank", "placeholder", "most frequent values"],
        rows,
    )


def _recipients_table(r: dict[str, Any]) -> Table:
    rows: list[list[Any]] = [
        ["affected persons", r["affected_persons"]],
        ["affected customer records", r["affected_records"]],
        ["persons merged from several records", r["merged_persons"]],
        ["minors", r["minors"]],
        ["age unknown (no birth date read)", r["age_unknown"]],
        ["deceased", r["deceased"]],
        ["no usable channel", r["no_contact"]],
        ["shared contact points", r["shared_contact"]],
        ["invalid contact points", r["invalid_contact"]],
    ]
    for dimension in ("channel", "language", "wave_status"):
        for value, n in r.get(f"per_{dimension}", {}).items():
            rows.append([f"{dimension.replace('_', ' ')}: {value}", n])
    return _table("Recipients", ["", "persons"], rows)


def check(console: Console, report: CheckReport) -> None:
    case = report.case
    window = f"{report.window.start_utc or 'open'} to {report.window.end_utc or 'open'} (UTC)"
    console.print(f"Case {case.id}: {case.title}", markup=False)
    console.print(f"time zone {case.timezone}; window {window}; {len(case.scope.actors)} actor(s)")
    console.print(
        _table(
            "Inputs",
            ["file", "role", "format", "rows"],
            [[str(s.file.path), s.role, s.file.format, s.rows] for s in report.staged],
        )
    )
    console.print(f"{report.customer_records:,} customer records, keys unique")
    console.print(_fields_table(report.fields))
    console.print(f"{report.events_read:,} access-log rows read")
    if report.events_read == 0:
        console.print(NO_LOG_ROW, markup=False, highlight=False)
    _warn_actors_without_events(console, report.actors_without_events)
    console.print(f"{len(report.rejected):,} input row(s) cannot be used")
    for row in report.rejected[:MAX_REJECTED_SHOWN]:
        console.print(f"  {where(row)}", markup=False)


SPARKS = " ▁▂▃▄▅▆▇█"


SPARK_WIDTH = 40


def sparkline(values: list[int], width: int = SPARK_WIDTH) -> str:
    """Daily activity as block characters, scaled to the row's own maximum; long spans are
    summed into at most `width` equal buckets of days."""
    if len(values) > width:
        size = -(-len(values) // width)
        values = [sum(values[i : i + size]) for i in range(0, len(values), size)]
    top = max(values, default=0)
    if top == 0:
        return ""
    return "".join(SPARKS[0 if v == 0 else max(1, round(v / top * 8))] for v in values)


def result_table(
    console: Console, columns: list[str], rows: list[tuple[Any, ...]], title: str = ""
) -> None:
    table = Table(title=escape(title) if title else None, title_justify="left", show_edge=False)
    for name in columns:
        table.add_column(escape(name))
    for row in rows:
        table.add_row(*("" if v is None else escape(str(v)) for v in row))
    console.print(table)


def queries(console: Console, catalogue: dict[str, Any]) -> None:
    table = Table(title="Named queries", title_justify="left", show_edge=False)
    for name in ("name", "parameters", "what it answers", "file"):
        table.add_column(name)
    for name, q in sorted(catalogue.items()):
        params = ", ".join(q.params) or "-"
        table.add_row(escape(name), escape(params), escape(q.description), escape(str(q.path)))
    console.print(table)


def actors(
    console: Console,
    ranking: list[dict[str, Any]],
    daily: dict[str, list[int]],
    threshold: float,
) -> None:
    table = Table(title="Actors by outlier score", title_justify="left", show_edge=False)
    for name in ("#", "actor", "team", "days", "customers", "per day", "score", "scope", "daily"):
        table.add_column(
            name,
            justify="left" if name in ("actor", "team", "daily") else "right",
            no_wrap=name == "daily",
        )
    for rank, r in enumerate(ranking, start=1):
        score = r["outlier_score"]
        flagged = score is not None and score > threshold
        style = "bold red" if flagged else None
        table.add_row(
            str(rank),
            escape(r["actor"]),
            escape(r["team"] or ""),
            f"{r['active_days']:,}",
            f"{r['customers']:,}",
            f"{r['customers_per_day']:,}",
            "-" if score is None else f"{score:,}",
            "yes" if r["in_scope_actor"] else "",
            sparkline(daily.get(r["actor"], [])),
            style=style,
        )
    console.print(table)
