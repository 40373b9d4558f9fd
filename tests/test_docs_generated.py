"""docs/commands.md is what `python docs/generate.py` writes from the commands' `--help`:
a command, option or docstring changed without regenerating the page fails here."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
from doc_pages import DOCS
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
