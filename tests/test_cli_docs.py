"""Every command has help with an example, and the documentation (README.md and docs/)
describes it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer
from conftest import invoke
from doc_pages import page, pages, part

from scoping.cli import app

# The pages written by hand: the generated command reference names every command anyway.
WRITTEN = "\n".join(pages(generated=False).values())


def commands(group: typer.Typer, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [(*prefix, c.name or c.callback.__name__) for c in group.registered_commands]
    for sub in group.registered_groups:
        found += commands(sub.typer_instance, (*prefix, sub.name))
    return found


COMMANDS = commands(app)


def test_the_commands_are_found() -> None:
    assert {("run",), ("check",), ("demo", "generate")} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_command_has_help_with_an_example(command: tuple[str, ...]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"scoping {' '.join(command)}" in result.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_command_is_in_the_docs(command: tuple[str, ...]) -> None:
    assert f"scoping {' '.join(command)}" in WRITTEN


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_command_is_in_the_command_reference(command: tuple[str, ...]) -> None:
    assert f"\n## scoping {' '.join(command)}\n" in page("commands")


def test_no_arguments_shows_help() -> None:
    result = invoke()
    assert "run" in result.stdout and "check" in result.stdout


def test_the_docs_list_exactly_the_tables_a_session_offers() -> None:
    from scoping import investigate

    text = page("investigating")
    start = text.index("**Tables and views**")
    paragraph = text[start : text.index("Masks are", start)]
    listed = set(re.findall(r"`([a-z_]+)`", paragraph)) - {
        "available_mask",
        "reject_reason",
        "mask",
        "refs",
    }
    assert listed == {*investigate.VIEWS, *investigate.RECIPIENT_VIEWS}


def test_the_case_file_page_lists_the_names_a_field_may_not_take() -> None:
    from scoping.case import RESERVED_NAMES

    text = page("case-file")
    start = text.index("| `customers.fields.NAME` |")
    row = text[start : text.index("\n", start)]
    assert set(re.findall(r"`([a-z_]+)`", row)) >= RESERVED_NAMES


def test_every_count_of_counts_json_is_documented_in_one_table() -> None:
    golden = Path(__file__).resolve().parent / "golden" / "telecom" / "counts.json"
    counts = json.loads(golden.read_text(encoding="utf-8"))
    table = part(page("outputs"), "## Counts")
    documented = set()
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 3:
            section = cells[0].strip("`")
            documented |= {(section, n) for n in re.findall(r"`([a-z_]+)`", cells[1])}
    expected = set()
    for section, value in counts.items():
        if section == "case":
            continue
        if isinstance(value, dict):
            expected |= {(section, name) for name in value}
        else:
            expected |= {(section, k) for row in value for k, v in row.items() if type(v) is int}
    assert expected <= documented, sorted(expected - documented)
    assert documented <= expected, sorted(documented - expected)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_keeps_bracketed_words(command: tuple[str, ...]) -> None:
    # Rich draws the help and reads `[recipients]` as markup unless it is escaped.
    click_command = typer.main.get_command(app)
    for name in command:
        click_command = click_command.commands[name]  # type: ignore[attr-defined]
    texts = [click_command.help or "", *(p.help or "" for p in click_command.params)]  # type: ignore[attr-defined]
    bracketed = {w for t in texts for w in re.findall(r"\[[a-z_]+\]", t.replace("\\[", "["))}
    shown = " ".join(invoke(*command, "--help").stdout.split())
    for word in bracketed:
        assert word in shown, word
