"""Shared fixtures: a tiny hand-made case whose answer is known, and a CLI runner."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from scoping.cli import app

CUSTOMERS = """\
customer_id,first_name,last_name,email,zip
C1,Ann,Peeters,ann@example.invalid,1000
C2,Bob,Dubois,,9000
 C3 ,Cé,Janssens,   ,
C4,Dirk,Maes,dirk@example.invalid,2000
"""

EVENTS = """\
event_time,user_id,screen,customer_id
2026-09-01 00:00:00,PRT-0042,customer.search,C1
2026-09-02T10:00:00Z,PRT-0042,customer.detail,C2
2026-09-02T10:00:00.5Z,PRT-0042,customer.detail,C3
2026-09-02T10:00:00Z,AGT-1,customer.detail,C4
2026-09-02T10:00:00Z,PRT-0042,billing.view,C4
2026-09-02T10:00:00Z,PRT-0042,customer.detail,C9
2026-11-15 00:00:00,PRT-0042,customer.detail,C4
2026-08-31 23:59:59,PRT-0042,customer.detail,C4
"""

CASE = """\
[case]
id = "T-1"
title = "Tiny case"
timezone = "Europe/Brussels"

[customers]
path = "customers.csv"
key = "customer_id"

[customers.fields]
first_name = { column = "first_name", category = "name" }
last_name = { column = "last_name", category = "name" }
email = "email"
postal_code = { column = "zip", category = "address" }

[access_log]
path = ["logs/*.csv"]
timestamp = "event_time"
actor = "user_id"
record = "customer_id"
action = "screen"

[actions]
"customer.search" = ["first_name", "last_name", "postal_code"]
"customer.detail" = "*"

[scope]
actors = ["PRT-0042"]
start = "2026-09-01"
end = "2026-11-15"
unmapped = "ignore"
"""


def write_case(
    root: Path,
    case: str = CASE,
    customers: str = CUSTOMERS,
    events: str = EVENTS,
) -> Path:
    """Write a case folder (case.toml, customers.csv, logs/a.csv) and return the case path."""
    (root / "logs").mkdir(parents=True, exist_ok=True)
    (root / "customers.csv").write_text(textwrap.dedent(customers), encoding="utf-8")
    (root / "logs" / "a.csv").write_text(textwrap.dedent(events), encoding="utf-8")
    path = root / "case.toml"
    path.write_text(case, encoding="utf-8")
    return path


@pytest.fixture
def tiny_case(tmp_path: Path) -> Path:
    return write_case(tmp_path / "case")


def invoke(*args: str) -> Result:
    """Run the CLI in-process; stdout and stderr stay separate."""
    return CliRunner().invoke(app, [str(a) for a in args])
