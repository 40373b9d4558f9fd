"""Benchmark: the pass over the events on Spark in local mode against the DuckDB path.

    python benchmarks/spark.py --customers 1000000 --events 10000000

Uses bench.py's synthetic case (generated once under --workdir, as Parquet with typed
timestamps) at its two scope shapes, `narrow` (the partner account and its window) and
`full` (every actor of the log in scope), and times `scoping run` without recipients, cold
(no staging cache), each in its own process:

- on DuckDB (the default engine);
- with `[engine] kind = "spark"`, master `local[N]` (N = --spark-cores), Spark's driver
  memory --spark-memory, shuffle partitions --spark-partitions.

It prints a Markdown table per shape: wall seconds, the peak resident memory of the process
and its children (Spark's JVM is a child: sampled from /proc every 0.2 s), and the seconds
of the steps that hold the pass over the events (`run --profile`: parsing the access log and
computing the exposure), whose difference is the cost of Spark on one machine; and whether
the outputs are byte-identical (every file but the manifest). Absolute timings are noisy on
shared machines: compare the rows of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402

PASS_STEPS = ("parsing the access log", "computing exposure")


def tree_rss(pid: int) -> int:
    """Resident KiB of a process and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(
                int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def measure(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of a child process with its own children."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(child.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = child.communicate()
    done.set()
    sampler.join()
    if child.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{stderr.decode(errors='replace')[-2000:]}")
    return time.perf_counter() - start, peak / 1024


def spark_case(parquet: Path, shape: str, args: argparse.Namespace) -> Path:
    """The shape's case without recipients, with the pass over the events on Spark."""
    text = (parquet / f"case-{shape}-no-recipients.toml").read_text(encoding="utf-8")
    options = {
        "spark.driver.memory": args.spark_memory,
        "spark.sql.shuffle.partitions": str(args.spark_partitions),
        "spark.ui.enabled": "false",
    }
    table = ", ".join(f'"{k}" = "{v}"' for k, v in options.items())
    path = parquet / f"case-{shape}-spark.toml"
    path.write_text(
        f'{text}\n[engine]\nkind = "spark"\nmaster = "local[{args.spark_cores}]"\n'
        f"options = {{ {table} }}\n",
        encoding="utf-8",
    )
    return path


def pass_seconds(out: Path) -> float:
    """The seconds of the steps that hold the pass over the events, from the manifest."""
    steps = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["profile"]
    return float(sum(s["seconds"] for s in steps if s["step"] in PASS_STEPS))


def same_outputs(one: Path, other: Path) -> bool:
    names = sorted(p.name for p in one.iterdir() if p.name != "manifest.json")
    return names == sorted(p.name for p in other.iterdir() if p.name != "manifest.json") and all(
        (one / n).read_bytes() == (other / n).read_bytes() for n in names
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--shape", choices=["narrow", "full", "both"], default="both")
    parser.add_argument("--spark-cores", type=int, default=2)
    parser.add_argument("--spark-memory", default="4g", help="Spark's driver memory")
    parser.add_argument("--spark-partitions", type=int, default=8)
    parser.add_argument("--workdir", type=Path, default=HERE, help="where data and results go")
    args = parser.parse_args()
    data = args.workdir / "data" / f"{args.customers}x{args.events}"
    # Generated by bench.py in a child process, as bench.py does.
    subprocess.run(
        [
            sys.executable,
            str(HERE / "bench.py"),
            "--prepare-only",
            "--customers",
            str(args.customers),
            "--events",
            str(args.events),
            "--workdir",
            str(args.workdir),
        ],
        check=True,
    )
    parquet = data / "parquet"
    work = args.workdir / "results" / f"spark-{args.customers}x{args.events}"
    shutil.rmtree(work, ignore_errors=True)
    (work / "tmp").mkdir(parents=True)
    print(
        f"\n{args.customers:,} customers x {args.events:,} events; "
        f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()};"
        f" Spark local[{args.spark_cores}], driver memory {args.spark_memory},"
        f" {args.spark_partitions} shuffle partitions"
    )
    shapes = ["narrow", "full"] if args.shape == "both" else [args.shape]
    for shape in shapes:
        cases = {
            "DuckDB": parquet / f"case-{shape}-no-recipients.toml",
            "Spark (local mode)": spark_case(parquet, shape, args),
        }
        rows = []
        for engine, case in cases.items():
            out = work / f"{shape}-{engine.split()[0].lower()}"
            command = [sys.executable, "-m", "scoping", "--no-cache", "run", str(case)]
            command += ["--out", str(out), "--force", "--temp-dir", str(work / "tmp")]
            seconds, rss = measure([*command, "--profile"])
            rows.append((engine, seconds, rss, pass_seconds(out), out))
        same = same_outputs(rows[0][4], rows[1][4])
        print(f"\n{shape} scope (outputs byte-identical: {'yes' if same else 'NO'})\n")
        print("| engine | seconds | peak RSS (MiB) | pass over the events (s) | x DuckDB time |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for engine, seconds, rss, in_pass, _ in rows:
            print(
                f"| {engine} | {seconds:.1f} | {rss:,.0f} | {in_pass:.1f}"
                f" | {seconds / rows[0][1]:.2f} |"
            )


if __name__ == "__main__":
    main()
