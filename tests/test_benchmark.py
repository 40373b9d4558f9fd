"""The benchmark script runs end to end (a smoke test on a tiny case: it prints its table;
speed is judged by reading the table, never by a test)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench(workdir: Path, *options: str) -> list[str]:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench.py"),
            "--customers",
            "300",
            "--events",
            "3000",
            "--workdir",
            str(workdir),
            *options,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return done.stdout.splitlines()


def tables(lines: list[str]) -> dict[str, list[list[str]]]:
    """The benchmark's tables by scope shape, each as its rows' cells (header rows left out)."""
    shapes: dict[str, list[list[str]]] = {}
    current = ""
    for line in lines:
        if line.startswith(("narrow scope (", "full scope (")):
            current = line.split()[0]
            shapes[current] = []
        elif line.startswith(("narrow scope,", "full scope,")):
            current = ""  # the per-step profile that follows a shape's table
        elif current and line.startswith("| ") and not line.startswith(("| run ", "| ---")):
            shapes[current].append(line.strip("| ").split(" | "))
    return shapes


def test_benchmark_prints_both_shapes_against_the_full_deliverable_baseline(
    tmp_path: Path,
) -> None:
    lines = bench(tmp_path)
    assert (
        "| run | seconds | CPU seconds | peak RSS (MiB) | x baseline time | x baseline CPU"
        " | x baseline RSS |"
    ) in lines
    found = tables(lines)
    assert list(found) == ["narrow", "full"]
    common = [
        "scoping run without recipients, cold",
        "scoping run without recipients, warm",
        "scoping sql on the warm cache (first answer)",
        "scoping run with recipients, cold",
        "scoping run with recipients, statement, messages and report, cold",
    ]
    anchor = "hand-written full-deliverable baseline (DuckDB)"
    assert [r[0] for r in found["narrow"]] == [anchor, "Polars baseline (exposure only)", *common]
    assert [r[0] for r in found["full"]] == [anchor, *common]
    for rows in found.values():
        assert rows[0][4:7] == ["1.00", "1.00", "1.00"]
    # The per-step profile of the cold runs follows each shape's table.
    profile = lines.index("full scope, scoping run cold, per step (seconds / peak RSS MiB)")
    assert lines[profile + 2] == (
        "| step | without recipients | with recipients | with everything |"
    )
    steps = [line.split(" | ")[0].strip("| ") for line in lines[profile + 4 :] if line]
    assert "computing exposure" in steps and "building recipients" in steps
    assert steps[-1] == "total"
    work = tmp_path / "results" / "300x3000"
    lists = (work / "full-lists").iterdir()
    assert "recipients.csv" in {p.name for p in lists}
    assert not (work / "full-lists" / "report.html").exists()
    assert (work / "full-full" / "report.html").exists()


def test_the_full_shape_puts_every_actor_in_scope(tmp_path: Path) -> None:
    lines = bench(
        tmp_path, "--shape", "full", "--skip-polars", "--skip-recipients", "--repeat", "2"
    )
    assert "full scope (median of 2 rounds)" in lines
    work = tmp_path / "results" / "300x3000"
    with (work / "full-cold" / "reconciliation.csv").open(encoding="utf-8") as handle:
        logs = [row for row in csv.DictReader(handle) if row["role"] == "access_log"]
    assert logs
    assert all(row["out_of_scope_actor"] == "0" for row in logs)
    assert all(row["out_of_scope_before_start"] == "0" for row in logs)
    assert sum(int(row["in_scope"]) for row in logs) > 0
    baseline = (work / "reconciliation.csv").read_text(encoding="utf-8")
    assert "out_of_scope" not in baseline
    assert ",in_scope," in baseline


def test_benchmark_under_a_memory_limit_shows_peak_against_limit(tmp_path: Path) -> None:
    lines = bench(
        tmp_path,
        "--memory-limit",
        "1GiB",
        "--skip-polars",
        "--skip-recipients",
        "--shape",
        "narrow",
    )
    rows = tables(lines)["narrow"]
    assert [r[0] for r in rows] == [
        "hand-written full-deliverable baseline (DuckDB)",
        "scoping run without recipients, cold",
        "scoping run without recipients, warm",
        "scoping sql on the warm cache (first answer)",
    ]
    for row in rows:  # the last column is the peak RSS over 1,024 MiB
        assert abs(float(row[7]) - float(row[3].replace(",", "")) / 1024) < 0.006


def test_the_baseline_finds_the_affected_customers_scoping_finds(tmp_path: Path) -> None:
    """The anchor is fair only if it delivers the same answer: the same customers, fields,
    first and last exposure, events and actors, at both shapes."""
    bench(tmp_path, "--skip-polars", "--skip-recipients")
    work = tmp_path / "results" / "300x3000"
    compared = ["first_exposure_utc", "last_exposure_utc", "events", "actors"]
    for shape in ("narrow", "full"):
        # The baseline writes into the results folder, each shape over the last one: run the
        # shape's baseline again to read its own files.
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "baseline_full.py"),
                str(tmp_path / "data" / "300x3000" / "parquet"),
                str(work),
                "-",
                shape,
            ],
            check=True,
            timeout=300,
        )
        with (work / "affected_customers.csv").open(encoding="utf-8") as handle:
            baseline = list(csv.DictReader(handle))
        with (work / f"{shape}-cold" / "affected_customers.csv").open(encoding="utf-8") as handle:
            scoping = list(csv.DictReader(handle))
        assert baseline, shape
        fields = [c for c in scoping[0] if c not in ("customer_key", "categories", *compared)]
        assert [r["customer_key"] for r in baseline] == [r["customer_key"] for r in scoping]
        for mine, theirs in zip(baseline, scoping, strict=True):
            assert [mine[c] for c in (*fields, *compared)] == [
                theirs[c] for c in (*fields, *compared)
            ], shape
