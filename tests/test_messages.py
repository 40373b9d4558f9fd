"""Messages per person: templates per channel and language, SMS segments counted as phones
count them, unknown variables and texts too long stop the run."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from conftest import invoke

from scoping import messages
from scoping.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "telecom"


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("", "GSM-7", 1),
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        # Accents of the basic set stay GSM-7; the extension table takes two septets.
        ("é" * 160, "GSM-7", 1),
        ("€" * 80, "GSM-7", 1),
        ("€" * 81, "GSM-7", 2),
        # 152 septets and a euro sign: the escape and its letter never split, so 3 segments
        # would be wrong and 2 right (152 + 2 > 153 starts the second segment).
        ("a" * 152 + "€" + "a" * 10, "GSM-7", 2),
        ("a" * 305 + "€", "GSM-7", 3),
        # One letter outside GSM-7 makes the whole text UCS-2.
        ("ê", "UCS-2", 1),
        ("ê" * 70, "UCS-2", 1),
        ("ê" * 71, "UCS-2", 2),
        ("ç" + "a" * 133, "UCS-2", 2),
        ("ç" + "a" * 134, "UCS-2", 3),
        # An emoji is a surrogate pair: two units, never split.
        ("\U0001f600" * 35, "UCS-2", 1),
        ("a" + "\U0001f600" * 35, "UCS-2", 2),
        # 134 units would fill two segments of 67 if a pair could be split; it cannot.
        ("a" * 66 + "\U0001f600" * 34, "UCS-2", 3),
    ],
)
def test_sms_segments_as_phones_count_them(text: str, encoding: str, segments: int) -> None:
    assert messages.sms_segments(text) == (encoding, segments)


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_notice_text_names_the_persons_categories_and_the_hotline(language: str) -> None:
    text = messages.notice_text(language, ["name", "birth_date"], "0800 11 111", controller="Op")
    words = {"nl": "geboortedatum", "fr": "date de naissance", "de": "Geburtsdatum"}
    assert words.get(language, "date of birth") in text
    assert "0800 11 111" in text and text.startswith("Op")
    assert messages.sms_segments(text)[0] == "GSM-7"


def test_a_bilingual_notice_carries_both_languages() -> None:
    sms = messages.notice_text("nl+fr", ["name", "email"], "0800", controller="Op")
    assert "naam, e-mailadres" in sms and "nom, adresse e-mail" in sms
    email = messages.notice_text("nl+fr", ["name"], "0800", controller="Op", channel="email")
    assert "Beste" in email and "Bonjour" in email and "----" in email


def _example(tmp_path: Path, templates: dict[str, str] | None = None) -> Path:
    folder = tmp_path / "telecom"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".scoping-cache"))
    if templates is not None:
        (folder / "templates").mkdir()
        for name, text in templates.items():
            (folder / "templates" / name).write_text(text, encoding="utf-8")
        case = folder / "case.toml"
        text = case.read_text(encoding="utf-8")
        case.write_text(
            text.replace('# templates = "templates/"', 'templates = "templates/"'), encoding="utf-8"
        )
    return folder / "case.toml"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


@pytest.fixture(scope="module")
def example_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("messages")
    out = tmp / "out"
    result = invoke("--no-cache", "run", _example(tmp), "--out", out)
    assert result.exit_code == 0, result.stderr
    return out


def test_every_person_to_notify_gets_one_message_in_their_language(example_out: Path) -> None:
    for channel in ("email", "sms", "letter"):
        notify = _rows(example_out / f"notify_{channel}.csv")
        sent = _rows(example_out / f"messages_{channel}.csv")
        assert [r["recipient_id"] for r in sent] == [r["recipient_id"] for r in notify]
        assert [r["language"] for r in sent] == [r["language"] for r in notify]
    emails = _rows(example_out / "messages_email.csv")
    assert {r["language"] for r in emails} == {"nl", "fr", "de"}
    notify = {r["recipient_id"]: r for r in _rows(example_out / "notify_email.csv")}
    for row in emails:
        person = notify[row["recipient_id"]]
        assert row["email"] == person["email"]
        assert person["exposed"] in row["body"]
        assert f"{person['first_name']} {person['last_name']}" in row["body"]
        assert "0800 00 000" in row["body"] and row["subject"].startswith("TelcoNova")


def test_sms_rows_carry_encoding_and_segments_counted_again(example_out: Path) -> None:
    rows = _rows(example_out / "messages_sms.csv")
    assert rows
    for row in rows:
        assert (row["encoding"], int(row["segments"])) == messages.sms_segments(row["text"])
        assert int(row["segments"]) <= 2
        assert row["mobile"].startswith("+32")


def test_the_preview_shows_every_channel_in_four_languages_and_bilingual(example_out: Path) -> None:
    html = (example_out / "messages_preview.html").read_text(encoding="utf-8")
    for language in ("nl", "fr", "de", "en", "nl+fr"):
        for channel in ("email", "sms", "letter"):
            assert f'data-channel="{channel}" data-language="{language}"' in html
    assert "Sam Example" in html and "http" not in html.replace("http-equiv", "")


def test_an_sms_template_too_long_stops_the_run(tmp_path: Path) -> None:
    long = "{{ controller }}: " + "Lees dit bericht aandachtig. " * 12 + "{{ hotline }}\n"
    case = _example(tmp_path, {"sms.nl.j2": long})
    out = tmp_path / "out"
    result = invoke("--no-cache", "run", case, "--out", out)
    assert result.exit_code == int(ExitCode.CASE), result.stderr
    assert "longer than 2 segments" in result.stderr
    assert "nl (sms.nl.j2:" in result.stderr and "recipients)" in result.stderr
    assert not out.exists()


def test_a_template_with_an_unknown_variable_stops_the_run(tmp_path: Path) -> None:
    case = _example(tmp_path, {"email_subject.fr.j2": "{{ controller }}: {{ iban }}\n"})
    result = invoke("--no-cache", "run", case, "--out", tmp_path / "out")
    assert result.exit_code == int(ExitCode.CASE), result.stderr
    assert "email_subject.fr.j2" in result.stderr and "iban" in result.stderr


def test_a_template_that_changes_a_name_is_rendered_for_each_person(tmp_path: Path) -> None:
    """The fast path (one rendering per group, names put in) must not be taken when a
    template transforms a personal value: each person's message shows their own name."""
    body = "{{ first_name | upper }} {{ last_name }}: {{ exposed | join(', ') }}. {{ hotline }}\n"
    case = _example(tmp_path, {"email_body.nl.j2": body})
    out = tmp_path / "out"
    result = invoke("--no-cache", "run", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    notify = {r["recipient_id"]: r for r in _rows(out / "notify_email.csv")}
    dutch = [r for r in _rows(out / "messages_email.csv") if r["language"] == "nl"]
    assert len(dutch) > 100
    for row in dutch:
        person = notify[row["recipient_id"]]
        expected = f"{person['first_name'].upper()} {person['last_name']}: {person['exposed']}."
        assert row["body"] == expected + " 0800 00 000"


def test_a_not_involved_entry_without_words_stops_the_run(tmp_path: Path) -> None:
    case = _example(tmp_path)
    text = case.read_text(encoding="utf-8")
    case.write_text(text.replace('"communication_data"]', '"communication_data", "loyalty_id"]'))
    result = invoke("--no-cache", "run", case, "--out", tmp_path / "out")
    assert result.exit_code == int(ExitCode.CASE), result.stderr
    assert "'loyalty_id'" in result.stderr and "[statement.labels.loyalty_id]" in result.stderr


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en", "nl+fr"])
def test_the_built_in_sms_fits_two_segments_with_every_category(language: str) -> None:
    every = ["name", "address", "email", "birth_date", "phone"]
    text = messages.notice_text(language, every, "0800 00 000", controller="TelcoNova")
    assert messages.sms_segments(text) == ("GSM-7", 2)


# Names and streets that need quoting, the formula guard, or hold a line break, a control
# character or what looks like a marker of the rendering.
TRICKY = [
    '=HYPERLINK("x")',
    "+Ann",
    "-Jo",
    "@me",
    '"Jo" Said',
    "a;b,c",
    "two\nlines",
    "ctl\x01x",
    "mark\x020\x03",
    "{0} }{",
]


def test_the_lines_filled_in_by_duckdb_are_those_rendered_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group's line with each person's values put in (queries/messages_file.sql) is,
    byte for byte, the line rendered for that person (what a group without a line gets),
    also for values that need quoting or the formula guard, and a template with braces."""
    letter = "Beste {{ first_name }} {{ last_name }}, { {0} }{ {{ address_line1 }}: {{ hotline }}\n"
    case = _example(tmp_path, {"letter.nl.j2": letter})
    path = case.parent / "customers.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for i, row in enumerate(rows[:300]):
        row["first_name"] = TRICKY[i % len(TRICKY)]
        row["street"] = TRICKY[(i + 3) % len(TRICKY)]
        if i % 7 == 0:
            row["last_name"] = ""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    filled = tmp_path / "filled"
    result = invoke("--no-cache", "run", case, "--out", filled)
    assert result.exit_code == 0, result.stderr
    new_group = messages._new_group

    def without_line(*args: object, **kwargs: object) -> tuple[object, None]:
        return new_group(*args, **kwargs)[0], None  # type: ignore[arg-type]

    monkeypatch.setattr(messages, "_new_group", without_line)
    rendered = tmp_path / "rendered"
    result = invoke("--no-cache", "run", case, "--out", rendered)
    assert result.exit_code == 0, result.stderr
    for name in messages.FILES.values():
        assert (filled / name).read_bytes() == (rendered / name).read_bytes(), name
    letters = _rows(filled / "messages_letter.csv")
    assert {'\'=HYPERLINK("x")', "two\nlines", "{0} }{"} <= {r["first_name"] for r in letters}
    assert any("{ {0} }{" in r["body"] for r in letters if r["language"] == "nl")
