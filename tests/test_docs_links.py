"""Every relative link in README.md and docs/ reaches an existing file, and its anchor a
heading of that file: pages moved or headings renamed must not leave dead links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from doc_pages import ROOT, anchors, pages, prose

LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)\)")


def relative_links() -> list[tuple[Path, str]]:
    found = []
    for path, text in pages().items():
        for target in LINK.findall(prose(text)):
            if not re.match(r"[a-z]+:", target):
                found.append((path, target))
    return found


def test_links_are_found() -> None:
    targets = {t for _, t in relative_links()}
    assert "docs/exposure.md#keys" in targets  # README links into docs/
    assert "#keys" in targets  # pages link within themselves


@pytest.mark.parametrize(
    ("path", "target"), relative_links(), ids=lambda v: v.name if isinstance(v, Path) else v
)
def test_relative_link_resolves(path: Path, target: str) -> None:
    file, _, anchor = target.partition("#")
    dest = (path.parent / file).resolve() if file else path
    assert dest.exists(), f"{path.relative_to(ROOT)}: {target}: no such file"
    if anchor:
        assert dest.suffix == ".md", f"{path.relative_to(ROOT)}: {target}: anchor in a non-page"
        headings = anchors(dest.read_text(encoding="utf-8"))
        assert anchor in headings, f"{path.relative_to(ROOT)}: {target}: no such heading"


def test_the_anchor_rule_is_githubs() -> None:
    text = "# The `[recipients]` section\n## Keys\n```\n# not a heading\n```\n## Keys\n"
    assert anchors(text) == {"the-recipients-section", "keys", "keys-1"}
