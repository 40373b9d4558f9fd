"""The hotline on the example's output set: the look-up index `run` writes, `scoping lookup`
and the agents' page (`scoping serve`, through Starlette's test client).

The people searched for are found in the example's own files with SQL and phonenumbers
(an affected person, a household sharing a phone number, a customer not affected), never
through the index under test; no personal value is written in this file.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb
import phonenumbers
import pytest
from conftest import invoke
from starlette.testclient import TestClient

from scoping import db, lookup, pipeline, readout, serve
from scoping.errors import SearchError
from scoping.lookup import Search

ROOT = Path(__file__).resolve().parent.parent
CASE = ROOT / "examples" / "telecom" / "case.toml"
CUSTOMERS = ROOT / "examples" / "telecom" / "customers.csv"
TOKEN = "t" * 32


def run_into(out: Path) -> Path:
    options = pipeline.RunOptions(settings=db.Settings(cache=False))
    pipeline.run(CASE, out, options)
    return out


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return run_into(tmp_path_factory.mktemp("hotline") / "out")


def e164(raw: str) -> str | None:
    try:
        number = phonenumbers.parse(raw, "BE")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@dataclass(frozen=True)
class People:
    """Who to search for, read from the example's inputs and recipient list."""

    affected: dict[str, str]  # a recipients.csv row with a mobile number
    household: tuple[str, list[str]]  # an E.164 number and the keys of the records holding it
    not_affected: dict[str, str]  # a customer record of no recipient, with an email
    accented: dict[str, str]  # a customer whose last name has an accent


@pytest.fixture(scope="module")
def people(out: Path) -> People:
    con = duckdb.connect()
    customers = con.execute(
        "SELECT * FROM read_csv($p, all_varchar = true) ORDER BY customer_id",
        {"p": str(CUSTOMERS)},
    )
    columns = [d[0] for d in customers.description or ()]
    rows = [dict(zip(columns, r, strict=True)) for r in customers.fetchall()]
    recipients = con.execute(
        "SELECT * FROM read_csv($p, delim = ';', all_varchar = true) ORDER BY recipient_id",
        {"p": str(out / "recipients.csv")},
    )
    rcolumns = [d[0] for d in recipients.description or ()]
    listed = [dict(zip(rcolumns, r, strict=True)) for r in recipients.fetchall()]
    of_recipients = {k for r in listed for k in r["customer_keys"].split("|")}
    affected = next(r for r in listed if r["mobile"] and r["channel"] == "sms")
    by_phone: dict[str, list[str]] = {}
    for r in rows:
        for raw in {r["mobile_phone"], r["fixed_phone"]} - {None}:
            if number := e164(raw):
                by_phone.setdefault(number, []).append(r)
    # A number held by records of people of different first names: a household.
    number, holders = next(
        (n, h) for n, h in sorted(by_phone.items()) if len({x["first_name"] for x in h}) > 1
    )
    not_affected = next(
        r
        for r in rows
        if r["customer_id"] not in of_recipients and r["email"] and "@" in r["email"]
    )
    accented = next(
        r for r in rows if r["last_name"] and not r["last_name"].isascii() and r["date_of_birth"]
    )
    return People(affected, (number, [h["customer_id"] for h in holders]), not_affected, accented)


def national(number: str) -> str:
    return phonenumbers.format_number(
        phonenumbers.parse(number, "BE"), phonenumbers.PhoneNumberFormat.NATIONAL
    )


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# The index ---------------------------------------------------------------------------------


def test_the_index_holds_every_customer_record_marked_affected_or_not(out: Path) -> None:
    con = duckdb.connect()
    records = con.execute(
        "SELECT customer_key, affected, recipient_id FROM read_parquet($p)",
        {"p": str(out / lookup.RECORDS_FILE)},
    ).fetchall()
    # Today's records, and those of the customers deleted since that the history knows.
    customers = con.execute(
        "SELECT count(*) + (SELECT count(DISTINCT customer_id) FROM read_csv($h,"
        " all_varchar = true) WHERE customer_id NOT IN (SELECT customer_id FROM read_csv($p,"
        " all_varchar = true))) FROM read_csv($p, all_varchar = true)",
        {"p": str(CUSTOMERS), "h": str(CUSTOMERS.with_name("customer_history.csv"))},
    ).fetchone()
    assert customers is not None and len(records) == customers[0]
    recipients = con.execute(
        "SELECT recipient_id, customer_keys FROM read_csv($p, delim = ';', all_varchar = true)",
        {"p": str(out / "recipients.csv")},
    ).fetchall()
    person_of = {k: rid for rid, keys in recipients for k in keys.split("|")}
    for key, affected, rid in records:
        assert affected == (key in person_of), key
        assert rid == person_of.get(key), key
    assert any(not a for _, a, _ in records), "records not affected are in the index"


def test_the_index_is_private_listed_in_the_manifest_and_the_same_at_every_run(
    out: Path, tmp_path: Path
) -> None:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {o["file"]: o for o in manifest["outputs"]}
    again = run_into(tmp_path / "again")
    for name in lookup.INDEX_FILES:
        path = out / name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert listed[name]["size"] == path.stat().st_size
        assert path.read_bytes() == (again / name).read_bytes(), name
    assert manifest["parameters"]["lookup"]["default_region"] == "BE"


# lookup (the library and the command) -----------------------------------------------------


def test_an_affected_person_is_found_by_their_number_however_it_is_written(
    out: Path, people: People
) -> None:
    mobile = people.affected["mobile"]
    digits = mobile.removeprefix("+32")
    spellings = [
        national(mobile),  # 0475 12 34 56
        "0" + digits[:3] + "/" + digits[3:5] + "." + digits[5:7] + "." + digits[7:],
        "+32 " + " ".join([digits[:3], digits[3:5], digits[5:7], digits[7:]]),
        "0032" + digits,
    ]
    with lookup.opened(out) as hotline:
        for spelling in spellings:
            answer = hotline.search(Search(phone=spelling))
            found = [p for p in answer.persons if p.person_id == people.affected["recipient_id"]]
            assert len(found) == 1, spelling
            person = found[0]
            assert person.affected
            assert person.categories == people.affected["categories"].split("|")
            assert person.channel == "sms"
            assert person.first_exposure_utc == people.affected["first_exposure_utc"]


def test_a_household_sharing_a_number_is_listed_person_by_person(out: Path, people: People) -> None:
    number, keys = people.household
    with lookup.opened(out) as hotline:
        answer = hotline.search(Search(phone=national(number)))
    found = {k for p in answer.persons for k in p.matched_keys}
    assert found == set(keys)
    assert len(answer.persons) >= 2


def test_a_customer_not_affected_is_told_so(out: Path, people: People) -> None:
    email = people.not_affected["email"].upper()  # an email in another case is the same
    with lookup.opened(out) as hotline:
        answer = hotline.search(Search(email=email))
        person = next(p for p in answer.persons if people.not_affected["customer_id"] in p.keys)
        assert not person.affected and person.categories == []
        text = readout.sentence(person, "en", hotline)
    assert "not involved" in text


def test_a_search_by_name_folds_case_and_accents_as_the_run_did(out: Path, people: People) -> None:
    row = people.accented
    day, month, year = row["date_of_birth"][8:], row["date_of_birth"][5:7], row["date_of_birth"][:4]
    with lookup.opened(out) as hotline:
        answer = hotline.search(
            Search(
                last_name=strip_accents(row["last_name"]).upper(),
                birth_date=f"{day}/{month}/{year}",
            )
        )
        narrowed = hotline.search(
            Search(
                last_name=row["last_name"],
                birth_date=row["date_of_birth"],
                first_name=row["first_name"].lower(),
            )
        )
        elsewhere = hotline.search(
            Search(last_name=row["last_name"], birth_date=row["date_of_birth"], postal_code="0000")
        )
    assert row["customer_id"] in {k for p in answer.persons for k in p.matched_keys}
    assert row["customer_id"] in {k for p in narrowed.persons for k in p.matched_keys}
    assert elsewhere.persons == []


def test_a_key_is_read_as_the_run_reads_keys(out: Path, people: People) -> None:
    key = people.not_affected["customer_id"]
    with lookup.opened(out) as hotline:
        assert [p.keys for p in hotline.search(Search(key=f"  {key} ")).persons] == [[key]]
        assert hotline.search(Search(key="NO-SUCH-KEY")).persons == []


@pytest.mark.parametrize(
    ("search", "message"),
    [
        (Search(phone="12"), "not a possible number"),
        (Search(email="nobody-at-example"), "not a valid address"),
        (Search(last_name="Peeters"), "needs both"),
        (Search(last_name="Peeters", birth_date="30 april"), "cannot be read"),
        (Search(), "give one of"),
        (Search(phone="0475123456", email="a@example.com"), "give one of"),
    ],
)
def test_bad_input_is_said_clearly_without_the_value(
    out: Path, search: Search, message: str
) -> None:
    with lookup.opened(out) as hotline, pytest.raises(SearchError, match=message) as caught:
        hotline.search(search)
    for value in (search.phone, search.email, search.last_name, search.birth_date):
        if value:
            assert value not in str(caught.value)


def test_the_command_prints_blocks_or_json_and_audits(out: Path, people: People) -> None:
    number, keys = people.household
    result = invoke("lookup", str(out), "--phone", national(number), "--lang", "nl")
    assert result.exit_code == 0, result.stderr
    for key in keys:
        assert key in result.stdout
    assert "voor te lezen" in result.stdout
    result = invoke("lookup", str(out), "--key", people.affected["customer_keys"], "-f", "json")
    assert result.exit_code == 0, result.stderr
    (person,) = json.loads(result.stdout)
    assert person["person_id"] == people.affected["recipient_id"] and person["affected"]
    bad = invoke("lookup", str(out), "--phone", "12")
    assert bad.exit_code == 2 and "not a possible number" in bad.stderr
    result = invoke("lookup", str(out), "--key", "NO-SUCH-KEY", "-f", "csv")
    assert result.exit_code == 0 and result.stdout.startswith("person_id,")
    lines = (out / lookup.AUDIT_FILE).read_text(encoding="utf-8").splitlines()
    assert {json.loads(line)["via"] for line in lines} >= {"lookup"}
    assert stat.S_IMODE((out / lookup.AUDIT_KEY_FILE).stat().st_mode) == 0o600


def test_an_output_set_without_index_is_refused(tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text('{"parameters": {}}', encoding="utf-8")
    result = invoke("lookup", str(tmp_path), "--key", "C1")
    assert result.exit_code == 4 and "no look-up index" in result.stderr


# serve ----------------------------------------------------------------------------------------


@pytest.fixture
def client(out: Path) -> TestClient:
    hotline = lookup.Hotline(out)
    return TestClient(serve.create_app(hotline, lookup.Audit(out), TOKEN), follow_redirects=False)


def signed_in(client: TestClient) -> TestClient:
    first = client.get(f"/?token={TOKEN}")
    assert first.status_code == 303 and first.headers["location"] == "/"
    assert "httponly" in first.headers["set-cookie"].lower()
    assert "samesite=strict" in first.headers["set-cookie"].lower()
    return client


def test_every_request_needs_the_token_and_gets_no_detail_without_it(client: TestClient) -> None:
    for response in (
        client.get("/"),
        client.get("/?token=wrong"),
        client.get("/anything"),
        client.post("/search", data={"phone": "0475123456"}),
        client.post("/search", data={"phone": "0475123456", "token": "wrong"}),
    ):
        assert response.status_code == 403
        assert response.text == "Forbidden"
    assert signed_in(client).get("/").status_code == 200
    # The form's token alone is enough (a client without cookies).
    fresh = TestClient(client.app)
    assert fresh.post("/search", data={"key": "C1", "token": TOKEN}).status_code == 200


def test_the_page_answers_for_affected_household_and_not_affected(
    client: TestClient, out: Path, people: People
) -> None:
    signed_in(client)
    page = client.get("/?lang=fr")
    assert page.headers["cache-control"] == "no-store"
    assert 'method="post"' in page.text and "<script" not in page.text
    affected = client.post(
        "/search", data={"phone": national(people.affected["mobile"]), "lang": "nl"}
    )
    assert affected.status_code == 200
    assert people.affected["first_name"] in affected.text
    assert readout.words("nl")["affected"] in affected.text
    number, keys = people.household
    household = client.post("/search", data={"phone": national(number), "lang": "de"})
    assert household.text.count('<section class="person') == len(
        {p.person_id for p in lookup.Hotline(out).search(Search(phone=number)).persons}
    )
    for key in keys:
        assert key in household.text
    calm = client.post(
        "/search", data={"email": people.not_affected["email"], "lang": "en", "agent": "Agent 7"}
    )
    assert readout.words("en")["not_affected"] in calm.text
    assert "not involved" in calm.text


def test_bad_input_gets_a_clear_message_in_the_page(client: TestClient) -> None:
    signed_in(client)
    impossible = client.post("/search", data={"phone": "12", "lang": "en"})
    assert impossible.status_code == 200
    assert 'class="error"' in impossible.text and "not a possible number" in impossible.text
    unknown = client.post("/search", data={"key": "NO-SUCH-KEY", "lang": "en"})
    assert readout.words("en")["none_found"] in unknown.text


def test_no_personal_value_in_logs_or_audit(
    client: TestClient, out: Path, people: People, caplog: pytest.LogCaptureFixture
) -> None:
    signed_in(client)
    audit = out / lookup.AUDIT_FILE
    before = audit.read_text(encoding="utf-8").splitlines() if audit.exists() else []
    number, _ = people.household
    searches = [
        {"phone": national(people.affected["mobile"])},
        {"phone": national(number)},
        {"email": people.not_affected["email"]},
        {"key": people.not_affected["customer_id"]},
        {
            "last_name": people.accented["last_name"],
            "birth_date": people.accented["date_of_birth"],
        },
    ]
    with caplog.at_level(logging.DEBUG):
        for data in searches:
            assert client.post("/search", data={**data, "agent": "Agent 7"}).status_code == 200
    lines = audit.read_text(encoding="utf-8").splitlines()[len(before) :]
    assert len(lines) == len(searches)
    values = [v for data in searches for v in data.values()]
    values += [people.affected["mobile"], number, people.affected["first_name"]]
    text = "\n".join(lines) + caplog.text
    for value in values:
        assert value not in text, "a searched value in a log or the audit"
        assert value.lower() not in text.lower()
    for line in lines:
        entry = json.loads(line)
        assert set(entry) == {
            "time_utc",
            "agent",
            "via",
            "kind",
            "persons",
            "affected",
            "value_hmac",
        }
        assert entry["agent"] == "Agent 7" and entry["via"] == "serve"
        assert re.fullmatch("[0-9a-f]{64}", entry["value_hmac"])
    # The same number, however written, has the same keyed hash; the key file is private.
    audit_ = lookup.Audit(out)
    assert json.loads(lines[0])["value_hmac"] == audit_.digest("phone", people.affected["mobile"])


def test_a_token_file_is_made_private_or_read(tmp_path: Path) -> None:
    path = tmp_path / "token"
    token, made = serve.read_token(path)
    assert made and len(token) >= serve.MIN_TOKEN
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert serve.read_token(path) == (token, False)


@pytest.mark.parametrize("lang", readout.LANGUAGES)
def test_the_sentence_to_read_out_in_each_language(out: Path, people: People, lang: str) -> None:
    import dataclasses

    with lookup.opened(out) as hotline:
        (person,) = [
            p
            for p in hotline.search(Search(key=people.affected["customer_keys"])).persons
            if p.affected
        ]
        told = readout.sentence(person, lang, hotline)
        unreached = readout.sentence(
            dataclasses.replace(person, channel=None, minor=True), lang, hotline
        )
        calm = readout.sentence(
            dataclasses.replace(person, affected=False, categories=[]), lang, hotline
        )
        labels = [hotline.labels[c][lang] for c in person.categories]
    words = readout.words(lang)
    assert people.affected["first_name"] in told
    assert all(label in told for label in labels)
    assert readout.day(person.first_exposure_utc, hotline.timezone, lang) in told
    assert words["channel"]["sms"] in told and words["wave"]["new"] in told
    assert words["channel"]["sms"] not in unreached and unreached != told
    assert len({told, unreached, calm}) == 3 and labels[0] not in calm
    # A day is written in the language's words, in the case's time zone.
    assert readout.day("2026-10-31T23:30:00Z", "Europe/Brussels", lang) == readout.date_words(
        datetime.date(2026, 11, 1), lang
    )
