"""count_days reads each event's local day from its minute; it must agree with converting every
event, in zones with daylight saving time and with offsets that are not whole minutes."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from scoping import db

ZONES = ["Europe/Brussels", "Asia/Kathmandu", "Africa/Monrovia", "America/St_Johns", "UTC"]
# Around a spring and an autumn change in Brussels, and in Monrovia's years at -0:44:30.
BASES = [
    datetime(2024, 3, 30, 22, tzinfo=UTC),
    datetime(2024, 10, 26, 22, tzinfo=UTC),
    datetime(1965, 6, 30, 23, 30, tzinfo=UTC),
]
EVENTS = st.lists(
    st.tuples(
        st.sampled_from(BASES),
        st.integers(min_value=0, max_value=3 * 24 * 3600 * 1_000_000),
        st.sampled_from(["C1", "C2", "C3"]),
        st.sampled_from(["in_scope", "unmatched"]),
        st.sampled_from([0, 1]),
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
        (base + timedelta(microseconds=offset), key, status, exposed)
        for base, offset, key, status, exposed in events
    ]
    con.execute(
        "CREATE TABLE lines (ts TIMESTAMPTZ, record_key VARCHAR, status VARCHAR, exposed INTEGER)"
    )
    con.executemany("INSERT INTO lines VALUES (?, ?, ?, ?)", rows)
    con.execute("CREATE VIEW scoped_rows AS SELECT ts, status FROM lines")
    con.execute(
        "CREATE VIEW events_in_scope AS SELECT ts, record_key, 1 AS mask,"
        " exposed AS available_mask FROM lines WHERE status = 'in_scope'"
    )
    got = [(str(day), n, c) for day, n, c in db.run(con, "count_days").fetchall()]

    day_of = dict(
        con.execute(
            "SELECT ts, CAST(timezone($tz, ts) AS DATE) FROM lines", {"tz": zone}
        ).fetchall()
    )
    events_by_day: dict[str, int] = defaultdict(int)
    keys_by_day: dict[str, set[str]] = defaultdict(set)
    for ts, key, status, exposed in rows:
        if status != "in_scope":
            continue
        day = str(day_of[ts])
        events_by_day[day] += 1
        if exposed:
            keys_by_day[day].add(key)
    expected = [(d, events_by_day[d], len(keys_by_day[d])) for d in sorted(events_by_day)]
    assert got == expected


def test_a_minute_split_by_midnight_counts_each_event_on_its_own_day() -> None:
    # Monrovia kept -0:44:30 until 1972: local midnight falls half-way through a UTC minute.
    con = db.connect()
    con.execute("CREATE TABLE scope_window AS SELECT 'Africa/Monrovia' AS timezone")
    con.execute(
        "CREATE TABLE lines AS SELECT * FROM (VALUES"
        " (TIMESTAMPTZ '1965-07-01 00:44:10+00', 'C1'),"
        " (TIMESTAMPTZ '1965-07-01 00:44:50+00', 'C2')) AS t(ts, record_key)"
    )
    con.execute("CREATE VIEW scoped_rows AS SELECT ts, 'in_scope' AS status FROM lines")
    con.execute(
        "CREATE VIEW events_in_scope AS SELECT ts, record_key, 1 AS mask, 1 AS available_mask"
        " FROM lines"
    )
    got = [(str(day), n, c) for day, n, c in db.run(con, "count_days").fetchall()]
    assert got == [("1965-06-30", 1, 1), ("1965-07-01", 1, 1)]
