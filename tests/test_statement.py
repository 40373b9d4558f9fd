"""The [statement] section: what the controller says was and was not involved, held by each
run against what the in-scope events displayed and exposed."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import CASE, invoke, write_case

from scoping.errors import ExitCode

# The tiny case exposes name and address (C1, C2: the search and the detail screen show
# `zip`) and name alone (C3, whose email and zip are blank); nobody's email is exposed.
STATEMENT = """
[statement]
involved = {involved}
not_involved = {not_involved}
controller = "Example Operator"
contact_point = "dpo@operator.example"
hotline = "0800 00 000"
"""


def _case(tmp_path: Path, involved: str, not_involved: str = "[]") -> Path:
    text = CASE + STATEMENT.format(involved=involved, not_involved=not_involved)
    return write_case(tmp_path / "case", text)


def _fails(case: Path, tmp_path: Path, code: ExitCode) -> str:
    out = tmp_path / "out"
    result = invoke("--no-cache", "run", case, "--out", out)
    assert result.exit_code == int(code), result.stderr
    assert not out.exists(), "no partial output folder"
    assert "Traceback" not in result.stderr
    return result.stderr


def test_a_consistent_statement_is_recorded_with_its_evidence(tmp_path: Path) -> None:
    case = _case(tmp_path, '["name", "address", "email"]', '["iban", "last_name_x"]')
    out = tmp_path / "out"
    result = invoke("--no-cache", "run", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    verdict = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["statement"]
    assert verdict["verdict"] == "consistent"
    exposed = {e["category"]: e["customer_records"] for e in verdict["exposed"]}
    assert exposed == {"name": 3, "address": 2}
    assert verdict["involved_not_exposed"] == ["email"]
    actions = {a["action"]: a for a in verdict["actions"]}
    # Events in scope per action: the search of C1; the detail of C2 and C3 (C9 is unknown,
    # C4's detail falls out of the window); billing.view is not mapped (ignored).
    assert {a: actions[a]["events"] for a in actions} == {
        "customer.search": 1,
        "customer.detail": 2,
    }
    assert actions["customer.search"]["fields"] == ["first_name", "last_name", "postal_code"]
    assert [n["kind"] for n in verdict["not_involved"]] == ["not a declared field"] * 2
    assert all(n["displayed_by"] == [] for n in verdict["not_involved"])
    # customer_id is a column of the table, neither a field nor named by the statement.
    assert verdict["assumed_not_displayed"] == ["customer_id"]


def test_a_displayed_column_listed_as_not_involved_stops_the_run(tmp_path: Path) -> None:
    # `zip` is the column of postal_code, which the search and the detail screen show.
    stderr = _fails(_case(tmp_path, '["name", "address"]', '["zip"]'), tmp_path, ExitCode.STATEMENT)
    assert "not_involved" in stderr and "zip" in stderr
    assert "customer.search (1 events)" in stderr and "customer.detail (2 events)" in stderr


def test_a_displayed_category_listed_as_not_involved_stops_the_run(tmp_path: Path) -> None:
    # The detail screen shows email (to customers who had none: displayed, not exposed).
    stderr = _fails(
        _case(tmp_path, '["name", "address"]', '["email"]'), tmp_path, ExitCode.STATEMENT
    )
    assert "email (field; displayed by customer.detail (2 events))" in stderr


def test_an_exposed_category_the_statement_leaves_out_stops_the_run(tmp_path: Path) -> None:
    stderr = _fails(_case(tmp_path, '["name"]'), tmp_path, ExitCode.STATEMENT)
    assert "involved does not name 1 exposed category: address (2 customer records)" in stderr


def test_a_statement_naming_an_unknown_category_is_a_case_error(tmp_path: Path) -> None:
    stderr = _fails(_case(tmp_path, '["name", "adress"]'), tmp_path, ExitCode.CASE)
    assert "[statement.involved]" in stderr and "'adress'" in stderr


def test_messages_need_recipients_and_a_statement(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case", CASE + "\n[messages]\n")
    stderr = _fails(case, tmp_path, ExitCode.CASE)
    assert "needs a [recipients] section" in stderr and "needs a [statement] section" in stderr
