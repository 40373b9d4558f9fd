"""The report for the authority: made from an output set, in four languages, with no
personal data of customers in any file it writes."""

from __future__ import annotations

import csv
import json
import re
import shutil
import tomllib
from pathlib import Path

import markupsafe
import pytest
from conftest import invoke

from scoping import report, targets
from scoping.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "telecom"


@pytest.fixture(scope="module")
def example_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("report")
    folder = tmp / "telecom"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".scoping-cache"))
    out = tmp / "out"
    result = invoke("--no-cache", "run", folder / "case.toml", "--out", out)
    assert result.exit_code == 0, result.stderr
    return out


def _personal_values() -> set[str]:
    """Every customer key, name, street, email and phone number of the example (raw, and
    the numbers as the recipient lists write them)."""
    values: set[str] = set()
    with (EXAMPLE / "customers.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for column in ("customer_id", "first_name", "last_name", "street", "email"):
                values.add(row[column])
            for column in ("fixed_phone", "mobile_phone"):
                if row[column]:
                    values.add(row[column])
                    values.add(re.sub(r"\D", "", row[column]))
    golden = ROOT / "tests" / "golden" / "telecom" / "recipients.csv"
    with golden.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            values.update(v for v in (row["mobile"], row["email"]) if v)
    # Values too short to tell from words and numbers of their own (`Li`, `An`).
    return {v.strip() for v in values if len(v.strip()) >= 3}


def _leaks(text: str, values: set[str]) -> list[str]:
    words = set(re.findall(r"[\w.@+'-]+", text))
    found = [v for v in values if v in words]
    # Values of several words (a street): as they are, between word boundaries.
    found += [
        v for v in values if " " in v and v in text and re.search(rf"\b{re.escape(v)}\b", text)
    ]
    return sorted(found)


def test_the_run_writes_the_report_and_lists_it_in_the_manifest(example_out: Path) -> None:
    manifest = json.loads((example_out / "manifest.json").read_text(encoding="utf-8"))
    listed = {o["file"] for o in manifest["outputs"]}
    assert set(report.FILES) <= listed
    names = {q["name"] for q in manifest["queries"]}
    assert {"report_times", "report_reconciliation", "statement_actions"} <= names
    html = (example_out / "report.html").read_text(encoding="utf-8")
    counts = json.loads((example_out / "counts.json").read_text(encoding="utf-8"))
    assert f"{counts['recipients']['affected_persons']:,}" in html
    assert "2026-11-18 09:30" in html  # aware 2026-11-15 09:30 local, plus 72 hours
    assert "actor 1" in html and "PRT-0042" not in html


@pytest.mark.parametrize("language", ["en", "nl", "fr", "de"])
def test_no_file_the_report_writes_holds_a_customers_value(
    example_out: Path, tmp_path: Path, language: str
) -> None:
    out = tmp_path / "out"
    shutil.copytree(example_out, out)
    result = invoke("report", out, "--lang", language, "--show-actors")
    assert result.exit_code == 0, result.stderr
    values = _personal_values()
    assert len(values) > 5000
    for name in report.FILES:
        text = (out / name).read_text(encoding="utf-8")
        assert _leaks(text, values) == [], name
        assert (out / name).stat().st_mode & 0o077 == 0
    # The scan finds what it looks for: the recipient list is full of them.
    assert _leaks((out / "notify_email.csv").read_text(encoding="utf-8-sig"), values)


def test_the_report_speaks_the_language_asked(example_out: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(example_out, out)
    words = report.labels()
    for language in report.LANGUAGES:
        assert invoke("report", out, "--lang", language).exit_code == 0
        html = (out / "report.html").read_text(encoding="utf-8")
        assert f'<html lang="{language}">' in html
        assert str(markupsafe.escape(words[language]["title"])) in html
        md = (out / "authority_notification.md").read_text(encoding="utf-8")
        assert words[language]["placeholder"] in md
        note = json.loads((out / "authority_notification.json").read_text(encoding="utf-8"))
        assert note["c"]["placeholder"] and note["c"]["text"] is None
        assert {s["category"] for s in note["c"]["suggested"]} >= {"email", "phone"}


def test_every_language_has_every_label() -> None:
    text = (ROOT / "scoping" / "templates" / "report" / "labels.toml").read_text(encoding="utf-8")
    labels = tomllib.loads(text)
    assert set(labels) == set(report.LANGUAGES)
    keys = {language: set(table) for language, table in labels.items()}
    assert all(k == keys["en"] for k in keys.values())
    consequences = {language: set(t["consequences"]) for language, t in labels.items()}
    assert all(c == consequences["en"] for c in consequences.values())


def test_the_notification_prefills_art_33_from_the_counts(example_out: Path) -> None:
    note = json.loads((example_out / "authority_notification.json").read_text(encoding="utf-8"))
    counts = json.loads((example_out / "counts.json").read_text(encoding="utf-8"))
    assert note["a"]["data_subjects"] == counts["recipients"]["affected_persons"]
    assert note["a"]["records"] == counts["summary"]["affected_customer_records"]
    by_category = {c["category"]: c for c in note["a"]["categories"]}
    for row in counts["categories"]:
        assert by_category[row["category"]]["records"] == row["customers"]
        assert (
            by_category[row["category"]]["persons"]
            == counts["recipients"]["per_category"][row["category"]]
        )
    assert note["b"]["contact_point"].startswith("Data Protection Officer")
    assert note["deadline_utc"] == "2026-11-18 08:30"
    # Identity fraud is suggested: birth date, name and address were exposed together.
    assert "birth_date+name+address" in {s["category"] for s in note["c"]["suggested"]}


def test_the_same_output_set_gives_the_same_report(example_out: Path, tmp_path: Path) -> None:
    first = report.render(example_out, "fr")
    second = report.render(example_out, "fr")
    assert first == second
    assert first["report.html"].count("<svg") >= 3


def test_a_run_can_replace_an_output_set_holding_a_later_report(
    example_out: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(example_out, out)
    for name in report.FILES:
        (out / name).unlink()
    assert invoke("report", out, "--lang", "de").exit_code == 0
    assert set(report.FILES) <= targets.files_of_output_set(out)  # type: ignore[operator]
    case = example_out.parent / "telecom" / "case.toml"
    result = invoke("--no-cache", "run", case, "--out", out, "--force")
    assert result.exit_code == 0, result.stderr


def test_a_folder_without_a_run_is_refused(tmp_path: Path) -> None:
    result = invoke("report", tmp_path)
    assert result.exit_code == int(ExitCode.INPUT)
    assert "not an output set" in result.stderr


def test_a_case_without_statement_or_recipients_gets_a_report_too(tmp_path: Path) -> None:
    from conftest import CASE, write_case

    case = write_case(tmp_path / "case", CASE + '\n[report]\nlanguage = "nl"\n')
    out = tmp_path / "out"
    result = invoke("--no-cache", "run", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
    assert report.labels()["nl"]["not_checked"] in html
    note = json.loads((out / "authority_notification.json").read_text(encoding="utf-8"))
    assert note["a"]["data_subjects"] is None and note["a"]["records"] == 3
    assert note["b"]["placeholder"] is True
    assert note["aware_at_utc"] is None
