"""The SQL macros that every row goes through, against plain-Python statements of their rules."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from scoping import db

BLANKS = " \t\n\r\u00a0\ufeff"
# Values made mostly of the characters the rules are about, so that the edge cases come up:
# the blanks, the code points either side of the range that clean_text settles at once
# (33 to 159), a control character that is not a blank, and characters beyond one byte.
TEXT = st.text(
    alphabet=st.sampled_from(
        [*BLANKS, "a", "é", "=", "+", "-", "@", "1", "'", "!", "\x9f", "\x08", "\u2028", "😀"]
    )
)


def macros() -> duckdb.DuckDBPyConnection:
    con = db.connect()
    for name in ("macro_clean_text", "macro_has_text", "macro_csv_safe", "macro_format_utc"):
        db.run(con, name)
    return con


CON = macros()
VALUES = st.lists(st.one_of(st.none(), TEXT), max_size=20)


def each(values: list[str | None], expressions: str) -> list[tuple]:  # type: ignore[type-arg]
    """Each value with the macro expressions over it (`v`), in the values' order."""
    sql = f"SELECT v, {expressions} FROM (SELECT unnest($v) AS v)"
    return CON.execute(sql, {"v": values}).fetchall()


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_clean_text_strips_the_blanks_and_has_text_agrees(values: list[str | None]) -> None:
    for value, has_text, cleaned in each(values, "has_text(v), clean_text(v)"):
        expected = value is not None and value.strip(BLANKS) != ""
        assert has_text is expected, repr(value)
        assert cleaned == (value.strip(BLANKS) or None if value is not None else None), repr(value)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_csv_safe_quotes_what_a_spreadsheet_would_run(values: list[str | None]) -> None:
    for value, safe in each(values, "csv_safe(v)"):
        if value is None:
            assert safe is None
        elif value[:1] in ("=", "+", "-", "@", "\t", "\r", "\n"):
            assert safe == "'" + value
        else:
            assert safe == value


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)).map(
            lambda d: d.replace(tzinfo=UTC)
        ),
        max_size=20,
    )
)
def test_format_utc_writes_iso_8601_with_decimals_only_when_needed(
    instants: list[datetime],
) -> None:
    rows = CON.execute(
        "SELECT format_utc(CAST(v AS TIMESTAMPTZ)) FROM (SELECT unnest($v) AS v)", {"v": instants}
    ).fetchall()
    for instant, (text,) in zip(instants, rows, strict=True):
        fraction = f".{instant.microsecond:06d}" if instant.microsecond else ""
        assert text == instant.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"


def test_format_utc_keeps_infinite_instants_visible() -> None:
    rows = CON.execute(
        "SELECT format_utc(TIMESTAMPTZ 'infinity'), format_utc(TIMESTAMPTZ '-infinity'),"
        " format_utc(CAST(NULL AS TIMESTAMPTZ))"
    ).fetchall()
    assert rows == [("infinity", "-infinity", None)]
