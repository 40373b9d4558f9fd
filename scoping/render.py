"""Rendering results: Rich tables for people, CSV and JSON for programs.

Every table a command prints is a `Listing`, shown in one of three formats (`-f`): a Rich
table (on the console the command names), or CSV or JSON on stdout. A table never cuts an
identifier (an actor, a key, a query's name, a file): when the terminal is too narrow, the
other columns wrap and are dropped first.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.table import Table

from scoping.exposure import ActorsWithoutEvents
from scoping.outputs import csv_header, csv_line
from scoping.pipeline import CheckReport, RunResult, describe_actors, where

MAX_DAYS_SHOWN = 14
MAX_ACTORS_SHOWN = 20  # rows of the per-actor table; every actor is in counts.json
ACTORS_NAMED = 5  # actors a warning names before it counts the rest
MAX_REJECTED_SHOWN = 20
NO_LOG_ROW = (
    "warning: the access log holds no row: nothing in it can have been exposed;"
    " check that the extract is complete"
)


def printable(text: object) -> str:
    """Text as it may be drawn on a terminal: every character Python would not print as it is
    (controls such as ESC, which start the terminal's escape sequences, bidirectional overrides
    and other format characters, line separators, spaces other than the plain one) is shown as
    its escape (`\\x1b`, `\\u202e`), so that an actor name or a case value can neither drive the
    terminal nor hide or reorder what is shown."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text
    )


def _shown(value: object) -> str:
    """A value as Rich markup that draws it as it is, and harmlessly."""
    return escape(printable(value))


def _number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int | float) and not isinstance(value, bool) else ""


@dataclass(frozen=True)
class Column:
    """A column of a listing. An `identifier` is never cut; a column with a `drop` rank is
    left out of a table that does not fit (highest rank first); `show` is how a table
    shows a value (programs get the value itself); a `table_only` column is not data (a
    sparkline), a `data_only` one is not drawn (a table shows it otherwise, as a style)."""

    name: str
    identifier: bool = False
    drop: int = 0
    numeric: bool = False
    no_wrap: bool = False
    show: Callable[[Any], str] | None = None
    table_only: bool = False
    data_only: bool = False
    header: str | None = None  # the table's header, when it differs from the name


@dataclass(frozen=True)
class Listing:
    """Rows under named columns: what a command prints, in any format."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]
    styles: list[str | None] = field(default_factory=list)


def _cell(column: Column, value: Any) -> str:
    if column.show is not None:
        return _shown(column.show(value))
    if value is None:
        return ""
    if column.numeric:
        return _number(value) or _shown(value)
    return _shown(value)


def fit(console: Console, listing: Listing) -> Table:
    """A Rich table of the listing as wide as the console allows, without cutting an
    identifier: other columns wrap first, then are dropped by rank; only an identifier
    wider than the console on its own is folded onto several lines (never cut)."""
    keep = [i for i, c in enumerate(listing.columns) if not c.data_only]
    cells = _cells(listing)
    wide = console.options.update_width(1_000_000)
    while True:
        table = _table_of(listing, keep, cells, pin=True)
        droppable = [i for i in keep if listing.columns[i].drop]
        if Measurement.get(console, wide, table).minimum <= console.width:
            return table
        if not droppable:
            return _table_of(listing, keep, cells, pin=False)
        keep.remove(max(droppable, key=lambda i: listing.columns[i].drop))


def _table_of(listing: Listing, keep: list[int], cells: list[list[str]], pin: bool) -> Table:
    title = _shown(listing.title) if listing.title else None
    table = Table(title=title, title_justify="left", show_edge=False)
    for i in keep:
        c = listing.columns[i]
        table.add_column(
            _shown(c.header if c.header is not None else c.name),
            justify="right" if c.numeric else "left",
            no_wrap=c.no_wrap or (c.identifier and pin),
            overflow="fold",
        )
    for n, row in enumerate(cells):
        style = listing.styles[n] if n < len(listing.styles) else None
        table.add_row(*(row[i] for i in keep), style=style)
    return table


def emit(console: Console, stdout: TextIO, listings: Sequence[Listing], fmt: str) -> None:
    """Show listings as Rich tables on `console`, or write them to `stdout` as CSV or JSON.

    One listing is a plain CSV file or a JSON array of objects. Several are a JSON object of
    arrays by name, or one long CSV (`table`, `key`, `column`, `value`: one line per cell,
    keyed by the row's identifier), so that any program reads them with one parser."""
    if fmt == "table":
        for listing in listings:
            console.print(fit(console, listing))
        return
    data = [_records(listing) for listing in listings]
    if fmt == "json":
        body: Any = (
            data[0]
            if len(listings) == 1
            else {listing.name: records for listing, records in zip(listings, data, strict=True)}
        )
        stdout.write(json.dumps(body, indent=2, ensure_ascii=False, default=str) + "\n")
    elif len(listings) == 1:
        columns = [c.name for c in listings[0].columns if not c.table_only]
        stdout.write(csv_header(columns))
        stdout.writelines(csv_line(r.values()) for r in data[0])
    else:
        stdout.write(csv_header(["table", "key", "column", "value"]))
        for listing, records in zip(listings, data, strict=True):
            key = next((c.name for c in listing.columns if c.identifier), None)
            for record in records:
                stdout.writelines(
                    csv_line([listing.name, record.get(key) if key else None, name, value])
                    for name, value in record.items()
                    if name != key
                )


def _records(listing: Listing) -> list[dict[str, Any]]:
    columns = [(i, c.name) for i, c in enumerate(listing.columns) if not c.table_only]
    return [{name: row[i] for i, name in columns} for row in listing.rows]


# How the counts' summary names read in a table.
SUMMARY_LABELS = {
    "customer_records": "customer records",
    "events_read": "access-log rows read",
    "events_in_scope": "events in scope",
    "events_unmatched": "events unmatched (unknown customer)",
    "affected_customer_records": "affected customer records",
}
RECIPIENT_LABELS = {
    "affected_persons": "affected persons",
    "affected_records": "affected customer records",
    "merged_persons": "persons merged from several records",
    "age_unknown": "age unknown (no birth date read)",
    "no_contact": "no usable channel",
    "shared_contact": "shared contact points",
    "invalid_contact": "invalid contact points",
}


def _label(labels: dict[str, str]) -> Callable[[Any], str]:
    return lambda name: labels.get(str(name), str(name).replace("_", " "))


def _actors(rows: list[dict[str, Any]], events: Column, customers: Column) -> Listing:
    """Per actor in scope, with the source of each account when the case names its sources
    (the counts then carry it)."""
    actor = Column("actor", identifier=True)
    if any("source" in r for r in rows):
        return Listing(
            "actors",
            "Per actor in scope and source",
            (Column("source", identifier=True), actor, events, customers),
            [(r["source"] or "", r["actor"], r["events"], r["customers"]) for r in rows],
        )
    return Listing(
        "actors",
        "Per actor in scope",
        (actor, events, customers),
        [(r["actor"], r["events"], r["customers"]) for r in rows],
    )


def count_listings(counts: dict[str, Any]) -> list[Listing]:
    """The counts of a run (counts.json) as listings: the summary, per field, category,
    combination of categories, actor and day, and the recipients' numbers."""
    summary = Column("name", identifier=True, header="", show=_label(SUMMARY_LABELS))
    customers = Column("customers", numeric=True)
    events = Column("events", numeric=True)
    listings = [
        Listing(
            "summary",
            f"Case {counts['case']['id']}",
            (summary, Column("count", numeric=True)),
            [(k, v) for k, v in counts["summary"].items()],
        ),
        Listing(
            "fields",
            "Per field",
            (Column("field", identifier=True), customers),
            [(r["field"], r["customers"]) for r in counts["fields"]],
        ),
        Listing(
            "categories",
            "Per category",
            (Column("category", identifier=True), customers),
            [(r["category"], r["customers"]) for r in counts["categories"]],
        ),
        Listing(
            "combinations",
            "Per combination of categories",
            (Column("categories", identifier=True), customers),
            [(r["categories"], r["customers"]) for r in counts["combinations"]],
        ),
        _actors(counts["actors"], events, customers),
        Listing(
            "days",
            f"Per day (case time zone; {len(counts['days'])} days)",
            (Column("day", identifier=True), events, customers),
            [(str(r["day"]), r["events"], r["customers"]) for r in counts["days"]],
        ),
        Listing(
            "first_exposure",
            "Per day of first exposure (case time zone)",
            (Column("day", identifier=True), customers),
            [(str(r["day"]), r["customers"]) for r in counts.get("first_exposure", [])],
        ),
        Listing(
            "actor_days",
            "Per actor and day (the actors with most events)",
            (Column("actor", identifier=True), Column("day", identifier=True), events),
            [(r["actor"], str(r["day"]), r["events"]) for r in counts.get("actor_days", [])],
        ),
    ]
    if "recipients" in counts:
        rows: list[tuple[Any, ...]] = []
        for name, value in counts["recipients"].items():
            if isinstance(value, dict):
                dimension = name.removeprefix("per_").replace("_", " ")
                rows += [(f"{dimension}: {v}", n) for v, n in value.items()]
            elif isinstance(value, list):
                continue  # per day: in counts.json and the report
            else:
                rows.append((name, value))
        persons = Column("name", identifier=True, header="", show=_label(RECIPIENT_LABELS))
        listings.append(
            Listing("recipients", "Recipients", (persons, Column("persons", numeric=True)), rows)
        )
    return listings


def counts(console: Console, stdout: TextIO, result: RunResult, fmt: str = "table") -> None:
    """A run's counts: tables on the console, or on stdout as CSV (count_listings, in the
    long form of emit) or JSON (exactly counts.json); warnings always on the console."""
    c = result.counts
    listings = count_listings(c)
    if fmt == "json":
        stdout.write(json.dumps(c, indent=2, ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        emit(console, stdout, listings, fmt)
    else:
        by_name = {listing.name: listing for listing in listings}
        emit(console, stdout, [by_name[n] for n in ("summary", "fields", "categories")], fmt)
        actors = by_name["actors"]
        if len(actors.rows) > MAX_ACTORS_SHOWN:
            title = f"{actors.title} (first {MAX_ACTORS_SHOWN} of {len(actors.rows):,}; all in"
            title += " counts.json)"
            actors = Listing("actors", title, actors.columns, actors.rows[:MAX_ACTORS_SHOWN])
        emit(console, stdout, [by_name["combinations"], actors], fmt)
    s = c["summary"]
    if s["events_read"] == 0:
        console.print(NO_LOG_ROW, markup=False, highlight=False)
    _warn_actors_without_events(console, result.actors_without_events)
    idle = [r["actor"] for r in c["actors"] if r["events"] == 0]
    if len(idle) > result.actors_without_events.count:
        named = ", ".join(repr(a) for a in idle[:ACTORS_NAMED])
        more = f" and {len(idle) - ACTORS_NAMED:,} more" if len(idle) > ACTORS_NAMED else ""
        console.print(
            f"warning: {len(idle):,} actor(s) of [scope] have no event in scope: {named}{more}"
            " (events 0 in counts.json); check their spelling against the log and the window",
            markup=False,
            highlight=False,
        )
    if fmt == "table":
        days = by_name["days"]
        busiest = sorted(days.rows, key=lambda r: (-r[2], r[0]))[:MAX_DAYS_SHOWN]
        title = f"Busiest days (case time zone; all {len(days.rows)} in counts.json)"
        emit(console, stdout, [Listing("days", title, days.columns, busiest)], fmt)
        if "recipients" in by_name:
            emit(console, stdout, [by_name["recipients"]], fmt)
    console.print(
        printable(f"Outputs written to {result.out_dir}: {', '.join(result.files)}"), markup=False
    )


def _warn_actors_without_events(console: Console, quiet: ActorsWithoutEvents) -> None:
    """One line for the scope's actors with no event at all, which the case allowed."""
    if quiet.count:
        console.print(
            f"warning: {quiet.count:,} actor(s) of [scope] have no event in the access log"
            f" (allowed by allow_actors_without_events): {describe_actors(quiet)}",
            markup=False,
            highlight=False,
        )


def fields_listing(fields: list[dict[str, Any]]) -> Listing:
    """What the customer table holds per declared field, so that a placeholder (`n/a`) is
    seen before a run. The most frequent values are shown as Python literals: invisible
    and control characters appear escaped (`'\\u200b'`). They are personal data: drawn on
    the terminal only, never written by `-f csv|json`."""
    return Listing(
        "fields",
        "Customer fields (values on screen only)",
        (
            Column("field", identifier=True),
            Column("available", numeric=True),
            Column("blank", numeric=True),
            Column("placeholder", numeric=True),
            Column("most frequent values", drop=1, table_only=True),
        ),
        [
            (
                f["field"],
                f["available"],
                f["blank"],
                f["placeholder"],
                ", ".join(f"{t['value']!r} ({t['count']:,})" for t in f["top"]),
            )
            for f in fields
        ],
    )


def check(console: Console, stdout: TextIO, report: CheckReport, fmt: str = "table") -> None:
    """What a check read: the inputs and the headline numbers as a listing, and the rows
    that cannot be used (at most MAX_REJECTED_SHOWN, on the console)."""
    case = report.case
    window = f"{report.window.start_utc or 'open'} to {report.window.end_utc or 'open'} (UTC)"
    named = case.named_sources  # then each log file's source is shown
    inputs = Listing(
        "inputs",
        "Inputs",
        (
            Column("file", identifier=True),
            Column("role", drop=1),
            *((Column("source", identifier=True),) if named else ()),
            Column("format", drop=2),
            Column("rows", numeric=True),
        ),
        [
            (str(s.file.path), s.role, *((s.source or "",) if named else ()), s.file.format, s.rows)
            for s in report.staged
        ],
    )
    summary = Listing(
        "summary",
        "",
        (Column("name", identifier=True), Column("count", numeric=True)),
        [
            ("customer_records", report.customer_records),
            ("events_read", report.events_read),
            ("rows_not_usable", len(report.rejected)),
        ],
    )
    fields = fields_listing(report.fields)
    if fmt != "table":
        emit(console, stdout, [inputs, summary, fields], fmt)
    console.print(printable(f"Case {case.id}: {case.title}"), markup=False)
    console.print(f"time zone {case.timezone}; window {window}; {len(case.scope.actors)} actor(s)")
    if fmt == "table":
        emit(console, stdout, [inputs], fmt)
    console.print(f"{report.customer_records:,} customer records, keys unique")
    if fmt == "table":
        emit(console, stdout, [fields], fmt)
    console.print(f"{report.events_read:,} access-log rows read")
    if report.events_read == 0:
        console.print(NO_LOG_ROW, markup=False, highlight=False)
    _warn_actors_without_events(console, report.actors_without_events)
    console.print(f"{len(report.rejected):,} input row(s) cannot be used")
    for row in report.rejected[:MAX_REJECTED_SHOWN]:
        console.print(f"  {printable(where(row))}", markup=False)


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
    """A query's result: no value is cut (columns wrap, folding long values)."""
    listing = Listing("result", title, tuple(Column(c) for c in columns), list(rows))
    console.print(_table_of(listing, list(range(len(columns))), _cells(listing), pin=False))


def _cells(listing: Listing) -> list[list[str]]:
    return [[_cell(c, v) for c, v in zip(listing.columns, r, strict=True)] for r in listing.rows]


def queries_listing(catalogue: dict[str, Any]) -> Listing:
    return Listing(
        "queries",
        "Named queries",
        (
            Column("name", identifier=True),
            Column("parameters", drop=1, show=lambda v: v or "-"),
            Column("description", header="what it answers", drop=2),
            Column("file", identifier=True, show=_near),
        ),
        [
            (name, ", ".join(q.params), q.description, str(q.path))
            for name, q in sorted(catalogue.items())
        ],
    )


def _near(path: Any) -> str:
    """A path as a table shows it: relative to the current folder when it lies below it."""
    full = Path(str(path))
    try:
        return str(full.relative_to(Path.cwd()))
    except ValueError:
        return str(full)


def actors_listing(
    ranking: list[dict[str, Any]], daily: dict[str, list[int]], threshold: float
) -> Listing:
    """The actor ranking; flagged actors (score above the threshold) in bold red."""
    rows, styles = [], []
    for rank, r in enumerate(ranking, start=1):
        score = r["outlier_score"]
        flagged = score is not None and score > threshold
        styles.append("bold red" if flagged else None)
        rows.append(
            (
                rank,
                r["actor"],
                r["team"],
                r["active_days"],
                r["customers"],
                r["customers_per_day"],
                score,
                r["in_scope_actor"],
                flagged,
                sparkline(daily.get(r["actor"], [])),
            )
        )
    return Listing(
        "actors",
        "Actors by outlier score",
        (
            Column("rank", numeric=True, header="#", drop=1),
            Column("actor", identifier=True),
            Column("team", drop=5),
            Column("active_days", numeric=True, header="days", drop=4),
            Column("customers", numeric=True),
            Column("customers_per_day", numeric=True, header="per day", drop=2),
            Column("outlier_score", numeric=True, header="score", show=_score),
            Column("in_scope_actor", header="scope", show=lambda v: "yes" if v else "", drop=3),
            Column("flagged", data_only=True),
            Column("daily", no_wrap=True, table_only=True, drop=6),
        ),
        rows,
        styles,
    )


def _score(value: Any) -> str:
    return "-" if value is None else _number(value)
