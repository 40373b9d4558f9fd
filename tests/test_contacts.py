"""Contact normalisation: the SQL fast paths decide exactly as the libraries would."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import identity_oracle
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoping import contacts, db

ROOT = Path(__file__).resolve().parent.parent
WRITTEN = [
    "0470 12 34 56",
    "+32470123456",
    "0470/12.34.56",
    "0032 470 12 34 56",
    "+32 (0)470 12 34 56",
    "02 123 45 67",
    "+32 2 123 45 67",
    "0032 9 234 56 78",
    "09/234.56.78",
    "03-234-56-78",
    "12",
    "0800 12 345",
    "0900 12 345",
    "078 15 15 15",
    "+33 6 12 34 56 78",
    "0033612345678",
    "+32 470 1234567",
    "0470123",
    "+44 20 7946 0958",
    "abc",
    "00 32 470 12 34 56",
]


# What the fast paths settle (the rest goes to the libraries).
SETTLED_PHONES = "SELECT raw, e164, kind FROM phone_fast_path WHERE kind IS NOT NULL"
SETTLED_EMAILS = "SELECT raw, email FROM email_fast_path WHERE settled"


def phone_records(con: duckdb.DuckDBPyConnection, values: list[str]) -> None:
    """contact_records with one record per value, keyed by its position."""
    con.execute(
        "CREATE TABLE contact_records AS"
        " SELECT CAST(i AS VARCHAR) AS customer_key, [$v[i]] AS phones"
        " FROM range(1, len($v) + 1) AS t(i)",
        {"v": values},
    )


def email_records(con: duckdb.DuckDBPyConnection, values: list[str]) -> None:
    con.execute(
        "CREATE TABLE contact_records AS"
        " SELECT CAST(i AS VARCHAR) AS customer_key, $v[i] AS email"
        " FROM range(1, len($v) + 1) AS t(i)",
        {"v": values},
    )


def example_phones() -> list[str]:
    with (ROOT / "examples" / "telecom" / "customers.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [v for r in rows[:1500] for v in (r["mobile_phone"], r["fixed_phone"]) if v]


@pytest.mark.parametrize("region", ["BE", "NL", "FR", "DE"])
def test_phone_fast_path_agrees_with_phonenumbers(region: str) -> None:
    values = sorted(set(WRITTEN + example_phones()))
    con = db.connect()
    db.run(con, "macro_clean_text")
    phone_records(con, values)
    db.run(con, "phone_fast_path", contacts.region_patterns(region))
    fast = {raw: (e164, kind) for raw, e164, kind in con.execute(SETTLED_PHONES).fetchall()}
    assert fast, "the fast path settles the common formats"
    for raw, got in fast.items():
        assert contacts.normal_phone(raw, region) == got, raw


@pytest.mark.parametrize(
    ("region", "raw"),
    [("FI", "+358 18 112345"), ("FI", "018 112345"), ("US", "+1 204 555 0123")],
)
def test_regions_sharing_a_calling_code_leave_every_number_to_phonenumbers(
    region: str, raw: str
) -> None:
    # Valid in another region of the same code (Åland, Canada): the default region's own
    # patterns would call them invalid.
    assert contacts.normal_phone(raw, region)[0] is not None
    con = db.connect()
    db.run(con, "macro_clean_text")
    phone_records(con, [raw])
    db.run(con, "phone_fast_path", contacts.region_patterns(region))
    assert con.execute(
        "SELECT count(*) FROM phone_fast_path WHERE kind IS NOT NULL"
    ).fetchone() == (0,)
    assert [r[0] for r in db.run(con, "recipient_raw_phones").fetchall()] == [raw]


def test_fast_path_covers_the_example() -> None:
    values = sorted(set(example_phones()))
    con = db.connect()
    db.run(con, "macro_clean_text")
    phone_records(con, values)
    db.run(con, "phone_fast_path", contacts.region_patterns("BE"))
    (settled,) = con.execute(
        "SELECT count(*) FROM phone_fast_path WHERE kind IS NOT NULL"
    ).fetchone()
    valid = sum(contacts.normal_phone(v, "BE")[0] is not None for v in values)
    assert settled >= 0.95 * valid


def test_names_fold_for_matching_only() -> None:
    assert contacts.fold("Hélène") == contacts.fold("HELENE") == "helene"
    assert contacts.fold("Jean-Pierre") == contacts.fold(" jean  pierre ") == "jean pierre"
    assert contacts.fold("Øster") == "oster" and contacts.fold("Łukasz") == "lukasz"
    assert contacts.fold("Strauß") == "strauss" and contacts.fold("Œuvray") == "oeuvray"
    assert contacts.fold("\uff2d\uff41\uff45\uff53") == "maes"  # NFKC: full-width letters


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from(list("aéÉœŒßøŁ\u0131 -'_.\u0301\u0327\ufb01\uff2d\u2163\u00a0Ⅻ")),
            st.characters(),
        ),
        max_size=20,
    )
)
def test_fold_is_the_written_rule(text: str) -> None:
    """fold's shortcuts (ASCII, marks looked up once) change nothing: the rule as the
    reference implementation spells it out, character by character."""
    assert (contacts.fold(text) or None) == identity_oracle.fold(text)


def test_emails() -> None:
    assert contacts.normal_email(" Ann.Peeters@Example.COM ") == "ann.peeters@example.com"
    assert contacts.normal_email("bad@") is None
    assert contacts.normal_email("x@host.invalid") is None  # special-use domain


numbers = st.lists(
    st.builds(
        lambda prefix, digits, sep: (
            prefix + sep.join(digits[i : i + 2] for i in range(0, len(digits), 2))
        ),
        st.sampled_from(["+32", "0032", "0", "+33", "0033", "+49", "0", "", "+"]),
        st.text(alphabet="0123456789", min_size=5, max_size=11),
        st.sampled_from(["", " ", ".", "/", "-"]),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(values=numbers, region=st.sampled_from(["BE", "FR", "DE", "FI", "US"]))
def test_phone_fast_path_agrees_on_generated_numbers(values: list[str], region: str) -> None:
    con = db.connect()
    db.run(con, "macro_clean_text")
    phone_records(con, values)
    db.run(con, "phone_fast_path", contacts.region_patterns(region))
    settled = con.execute(SETTLED_PHONES).fetchall()
    for raw, e164, kind in settled:
        assert contacts.normal_phone(raw, region) == (e164, kind), raw
    # Every record's value is either settled or left to phonenumbers, once.
    left = [r[0] for r in db.run(con, "recipient_raw_phones").fetchall()]
    assert left == sorted(set(values) - {raw for raw, *_ in settled})
    assert con.execute("SELECT count(*) FROM phone_fast_path").fetchone() == (len(values),)


emails = st.lists(
    st.builds(
        lambda local, domain, tld: f"{local}@{domain}.{tld}",
        st.text(alphabet="abcXYZ019._+-", min_size=1, max_size=12),
        st.text(alphabet="abZ09-.", min_size=1, max_size=12),
        st.sampled_from(["com", "BE", "example", "test", "invalid", "c", "123", "co-uk"]),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=80, deadline=None)
@given(values=emails)
def test_email_fast_path_agrees_with_email_validator(values: list[str]) -> None:
    con = db.connect()
    db.run(con, "macro_clean_text")
    email_records(con, values)
    db.run(con, "email_fast_path", {"special_domains": contacts.special_use_domains()})
    settled = con.execute(SETTLED_EMAILS).fetchall()
    for raw, email in settled:
        assert contacts.normal_email(raw) == email, raw
    left = [r[0] for r in db.run(con, "recipient_raw_emails").fetchall()]
    assert left == sorted(set(values) - {raw for raw, _ in settled})


def test_email_fast_path_settles_plain_addresses() -> None:
    values = [
        "Ann.Peeters@Example.COM",
        "x+tag@mail.example.be",
        "bad@",
        "a@b.test",
        "é@example.com",
    ]
    con = db.connect()
    db.run(con, "macro_clean_text")
    email_records(con, values)
    db.run(con, "email_fast_path", {"special_domains": contacts.special_use_domains()})
    settled = dict(con.execute(SETTLED_EMAILS).fetchall())
    assert settled == {
        "Ann.Peeters@Example.COM": "ann.peeters@example.com",
        "x+tag@mail.example.be": "x+tag@mail.example.be",
    }


@settings(max_examples=80, deadline=None)
@given(values=st.lists(st.text(alphabet=st.characters(max_codepoint=127), max_size=30), min_size=1))
def test_ascii_addresses_fold_in_sql_as_in_python(values: list[str]) -> None:
    con = db.connect()
    con.execute(
        "CREATE TABLE recipient_candidates AS SELECT unnest($v) AS address_text", {"v": values}
    )
    con.execute("CREATE TABLE address_slow_path (raw VARCHAR, folded VARCHAR)")
    db.run(con, "address_lookup")
    folded = dict(con.execute("SELECT raw, folded FROM address_lookup").fetchall())
    assert folded == {v: contacts.fold(v) or None for v in values}
    assert not db.run(con, "recipient_raw_addresses").fetchall()  # nothing left for Python


def test_only_addresses_beyond_ascii_go_to_python() -> None:
    values = ["Rue de l'Église 4, 1000 Bruxelles", "Kerkstraat 12 - 9000 GENT", "Straße 1"]
    con = db.connect()
    con.execute(
        "CREATE TABLE recipient_candidates AS SELECT unnest($v) AS address_text", {"v": values}
    )
    assert [r[0] for r in db.run(con, "recipient_raw_addresses").fetchall()] == [
        "Rue de l'Église 4, 1000 Bruxelles",
        "Straße 1",
    ]
