"""README.md is the front page: short, its quick start the commands CI runs and the example
case answers, its worked example's numbers those of the example's golden outputs, and every
page of docs/ reachable from it."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from conftest import invoke
from doc_pages import DOCS, ROOT, page, part

README = page("README")
QUICK_START = part(README, "## Quick start")
COUNTS = json.loads((ROOT / "tests" / "golden" / "telecom" / "counts.json").read_text("utf-8"))


def shell_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"^```sh\n(.*?)^```", text, re.MULTILINE | re.DOTALL)]


def test_readme_is_a_front_page() -> None:
    assert len(README.splitlines()) <= 200


def test_every_page_of_docs_is_linked_from_the_readme() -> None:
    linked = set(re.findall(r"\]\(docs/([a-z-]+\.md)(?:#[a-z-]+)?\)", README))
    assert linked == {p.name for p in DOCS.glob("*.md")}


def test_quick_start_is_the_two_commands() -> None:
    install_and_run, install_and_test = shell_blocks(QUICK_START)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert install_and_test in ci.splitlines()
    assert install_and_run.startswith("python -m pip install . && scoping run ")


def test_quick_start_runs_the_example(tmp_path: Path) -> None:
    install_and_run = shell_blocks(QUICK_START)[0]
    args = shlex.split(install_and_run.split(" && ")[1])[1:]
    args[args.index("--out") + 1] = str(tmp_path / "out")
    args[1] = str(ROOT / args[1])
    result = invoke("--cache-dir", str(tmp_path / "cache"), *args)  # never beside the example
    assert result.exit_code == 0, result.stderr
    written = json.loads((tmp_path / "out" / "counts.json").read_text(encoding="utf-8"))
    assert written == COUNTS


def test_the_worked_example_gives_the_example_s_numbers() -> None:
    summary, recipients = COUNTS["summary"], COUNTS["recipients"]
    example = part(README, "## A worked example: from extracts to the notification team's files")
    channels = recipients["per_channel"]
    for figure in (
        f"{summary['affected_customer_records']:,} customer records affected",
        f"{summary['events_in_scope']:,} events in scope",
        f"{summary['events_read']:,} log rows",
        f"the {summary['keys_unmatched']} keys",
        f"{recipients['affected_persons']:,} people ({recipients['merged_persons']} of them",
        f"{channels['email']:,} emails, {channels['sms']} text messages, {channels['letter']} letters",
    ):
        assert figure in example, figure
    assert recipients["no_contact"] == 0 and "no_contact" not in channels
