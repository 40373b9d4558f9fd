"""The controller's statement, checked against the data ([statement]).

A statement to the public says which data were involved and which were not. A run holds it
against what the in-scope events displayed and exposed: every category exposed to at least
one person must be among `involved`, and nothing in `not_involved` may be displayed by an
in-scope action; otherwise the run stops. The customer table's columns that are neither
declared fields nor listed in the statement are named as "assumed not displayed": the
action map only knows declared fields, so the investigator confirms that no screen shows
them. The verdict and its evidence (which action displayed what, how often) go into the
manifest and the report.

The numbers come from queries/ (statement_actions, count_categories,
count_recipients_by); this module compares names and masks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from scoping import db, sources
from scoping.case import Case
from scoping.casefile import StatementTable
from scoping.errors import StatementError, example
from scoping.sources import StagedFile

# Columns the staging adds to the customer table; never the extract's own.
_OWN_COLUMNS = frozenset({"source_file", "source_row", "available_mask", "match_key"})


@dataclass(frozen=True)
class Displayed:
    """What the in-scope events displayed, per action (from statement_actions)."""

    actions: list[dict[str, Any]]


def displayed(con: duckdb.DuckDBPyConnection) -> Displayed:
    """Read, while the per-line tables exist, what each in-scope action displayed."""
    return Displayed(db.fetch_dicts(con, "statement_actions"))


def customer_columns(
    con: duckdb.DuckDBPyConnection, staged: list[StagedFile], work: Path
) -> list[str]:
    """The columns of the customer extracts as their headers name them (names only, never
    values), in the order of the first file, then those the others add."""
    names: dict[str, None] = {}
    for s in staged:
        if s.role == "customers":
            readable = sources.readable_file(s.file, work, s.source_file)
            names.update(dict.fromkeys(n for n, _ in sources.column_types(con, readable)))
    return [n for n in names if n not in _OWN_COLUMNS]


def _entry_mask(case: Case, entry: str) -> tuple[str, int]:
    """What a `not_involved` entry names (a declared field, a category, a column of a
    declared field, or something else) and the bitmask of the declared fields it covers."""
    fields = case.customers.fields
    by_name = [f for f in fields if f.name == entry]
    if by_name:
        return "field", by_name[0].mask
    by_category = [f for f in fields if f.category == entry]
    if by_category:
        return "category", sum(f.mask for f in by_category)
    by_column = [f for f in fields if f.column == entry]
    if by_column:
        return "column of a field", sum(f.mask for f in by_column)
    return "not a declared field", 0


def _statement(case: Case) -> StatementTable:
    assert case.model is not None and case.model.statement is not None
    return case.model.statement


def check_not_involved(case: Case, shown: Displayed) -> list[dict[str, Any]]:
    """Each `not_involved` entry with the in-scope actions that displayed it; raise
    StatementError when any did (the statement would be false). Made as soon as the
    exposure is known, before the recipients are built."""
    checked, contradicted = [], []
    for entry in _statement(case).not_involved:
        kind, mask = _entry_mask(case, entry)
        by = [
            {"action": example(a["action"]), "events": a["events"]}
            for a in shown.actions
            if int(a["mask"]) & mask
        ]
        checked.append({"entry": entry, "kind": kind, "displayed_by": by})
        if by:
            shown_by = ", ".join(f"{b['action']} ({b['events']:,} events)" for b in by)
            contradicted.append(f"{entry} ({kind}; displayed by {shown_by})")
    if contradicted:
        raise StatementError(
            f"{case.path}: [statement] not_involved lists what in-scope actions displayed:"
            f" {'; '.join(contradicted)}",
            "correct the statement, or the action map if those screens do not show it",
        )
    return checked


def check(
    case: Case,
    shown: Displayed,
    counts: dict[str, Any],
    columns: list[str],
) -> dict[str, Any]:
    """The verdict on the case's statement and its evidence; raise StatementError when the
    data contradict it. `counts` are the run's counts: persons per category come from the
    recipients when the case has them, else customer records are counted."""
    statement = _statement(case)
    checked = check_not_involved(case, shown)
    records = {c["category"]: c["customers"] for c in counts.get("categories", [])}
    persons = counts.get("recipients", {}).get("per_category")
    unit = "persons" if persons is not None else "customer records"
    exposed = [
        {
            "category": category,
            "customer_records": n,
            "persons": None if persons is None else persons.get(category, 0),
            "in_statement": category in statement.involved,
        }
        for category, n in records.items()
        if n
    ]
    # Exposed to someone, yet not named: the statement would leave it out.
    missing = [e for e in exposed if not e["in_statement"]]
    if missing:
        listed = ", ".join(
            f"{e['category']} ({e['persons' if persons is not None else 'customer_records']:,}"
            f" {unit})"
            for e in missing
        )
        raise StatementError(
            f"{case.path}: [statement] involved does not name {len(missing)} exposed"
            f" categor{'y' if len(missing) == 1 else 'ies'}: {listed}",
            "add them to involved (and to the statement itself), or correct the action map"
            " if those fields were not displayed",
        )
    fields = {f.column for f in case.customers.fields}
    listed_names = set(statement.not_involved)
    assumed = [example(c) for c in columns if c not in fields and c not in listed_names]
    return {
        "verdict": "consistent",
        "controller": statement.controller,
        "contact_point": statement.contact_point,
        "hotline": statement.hotline,
        "involved": list(statement.involved),
        "involved_not_exposed": [
            c for c in statement.involved if not any(e["category"] == c for e in exposed)
        ],
        "exposed": exposed,
        "not_involved": checked,
        "assumed_not_displayed": assumed,
        "actions": [
            {
                "action": example(a["action"]),
                "events": a["events"],
                "fields": list(a["fields"]),
                "categories": list(a["categories"]),
            }
            for a in shown.actions
        ],
    }
