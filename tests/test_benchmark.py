"""The benchmark script runs end to end (a smoke test on a tiny case: it prints its table;
speed is judged by reading the table, never by a test)."""

from __future__ import annotations

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
    return [line for line in done.stdout.splitlines() if line.startswith("| ")]


def test_benchmark_prints_its_table(tmp_path: Path) -> None:
    lines = bench(tmp_path)
    assert lines[0] == "| run | seconds | peak RSS (MiB) | x baseline |"
    names = [line.split(" | ")[0].lstrip("| ") for line in lines[2:]]
    assert names == [
        "DuckDB hand-written baseline (exposure + counts)",
        "DuckDB hand-written baseline, every row also put in a bucket",
        "Polars baseline (exposure)",
        "scoping run without recipients",
        "scoping run (everything, with recipients)",
    ]


def test_benchmark_under_a_memory_limit_shows_peak_against_limit(tmp_path: Path) -> None:
    lines = bench(tmp_path, "--memory-limit", "1GiB", "--skip-polars", "--skip-recipients")
    assert lines[0] == "| run | seconds | peak RSS (MiB) | x baseline | peak / limit |"
    rows = [line.strip("| ").split(" | ") for line in lines[2:]]
    assert [r[0] for r in rows] == [
        "DuckDB hand-written baseline (exposure + counts)",
        "DuckDB hand-written baseline, every row also put in a bucket",
        "scoping run without recipients",
    ]
    for row in rows:  # the last column is the peak RSS over 1,024 MiB
        assert abs(float(row[4]) - float(row[2].replace(",", "")) / 1024) < 0.006
