"""The timestamp rule: offsets are instants, naive times are local in the case time zone,
and the DST gap and repeated hour follow the rule written in docs/exposure.md."""

from __future__ import annotations

import pytest

from scoping import db


@pytest.fixture(scope="module")
def con():  # type: ignore[no-untyped-def]
    con = db.connect()
    db.run(con, "macro_parse_instant")
    db.run(con, "macro_format_utc")
    return con


def utc(con, text: str, tz: str = "Europe/Brussels") -> str | None:  # type: ignore[no-untyped-def]
    row = con.execute(
        "SELECT format_utc(parse_instant($s, $tz, NULL, NULL))", {"s": text, "tz": tz}
    ).fetchone()
    return row[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-31 01:59:59", "2024-03-31T00:59:59Z"),  # last second of winter time
        ("2024-03-31 02:30", "2024-03-31T01:30:00Z"),  # in the gap: offset before the gap
        ("2024-03-31 03:00:00", "2024-03-31T01:00:00Z"),  # first minute of summer time
        ("2024-10-27 01:59:59", "2024-10-26T23:59:59Z"),  # summer time
        ("2024-10-27 02:30", "2024-10-27T01:30:00Z"),  # repeated hour: second occurrence
        ("2024-10-27T03:00:00", "2024-10-27T02:00:00Z"),
        ("2026-09-01T08:00:00.250", "2026-09-01T06:00:00.250000Z"),
        ("27/10/2024 02:30", "2024-10-27T01:30:00Z"),  # day first
        ("1/9/2024 08:00:05", "2024-09-01T06:00:05Z"),
        ("20240901080000.123", "2024-09-01T06:00:00.123000Z"),  # Salesforce style, local
        ("1725177600", "2024-09-01T08:00:00Z"),  # epoch seconds are instants
        ("1725177600123", "2024-09-01T08:00:00.123000Z"),  # epoch milliseconds
    ],
)
def test_naive_local_times_in_brussels(con, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert utc(con, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-10-27T02:30:00Z", "2024-10-27T02:30:00Z"),
        ("2024-10-27T02:30:00+02:00", "2024-10-27T00:30:00Z"),
        ("2024-10-27T02:30:00+0100", "2024-10-27T01:30:00Z"),
        ("2024-10-27 02:30:00-05", "2024-10-27T07:30:00Z"),
        ("2024-10-27T02:30:00+14:00", "2024-10-26T12:30:00Z"),  # Kiribati, the farthest zone
        ("2024-10-27T02:30:00-1400", "2024-10-27T16:30:00Z"),
        ("2024-10-27T02:30:00+05:45", "2024-10-26T20:45:00Z"),  # Nepal
    ],
)
def test_offsets_are_instants_whatever_the_zone(con, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert utc(con, text) == expected
    assert utc(con, text, "UTC") == expected


@pytest.mark.parametrize(
    "text",
    [
        "2024-10-27",
        "27/10/2024",
        "31/02/2024 10:00",
        "2024-02-30 10:00",
        "12345",
        "2024-10-27 02:30 +02:00",
        "2024-10-27T02:30:00+25:00",  # no zone is more than 14 hours from UTC
        "2024-10-27T02:30:00-14:30",
        "2024-10-27T02:30:00+1401",
        "2024-10-27T02:30:00+15",
        "2024-10-27T02:30:00+02:60",  # an hour has 60 minutes
        "soon",
        "",
    ],
)
def test_what_is_not_an_instant_is_null(con, text: str) -> None:  # type: ignore[no-untyped-def]
    assert utc(con, text) is None


def test_formats_listed_in_the_case_replace_detection(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from conftest import CASE, invoke, write_case

    case = CASE.replace(
        'action = "screen"\n',
        'action = "screen"\ntimezone = "UTC"\ntimestamp_formats = ["%d-%m-%Y %Hh%M"]\n',
    )
    events = (
        "event_time,user_id,screen,customer_id\n"
        "02-09-2026 10h00,PRT-0042,customer.detail,C2\n"
        "2026-09-02T10:00:00Z,PRT-0042,customer.detail,C1\n"
    )
    path = write_case(tmp_path / "c", case=case, events=events)
    result = invoke("run", path, "--out", tmp_path / "out")
    assert result.exit_code != 0
    assert "line 3, column 'event_time': timestamp not understood" in result.stderr
    ok = write_case(tmp_path / "d", case=case, events=events.rsplit("2026-09-02T", 1)[0])
    assert invoke("run", ok, "--out", tmp_path / "out").exit_code == 0
    text = (tmp_path / "out" / "affected_customers.csv").read_text(encoding="utf-8")
    assert '"C2",true,true,false,true,"name|address","2026-09-02T10:00:00Z"' in text  # naive = UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2001-02-03", "2001-02-03"),
        ("3/2/2001", "2001-02-03"),  # day first
        ("03/02/2001", "2001-02-03"),
        ("29/02/2001", None),  # not a real date
        ("2001-02-30", None),
        ("02-03-2001", None),
        ("", None),
    ],
)
def test_birth_dates(con, text: str, expected: str | None) -> None:  # type: ignore[no-untyped-def]
    db.run(con, "macro_parse_date")
    row = con.execute("SELECT CAST(parse_date($s) AS VARCHAR)", {"s": text}).fetchone()
    assert row[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("02-09-2026 10:00 +0200", "2026-09-02T08:00:00Z"),
        ("02-09-2026 10:00 -14:00", "2026-09-03T00:00:00Z"),
        ("02-09-2026 10:00 +2500", None),
        ("02-09-2026 10:00 +25:00", None),
        ("02-09-2026 10:00 -0199", None),
    ],
)
def test_offsets_beyond_14_hours_are_refused_with_the_cases_formats(  # type: ignore[no-untyped-def]
    con, text: str, expected: str | None
) -> None:
    row = con.execute(
        "SELECT format_utc(parse_instant($s, 'UTC', NULL, ['%d-%m-%Y %H:%M %z']))", {"s": text}
    ).fetchone()
    assert row[0] == expected


def test_a_row_with_an_offset_of_25_hours_is_rejected(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from conftest import invoke, write_case

    events = (
        "event_time,user_id,screen,customer_id\n"
        "2026-09-02T10:00:00+02:00,PRT-0042,customer.detail,C1\n"
        "2026-09-02T10:00:00+25:00,PRT-0042,customer.detail,C2\n"
    )
    path = write_case(tmp_path / "c", events=events)
    result = invoke("run", path, "--out", tmp_path / "out")
    assert result.exit_code != 0
    assert "line 3, column 'event_time': timestamp not understood" in result.stderr
