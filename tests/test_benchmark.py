"""The benchmark script runs end to end (a smoke test on a tiny case: it prints its table;
speed is judged by reading the table, never by a test)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_prints_its_table(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "bench.py"),
            "--customers",
            "300",
            "--events",
            "3000",
            "--workdir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert lines[0] == "| run | seconds | peak RSS (MB) | x baseline |"
    names = [line.split(" | ")[0].lstrip("| ") for line in lines[2:]]
    assert names == [
        "DuckDB hand-written baseline (exposure + counts)",
        "Polars baseline (exposure)",
        "scoping run without recipients",
        "scoping run (everything, with recipients)",
    ]
