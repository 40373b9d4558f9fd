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


@pytest.fixture(scope="module")
def two_systems_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("two-systems") / "out"
    update.run_example(out, "two-systems")
    return out


@pytest.mark.parametrize("name", update.EXAMPLES["two-systems"][2])
def test_two_system_example_output_matches_golden(two_systems_run: Path, name: str) -> None:
    golden = update.EXAMPLES["two-systems"][1]
    assert (two_systems_run / name).read_bytes() == (golden / name).read_bytes(), (
        f"{name} changed; if intended, run python tests/golden/update.py and review the diff"
    )


def test_example_suspect_is_the_largest_actor(example_run: Path) -> None:
    counts = json.loads((example_run / "counts.json").read_text(encoding="utf-8"))
    assert counts["actors"][0]["actor"] == "PRT-0042"
    assert counts["summary"]["affected_customer_records"] > 1000
    manifest = json.loads((example_run / "manifest.json").read_text(encoding="utf-8"))
    assert set(update.FILES) <= {o["file"] for o in manifest["outputs"]}


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Every packaged query the engine boundary records as run, on any connection."""
    from scoping import db

    names: set[str] = set()
    record = db.record

    def spy(con: object, name: str) -> None:
        names.add(name)
        record(con, name)  # type: ignore[arg-type]

    monkeypatch.setattr(db, "record", spy)
    return names


def test_every_packaged_query_is_used_and_recorded(
    example_run: Path, tmp_path: Path, recorded: set[str]
) -> None:
    """The union of what the example's run records in its manifest, what a second wave and
    a run with an allowed actor without events add, what `check` runs (also when it stops
    on an actor without events), and the investigation lookups is the whole catalogue:
    no packaged query is dead, and none runs without being recorded."""
    from conftest import CASE, invoke, write_case

    from scoping import db, investigate

    def manifest_queries(out: Path) -> set[str]:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        return {q["name"] for q in manifest["queries"]}

    used = manifest_queries(example_run)
    # A second wave reads the first one's list.
    wave = tmp_path / "wave2"
    previous = example_run / "recipients.csv"
    result = invoke("--no-cache", "run", update.CASE, "--out", wave, "--previous", previous)
    assert result.exit_code == 0, result.stderr
    used |= manifest_queries(wave)
    # An actor of the scope without events, allowed: its report and the "did you mean".
    allowed = CASE.replace('actors = ["PRT-0042"]', 'actors = ["PRT-0042", "PRT-42"]').replace(
        "[scope]\n", "[scope]\nallow_actors_without_events = true\n"
    )
    out = tmp_path / "allowed"
    result = invoke("run", write_case(tmp_path / "a", case=allowed), "--out", out)
    assert result.exit_code == 0, result.stderr
    used |= manifest_queries(out)
    # Probabilistic linkage with a reviewers' decisions file: its own steps and files.
    example = update.CASE.parent
    linked = (
        update.CASE.read_text(encoding="utf-8")
        .replace('path = "customers.csv"', f'path = "{(example / "customers.csv").as_posix()}"')
        .replace('path = ["logs/*.csv"]', f'path = ["{(example / "logs").as_posix()}/*.csv"]')
    )
    # ... and the customers' history as a change log, read by its own step.
    history = linked[linked.index("[customer_history]") :].split("\n\n", 1)[0]
    linked = linked.replace(
        history,
        '[customer_history]\nform = "changes"\npath = "changes.csv"\nkey = "customer_id"\n'
        'changed_at = "at"\nfield = "column"\nold_value = "old"\nnew_value = "new"',
    )
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "changes.csv").write_text(
        "customer_id,at,column,old,new\nC0000001,2026-10-01,email,,a@example.invalid\n",
        encoding="utf-8",
    )
    (tmp_path / "p" / "decisions.csv").write_text(
        "key_a,key_b,decision,who,when\nC0000001,C0000002,different,x,y\n", encoding="utf-8"
    )
    linked += '\n[recipients.identity]\nmethod = "probabilistic"\ndecisions = "decisions.csv"\n'
    (tmp_path / "p" / "case.toml").write_text(linked, encoding="utf-8")
    out = tmp_path / "probabilistic"
    result = invoke("--no-cache", "run", tmp_path / "p" / "case.toml", "--out", out)
    assert result.exit_code == 0, result.stderr
    used |= manifest_queries(out)
    # `check` writes no manifest: what it runs is what the engine boundary records.
    recorded.clear()
    assert invoke("--no-cache", "check", update.CASE).exit_code == 0
    refused = CASE.replace('actors = ["PRT-0042"]', 'actors = ["PRT-42"]')
    assert invoke("check", write_case(tmp_path / "r", case=refused)).exit_code != 0
    checked = set(recorded)
    lookups = {lookup for lookup, _ in investigate.LOOKUPS.values()}
    assert {"field_profile", "log_names_actors"} <= checked - used
    # The hotline's look-ups read the example's index.
    from scoping import lookup

    recorded.clear()
    with lookup.opened(example_run) as hotline:
        hotline.search(lookup.Search(key="C0000001"))
    searched = set(recorded)
    assert {"lookup_input", "lookup_search"} <= searched - used
    everything = used | checked | lookups | searched
    assert everything == set(db.catalogue()), "every packaged query is used"


def test_on_the_example_the_suspect_ranks_first() -> None:
    from conftest import invoke

    result = invoke("--no-cache", "query", "actor_ranking", "--case", update.CASE, "-f", "json")
    assert result.exit_code == 0, result.stderr
    ranking = json.loads(result.stdout)
    assert ranking[0]["actor"] == "PRT-0042"
    scores = [r["outlier_score"] for r in ranking if r["outlier_score"] is not None]
    assert ranking[0]["outlier_score"] == max(scores) > 3.5
