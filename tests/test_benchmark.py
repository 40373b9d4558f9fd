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
        if line.endswith(" scope"):
            current = line.split()[0]
            shapes[current] = []
        elif line.startswith("| ") and not line.startswith(("| run ", "| ---")):
            shapes[current].append(line.strip("| ").split(" | "))
    return shapes


def test_benchmark_prints_both_shapes_against_the_full_deliverable_baseline(
    tmp_path: Path,
) -> None:
    lines = bench(tmp_path)
    assert "| run | seconds | peak RSS (MiB) | x baseline time | x baseline RSS |" in lines
    found = tables(lines)
    assert list(found) == ["narrow", "full"]
    common = [
        "scoping run without recipients, cold",
        "scoping run without recipients, warm",
        "scoping sql on the warm cache (first answer)",
        "scoping run with recipients, cold",
    ]
    anchor = "hand-written full-deliverable baseline (DuckDB)"
    assert [r[0] for r in found["narrow"]] == [anchor, "Polars baseline (exposure only)", *common]
    assert [r[0] for r in found["full"]] == [anchor, *common]
    for rows in found.values():
        assert rows[0][3:5] == ["1.00", "1.00"]


def test_the_full_shape_puts_every_actor_in_scope(tmp_path: Path) -> None:
    bench(tmp_path, "--shape", "full", "--skip-polars", "--skip-recipients")
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
        assert abs(float(row[5]) - float(row[2].replace(",", "")) / 1024) < 0.006
