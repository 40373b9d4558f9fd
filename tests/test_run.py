"""`scoping run` end to end on the tiny case, whose answer is worked out by hand."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from conftest import invoke, write_case

from scoping import db
from scoping.errors import ExitCode, QueryError


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_run_writes_the_exposure_worked_out_by_hand(tiny_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("run", tiny_case, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""  # stdout is data; the run's tables go to stderr
    assert "affected customer records" in result.stderr
    rows = read_csv(out / "affected_customers.csv")
    # C1: search at local midnight on the start day (included): no email shown by a search.
    # C2: detail, no email on file. C3: key with spaces, blank email and postal code.
    # C4: consulted by another actor, by an unmapped action, before the start and at the end.
    # C9: not in the customer table.
    assert rows == [
        {
            "customer_key": "C1",
            "first_name": "true",
            "last_name": "true",
            "email": "false",
            "postal_code": "true",
            "categories": "name|address",
            "first_exposure_utc": "2026-08-31T22:00:00Z",
            "last_exposure_utc": "2026-08-31T22:00:00Z",
            "events": "1",
            "actors": "1",
        },
        {
            "customer_key": "C2",
            "first_name": "true",
            "last_name": "true",
            "email": "false",
            "postal_code": "true",
            "categories": "name|address",
            "first_exposure_utc": "2026-09-02T10:00:00Z",
            "last_exposure_utc": "2026-09-02T10:00:00Z",
            "events": "1",
            "actors": "1",
        },
        {
            "customer_key": "C3",
            "first_name": "true",
            "last_name": "true",
            "email": "false",
            "postal_code": "false",
            "categories": "name",
            "first_exposure_utc": "2026-09-02T10:00:00.500000Z",
            "last_exposure_utc": "2026-09-02T10:00:00.500000Z",
            "events": "1",
            "actors": "1",
        },
    ]


def test_counts_reconcile_and_name_each_bucket(tiny_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("run", tiny_case, "--out", out).exit_code == 0
    counts = json.loads((out / "counts.json").read_text(encoding="utf-8"))
    summary = counts["summary"]
    assert summary["customer_records"] == 4
    assert summary["events_read"] == 8
    assert summary["events_in_scope"] == 3
    assert summary["events_unmatched"] == 1
    assert summary["affected_customer_records"] == 3
    by_status = {r["status"]: r["events"] for r in counts["status"]}
    assert by_status == {
        "in_scope": 3,
        "unmatched": 1,
        "out_of_scope_actor": 1,
        "out_of_scope_action": 1,
        "out_of_scope_before_start": 1,
        "out_of_scope_after_end": 1,
    }
    assert sum(by_status.values()) == summary["events_read"]
    assert {r["file"] for r in counts["status"]} == {"logs/a.csv"}
    assert counts["fields"] == [
        {"field": "first_name", "category": "name", "customers": 3},
        {"field": "last_name", "category": "name", "customers": 3},
        {"field": "email", "category": "email", "customers": 0},
        {"field": "postal_code", "category": "address", "customers": 2},
    ]
    assert counts["categories"] == [
        {"category": "name", "customers": 3},
        {"category": "email", "customers": 0},
        {"category": "address", "customers": 2},
    ]
    assert counts["combinations"] == [
        {"categories": "name|address", "customers": 2},
        {"categories": "name", "customers": 1},
    ]
    assert counts["actors"] == [{"actor": "PRT-0042", "events": 3, "customers": 3}]
    assert counts["days"] == [
        {"day": "2026-09-01", "events": 1, "customers": 1},
        {"day": "2026-09-02", "events": 2, "customers": 2},
    ]


def test_manifest_names_inputs_queries_and_parameters(tiny_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("run", tiny_case, "--out", out).exit_code == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    inputs = {i["path"]: i for i in manifest["inputs"]}
    assert set(inputs) == {"customers.csv", "logs/a.csv"}
    assert inputs["customers.csv"]["rows_read"] == 4 and inputs["logs/a.csv"]["rows_read"] == 8
    assert inputs["logs/a.csv"]["read_as"]["encoding"] == "utf-8"
    assert inputs["logs/a.csv"]["read_as"]["delimiter"] == ","
    assert all(len(i["sha256"]) == 64 and i["size"] > 0 for i in inputs.values())
    names = {q["name"] for q in manifest["queries"]}
    from scoping import db

    assert {"affected_customers", "events_in_scope", "count_fields", "reconciliation"} <= names
    assert names <= set(db.catalogue())
    # Only what ran: no second wave, no actor without events, no `check`, no workbook here.
    for skipped in (
        "load_previous_recipients",
        "actor_suggestions",
        "actors_with_events_elsewhere",
        "actors_without_events_report",
        "log_names_actors",
        "field_profile",
        "macro_xlsx_text",
        "known_customer",
    ):
        assert skipped not in names
    # Each once, with its file and that file's hash.
    assert len(names) == len(manifest["queries"])
    for q in manifest["queries"]:
        assert q == {
            "name": q["name"],
            "file": f"queries/{q['name']}.sql",
            "sha256": hashlib.sha256(
                (db.queries_dir() / f"{q['name']}.sql").read_bytes()
            ).hexdigest(),
        }
    assert manifest["parameters"]["scope"]["start_utc"] == "2026-08-31T22:00:00Z"
    assert manifest["parameters"]["scope"]["end_utc"] == "2026-11-14T23:00:00Z"
    import importlib.metadata

    import duckdb

    assert manifest["engine"]["duckdb"] == duckdb.__version__
    for package in ("polars", "phonenumbers", "email-validator"):
        assert manifest["engine"][package] == importlib.metadata.version(package)
    outputs = {o["file"]: o for o in manifest["outputs"]}
    assert outputs["affected_customers.csv"]["rows"] == 3
    # Hashed on a background thread, and still the hash of each file's bytes.
    for name, entry in inputs.items():
        assert entry["sha256"] == hashlib.sha256((tiny_case.parent / name).read_bytes()).hexdigest()
    assert set(outputs) == {p.name for p in out.iterdir()} - {"manifest.json"}
    for name, entry in outputs.items():
        assert entry["sha256"] == hashlib.sha256((out / name).read_bytes()).hexdigest(), name


def test_same_inputs_give_byte_identical_outputs(tiny_case: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    assert invoke("run", tiny_case, "--out", first).exit_code == 0
    assert invoke("run", tiny_case, "--out", second).exit_code == 0
    for name in ("affected_customers.csv", "counts.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def test_outputs_are_private_to_their_owner(tiny_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("run", tiny_case, "--out", out).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_existing_output_is_kept_unless_forced(tiny_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("run", tiny_case, "--out", out).exit_code == 0
    (out / "affected_customers.csv").write_text("earlier run", encoding="utf-8")
    result = invoke("run", tiny_case, "--out", out)
    assert result.exit_code != 0
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert (out / "affected_customers.csv").read_text(encoding="utf-8") == "earlier run"
    assert invoke("run", tiny_case, "--out", out, "--force").exit_code == 0
    assert (out / "affected_customers.csv").read_text(encoding="utf-8") != "earlier run"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case", "out"]  # nothing left


def test_force_replaces_only_the_files_an_earlier_run_wrote(
    tiny_case: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert invoke("run", tiny_case, "--out", out).exit_code == 0
    written = snapshot_names(out)
    (out / "keep.txt").write_text("the investigator's notes", encoding="utf-8")
    (out / "drafts").mkdir()
    result = invoke("run", tiny_case, "--out", out, "--force")
    assert result.exit_code == int(ExitCode.OUTPUT), result.stderr
    assert "did not write" in result.stderr and "drafts, keep.txt" in result.stderr
    assert (out / "keep.txt").read_text(encoding="utf-8") == "the investigator's notes"
    assert snapshot_names(out) == sorted([*written, "drafts", "keep.txt"])
    # A file a run writes, but a folder here, is not the earlier run's either.
    (out / "keep.txt").unlink()
    (out / "drafts").rmdir()
    (out / "counts.json").unlink()
    (out / "counts.json").mkdir()
    result = invoke("run", tiny_case, "--out", out, "--force")
    assert result.exit_code == int(ExitCode.OUTPUT) and "counts.json" in result.stderr


def snapshot_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_force_replaces_only_an_earlier_output_folder(tiny_case: Path, tmp_path: Path) -> None:
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "notes.txt").write_text("mine", encoding="utf-8")
    (documents / "manifest.json").write_text('{"name": "another tool"}', encoding="utf-8")
    result = invoke("run", tiny_case, "--out", documents, "--force")
    assert result.exit_code == int(ExitCode.OUTPUT), result.stderr
    assert "not an earlier run's outputs" in result.stderr
    assert (documents / "notes.txt").read_text(encoding="utf-8") == "mine"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert invoke("run", tiny_case, "--out", empty, "--force").exit_code == 0


def test_nobody_affected_gives_a_header_only_file(tmp_path: Path) -> None:
    from conftest import CASE

    allowed = CASE.replace("[scope]\n", "[scope]\nallow_actors_without_events = true\n")
    case = write_case(tmp_path / "c", case=allowed.replace('"PRT-0042"]', '"NOBODY"]'))
    out = tmp_path / "out"
    assert invoke("run", case, "--out", out).exit_code == 0
    lines = (out / "affected_customers.csv").read_text(encoding="utf-8").splitlines()
    assert lines == [
        "customer_key,first_name,last_name,email,postal_code,categories,"
        "first_exposure_utc,last_exposure_utc,events,actors"
    ]


def test_missing_parent_folders_are_created_private(tiny_case: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    out = shared / "new" / "deeper" / "out"
    assert invoke("run", tiny_case, "--out", out).exit_code == 0
    assert (out / "affected_customers.csv").exists()
    for created in (shared / "new", shared / "new" / "deeper"):
        assert stat.S_IMODE(created.stat().st_mode) == 0o700, created
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755  # not created here: left as it was


def test_engine_resources_from_the_case_are_used_and_recorded(tmp_path: Path) -> None:
    from conftest import CASE

    root = tmp_path / "c"
    (root / "spill").mkdir(parents=True)
    case = write_case(
        root,
        case=CASE + '\n[engine]\nmemory_limit = "1GB"\nthreads = 1\ntemp_dir = "spill"\n',
    )
    out = tmp_path / "out"
    assert invoke("run", case, "--out", out).exit_code == 0
    engine = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["parameters"][
        "engine_settings"
    ]
    assert engine["memory_limit"] == "1GB" and engine["threads"] == 1
    assert str(engine["effective_threads"]) == "1"
    # DuckDB spills into a private folder of the run's inside the folder asked for.
    spill = Path(engine["effective_temp_directory"])
    assert spill.parent.parent == root / "spill" and spill.parent.name.startswith("scoping-work-")
    # The command line wins over the case.
    out2 = tmp_path / "out2"
    assert invoke("run", case, "--out", out2, "--threads", "2").exit_code == 0
    engine2 = json.loads((out2 / "manifest.json").read_text(encoding="utf-8"))["parameters"][
        "engine_settings"
    ]
    assert engine2["threads"] == 2
    assert str(engine2["effective_threads"]) == str(min(2, os.cpu_count() or 1))


def test_threads_beyond_the_machines_cpus_are_capped_and_recorded(
    tiny_case: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert invoke("run", tiny_case, "--out", out, "--threads", "100000").exit_code == 0
    engine = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["parameters"][
        "engine_settings"
    ]
    assert engine["threads"] == 100000
    assert str(engine["effective_threads"]) == str(os.cpu_count() or 1)


def test_duckdb_spills_into_a_private_folder_by_default(tiny_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("run", tiny_case, "--out", out).exit_code == 0
    engine = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["parameters"][
        "engine_settings"
    ]
    assert "scoping-work-" in engine["effective_temp_directory"]


def test_a_temp_dir_that_does_not_exist_is_refused_before_the_run(
    tiny_case: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder"
    result = invoke("run", tiny_case, "--out", tmp_path / "out", "--temp-dir", missing)
    assert result.exit_code == 2
    assert "--temp-dir" in result.stderr and "does not exist" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "out").exists()


def test_a_memory_limit_that_is_no_amount_of_memory_is_refused(
    tiny_case: Path, tmp_path: Path
) -> None:
    for value in ("garbage", "0", "-5GB", "2 KB"):
        result = invoke("run", tiny_case, "--out", tmp_path / "out", "--memory-limit", value)
        assert result.exit_code == 2, value
        assert "--memory-limit" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
    root = tmp_path / "c"
    from conftest import CASE

    case = write_case(root, case=CASE + '\n[engine]\nmemory_limit = "lots"\n')
    result = invoke("run", case, "--out", tmp_path / "out")
    assert result.exit_code != 0 and "engine.memory_limit" in result.stderr
    assert "Unexpected" not in result.stderr


def test_a_memory_limit_beyond_what_duckdb_can_hold_is_a_usage_error(
    tiny_case: Path, tmp_path: Path
) -> None:
    # DuckDB keeps the limit as a 64-bit byte count: it took this one and failed only once the
    # run had started, as an unexpected error.
    for value in ("99999999999999999999GB", "10000000TB"):
        result = invoke("run", tiny_case, "--out", tmp_path / "out", "--memory-limit", value)
        assert result.exit_code == 2, value
        assert "--memory-limit" in result.stderr and "more memory" in result.stderr
        assert "Unexpected" not in result.stderr
    assert not (tmp_path / "out").exists()
    assert db.memory_limit_problem("9000000TB") is None  # 9 EB: the largest DuckDB takes


def test_the_engine_boundary_records_the_packaged_queries_that_ran() -> None:
    """Each connection keeps its own record: each query once, in the order it first ran;
    a query that failed did not run."""
    con, other = db.connect(), db.connect()
    try:
        db.run(con, "macro_clean_text")
        db.run(con, "macro_has_text")
        db.run(con, "macro_clean_text")
        assert db.ran(con) == ["macro_clean_text", "macro_has_text"]
        assert db.ran(other) == []
        with pytest.raises(QueryError):
            db.run(con, "customers")  # its inputs are not staged
        assert "customers" not in db.ran(con)
    finally:
        con.close()
        other.close()
