"""Benchmark: `scoping run` with a customer history against the same run without, in one run.

    python benchmarks/history.py --customers 1000000 --events 10000000

Generates a synthetic case once under benchmarks/data/ with an earlier version for every
customer (`scoping demo generate --history-share 1`: two history rows per customer, plus a
customer deleted since), then times `scoping run` without recipients, each in its own process
with its peak resident memory, alternately with and without `[customer_history]` (the same
files otherwise), and prints a Markdown table with the median of the repeats and the ratio.
Absolute timings are noisy on shared machines: compare the ratio of one run.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

from bench import measure

HERE = Path(__file__).resolve().parent


def prepare(data: Path, customers: int, events: int) -> tuple[Path, Path, int]:
    """The generated case, and two case files beside it: with history, and without."""
    if not (data / "case.toml").exists():
        from scoping.demo import generate

        generate(data, customers=customers, events=events, history=1.0)
    text = (data / "case.toml").read_text(encoding="utf-8")
    text = text.split("[recipients]", 1)[0]  # the run without recipient lists
    head = text.split("[customer_history]", 1)[0]
    with_history = data / "case-history.toml"
    without = data / "case-no-history.toml"
    with_history.write_text(text, encoding="utf-8")
    without.write_text(head, encoding="utf-8")
    with (data / "customer_history.csv").open(encoding="utf-8") as handle:
        rows = sum(1 for _ in handle) - 1
    return with_history, without, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    data = args.data or HERE / "data" / f"history-{args.customers}-{args.events}"
    if args.prepare_only:
        prepare(data, args.customers, args.events)
        return
    # Generated in a child process, as bench.py does: a child inherits its parent's peak RSS
    # through fork and exec, so this process must stay small for the runs' peaks to be theirs.
    subprocess.run(
        [sys.executable, __file__, "--prepare-only", "--customers", str(args.customers),
         "--events", str(args.events), "--data", str(data)],
        check=True,
    )  # fmt: skip
    with_history, without, rows = prepare(data, args.customers, args.events)
    scoping = [sys.executable, "-m", "scoping", "--no-cache", "run"]
    times: dict[str, list[tuple[float, float]]] = {"without": [], "with": []}
    for _ in range(args.repeat):
        for name, case in (("without", without), ("with", with_history)):
            out = data / f"out-{name}"
            seconds, _cpu, rss = measure([*scoping, str(case), "--out", str(out), "--force"])
            times[name].append((seconds, rss))
    print(
        f"{args.customers:,} customers x {args.events:,} events, {rows:,} history rows;"
        f" {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()};"
        f" median of {args.repeat}"
    )
    print()
    print("| run | seconds | peak RSS (MiB) | ratio |")
    print("| --- | ---: | ---: | ---: |")
    base = statistics.median(t for t, _ in times["without"])
    for name, runs in times.items():
        seconds = statistics.median(t for t, _ in runs)
        peak = max(m for _, m in runs)
        print(f"| {name} history | {seconds:.1f} | {peak:,.0f} | {seconds / base:.2f} |")


if __name__ == "__main__":
    main()
