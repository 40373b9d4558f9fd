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
EXPOSURE_FILES = (
    "affected_customers.csv",
    "counts.json",
    "reconciliation.csv",
    "rejected_rows.csv",
    "unmatched_events.csv",
)
FILES = (
    *EXPOSURE_FILES,
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
# Every shipped example: its case, golden folder and golden files. The two-system case has no
# recipients: it shows the sources.
EXAMPLES = {
    "telecom": (CASE, GOLDEN, FILES),
    "two-systems": (
        ROOT / "examples" / "two-systems" / "case.toml",
        Path(__file__).resolve().parent / "two-systems",
        EXPOSURE_FILES,
    ),
}


def run_example(out: Path, example: str = "telecom") -> None:
    # With the workbooks too, so that every packaged query runs (they are not golden files:
    # their bytes belong to the spreadsheet writer; tests/test_spreadsheets.py reads them).
    case = EXAMPLES[example][0]
    result = CliRunner().invoke(app, ["--no-cache", "run", str(case), "--out", str(out), "--xlsx"])
    if result.exit_code != 0:
        sys.exit(f"the example run failed: {result.stderr}")


def main() -> None:
    for example, (_, golden, files) in EXAMPLES.items():
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out"
            run_example(out, example)
            shutil.rmtree(golden, ignore_errors=True)
            golden.mkdir(parents=True)
            for name in files:
                shutil.copyfile(out / name, golden / name)


if __name__ == "__main__":
    main()
