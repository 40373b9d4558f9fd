"""Sweep the query catalogue: every file says what it computes, declares exactly the
parameters it uses, and parses."""

from __future__ import annotations

import re

import duckdb
import pytest

from scoping import db, investigate

QUERIES = sorted(
    [*db.catalogue().values(), *investigate.catalogue(None).values()], key=lambda q: q.name
)


def test_the_catalogue_is_not_empty() -> None:
    assert len(QUERIES) >= 10


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_has_a_header_and_declares_its_parameters(query: db.Query) -> None:
    assert query.text.startswith("-- "), "begins with a comment saying what it computes"
    assert len(query.description) > 20
    assert re.search(r"^-- Parameters: ", query.text, re.MULTILINE), "declares its parameters"
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("--"))
    used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", body))
    assert used == set(query.params)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_is_one_statement_that_parses(query: db.Query) -> None:
    statements = duckdb.connect().extract_statements(query.text)
    assert len(statements) == 1


def test_running_a_query_with_wrong_parameters_names_it() -> None:
    con = db.connect()
    with pytest.raises(db.QueryError, match="scope_window"):
        db.run(con, "scope_window", {"start": None})


def test_engine_errors_name_the_query() -> None:
    con = db.connect()
    with pytest.raises(db.QueryError, match="'count_fields' failed"):
        db.run(con, "count_fields")  # no tables yet
