"""The corpus of ugly extracts (tests/corpus/, written by make_corpus.py): each case gives
the affected customers and the reconciliation its expected.json states."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from conftest import invoke

CORPUS = Path(__file__).resolve().parent / "corpus"
CASES = sorted(p.parent.name for p in CORPUS.glob("*/case.toml"))
BUCKETS = (
    "used",
    "rejected",
    "out_of_scope_actor",
    "out_of_scope_before_start",
    "out_of_scope_after_end",
    "no_record",
    "out_of_scope_action",
    "unmatched",
    "in_scope",
    "keys_found",
    "keys_not_found",
    "keys_repeated",
)


def test_the_corpus_is_there() -> None:
    assert len(CASES) >= 6


@pytest.mark.parametrize("name", CASES)
def test_corpus_case(name: str, tmp_path: Path) -> None:
    folder = CORPUS / name
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    out = tmp_path / "out"
    result = invoke("run", folder / "case.toml", "--out", out)
    assert result.exit_code == 0, result.stderr
    with (out / "affected_customers.csv").open(encoding="utf-8", newline="") as handle:
        affected = {r["customer_key"]: r["categories"] for r in csv.DictReader(handle)}
    assert affected == expected["affected"]
    with (out / "reconciliation.csv").open(encoding="utf-8", newline="") as handle:
        rows = {r["file"]: r for r in csv.DictReader(handle)}
    assert set(rows) == set(expected["reconciliation"])
    for file, want in expected["reconciliation"].items():
        # One key per row unless stated: keys found = rows in scope, not found = unmatched.
        want = {
            "keys_found": want.get("in_scope", 0),
            "keys_not_found": want.get("unmatched", 0),
            **want,
        }
        got = rows[file]
        assert got["balanced"] == "true", file
        assert int(got["rows_read"]) == want["rows_read"], file
        assert {b: int(got[b]) for b in BUCKETS} == {b: want.get(b, 0) for b in BUCKETS}, file
