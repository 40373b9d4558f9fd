"""An independent Polars oracle for `affected_customers.csv`.

Written from the exposure rule in prose only (never from `queries/*.sql`), so that when it and
the DuckDB pipeline agree on generated data, both are likely right. It trades speed for
plainness: timestamps are parsed one by one with `zoneinfo`, the rest is a few Polars steps.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Literal
from zoneinfo import ZoneInfo

import polars as pl

ALL: Literal["*"] = "*"

# A timestamp: date, optional time (space or T), optional Z or offset (+02:00, +0200, +02).
_TS = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
    r"(Z|[+-]\d{2}(?::?\d{2})?)?"
)
# Only the whitespace the rule names; a field made of these is not available.
_BLANK = re.compile(r"[ \t\r\n\u00a0]*")
# Prefix for the oracle's own columns, so that no field name can collide with them.
_P = "__oracle_"


@dataclass(frozen=True)
class OracleField:
    """A declared personal-data field: its name, its column in the customer table, its category."""

    name: str
    column: str
    category: str


@dataclass(frozen=True)
class OracleSpec:
    """The parts of a case file that the exposure rule reads."""

    timezone: str
    customer_key: str
    fields: tuple[OracleField, ...]
    timestamp: str
    actor: str
    record: str
    action: str
    actions: dict[str, list[str] | Literal["*"]]
    actors: tuple[str, ...]
    start: str | None = None
    end: str | None = None


def parse_instant(text: str, tz_name: str, *, allow_date: bool = False) -> datetime:
    """Read a timestamp as an aware UTC instant.

    Naive text is local time in the case time zone, and "standard time wins" at DST changes:
    a time in the spring gap keeps the offset in force before the gap (fold=0) and a repeated
    autumn hour is its second occurrence (fold=1). A bare date (scope bounds only) is local
    midnight.
    """
    text = text.strip()
    match = _TS.fullmatch(text)
    if match is None or (match[4] is None and (not allow_date or match[8] is not None)):
        raise ValueError(f"not a timestamp: {text!r}")
    year, month, day, hour, minute, second = (int(g or 0) for g in match.groups()[:6])
    micro = int((match[7] or "0").ljust(6, "0"))
    naive = datetime(year, month, day, hour, minute, second, micro)
    if match[8] is not None:
        return naive.replace(tzinfo=_offset(match[8])).astimezone(UTC)
    return _local_to_utc(naive, ZoneInfo(tz_name))


def _offset(text: str) -> timezone:
    """`Z`, `+02:00`, `+0200` or `+02` as a fixed offset."""
    if text == "Z":
        return UTC
    digits = text[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    return timezone(-delta if text[0] == "-" else delta)


def _local_to_utc(naive: datetime, tz: ZoneInfo) -> datetime:
    """Local wall time to UTC; fold=0 in a gap, fold=1 otherwise (second, standard occurrence)."""
    first = naive.replace(tzinfo=tz, fold=0)
    in_gap = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive
    chosen = first if in_gap else naive.replace(tzinfo=tz, fold=1)
    return chosen.astimezone(UTC)


def format_utc(instant: datetime) -> str:
    """The contract's UTC notation: whole seconds, or six fraction digits when there is one."""
    instant = instant.astimezone(UTC)
    if instant.microsecond:
        return instant.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


# The built-in placeholder values of docs/exposure.md, compared trimmed and without regard to case.
_PLACEHOLDERS = {
    "n/a", "n.a.", "#n/a", "nvt", "n.v.t.", "null", "none", "unknown", "onbekend", "geen",
    "inconnu", "unbekannt",
}  # fmt: skip
# ... except for name fields, which keep these surnames as data.
_SURNAMES = {"null", "none"}


def is_available(value: str | None, category: str = "") -> bool:
    """A value counts only when it holds a letter or a digit (not only whitespace, invisible
    characters or punctuation) and is not a placeholder (for a name, not one that is no
    surname)."""
    if value is None or _BLANK.fullmatch(value) is not None:
        return False
    if not any(unicodedata.category(c)[0] in "LN" for c in value):
        return False
    folded = value.strip(" \t\r\n\u00a0\ufeff").lower()
    placeholders = _PLACEHOLDERS - _SURNAMES if category == "name" else _PLACEHOLDERS
    return folded not in placeholders


def _bound(text: str | None, tz_name: str) -> datetime | None:
    return None if text is None else parse_instant(text, tz_name, allow_date=True)


def _displayed(spec: OracleSpec, action: str) -> set[str]:
    shown = spec.actions[action]
    return {f.name for f in spec.fields} if shown == ALL else set(shown)


def _in_scope_events(events: pl.DataFrame, spec: OracleSpec) -> pl.DataFrame:
    """Trimmed key/actor/action plus the parsed instant, kept only when the event is in scope."""
    start, end = _bound(spec.start, spec.timezone), _bound(spec.end, spec.timezone)
    frame = events.select(
        pl.col(spec.record).str.strip_chars().alias(f"{_P}key"),
        pl.col(spec.actor).str.strip_chars().alias(f"{_P}actor"),
        pl.col(spec.action).str.strip_chars().alias(f"{_P}action"),
        pl.col(spec.timestamp)
        .map_elements(
            lambda t: parse_instant(t, spec.timezone), return_dtype=pl.Datetime("us", "UTC")
        )
        .alias(f"{_P}ts"),
    )
    keep = pl.col(f"{_P}actor").is_in(list(spec.actors)) & pl.col(f"{_P}action").is_in(
        list(spec.actions)
    )
    if start is not None:
        keep &= pl.col(f"{_P}ts") >= start
    if end is not None:
        keep &= pl.col(f"{_P}ts") < end
    return frame.filter(keep)


def _availability(customers: pl.DataFrame, spec: OracleSpec) -> pl.DataFrame:
    """One row per customer: trimmed key and one boolean per field saying it is available."""
    return customers.select(
        pl.col(spec.customer_key).str.strip_chars().alias(f"{_P}key"),
        *(
            pl.col(f.column)
            .map_elements(
                lambda v, c=f.category: is_available(v, c),
                return_dtype=pl.Boolean,
                skip_nulls=False,
            )
            .alias(f"{_P}avail_{f.name}")
            for f in spec.fields
        ),
    )


def _exposing_events(
    customers: pl.DataFrame, events: pl.DataFrame, spec: OracleSpec
) -> pl.DataFrame:
    """In-scope events joined to their customer, with one boolean per field it exposed."""
    joined = _in_scope_events(events, spec).join(
        _availability(customers, spec), on=f"{_P}key", how="inner"
    )
    exposed = [
        (
            pl.col(f"{_P}action").is_in([a for a in spec.actions if f.name in _displayed(spec, a)])
            & pl.col(f"{_P}avail_{f.name}")
        ).alias(f.name)
        for f in spec.fields
    ]
    frame = joined.select(f"{_P}key", f"{_P}actor", f"{_P}ts", *exposed)
    return frame.filter(pl.any_horizontal(f.name for f in spec.fields))


def _categories(row: dict[str, bool], spec: OracleSpec) -> str:
    """Distinct categories of the exposed fields, in order of first declaration."""
    declared = list(dict.fromkeys(f.category for f in spec.fields))
    hit = {f.category for f in spec.fields if row[f.name]}
    return "|".join(c for c in declared if c in hit)


def expected_affected(
    customers: pl.DataFrame, events: pl.DataFrame, spec: OracleSpec
) -> pl.DataFrame:
    """The expected `affected_customers.csv`, every column as text, rows sorted by key."""
    names = [f.name for f in spec.fields]
    grouped = (
        _exposing_events(customers, events, spec)
        .group_by(f"{_P}key")
        .agg(
            *(pl.col(n).any() for n in names),
            pl.col(f"{_P}ts").min().alias("first"),
            pl.col(f"{_P}ts").max().alias("last"),
            pl.len().alias("events"),
            pl.col(f"{_P}actor").n_unique().alias("actors"),
        )
        .sort(f"{_P}key")
    )
    rows = [_render(row, spec) for row in grouped.iter_rows(named=True)]
    columns = [
        "customer_key",
        *names,
        "categories",
        "first_exposure_utc",
        "last_exposure_utc",
        "events",
        "actors",
    ]
    return pl.DataFrame(rows, schema={c: pl.String for c in columns}, orient="row")


def _render(row: dict[str, object], spec: OracleSpec) -> list[str]:
    """One output row as the CSV shows it."""
    flags = {f.name: bool(row[f.name]) for f in spec.fields}
    first, last = row["first"], row["last"]
    assert isinstance(first, datetime) and isinstance(last, datetime)
    return [
        str(row[f"{_P}key"]),
        *("true" if flags[f.name] else "false" for f in spec.fields),
        _categories(flags, spec),
        format_utc(first),
        format_utc(last),
        str(row["events"]),
        str(row["actors"]),
    ]
