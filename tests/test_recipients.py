"""Recipient lists: who is one person, which channel, which language, which wave; CSV that
a notification team can open safely. Every expectation here is worked out by hand."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

import pytest
from conftest import invoke

from scoping.errors import ExitCode

HEADER = (
    "customer_id,first_name,last_name,street,house_number,postal_code,city,email,"
    "birth_date,fixed_phone,mobile_phone,language,deceased"
)
CASE = """\
[case]
id = "R-1"
timezone = "Europe/Brussels"

[customers]
path = "customers.csv"
key = "customer_id"

[customers.fields]
first_name = { column = "first_name", category = "name" }
last_name = { column = "last_name", category = "name" }
street = { column = "street", category = "address" }
house_number = { column = "house_number", category = "address" }
postal_code = { column = "postal_code", category = "address" }
city = { column = "city", category = "address" }
email = "email"
birth_date = "birth_date"
phone_fixed = { column = "fixed_phone", category = "phone" }
phone_mobile = { column = "mobile_phone", category = "phone" }

[access_log]
path = "events.csv"
timestamp = "event_time"
actor = "user_id"
record = "customer_id"
action = "screen"

[actions]
"customer.detail" = "*"
"customer.search" = ["first_name", "last_name", "postal_code", "city"]

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
language_column = "language"
deceased_column = "deceased"
default_language = "en"
notification_date = "2026-12-01"
csv_dialect = "standard"

[recipients.postal_languages]
"1000-1299" = "nl+fr"
"4700-4799" = "de"
"9000-9999" = "nl"
"""

PEOPLE = [
    # A two-account person: accents and case differ, the mobile is written differently.
    "A1,Hélène,Peeters,Kerkstraat,1,9000,Gent,,1980-02-03,,0470 12 34 56,nl,",
    "A2,HELENE,peeters,Other Street,9,9000,Gent,helene@example.com,03/02/1980,,+32470123456,,",
    # A family sharing an email, a fixed line and an address: three people.
    "F1,Jan,Maes,Dorpstraat,5,9000,Gent,maes@example.com,1970-01-01,09 234 56 78,,nl,",
    "F2,Els,Maes,Dorpstraat,5,9000,Gent,maes@example.com,1972-05-05,09 234 56 78,,nl,",
    "F3,Tom,Maes,Dorpstraat,5,9000,Gent,maes@example.com,2012-07-07,09 234 56 78,,nl,",
    # Twins at one address, born the same day: two people.
    "T1,Anna,Janssens,Molenweg,3,1000,Brussel,,2001-03-03,,,,",
    "T2,Eva,Janssens,Molenweg,3,1000,Brussel,,2001-03-03,,,,",
    # Same name and birth date but nothing shared: two people.
    "S1,Luc,Dubois,Rue A,1,4700,Eupen,luc1@example.com,1960-06-06,,,,",
    "S2,Luc,Dubois,Rue B,2,4700,Eupen,luc2@example.com,1960-06-06,,,,",
    # Invalid contact points only, incomplete address: no usable channel.
    "X1,Nina,Nowhere,,,9000,,bad@,1990-01-01,,12,nl,",
    # Deceased, with a valid mobile only.
    "D1,Paul,Late,Weg,1,9000,Gent,,1930-01-01,,0470 99 88 77,nl,yes",
    # Hostile values.
    'H1,"=HYPERLINK(""http://x.invalid"",""x"")",+Evil,@street,1,9000,Gent,-x@example.com,1985-05-05,,,nl,',
]


def write(root: Path, people: list[str], events: list[str], case: str = CASE) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "customers.csv").write_text("\n".join([HEADER, *people]) + "\n", encoding="utf-8")
    lines = ["event_time,user_id,screen,customer_id", *events]
    (root / "events.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "case.toml").write_text(case, encoding="utf-8")
    return root / "case.toml"


def detail(*keys: str) -> list[str]:
    return [f"2026-09-02T10:00:00Z,PRT-0042,customer.detail,{k}" for k in keys]


def rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    text = path.read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


@pytest.fixture
def wave1(tmp_path: Path) -> Path:
    keys = [p.split(",", 1)[0] for p in PEOPLE if not p.startswith("A2")]
    case = write(tmp_path / "c", PEOPLE, detail(*keys))
    out = tmp_path / "wave1"
    result = invoke("run", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    return out


def by_keys(out: Path) -> dict[str, dict[str, str]]:
    return {r["customer_keys"]: r for r in rows(out / "recipients.csv")}


def test_people_are_merged_only_on_strong_evidence(wave1: Path) -> None:
    people = by_keys(wave1)
    assert sorted(people) == sorted(
        ["A1|A2", "F1", "F2", "F3", "T1", "T2", "S1", "S2", "X1", "D1", "H1"]
    )
    helene = people["A1|A2"]
    assert helene["affected_keys"] == "A1"  # A2 is hers but was not consulted
    assert helene["merge_reason"] == "same name and birth date; shared mobile"
    assert helene["first_name"] == "Hélène"  # original spelling of the affected record
    assert helene["email"] == "helene@example.com"  # current contact data, any record
    assert helene["channel"] == "email" and helene["mobile"] == "+32470123456"
    for key in ("F1", "F2", "F3"):
        assert people[key]["shared_contact"] == "true"
        assert people[key]["shared_contact_points"] == "address|email|phone"
    assert people["T1"]["shared_contact_points"] == "address"
    assert people["S1"]["shared_contact"] == "false" and people["S1"]["merge_reason"] == ""


def test_a_notification_date_that_does_not_exist_is_a_case_error(tmp_path: Path) -> None:
    case = CASE.replace('notification_date = "2026-12-01"', 'notification_date = "2026-02-30"')
    assert case != CASE
    out = tmp_path / "out"
    result = invoke("run", write(tmp_path / "c", PEOPLE, detail("F1"), case), "--out", out)
    assert result.exit_code == int(ExitCode.CASE), result.stderr
    assert "recipients.notification_date" in result.stderr and "exists" in result.stderr


def test_a_birth_date_that_cannot_be_read_leaves_the_age_unknown(tmp_path: Path) -> None:
    people = [
        "U1,Ugo,Unknown,Weg,2,9000,Gent,ugo@example.com,05.05.2015,,,nl,",
        "U2,Ulla,Unknown,Weg,3,9000,Gent,ulla@example.com,1990-13-45,,,nl,",
        "F1,Jan,Maes,Dorpstraat,5,9000,Gent,maes@example.com,1970-01-01,09 234 56 78,,nl,",
    ]
    out = tmp_path / "out"
    result = invoke("run", write(tmp_path / "c", people, detail("U1", "U2", "F1")), "--out", out)
    assert result.exit_code == 0, result.stderr
    found = by_keys(out)
    assert found["U1"]["minor"] == "" and found["U2"]["minor"] == ""
    assert found["F1"]["minor"] == "false"
    assert {r["minor"] for r in rows(out / "notify_email.csv")} == {"", "false"}
    counts = json.loads((out / "counts.json").read_text(encoding="utf-8"))["recipients"]
    assert counts["age_unknown"] == 2 and counts["minors"] == 0


def test_manifest_lists_the_exposure_files_then_the_recipient_lists(wave1: Path) -> None:
    manifest = json.loads((wave1 / "manifest.json").read_text(encoding="utf-8"))
    assert [o["file"] for o in manifest["outputs"]] == [
        "affected_customers.csv",
        "reconciliation.csv",
        "rejected_rows.csv",
        "unmatched_events.csv",
        "counts.json",
        "recipients.csv",
        "notify_email.csv",
        "notify_sms.csv",
        "notify_letter.csv",
        "no_contact.csv",
        "lookup_records.parquet",
        "lookup_entries.parquet",
    ]
    counts = json.loads((wave1 / "counts.json").read_text(encoding="utf-8"))
    assert counts["recipients"]["affected_persons"] == len(rows(wave1 / "recipients.csv"))


def test_recipient_ids_come_from_keys_not_row_order(wave1: Path, tmp_path: Path) -> None:
    keys = [p.split(",", 1)[0] for p in PEOPLE if not p.startswith("A2")]
    case = write(tmp_path / "again", list(reversed(PEOPLE)), detail(*reversed(keys)))
    out = tmp_path / "again-out"
    assert invoke("run", case, "--out", out).exit_code == 0
    first = {k: r["recipient_id"] for k, r in by_keys(wave1).items()}
    second = {k: r["recipient_id"] for k, r in by_keys(out).items()}
    assert first == second
    assert len(set(first.values())) == len(first)


def test_channels_languages_and_flags(wave1: Path) -> None:
    people = by_keys(wave1)
    assert people["F1"]["channel"] == "email"
    assert people["T1"]["channel"] == "letter"  # no email, no mobile, complete address
    assert people["T1"]["language"] == "nl+fr"  # Brussels postal code, no language column
    assert people["S1"]["language"] == "de"  # 4700 Eupen
    assert people["X1"]["channel"] == "none" and people["X1"]["invalid_contact"] == "true"
    assert people["D1"]["deceased"] == "true" and people["D1"]["channel"] == "sms"
    assert people["F3"]["minor"] == "true" and people["F1"]["minor"] == "false"
    assert [r["recipient_id"] for r in rows(wave1 / "no_contact.csv")] == [
        people["X1"]["recipient_id"]
    ]
    sms = rows(wave1 / "notify_sms.csv")
    assert [r["mobile"] for r in sms] == ["+32470998877"]  # E.164 stays valid
    letters = {r["recipient_id"]: r for r in rows(wave1 / "notify_letter.csv")}
    t1 = letters[people["T1"]["recipient_id"]]
    assert (t1["address_line1"], t1["address_line2"]) == ("Molenweg 3", "1000 Brussel")
    assert t1["exposed"] == "naam, adres, geboortedatum / nom, adresse, date de naissance"
    counts = json.loads((wave1 / "counts.json").read_text(encoding="utf-8"))["recipients"]
    assert counts["affected_persons"] == 11 and counts["affected_records"] == 11
    assert counts["per_channel"] == {"email": 6, "letter": 3, "sms": 1, "none": 1}
    assert counts["minors"] == 1 and counts["no_contact"] == 1 and counts["deceased"] == 1


def test_hostile_values_are_neutralised(wave1: Path) -> None:
    people = by_keys(wave1)
    hostile = people["H1"]
    assert hostile["first_name"] == '\'=HYPERLINK("http://x.invalid","x")'
    assert hostile["last_name"] == "'+Evil"
    assert hostile["address_line1"] == "'@street 1"
    # A valid address beginning with -: neutralising it would change where the mail goes,
    # so it is no usable contact point, and is not written.
    assert hostile["email"] == "" and hostile["invalid_contact"] == "true"
    assert hostile["channel"] == "letter"
    for name in ("recipients.csv", "notify_email.csv", "notify_letter.csv", "notify_sms.csv"):
        for row in rows(wave1 / name):
            for value in row.values():
                assert value[:1] not in ("=", "@", "\t", "\r", "\n") and not (
                    value[:1] in ("+", "-") and not value[1:].isdigit()
                ), (name, value)


def test_excel_be_dialect(tmp_path: Path) -> None:
    case = write(tmp_path / "c", PEOPLE[:2], detail("A1"))
    out = tmp_path / "out"
    assert invoke("run", case, "--out", out, "--csv-dialect", "excel-be").exit_code == 0
    data = (out / "notify_email.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfrecipient_id;first_name;")
    assert "Hélène".encode() in data


def test_excel_be_files_hold_the_standard_rows_in_the_same_order(tmp_path: Path) -> None:
    # Enough people for DuckDB to sort and write in several chunks, on two threads.
    many = [
        f"M{i},Name{i},Family{i},Street,{i},9000,Gent,m{i}@example.com,1980-01-01,,,nl,"
        for i in range(5000)
    ]
    people = PEOPLE + many
    case = write(tmp_path / "c", people, detail(*[p.split(",")[0] for p in people]))
    for dialect in ("standard", "excel-be"):
        out = tmp_path / dialect
        result = invoke("run", case, "--out", out, "--csv-dialect", dialect, "--threads", "2")
        assert result.exit_code == 0, result.stderr
    for name in ("recipients.csv", "notify_email.csv", "notify_letter.csv", "notify_sms.csv"):
        excel = (tmp_path / "excel-be" / name).read_bytes()
        assert excel.startswith(b"\xef\xbb\xbf") and excel.count(b"\xef\xbb\xbf") == 1
        with (tmp_path / "standard" / name).open(encoding="utf-8", newline="") as handle:
            standard = list(csv.reader(handle))
        assert list(csv.reader(io.StringIO(excel.decode("utf-8-sig")), delimiter=";")) == standard
    ids = [r["recipient_id"] for r in rows(tmp_path / "standard" / "recipients.csv")]
    assert len(ids) > 5000 and ids == sorted(ids)


def test_second_wave_tells_only_the_new_and_the_expanded(wave1: Path, tmp_path: Path) -> None:
    # Wave 2: a search on F1 (nothing new), a detail on A2 (Hélène's other account, which
    # holds an email: a category she was not told about), a detail on a newly scoped
    # person, and T1 is consulted in full again (already told).
    people = [*PEOPLE, "N1,New,Person,Weg,1,9000,Gent,new@example.com,1999-09-09,,,nl,"]
    events = [
        "2026-10-02T10:00:00Z,PRT-0042,customer.search,F1",
        *detail("A2", "N1", "T1"),
    ]
    case = write(tmp_path / "w2", people, events)
    out = tmp_path / "wave2"
    result = invoke("run", case, "--out", out, "--previous", wave1 / "recipients.csv")
    assert result.exit_code == 0, result.stderr
    status = {k: r["wave_status"] for k, r in by_keys(out).items()}
    assert status == {
        "F1": "already_notified",
        "A1|A2": "expanded",
        "N1": "new",
        "T1": "already_notified",
    }
    notified = {r["recipient_id"] for r in rows(out / "notify_email.csv")}
    assert notified == {by_keys(out)[k]["recipient_id"] for k in ("N1", "A1|A2")}
    # The expanded notice names what is new to Hélène (her email) apart from all of it.
    helene = by_keys(out)["A1|A2"]
    assert helene["new_categories"] == "email"
    assert by_keys(out)["N1"]["new_categories"] == by_keys(out)["N1"]["categories"]
    assert by_keys(out)["F1"]["new_categories"] == ""
    notice = next(
        r for r in rows(out / "notify_email.csv") if r["recipient_id"] == helene["recipient_id"]
    )
    assert notice["exposed_new"] == "e-mailadres"
    assert notice["exposed"].startswith("naam, adres") and "e-mailadres" in notice["exposed"]
    assert rows(out / "notify_letter.csv") == []  # T1 was told already


def test_more_categories_than_before_is_expanded(tmp_path: Path) -> None:
    case = write(tmp_path / "w1", PEOPLE, ["2026-09-02T10:00:00Z,PRT-0042,customer.search,F1"])
    first = tmp_path / "o1"
    assert invoke("run", case, "--out", first).exit_code == 0
    assert by_keys(first)["F1"]["categories"] == "name|address"
    case = write(tmp_path / "w2", PEOPLE, detail("F1"))
    second = tmp_path / "o2"
    result = invoke("run", case, "--out", second, "--previous", first / "recipients.csv")
    assert result.exit_code == 0, result.stderr
    assert by_keys(second)["F1"]["wave_status"] == "expanded"
    assert [r["wave_status"] for r in rows(second / "notify_email.csv")] == ["expanded"]


def test_an_earlier_list_whose_name_holds_glob_characters_is_read_as_named(
    tmp_path: Path,
) -> None:
    case = write(tmp_path / "w1", PEOPLE, ["2026-09-02T10:00:00Z,PRT-0042,customer.search,F1"])
    first = tmp_path / "o1"
    assert invoke("run", case, "--out", first).exit_code == 0
    earlier = tmp_path / "wave[1].csv"
    earlier.write_bytes((first / "recipients.csv").read_bytes())
    # wave1.csv is what the name matches as a pattern: a list of nobody.
    header = (first / "recipients.csv").read_text(encoding="utf-8").splitlines()[0]
    (tmp_path / "wave1.csv").write_text(header + "\n", encoding="utf-8")
    case = write(tmp_path / "w2", PEOPLE, detail("F1"))
    second = tmp_path / "o2"
    result = invoke("run", case, "--out", second, "--previous", earlier)
    assert result.exit_code == 0, result.stderr
    assert by_keys(second)["F1"]["wave_status"] == "expanded"


def test_a_person_column_defines_the_person(tmp_path: Path) -> None:
    people = [p + ("," + ("P1" if p.startswith(("F1", "F2")) else "")) for p in PEOPLE]
    header = HEADER + ",party"
    case_text = CASE.replace(
        'deceased_column = "deceased"', 'deceased_column = "deceased"\nperson_column = "party"'
    )
    root = tmp_path / "c"
    case = write(root, people, detail("F1", "F2", "T1"), case=case_text)
    (root / "customers.csv").write_text("\n".join([header, *people]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("run", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    people_out = by_keys(out)
    assert sorted(people_out) == ["F1|F2", "T1"]
    assert people_out["F1|F2"]["merge_reason"] == "same person id"


def test_missing_labels_for_a_declared_category_fail_closed(tmp_path: Path) -> None:
    case_text = CASE.replace('category = "address" }', 'category = "whereabouts" }')
    case = write(tmp_path / "c", PEOPLE[:1], detail("A1"), case=case_text)
    result = invoke("run", case, "--out", tmp_path / "out")
    assert result.exit_code != 0
    assert "no label for whereabouts (nl)" in result.stderr


def test_no_postal_table_falls_back_to_the_default_language(tmp_path: Path) -> None:
    case_text = CASE.split("[recipients.postal_languages]")[0]
    case = write(tmp_path / "c", PEOPLE[5:6], detail("T1"), case=case_text)
    out = tmp_path / "out"
    result = invoke("run", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert by_keys(out)["T1"]["language"] == "en"


def test_keys_are_written_as_the_customer_table_wrote_them(tmp_path: Path) -> None:
    # A two-account person with leading zeros in the customer table; the log writes one key
    # without them. An earlier list written without the zeros still matches.
    people = [
        "0042,Hélène,Peeters,Kerkstraat,1,9000,Gent,,1980-02-03,,0470 12 34 56,nl,",
        "00777,HELENE,peeters,Kerkstraat,1,9000,Gent,helene@example.com,1980-02-03,,,,",
        "0009,Nina,Nowhere,,,9000,,bad@,1990-01-01,,12,nl,",
    ]
    case = write(tmp_path / "c", people, detail("42", "0009"))
    out = tmp_path / "out"
    result = invoke("run", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    people_out = by_keys(out)
    assert sorted(people_out) == ["0009", "0042|00777"]
    helene = people_out["0042|00777"]
    assert helene["affected_keys"] == "0042"
    expected = "R-" + hashlib.sha256(b"0042|00777").hexdigest()[:16]
    assert helene["recipient_id"] == expected
    assert [r["recipient_id"] for r in rows(out / "notify_email.csv")] == [expected]
    assert [r["customer_keys"] for r in rows(out / "no_contact.csv")] == ["0009"]
    earlier = tmp_path / "earlier.csv"
    earlier.write_text(
        "recipient_id,customer_keys,categories\nR-x,42|777,name|address|birth_date|phone\n",
        encoding="utf-8",
    )
    case = write(tmp_path / "w2", people, detail("00777"))
    second = tmp_path / "second"
    result = invoke("run", case, "--out", second, "--previous", earlier)
    assert result.exit_code == 0, result.stderr
    assert by_keys(second)["0042|00777"]["wave_status"] == "expanded"
    counts = json.loads((second / "counts.json").read_text(encoding="utf-8"))
    assert counts["recipients"]["previous_not_matched"] == 0


def test_placeholder_contact_values_are_no_contact_point(tmp_path: Path) -> None:
    # `n/a` as email, `-` as street, an invisible mobile: none is a contact point, and none is
    # an invalid one either (nothing was there). The person has no usable channel.
    people = [
        "P1,Piet,Plaats,-,1,9000,Gent,N/A ,1980-01-01,,\u200b\u3000,nl,",
        "P2,Rik,Echt,Kerkstraat,2,9000,Gent,onbekend,1980-01-01,,,nl,",
    ]
    case = write(tmp_path / "c", people, detail("P1", "P2"))
    out = tmp_path / "out"
    result = invoke("run", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    found = by_keys(out)
    assert found["P1"]["email"] == "" and found["P1"]["mobile"] == ""
    assert found["P1"]["channel"] == "none" and found["P1"]["invalid_contact"] == "false"
    assert found["P2"]["channel"] == "letter" and found["P2"]["email"] == ""
    assert "email" not in found["P2"]["fields"].split("|")


def test_a_phone_that_would_need_neutralising_is_no_contact_point(tmp_path: Path) -> None:
    # phonenumbers reads `=32470000002` as +32470000002 and the separators path drops the `-`
    # of `-0470 12 34 57`: neither is a number the person gave, so neither is used.
    people = [
        "F1,Fien,Formula,,,9000,Gent,,1980-01-01,,=32470000002,nl,",
        "F2,Frank,Formula,,,9000,Gent,,1980-01-01,,-0470 12 34 57,nl,",
        "F3,Fay,Plain,,,9000,Gent,,1980-01-01,,0470 12 34 58,nl,",
    ]
    out = tmp_path / "out"
    result = invoke("run", write(tmp_path / "c", people, detail("F1", "F2", "F3")), "--out", out)
    assert result.exit_code == 0, result.stderr
    found = by_keys(out)
    for key in ("F1", "F2"):
        assert found[key]["mobile"] == "" and found[key]["invalid_contact"] == "true", key
        assert found[key]["channel"] == "none", key
    assert found["F3"]["mobile"] == "+32470123458" and found["F3"]["channel"] == "sms"
