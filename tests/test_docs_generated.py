"""docs/commands.md is what `python docs/generate.py` writes from the commands' `--help`, and
the table of keys in docs/case-file.md what it writes from the case file's JSON Schema: a
command, option, docstring or case-file key changed without regenerating the pages fails here."""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path
from types import ModuleType

import pytest
from doc_pages import DOCS, ROOT
from test_cli_docs import COMMANDS


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_docs", DOCS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_command_reference_is_current(generate: ModuleType) -> None:
    current = (DOCS / "commands.md").read_text(encoding="utf-8")
    assert current == generate.render(), "docs/commands.md is stale: run python docs/generate.py"


def test_check_fails_on_a_stale_page(
    generate: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "commands.md"
    stale.write_text(generate.render().replace("Output folder", "Output directory"), "utf-8")
    monkeypatch.setattr(generate, "TARGET", stale)
    case_file = tmp_path / "case-file.md"
    case_file.write_text((DOCS / "case-file.md").read_text(encoding="utf-8"), "utf-8")
    monkeypatch.setattr(generate, "CASE_FILE", case_file)
    assert generate.main(["--check"]) == 1
    assert generate.main([]) == 0
    assert generate.main(["--check"]) == 0


def test_every_command_has_a_section_of_plain_text(generate: ModuleType) -> None:
    text = generate.render()
    assert "\x1b" not in text
    sections = re.findall(r"^## (scoping.*)$", text, flags=re.MULTILINE)
    assert "scoping demo generate" in sections and "scoping run" in sections
    for name in sections:
        words = name.split()[1:]
        assert f"Usage: {' '.join(['scoping', *words])}" in text
    assert {" ".join(("scoping", *c)) for c in COMMANDS} <= set(sections)


def test_lines_keep_to_the_width(generate: ModuleType) -> None:
    for line in generate.render().splitlines():
        if line.startswith(("│", "╭", "╰")):
            assert len(line) == generate.WIDTH, line


def table_keys(generate: ModuleType) -> set[str]:
    """The keys the generated case-file table names."""
    return set(re.findall(r"^\| `([^`]+)` \|", generate.case_file_table(), flags=re.MULTILINE))


def test_the_case_file_reference_is_current(generate: ModuleType) -> None:
    current = (DOCS / "case-file.md").read_text(encoding="utf-8")
    assert generate.BEGIN in current and generate.END in current
    assert current == generate.with_case_file_table(current), (
        "the table of docs/case-file.md is stale: run python docs/generate.py"
    )


def test_check_fails_on_a_stale_case_file_table_and_keeps_the_prose(
    generate: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = (DOCS / "case-file.md").read_text(encoding="utf-8")
    row = "| `case.title` | text |"
    assert row in page
    stale = page.replace(row, "| `case.name` | text |").replace("One TOML file", "One file")
    target = tmp_path / "case-file.md"
    target.write_text(stale, "utf-8")
    monkeypatch.setattr(generate, "CASE_FILE", target)
    monkeypatch.setattr(generate, "TARGET", tmp_path / "commands.md")
    (tmp_path / "commands.md").write_text(generate.render(), "utf-8")
    assert generate.main(["--check"]) == 1
    assert generate.main([]) == 0
    assert generate.main(["--check"]) == 0
    regenerated = target.read_text(encoding="utf-8")
    assert row in regenerated and "`case.name`" not in regenerated
    assert "One file" in regenerated  # the prose around the table is the page's own


def test_a_page_without_its_markers_is_refused(generate: ModuleType) -> None:
    with pytest.raises(ValueError, match="BEGIN GENERATED"):
        generate.with_case_file_table("# The case file\n\nno markers\n")


def example_keys(table: dict[str, object], path: str, maps: dict[str, str]) -> set[str]:
    """The key paths of a parsed case file, a map's entries named as the reference names
    them (`actions."ACTION"`)."""
    found = set()
    for name, value in table.items():
        key = f"{path}.{name}" if path else name
        if path in maps:
            key = f"{path}.{maps[path]}"
        if key not in maps:  # a map is documented by the row of its entries
            found.add(key)
        if isinstance(value, dict):
            found |= example_keys(value, key, maps)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for item in value:
                found |= example_keys(item, f"{key}[N]", maps)
    return found


def test_every_key_of_the_example_case_is_in_the_table(generate: ModuleType) -> None:
    raw = tomllib.loads((ROOT / "examples" / "telecom" / "case.toml").read_text("utf-8"))
    used = example_keys(raw, "", generate.MAP_KEYS)
    assert {"customers.fields.NAME.category", 'recipients.postal_languages."RANGE"'} <= used
    assert used <= table_keys(generate), sorted(used - table_keys(generate))
