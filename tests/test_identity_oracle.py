"""`recipients.csv` must group customer records into persons exactly as the identity rule says.

Deduplication decides who gets a breach notification and how many letters go out, so the
grouping is checked against a second implementation written from the rule alone
(`tests/identity_oracle.py`). The oracle is pinned first by hand-worked examples; then generated
populations, built from small pools of look-alike names, dates and contact points so that
near-misses are common, are run through the CLI and both answers must be the same persons.
"""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from conftest import invoke, write_case
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from identity_oracle import (
    ADDRESS,
    COLUMNS,
    KEY,
    birth_date,
    email,
    expected_persons,
    fold,
    mobile,
    recipient_id,
)
from polars.testing import assert_frame_equal

Row = dict[str, str | None]

# ---------------------------------------------------------------------------------------------
# The normalisers
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Hélène", "helene"),
        ("HELENE", "helene"),
        (" hélène ", "helene"),
        ("Jean-Pierre", "jean pierre"),
        ("jean__pierre", "jean pierre"),
        ("Søren", "soren"),
        ("Łukasz", "lukasz"),
        ("Groß", "gross"),
        ("Œuvre", "oeuvre"),
        ("ﬁlip", "filip"),  # NFKC ligature
        (" -- ", None),
        (None, None),
    ],
)
def test_fold(text: str | None, folded: str | None) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("1980-05-17", "1980-05-17"),
        ("17/05/1980", "1980-05-17"),
        ("1980/05/17", None),
        ("17-05-1980", None),
        ("5/17/1980", None),
        ("31/02/1980", None),  # no such day
        ("", None),
        (None, None),
    ],
)
def test_birth_date(text: str | None, iso: str | None) -> None:
    assert birth_date(text) == iso


def test_email_and_mobile() -> None:
    assert email(" Ann@EXAMPLE.com ") == email("ann@example.com") == "ann@example.com"
    assert email("bad@") is None and email("x@example.invalid") is None and email(None) is None
    written = ("0470 12 34 56", "+32 470 12 34 56", "0032470123456", "0470/12.34.56")
    assert {mobile(w) for w in written} == {"+32470123456"}
    assert mobile("+31 6 12345678") == "+31612345678"  # a foreign mobile is a mobile
    assert mobile("02 512 34 56") is None  # a valid fixed line is not
    assert mobile("12") is None and mobile("abc") is None and mobile("  ") is None


# ---------------------------------------------------------------------------------------------
# The oracle, checked by hand-worked examples
# ---------------------------------------------------------------------------------------------


def _frame(*rows: Row) -> pl.DataFrame:
    """Customer rows as the CSV reader sees them: every column text, missing or empty is null."""
    return pl.DataFrame(
        [[r.get(c) or None for c in COLUMNS] for r in rows],
        schema={c: pl.String for c in COLUMNS},
        orient="row",
    )


def _groups(persons: pl.DataFrame) -> set[tuple[str, str]]:
    return set(persons.select("customer_keys", "affected_keys").iter_rows())


HELENE = {"first_name": "Hélène", "last_name": "Dupont", "birth_date": "1980-05-17"}
GARE = {"street": "Rue de la Gare", "house_number": "12", "postal_code": "1000",
        "city": "Bruxelles"}  # fmt: skip


def test_two_accounts_one_person() -> None:
    """Accents, case and date notation differ; the mobile is written two ways, in two fields."""
    persons = expected_persons(
        _frame(
            {KEY: "C1", **HELENE, "phone_mobile": "0470 12 34 56"},
            {
                KEY: "C2",
                "first_name": "HELENE",
                "last_name": "dupont",
                "birth_date": "17/05/1980",
                "phone_fixed": "+32470123456",
            },
        ),
        affected=["C1"],
    )
    assert persons.rows() == [("R-e6ccb1c8b6c6e043", "C1|C2", "C1")]


def test_family_sharing_an_email_is_not_merged() -> None:
    shared = {"last_name": "Peeters", "email": "family@example.com", **GARE}
    persons = expected_persons(
        _frame(
            {KEY: "C1", "first_name": "Ann", "birth_date": "1975-01-02", **shared},
            {KEY: "C2", "first_name": "Bob", "birth_date": "1976-03-04", **shared},
            {KEY: "C3", "first_name": "Lies", "birth_date": "2012-05-06", **shared},
        ),
        affected=["C1", "C2", "C3"],
    )
    assert _groups(persons) == {("C1", "C1"), ("C2", "C2"), ("C3", "C3")}


def test_twins_are_not_merged() -> None:
    shared = {"last_name": "Maes", "birth_date": "2001-07-08", **GARE}
    persons = expected_persons(
        _frame(
            {KEY: "C1", "first_name": "Jan", **shared}, {KEY: "C2", "first_name": "Piet", **shared}
        ),
        affected=["C1", "C2"],
    )
    assert _groups(persons) == {("C1", "C1"), ("C2", "C2")}


def test_same_name_and_birth_date_without_a_shared_contact_is_not_merged() -> None:
    persons = expected_persons(
        _frame(
            {KEY: "C1", **HELENE, "email": "a@example.com", "phone_mobile": "0470123456", **GARE},
            {
                KEY: "C2",
                **HELENE,
                "email": "b@example.com",
                "phone_mobile": "0471998877",
                "street": "Kerkstraat",
                "house_number": "5",
                "city": "Gent",
            },
            # Sharing only things that are not contact points: a fixed line, a broken email.
            {KEY: "C3", **HELENE, "phone_fixed": "02 512 34 56", "email": "bad@"},
            {KEY: "C4", **HELENE, "phone_mobile": "+32 2 512 34 56", "email": "bad@"},
        ),
        affected=["C1", "C2", "C3", "C4"],
    )
    assert _groups(persons) == {(k, k) for k in ("C1", "C2", "C3", "C4")}


def test_a_chain_is_one_person() -> None:
    """A-B share an email, B-C an address (spelt differently); A and C share nothing."""
    persons = expected_persons(
        _frame(
            {KEY: "C3", **HELENE, "email": "helene@example.com"},
            {KEY: "C2", **HELENE, "email": "HELENE@example.com ", **GARE},
            {
                KEY: "C1",
                **HELENE,
                "street": "rue de la gare 12",
                "postal_code": " 1000",
                "city": "BRUXELLES",
            },
        ),
        affected=["C3"],
    )
    assert persons.rows() == [("R-f8e92ee71919550b", "C1|C2|C3", "C3")]
    assert recipient_id(["C3", "C1", "C2"]) == "R-f8e92ee71919550b"


def test_a_person_without_an_affected_record_is_not_a_recipient() -> None:
    persons = expected_persons(
        _frame(
            {KEY: "C1", **HELENE, "email": "h@example.com"},
            {KEY: "C2", **HELENE, "email": "h@example.com"},
            {KEY: "C3", **HELENE, "email": "other@example.com"},
            {KEY: "C4", "first_name": "Ann"},
        ),
        affected=["C3", "C4"],
    )
    assert _groups(persons) == {("C3", "C3"), ("C4", "C4")}
    assert persons.get_column("recipient_id").to_list() == sorted(
        [recipient_id(["C3"]), recipient_id(["C4"])]
    )


def test_what_folds_to_nothing_is_absent() -> None:
    """A name or an address made of punctuation folds to "": no name, no address, no link.

    The rule says so for the address ("Empty -> no address") and asks for names to be
    *present*; an empty folded name is read as not present.
    """
    persons = expected_persons(
        _frame(
            {KEY: "C1", **HELENE, "last_name": "-", "email": "h@example.com"},
            {KEY: "C2", **HELENE, "last_name": ".", "email": "h@example.com"},
            {KEY: "C3", **HELENE, "street": "-"},
            {KEY: "C4", **HELENE, "city": "?"},
        ),
        affected=["C1", "C2", "C3", "C4"],
    )
    assert _groups(persons) == {(k, k) for k in ("C1", "C2", "C3", "C4")}


# ---------------------------------------------------------------------------------------------
# Generated populations: the CLI must agree with the oracle
# ---------------------------------------------------------------------------------------------

# Each inner tuple is one value written several ways; pools mix a few of them with noise.
FIRST_NAMES = (
    ("Hélène", "HELENE", "helene", " Hélène", "HÉLÈNE"),
    ("Jean-Pierre", "jean pierre", "JEAN_PIERRE", "Jean  Pierre"),
    ("Søren", "Soren", "SØREN"),
    ("Zoë", "Zoe", "ZOË", "Ｚｏｅ"),  # noqa: RUF001 (fullwidth: NFKC)
    ("İlkay", "ILKAY", "ılkay"),  # noqa: RUF001 (dotted and dotless i)
    ("Đorđe", "DORDE", "đorđe"),
)
LAST_NAMES = (
    ("Dupont", "DUPONT", "dupont "),
    ("Van den Berg", "van-den-berg", "VAN DEN BERG"),
    ("Groß", "Gross", "GROSS"),
    ("Łukaszewicz", "Lukaszewicz"),
)
NAME_NOISE = ("", "  ", "Du Pont", "-", ".")  # "-" and "." fold to nothing: no name
BIRTH_DATES = (
    ("1980-05-17", "17/05/1980"),
    ("1975-12-01", "01/12/1975"),
    ("2012-03-04", "04/03/2012"),  # a minor
)
DATE_NOISE = (
    "",
    "1980/05/17",
    "17-05-1980",
    "31/02/1980",
    "5/17/1980",
    "1980-5-17",
    "1980-05-17T00:00:00",
    "19800517",
)
EMAILS = (
    ("ann@example.com", " ANN@Example.com", "Ann@EXAMPLE.COM"),
    ("family@example.be", "FAMILY@example.be "),
    ("zoë@exämple.be", "ZOË@EXÄMPLE.BE", "zoë@xn--exmple-cua.be"),  # internationalised
)
EMAIL_NOISE = (
    "",
    "",
    "bad@",
    "x@example.invalid",
    "not an email",
    "Ann <ann@example.com>",
    "ann@example.com.",
)
MOBILES = (
    ("0470 12 34 56", "+32 470 12 34 56", "0032470123456", "+32470123456", "0470/12.34.56"),
    (
        "0471 99 88 77",
        "+32471998877",
        "471 99 88 77",
        "32471998877",
        "tel:+32471998877",
        "0471 99 88 77 ext 2",
        "\uff10\uff14\uff17\uff11\uff19\uff19\uff18\uff18\uff17\uff17",  # fullwidth digits
    ),
    ("+31 6 12345678", "0031612345678"),
    ("02 512 34 56", "+32 2 512 34 56"),  # a fixed line: never a link
)
PHONE_NOISE = ("", "", "12", "abc", "06 12345678")
ADDRESSES = (
    (("Rue de la Gare", "12", "1000", "Bruxelles"), ("rue de la gare ", "12", " 1000", "BRUXELLES"),
     ("Rue-de-la-Gare", "12", "1000", "bruxelles"), ("Rue de la Gare 12", "", "1000", "Bruxelles")),
    (("Kerkstraat", "5", "9000", "Gent"), ("KERKSTRAAT", "5", "9000", "gent"),
     ("Kerkstraat,", "5,", "9000", "Gent\u00a0")),
    (("Kerkstraat", "5", "", "Gent"), ("Kerkstraat", "5B", "9000", "Gent")),  # near misses
    (("Hauptstraße", "3", "4700", "Eupen"), ("Hauptstrasse", "3", "4700", "EUPEN")),
)  # fmt: skip
ADDRESS_NOISE = (("", "", "", ""), ("", " ", "", ""), ("-", "", "", ""), ("", "", "", "."))

CASE = """\
[case]
id = "T-identity"
title = "Generated population for the identity rule"
timezone = "Europe/Brussels"

[customers]
path = "customers.csv"
key = "customer_key"

[customers.fields]
first_name   = { column = "first_name",   category = "name" }
last_name    = { column = "last_name",    category = "name" }
birth_date   = "birth_date"
email        = "email"
phone_mobile = { column = "phone_mobile", category = "phone" }
phone_fixed  = { column = "phone_fixed",  category = "phone" }
street       = { column = "street",       category = "address" }
house_number = { column = "house_number", category = "address" }
postal_code  = { column = "postal_code",  category = "address" }
city         = { column = "city",         category = "address" }

[access_log]
path = ["logs/*.csv"]
timestamp = "event_time"
actor = "user_id"
record = "customer_id"
action = "screen"

[actions]
"customer.detail" = "*"

[scope]
actors = ["PRT-0042"]
start = "2026-09-01"
end = "2026-11-15"

[recipients]
first_name = "first_name"
last_name = "last_name"
birth_date = "birth_date"
email = "email"
phones = ["phone_mobile", "phone_fixed"]
address = ["street", "house_number", "postal_code", "city"]
postal_code = "postal_code"
default_region = "BE"
default_language = "nl"
channels = ["email", "sms", "letter"]
minor_age = 18
notification_date = "2026-12-01"
csv_dialect = "standard"

[recipients.postal_languages]  # as in the example; without this table the CLI fails (reported)
"1000-1299" = "nl+fr"
"1300-1499" = "fr"
"1500-3999" = "nl"
"4000-4699" = "fr"
"4700-4799" = "de"
"4800-7999" = "fr"
"8000-9999" = "nl"
"""


def _pool(
    draw: st.DrawFn, groups: tuple[tuple[Any, ...], ...], noise: tuple[Any, ...]
) -> list[Any]:
    """A few of the groups (all their spellings) plus some noise: the values records pick from."""
    chosen = draw(st.lists(st.sampled_from(groups), min_size=1, max_size=2, unique=True))
    extra = draw(st.lists(st.sampled_from(noise), max_size=2))
    return [*itertools.chain.from_iterable(chosen), *extra]


@st.composite
def populations(draw: st.DrawFn) -> tuple[list[Row], set[str]]:
    """2-40 customer records drawn from small look-alike pools, and which of them have an event.

    Records are drawn as one list so that shrinking can drop them one by one; keys are then
    dealt out in a shuffled order so that file order and key order differ.
    """
    pools = {
        "first_name": _pool(draw, FIRST_NAMES, NAME_NOISE),
        "last_name": _pool(draw, LAST_NAMES, NAME_NOISE),
        "birth_date": _pool(draw, BIRTH_DATES, DATE_NOISE),
        "email": _pool(draw, EMAILS, EMAIL_NOISE),
        "phone_mobile": _pool(draw, MOBILES, PHONE_NOISE),
        "address": _pool(draw, ADDRESSES, ADDRESS_NOISE),
    }
    pools["phone_fixed"] = pools["phone_mobile"]  # both fields hold mobiles and fixed lines
    record = st.fixed_dictionaries({name: st.sampled_from(pool) for name, pool in pools.items()})
    drawn = draw(st.lists(st.tuples(record, st.booleans()), min_size=2, max_size=40))
    numbers = draw(st.permutations(range(1, len(drawn) + 1)))
    rows: list[Row] = []
    with_event: set[str] = set()
    for n, ((values, hit), number) in enumerate(zip(drawn, numbers, strict=True)):
        key = f"C{number:04d}"
        fields = {k: v for k, v in values.items() if k != "address"}
        rows.append({KEY: key, **fields, **dict(zip(ADDRESS, values["address"], strict=True))})
        if hit or n == 0:  # at least one record has an event, so there is work
            with_event.add(key)
    return rows, with_event


def _csv(header: list[str], rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _exposed(row: Row) -> bool:
    """With `customer.detail = "*"`, an event exposes a record when any field is not blank."""
    return any((row[c] or "").strip() for c in COLUMNS if c != KEY)


def _read(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False, encoding="utf8")


def assert_same_persons(got: pl.DataFrame, want: pl.DataFrame, rows: list[Row]) -> None:
    """Compare the groupings; on a difference show only the persons and records involved."""
    cli, oracle = set(got.get_column("customer_keys")), set(want.get_column("customer_keys"))
    if cli == oracle:
        return
    involved = {k for group in cli ^ oracle for k in group.split("|")}
    records = [[r[c] or "" for c in COLUMNS] for r in rows if r[KEY] in involved]
    raise AssertionError(
        f"CLI only: {sorted(cli - oracle)}\noracle only: {sorted(oracle - cli)}\n"
        f"records involved:\n{_csv(list(COLUMNS), records)}"
    )


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(population=populations())
def test_cli_persons_match_the_oracle(
    tmp_path_factory: pytest.TempPathFactory, population: tuple[list[Row], set[str]]
) -> None:
    rows, with_event = population
    root = tmp_path_factory.mktemp("identity")
    customers = _csv(list(COLUMNS), [[r[c] or "" for c in COLUMNS] for r in rows])
    events = _csv(
        ["event_time", "user_id", "screen", "customer_id"],
        [["2026-09-02T10:00:00Z", "PRT-0042", "customer.detail", k] for k in sorted(with_event)],
    )
    note("customers.csv:\n" + customers)
    note("logs/a.csv:\n" + events)
    case = write_case(root / "case", CASE, customers, events)
    out = root / "out"
    result = invoke("run", str(case), "--out", str(out))
    assert result.exit_code == 0, f"stderr:\n{result.stderr}\nexception: {result.exception!r}"

    affected = {str(r[KEY]) for r in rows if r[KEY] in with_event and _exposed(r)}
    got_affected = set(_read(out / "affected_customers.csv").get_column("customer_key").to_list())
    assert got_affected == affected, "exposure differs; the identity comparison would be moot"

    want = expected_persons(_frame(*rows), affected)
    largest = max((k.count("|") + 1 for k in want.get_column("customer_keys")), default=0)
    event(f"records in the largest person: {min(largest, 4)}{'+' if largest >= 4 else ''}")
    recipients = _read(out / "recipients.csv")
    got = recipients.select("recipient_id", "customer_keys", "affected_keys").sort("recipient_id")
    assert_same_persons(got, want, rows)
    assert_frame_equal(got, want)

    singles = recipients.filter(~pl.col("customer_keys").str.contains("|", literal=True))
    merged = recipients.filter(pl.col("customer_keys").str.contains("|", literal=True))
    assert singles.get_column("merge_reason").is_null().all(), "a one-record person has a reason"
    assert merged.get_column("merge_reason").is_not_null().all(), "a merged person has no reason"
