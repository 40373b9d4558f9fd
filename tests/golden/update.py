"""Rewrite the golden outputs of the shipped example: `python tests/golden/update.py`.

The golden files are the output contract: a change in them is a change in what scoping
writes, and is reviewed as such. Never edit them by hand.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from typer.testing import CliRunner

from scoping.cli import app

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "examples" / "telecom" / "case.toml"
GOLDEN = Path(__file__).resolve().parent / "telecom"
# Everything a run writes except the manifest, whose run time and absolute case path vary,
# and report.html, which shows them.
FILES = (
    "affected_customers.csv",
    "counts.json",
    "reconciliation.csv",
    "rejected_rows.csv",
    "unmatched_events.csv",
    "recipients.csv",
    "notify_email.csv",
    "notify_sms.csv",
    "notify_letter.csv",
    "no_contact.csv",
    "messages_email.csv",
    "messages_sms.csv",
    "messages_letter.csv",
    "messages_preview.html",
    "authority_notification.md",
    "authority_notification.json",
)


def run_example(out: Path) -> None:
    # With the workbooks too, so that every packaged query runs (they are not golden files:
    # their bytes belong to the spreadsheet writer; tests/test_spreadsheets.py reads them).
    result = CliRunner().invoke(app, ["--no-cache", "run", str(CASE), "--out", str(out), "--xlsx"])
    if result.exit_code != 0:
        sys.exit(f"the example run failed: {result.stderr}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        run_example(out)
        shutil.rmtree(GOLDEN, ignore_errors=True)
        GOLDEN.mkdir(parents=True)
        for name in FILES:
            shutil.copyfile(out / name, GOLDEN / name)


if __name__ == "__main__":
    main()
