"""The shipped example's outputs match the golden files byte for byte
(rewrite them with `python tests/golden/update.py` when the contract changes)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))

import update


@pytest.fixture(scope="module")
def example_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("example") / "out"
    update.run_example(out)
    return out


@pytest.mark.parametrize("name", update.FILES)
def test_example_output_matches_golden(example_run: Path, name: str) -> None:
    assert (example_run / name).read_bytes() == (update.GOLDEN / name).read_bytes(), (
        f"{name} changed; if intended, run python tests/golden/update.py and review the diff"
    )


def test_example_suspect_is_the_largest_actor(example_run: Path) -> None:
    counts = json.loads((example_run / "counts.json").read_text(encoding="utf-8"))
    assert counts["actors"][0]["actor"] == "PRT-0042"
    assert counts["summary"]["affected_customer_records"] > 1000
    manifest = json.loads((example_run / "manifest.json").read_text(encoding="utf-8"))
    assert set(update.FILES) <= {o["file"] for o in manifest["outputs"]}
    from scoping import db, investigate
    from scoping.exposure import CHECK_ONLY

    recorded = {q["name"] for q in manifest["queries"]}
    # The lookups behind `scoping query`'s "not found" notes and the queries only `check` runs
    # are the only ones a run skips.
    skipped = {lookup for lookup, _ in investigate.LOOKUPS.values()} | set(CHECK_ONLY)
    assert recorded.isdisjoint(skipped)
    assert recorded | skipped == set(db.catalogue()), "every packaged query is used and recorded"


def test_on_the_example_the_suspect_ranks_first() -> None:
    from conftest import invoke

    result = invoke("--no-cache", "query", "actor_ranking", "--case", update.CASE, "-f", "json")
    assert result.exit_code == 0, result.stderr
    ranking = json.loads(result.stdout)
    assert ranking[0]["actor"] == "PRT-0042"
    scores = [r["outlier_score"] for r in ranking if r["outlier_score"] is not None]
    assert ranking[0]["outlier_score"] == max(scores) > 3.5
