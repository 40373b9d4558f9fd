"""The project's documentation as the tests read it: README.md and the pages of docs/.

Tests that check a rule is documented read the page that holds it (`page("outputs")`), so a
rule that moves between pages makes them fail instead of passing on some other mention.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
GENERATED = ("commands.md",)


def page(name: str) -> str:
    """The text of README (`"README"`) or of `docs/NAME.md`."""
    path = ROOT / "README.md" if name == "README" else DOCS / f"{name}.md"
    return path.read_text(encoding="utf-8")


def pages(*, generated: bool = True) -> dict[Path, str]:
    """README.md and every docs/*.md (without the generated ones unless asked), by path."""
    found = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    return {p: p.read_text(encoding="utf-8") for p in found if generated or p.name not in GENERATED}


def part(text: str, heading: str) -> str:
    """From `heading` (a whole line) to the next heading of the same or a higher level."""
    start = text.index(f"\n{heading}\n") + 1
    level = len(heading) - len(heading.lstrip("#"))
    pattern = re.compile(rf"^#{{1,{level}}} ", re.MULTILINE)
    end = pattern.search(text, start + len(heading))
    return text[start : end.start() if end else len(text)]


def prose(text: str) -> str:
    """The text outside fenced code blocks, with inline code removed."""
    text = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    return re.sub(r"`[^`\n]*`", "", text)


def anchors(text: str) -> set[str]:
    """The anchors GitHub makes for a page's headings (lower case, punctuation dropped,
    blanks as dashes, `-1`, `-2` ... after repeats)."""
    seen: dict[str, int] = {}
    found = set()
    without_code = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    for heading in re.findall(r"^#{1,6} +(.+?) *#*$", without_code, flags=re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found
