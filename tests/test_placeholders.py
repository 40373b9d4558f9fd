"""Placeholder values (`n/a`, `onbekend`), values made only of punctuation and values made only
of invisible or space characters are not data: not exposed, not counted as available."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import CASE, invoke, write_case

from scoping import db
from scoping.case import DEFAULT_MISSING_VALUES

HEADER = "customer_id,first_name,last_name,email,zip\n"
EVENTS = "event_time,user_id,screen,customer_id\n" + "".join(
    f"2026-09-02T10:00:00Z,PRT-0042,customer.detail,C{i}\n" for i in range(1, 30)
)
# Unicode White_Space and format characters: none of them makes a value available.
INVISIBLE = ["\u200b", "\u2003", "\u3000", "\u0085", "\ufeff", "\u00a0\u200b", "\u2028", "\u180e"]
NOT_DATA = ["n/a", " N/A ", "Onbekend", "geen", "inconnu", "null", "-", "?", "...", "--/--"]


def affected(out: Path) -> dict[str, dict[str, str]]:
    with (out / "affected_customers.csv").open(encoding="utf-8", newline="") as handle:
        return {r["customer_key"]: r for r in csv.DictReader(handle)}


def customers(values: list[str]) -> str:
    rows = [f'C{i},Ann,Peeters,"{v}",1000\n' for i, v in enumerate(values, start=1)]
    return HEADER + "".join(rows)


def test_placeholders_punctuation_and_invisible_values_are_not_exposed(tmp_path: Path) -> None:
    values = [*NOT_DATA, *INVISIBLE]
    case = write_case(tmp_path / "c", customers=customers(values), events=EVENTS)
    out = tmp_path / "out"
    result = invoke("run", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    rows = affected(out)
    for i, value in enumerate(values, start=1):
        assert rows[f"C{i}"]["email"] == "false", repr(value)
        assert rows[f"C{i}"]["first_name"] == "true"
    counts = json.loads((out / "counts.json").read_text(encoding="utf-8"))
    assert {f["field"]: f["customers"] for f in counts["fields"]}["email"] == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["missing_values"] == list(DEFAULT_MISSING_VALUES)
    email = next(f for f in manifest["parameters"]["fields"] if f["field"] == "email")
    assert "n/a" in email["missing_values"]


def test_an_empty_list_turns_placeholders_off_but_not_punctuation(tmp_path: Path) -> None:
    case = CASE.replace('key = "customer_id"', 'key = "customer_id"\nmissing_values = []')
    path = write_case(tmp_path / "c", case=case, customers=customers(["n/a", "-"]), events=EVENTS)
    out = tmp_path / "out"
    assert invoke("run", path, "--out", out).exit_code == 0
    rows = affected(out)
    assert (rows["C1"]["email"], rows["C2"]["email"]) == ("true", "false")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["missing_values"] == []


def test_a_field_can_have_its_own_list(tmp_path: Path) -> None:
    # "Geen e-mail" is a placeholder for email only; "N/A" then counts as a value there.
    case = CASE.replace(
        'email = "email"', 'email = { column = "email", missing_values = ["Geen e-mail"] }'
    )
    values = ["geen E-MAIL", "N/A"]
    path = write_case(tmp_path / "c", case=case, customers=customers(values), events=EVENTS)
    out = tmp_path / "out"
    assert invoke("run", path, "--out", out).exit_code == 0
    rows = affected(out)
    assert (rows["C1"]["email"], rows["C2"]["email"]) == ("false", "true")


def test_a_blank_placeholder_is_a_case_error(tmp_path: Path) -> None:
    case = CASE.replace('key = "customer_id"', 'key = "customer_id"\nmissing_values = [" "]')
    result = invoke("check", write_case(tmp_path / "c", case=case))
    assert result.exit_code == 3
    assert "customers.missing_values" in result.stderr


def test_check_profiles_each_field_on_screen_only(tmp_path: Path) -> None:
    values = ["n/a", "n/a", "N/A", "-", "\u200b", "", "x@example.invalid"]
    path = write_case(tmp_path / "c", customers=customers(values), events=EVENTS)
    result = invoke("check", path)
    assert result.exit_code == 0, result.stderr
    line = next(x for x in result.stderr.splitlines() if x.lstrip().startswith("email"))
    cells = [c.strip() for c in line.split("│")]
    # email: 1 available, 2 blank ('' and U+200B), 4 placeholders; n/a is the most frequent.
    assert cells[1:4] == ["1", "2", "4"], line
    assert "'n/a' (2)" in result.stderr
    assert "'\\u200b' (1)" in " ".join(result.stderr.split())  # escaped, never raw
    assert result.stdout == ""
    assert not any(
        p.name.endswith((".csv", ".json"))
        for p in (tmp_path / "c").iterdir()
        if p.name not in ("customers.csv",)
    )


def test_the_macro_classifies_values() -> None:
    con = db.connect()
    for name in ("macro_clean_text", "macro_available", "macro_visible"):
        db.run(con, name)
    missing = [v.lower() for v in DEFAULT_MISSING_VALUES]

    def classify(value: str | None) -> tuple[bool, bool]:
        row = con.execute("SELECT available($v, $m), visible($v)", {"v": value, "m": missing})
        got = row.fetchone()
        assert got is not None
        return bool(got[0]), bool(got[1])

    for value in [*INVISIBLE, "", "  ", "\t"]:
        assert classify(value) == (False, False), repr(value)
    for value in [*NOT_DATA, "😀", "+"]:
        assert classify(value) == (False, True), repr(value)
    for value in ["Ann", "Ø", "42", "日本", "--x", "geen email", "Zoë", "\u200bAnn", "É"]:
        assert classify(value) == (True, True), repr(value)
    # The longest placeholder, as long as it is, padded, and one character longer.
    for value in ["UNBEKANNT", "  Unbekannt\t", "\u00a0unbekannt\ufeff"]:
        assert classify(value) == (False, True), repr(value)
    assert classify("Unbekannte") == (True, True)
    assert classify(None) == (False, False)


def test_the_built_in_list_keeps_surnames_that_look_like_placeholders(tmp_path: Path) -> None:
    # `Null` and `None` are surnames: a name field keeps them as data under the built-in list,
    # while `unknown` and `n/a` stay placeholders there, and `null` stays one elsewhere.
    from scoping.case import load_case

    case = load_case(write_case(tmp_path / "c"))
    by_name = {f.name: f for f in case.customers.fields}
    names = [f for f in case.customers.fields if f.category == "name"]
    assert names, "the test case declares name fields"
    for field in names:
        assert "null" not in field.missing_values and "none" not in field.missing_values
        assert "unknown" in field.missing_values and "n/a" in field.missing_values
    others = [f for f in by_name.values() if f.category != "name"]
    assert others and all("null" in f.missing_values for f in others)
    listed = write_case(
        tmp_path / "l",
        case=CASE.replace(
            'key = "customer_id"', 'key = "customer_id"\nmissing_values = ["null", "none"]'
        ),
    )
    for field in load_case(listed).customers.fields:
        assert field.missing_values == ("null", "none")
