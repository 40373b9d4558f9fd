"""The Spark SQL of the pass over the events is generated from the query files: the files of
the chain use only what the rewrite carries over (the lint), and the rewrite spells the
constructs that sqlglot alone gets silently wrong the way Spark reads them. No Spark needed
(tests/test_spark.py runs it)."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("sqlglot", reason="sqlglot is not installed (the test or spark extra)")

from sqlglot import exp, parse_one

from scoping import db, spark

VARIABLES = {
    "case_options": {
        "sources": [{"name": "crm", "record_list": None}, {"name": "dynamics"}],
        "strip_key_zeros": True,
        "history": False,
    },
    "scope_bounds": {
        "start_utc": dt.datetime(2026, 8, 31, 22, 0, tzinfo=dt.UTC),
        "end_utc": None,
    },
    # Set after the chain's first step hands the variables over: Spark counts every row.
    "rows_counted_only": None,
}


@pytest.mark.parametrize("name", [*spark.CHAIN, *spark.MACROS])
def test_every_file_of_the_chain_ports(name: str) -> None:
    assert spark.problems(name) == []


@pytest.mark.parametrize(
    ("sql", "why"),
    [
        ("SELECT * FROM a UNION ALL BY NAME SELECT * FROM b", "BY NAME"),
        ("SELECT * REPLACE (lower(x) AS x) FROM a", "* REPLACE"),
        ("SELECT * EXCLUDE (y) REPLACE (lower(x) AS x) FROM a", "* REPLACE"),
        ("WITH t AS NOT MATERIALIZED (SELECT 1) SELECT * FROM t", "MATERIALIZED"),
        ("SELECT keys[2:3] FROM a", "list slice"),
        ("SELECT len(keys) FROM a", "len()"),
        ("SELECT generate_subscripts(keys, 1) FROM a", "generate_subscripts"),
        ("SELECT strftime(ts, '%Y') FROM a", "time formats or zones"),
        ("SELECT timezone('Europe/Brussels', ts) FROM a", "time formats or zones"),
        ("SELECT getvariable('window').start FROM a", "getvariable('window')"),
        ("SELECT list_reverse(keys) FROM a", "list_reverse()"),
        ("CREATE OR REPLACE MACRO m(x) AS TABLE SELECT x", "table macro"),
    ],
)
def test_the_lint_finds_what_does_not_port(sql: str, why: str) -> None:
    found = spark.problems_in(sql)
    assert any(why in problem for problem in found), found


def test_the_lint_reads_no_construct_inside_a_text() -> None:
    assert spark.problems_in("SELECT regexp_matches(x, 'len(x) BY NAME [1:2]') FROM a") == []


def spark_expression(duckdb_sql: str) -> str:
    """One DuckDB expression through the rewrite, as Spark SQL."""
    tree = parse_one(f"CREATE VIEW v AS SELECT {duckdb_sql} AS x", read="duckdb")
    query = spark._variables(spark._expand(tree.expression), VARIABLES)
    query = spark._until_fixed(query, spark._spark_functions)
    assert isinstance(query, exp.Select)
    return query.expressions[0].this.sql("spark")


@pytest.mark.parametrize(
    ("duckdb_sql", "spark_sql"),
    [
        # sqlglot alone writes v[-2]: the last character is substring(v, -1, 1).
        ("v[-1]", "SUBSTRING(v, -1, 1)"),
        # DuckDB's lists count from 1, Spark's brackets from 0: element_at counts from 1.
        ("keys[1]", "TRY_ELEMENT_AT(keys, 1)"),
        ("keys[key_no]", "TRY_ELEMENT_AT(keys, CAST(key_no AS INT))"),
        ("list_position(named, k)", "ARRAY_POSITION(named, k)"),
        # regexp_full_match is a whole-text match; Spark's RLIKE finds a part.
        ("regexp_full_match(k, '[0-9]+')", "k RLIKE '^(?:[0-9]+)$'"),
        ("json_text_list(t)", "FROM_JSON(t, 'array<string>')"),
        # Variables are constants: a field, an element, an element chosen by a column.
        ("getvariable('case_options').strip_key_zeros", "TRUE"),
        (
            "getvariable('scope_bounds').start_utc",
            "CAST('2026-08-31 22:00:00' AS TIMESTAMP)",
        ),
        ("getvariable('scope_bounds').end_utc", "NULL"),
        ("getvariable('case_options').sources[2].name", "'dynamics'"),
        (
            "getvariable('case_options').sources[log_source].name",
            "TRY_ELEMENT_AT(ARRAY('crm', 'dynamics'), CAST(log_source AS INT))",
        ),
    ],
)
def test_the_rewrite_spells_each_construct_for_spark(duckdb_sql: str, spark_sql: str) -> None:
    assert spark_expression(duckdb_sql) == spark_sql


def test_macros_are_expanded_from_their_own_files() -> None:
    """normalize_key's body, with its argument, and the variable it reads as a constant."""
    text = spark_expression("normalize_key(clean_text(record_raw))")
    assert "normalize_key" not in text.lower() and "clean_text" not in text.lower()
    assert "STARTSWITH(" in text and "RLIKE '^(?:[0-9]+)$'" in text
    assert "SUBSTRING((record_raw), -1, 1)" in text  # clean_text's last character
    assert "CASE WHEN TRUE AND" in text  # strip_key_zeros


@pytest.mark.parametrize("name", spark.CHAIN)
def test_every_step_becomes_one_spark_statement(name: str) -> None:
    statement = spark.translate(name, VARIABLES)
    assert statement.name == name
    assert statement.table == ("CREATE OR REPLACE TABLE" in db.query(name).text)
    tree = parse_one(statement.sql, read="spark")
    called = {f.name.lower() for f in tree.find_all(exp.Anonymous)}
    assert called <= spark.SPARK_KNOWN, called - spark.SPARK_KNOWN
    assert "getvariable" not in statement.sql.lower()
