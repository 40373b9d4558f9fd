"""The counts per day read each event's local day from its hour (scope_hours); they must agree
with converting every event, in zones with daylight saving time, with offsets that are not
whole hours or not whole minutes, and across a change of offset."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from scoping import db

ZONES = [
    "Europe/Brussels",
    "Asia/Kathmandu",
    "Africa/Monrovia",
    "America/St_Johns",
    "Australia/Lord_Howe",
    "UTC",
]
# Around a spring and an autumn change in Brussels, and in Monrovia's years at -0:44:30.
BASES = [
    datetime(2024, 3, 30, 22, tzinfo=UTC),
    datetime(2024, 10, 26, 22, tzinfo=UTC),
    datetime(1965, 6, 30, 23, 30, tzinfo=UTC),
    # Lord Howe moves by half an hour, at 15:30 UTC: within an hour of scope_hours.
    datetime(2024, 10, 5, 12, tzinfo=UTC),
]
EVENTS = st.lists(
    st.tuples(
        st.sampled_from(BASES),
        st.integers(min_value=0, max_value=3 * 24 * 3600 * 1_000_000),
        st.sampled_from(["C1", "C2", "C3"]),
        st.sampled_from(["in_scope", "unmatched"]),
        st.sampled_from([0, 1]),
        st.sampled_from(["A1", "A2"]),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(ZONES), EVENTS)
def test_days_agree_with_converting_every_event(zone: str, events: list[tuple]) -> None:
    con = db.connect()
    con.execute("CREATE TABLE scope_window AS SELECT $tz AS timezone", {"tz": zone})
    rows = [
        (base + timedelta(microseconds=offset), key, status, exposed, actor)
        for base, offset, key, status, exposed, actor in events
    ]
    con.execute(
        "CREATE TABLE lines (ts TIMESTAMPTZ, record_key VARCHAR, status VARCHAR, exposed INTEGER,"
        " actor VARCHAR)"
    )
    con.executemany("INSERT INTO lines VALUES (?, ?, ?, ?, ?)", rows)
    got = [(str(day), n, c) for day, n, c in count_days(con)]

    day_of = dict(
        con.execute(
            "SELECT ts, CAST(timezone($tz, ts) AS DATE) FROM lines", {"tz": zone}
        ).fetchall()
    )
    events_by_day: dict[str, int] = defaultdict(int)
    keys_by_day: dict[str, set[str]] = defaultdict(set)
    by_actor_day: dict[tuple[str, str], int] = defaultdict(int)
    for ts, key, status, exposed, actor in rows:
        if status != "in_scope":
            continue
        day = str(day_of[ts])
        events_by_day[day] += 1
        by_actor_day[actor, day] += 1
        if exposed:
            keys_by_day[day].add(key)
    expected = [(d, events_by_day[d], len(keys_by_day[d])) for d in sorted(events_by_day)]
    assert got == expected
    per_actor = con.execute("SELECT actor, day, events FROM in_scope_days").fetchall()
    assert {(a, str(d)): n for a, d, n in per_actor} == by_actor_day
    assert len(per_actor) == len(by_actor_day)


def count_days(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """count_days over the table `lines` (ts, record_key, status, exposed, actor), through
    the steps it reads, as a run makes them."""
    con.execute("CREATE VIEW scoped_rows AS SELECT 1 AS log_source, actor, ts, status FROM lines")
    con.execute(
        "CREATE VIEW events_in_scope AS SELECT ts, record_key, 1 AS mask,"
        " exposed AS available_mask FROM lines WHERE status = 'in_scope'"
    )
    for step in ("in_scope_hours", "scope_hours", "in_scope_days"):
        db.run(con, step)
    return db.run(con, "count_days").fetchall()


def test_a_minute_split_by_midnight_counts_each_event_on_its_own_day() -> None:
    # Monrovia kept -0:44:30 until 1972: local midnight falls half-way through a UTC minute.
    con = db.connect()
    con.execute("CREATE TABLE scope_window AS SELECT 'Africa/Monrovia' AS timezone")
    con.execute(
        "CREATE TABLE lines AS SELECT ts, record_key, 'in_scope' AS status, 1 AS exposed,"
        " 'A1' AS actor FROM (VALUES"
        " (TIMESTAMPTZ '1965-07-01 00:44:10+00', 'C1'),"
        " (TIMESTAMPTZ '1965-07-01 00:44:50+00', 'C2')) AS t(ts, record_key)"
    )
    got = [(str(day), n, c) for day, n, c in count_days(con)]
    assert got == [("1965-06-30", 1, 1), ("1965-07-01", 1, 1)]


def test_an_hour_with_a_change_of_offset_leaves_its_events_to_their_own_instants() -> None:
    # Lord Howe went from +10:30 to +11:00 at 15:30 UTC on 5 October 2024.
    con = db.connect()
    con.execute("CREATE TABLE scope_window AS SELECT 'Australia/Lord_Howe' AS timezone")
    con.execute(
        "CREATE TABLE lines AS SELECT ts, 'C1' AS record_key, 'in_scope' AS status,"
        " 1 AS exposed, 'A1' AS actor FROM (VALUES (TIMESTAMPTZ '2024-10-05 15:10:00+00'),"
        " (TIMESTAMPTZ '2024-10-05 16:10:00+00')) AS t(ts)"
    )
    assert count_days(con) == [(date(2024, 10, 6), 2, 1)]
    hours = con.execute("SELECT make_timestamptz(hour), day FROM scope_hours ORDER BY 1").fetchall()
    assert [day for _, day in hours] == [None, date(2024, 10, 6)]
