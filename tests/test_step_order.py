"""The steps a run records run in an order the queries' own SQL allows: each table, view,
macro and variable is created before a step reads it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import CASE, invoke, write_case
from step_order import check_order, creates, producers, reads

from scoping import db

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))

import update


def ran(out: Path) -> list[str]:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [q["name"] for q in manifest["queries"]]


def test_the_example_runs_its_steps_in_an_order_their_sql_allows(tmp_path: Path) -> None:
    first, second = tmp_path / "wave1", tmp_path / "wave2"
    update.run_example(first)
    check_order(ran(first))
    # A second wave, and a scope with an actor without events: the steps that only run then.
    previous = first / "recipients.csv"
    result = invoke("--no-cache", "run", update.CASE, "--out", second, "--previous", previous)
    assert result.exit_code == 0, result.stderr
    check_order(ran(second))
    allowed = CASE.replace('actors = ["PRT-0042"]', 'actors = ["PRT-0042", "PRT-42"]').replace(
        "[scope]\n", "[scope]\nallow_actors_without_events = true\n"
    )
    out = tmp_path / "allowed"
    assert invoke("run", write_case(tmp_path / "a", case=allowed), "--out", out).exit_code == 0
    check_order(ran(out))


def test_a_step_before_what_it_reads_is_found() -> None:
    assert "customers" in reads(db.query("customer_problems"))
    with pytest.raises(ValueError, match="'customer_problems' reads 'customers'"):
        check_order(["customer_problems", "customers"])
    check_order(["customers", "customer_problems"])
    # A macro is read where it is called; a variable where getvariable names it.
    assert {"clean_text", "case_options"} <= set(reads(db.query("field_label_masks")))
    with pytest.raises(ValueError, match="'field_label_masks' reads 'clean_text'"):
        check_order(["field_label_masks", "macro_clean_text"])


def test_every_step_that_creates_something_creates_its_own_name() -> None:
    """A name is created by one query, named after it; a few have two (the workbooks replace
    the CSV files' macro of that name; with the customers' history, a variant replaces the
    customer table, the events in scope, and makes the versions from a change log)."""
    made = producers()
    shared = {name: sorted(by) for name, by in made.items() if len(by) > 1}
    assert shared == {
        "csv_safe": ["macro_csv_safe", "macro_xlsx_text"],
        "customers": ["customers", "customers_history"],
        "events_in_scope": ["events_in_scope", "events_in_scope_history"],
        "customer_versions": ["customer_versions", "customer_versions_from_changes"],
    }
    for q in db.catalogue().values():
        if (name := creates(q)) is not None and name not in shared:
            assert q.name in (name, f"macro_{name}"), q.name
