"""Benchmark: `scoping run` against a hand-written full-deliverable baseline, in one run.

    python benchmarks/bench.py --customers 1000000 --events 10000000

Generates a synthetic case (scoping demo generate) once under benchmarks/data/, converts it
to Parquet, then times, each in its own process with its peak resident memory, at two scope
shapes: `narrow` (the demo's partner account and window) and `full` (every actor of the log
in scope, the whole period: a compromised integration account):

- `baseline_full.py`: what an expert writes by hand in DuckDB for the same deliverables
  (every row in a bucket, affected customers, counts per field, category, combination, actor
  and day, the unmatched list, the CSV files), with no check beyond the rule: the anchor;
- `scoping run` without the [recipients] section, cold (no staging cache) and warm (cache
  filled by an earlier run, which kept the staged inputs and the computed tables), each with
  `--profile`, whose per-step seconds and peak memory are printed after the table;
- `scoping run` with recipients (the lists and the look-up index), cold, and with everything
  the demo case declares (also the statement, the messages and the report), cold;
- `scoping sql` on a warm cache after the run (how long until an investigator's first answer:
  it reads back the computed tables the runs kept);
- optionally a straightforward Polars baseline of the exposure alone.

It prints a Markdown table per shape with wall seconds, CPU seconds (user + system), peak
RSS and the ratios to the baseline. Absolute timings are noisy on shared machines: compare the
ratios of one run, and with `--repeat N` the medians of N rounds that run every command in turn.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

POLARS_BASELINE = """
import sys, datetime as dt, polars as pl
data, out = sys.argv[1], sys.argv[2]
fields = ["first_name", "last_name", "street", "house_number", "postal_code", "city", "email",
          "date_of_birth", "fixed_phone", "mobile_phone"]
masks = {"customer.search": 1 | 2 | 16 | 32, "customer.detail": 1023,
         "customer.contact": 1 | 2 | 64 | 256 | 512, "report.export": 127, "billing.view": 0}
customers = pl.scan_parquet(f"{data}/customers.parquet").select(
    "customer_id",
    pl.sum_horizontal([
        pl.when(pl.col(f).str.strip_chars().str.len_chars() > 0).then(1 << i).otherwise(0)
        for i, f in enumerate(fields)
    ]).alias("avail"),
)
start = dt.datetime(2026, 8, 31, 22, tzinfo=dt.timezone.utc)
end = dt.datetime(2026, 11, 14, 23, tzinfo=dt.timezone.utc)
events = (
    pl.scan_parquet(f"{data}/logs.parquet")
    .filter((pl.col("user_id") == "PRT-0042") & (pl.col("event_time") >= start)
            & (pl.col("event_time") < end))
    .with_columns(pl.col("screen").replace_strict(masks, default=None).alias("mask"))
    .drop_nulls("mask")
)
affected = (
    events.join(customers, on="customer_id")
    .with_columns((pl.col("mask") & pl.col("avail")).alias("exposed"))
    .filter(pl.col("exposed") != 0)
    .group_by("customer_id")
    .agg(pl.col("exposed").bitwise_or(), pl.col("event_time").min().alias("first"),
         pl.col("event_time").max().alias("last"), pl.len().alias("events"),
         pl.col("user_id").n_unique().alias("actors"))
    .sort("customer_id")
    .collect()
)
affected.write_csv(f"{out}/affected.csv")
"""


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MiB) of one child process.

    CPU seconds move less than wall seconds when the machine is shared: a ratio of CPU
    seconds says how much work each side did, a ratio of wall seconds how long one waited."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = child.stderr.read().decode(errors="replace") if child.stderr else ""
    if status != 0:
        sys.exit(f"failed: {' '.join(command)}\n{stderr[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def prepare(data: Path, customers: int, events: int) -> Path:
    """Generate once, then Parquet copies and two case files (with and without recipients)."""
    if not (data / "case.toml").exists():
        from scoping.demo import generate

        generate(data, customers=customers, events=events, history=0)
    parquet = data / "parquet"
    if not (parquet / "logs.parquet").exists():
        import duckdb

        parquet.mkdir(exist_ok=True)
        con = duckdb.connect()
        con.execute("SET TimeZone = 'UTC'")
        con.execute(
            "COPY (SELECT * FROM read_csv($p, all_varchar = true)) TO $o (FORMAT parquet)",
            {"p": str(data / "customers.csv"), "o": str(parquet / "customers.parquet")},
        )
        con.execute(
            "COPY (SELECT * REPLACE (CAST(event_time AS TIMESTAMPTZ) AS event_time)"
            " FROM read_csv($p, all_varchar = true)) TO $o (FORMAT parquet)",
            {"p": str(data / "logs" / "*.csv"), "o": str(parquet / "logs.parquet")},
        )
    text = (data / "case.toml").read_text(encoding="utf-8")
    text = text.replace('path = "customers.csv"', 'path = "customers.parquet"')
    text = text.replace('path = ["logs/*.csv"]', 'path = ["logs.parquet"]')
    _write_cases(parquet, "narrow", text)
    # The full shape: every actor of the log in scope, no window.
    actors = parquet / "all_actors.txt"
    if not actors.exists():
        import duckdb

        names = duckdb.connect().execute(
            "SELECT DISTINCT user_id FROM read_parquet($p) ORDER BY 1",
            {"p": str(parquet / "logs.parquet")},
        )
        actors.write_text("".join(f"{row[0]}\n" for row in names.fetchall()), encoding="utf-8")
    head, rest = text.split("[scope]", 1)
    after = rest[rest.index("\n[", 1) :] if "\n[" in rest else ""
    _write_cases(parquet, "full", f'{head}[scope]\nactors_file = "all_actors.txt"\n{after}')
    return parquet


def _write_cases(parquet: Path, shape: str, text: str) -> None:
    """The shape's case files: everything the demo declares; the recipient lists without the
    statement, messages and report; and the exposure alone (no [recipients] section)."""
    (parquet / f"case-{shape}.toml").write_text(text, encoding="utf-8")
    lists_only = _without(text, {"statement", "messages", "report"})
    (parquet / f"case-{shape}-recipients.toml").write_text(lists_only, encoding="utf-8")
    (parquet / f"case-{shape}-no-recipients.toml").write_text(
        _without(lists_only, {"recipients"}), encoding="utf-8"
    )


def _without(text: str, tables: set[str]) -> str:
    """A case file's text without the named top-level tables (and their sub-tables)."""
    kept, dropping = [], False
    for line in text.splitlines(keepends=True):
        header = line.strip()
        if header.startswith("["):
            name = header.strip("[]").split("]")[0].split(".")[0].strip()
            dropping = name in tables
        if not dropping:
            kept.append(line)
    return "".join(kept)


def shape_rows(
    args: argparse.Namespace, parquet: Path, work: Path, shape: str
) -> list[tuple[str, list[str]]]:
    """The timed commands of one scope shape, the anchor first, in the order they run."""
    limit = ["--memory-limit", args.memory_limit] if args.memory_limit else []
    cache = ["--cache-dir", str(work / f"cache-{shape}")]
    python = sys.executable
    plain = str(parquet / f"case-{shape}-no-recipients.toml")

    def run(case: str, out: str, *options: str) -> list[str]:
        return [
            python,
            "-m",
            "scoping",
            *options,
            "run",
            case,
            "--out",
            str(work / out),
            "--force",
            "--temp-dir",
            str(work / "tmp"),
            "--profile",
            *limit,
        ]

    rows = [
        (
            "hand-written full-deliverable baseline (DuckDB)",
            [
                python,
                str(HERE / "baseline_full.py"),
                str(parquet),
                str(work),
                args.memory_limit or "-",
                shape,
            ],
        ),
        ("scoping run without recipients, cold", run(plain, f"{shape}-cold", "--no-cache")),
        # The untimed run that fills the cache is the first of the two warm rows' commands.
        ("scoping run without recipients, cache filling", run(plain, f"{shape}-fill", *cache)),
        ("scoping run without recipients, warm", run(plain, f"{shape}-warm", *cache)),
        (
            "scoping sql on the warm cache (first answer)",
            [
                python,
                "-m",
                "scoping",
                *cache,
                "sql",
                "SELECT count(*) FROM affected_customers",
                "--case",
                plain,
                *limit,
            ],
        ),
    ]
    if not args.skip_recipients:
        rows += [
            (
                "scoping run with recipients, cold",
                run(str(parquet / f"case-{shape}-recipients.toml"), f"{shape}-lists", "--no-cache"),
            ),
            (
                "scoping run with recipients, statement, messages and report, cold",
                run(str(parquet / f"case-{shape}.toml"), f"{shape}-full", "--no-cache"),
            ),
        ]
    if not args.skip_polars and shape == "narrow":
        rows.insert(
            1,
            (
                "Polars baseline (exposure only)",
                [python, "-c", POLARS_BASELINE, str(parquet), str(work)],
            ),
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--memory-limit", default=None, help="passed to scoping and DuckDB")
    parser.add_argument(
        "--shape", choices=["narrow", "full", "both"], default="both", help="scope shape(s)"
    )
    parser.add_argument("--skip-polars", action="store_true")
    parser.add_argument(
        "--skip-recipients", action="store_true", help="time the runs without recipients only"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of every command; figures are medians"
    )
    parser.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, default=HERE, help="where data and results go")
    args = parser.parse_args()
    data = args.workdir / "data" / f"{args.customers}x{args.events}"
    if args.prepare_only:
        prepare(data, args.customers, args.events)
        return
    # Prepare in a child process: on Linux a child inherits its parent's peak RSS through
    # fork and exec, so this process must stay small for the children's peaks to be theirs.
    subprocess.run(
        [
            sys.executable,
            __file__,
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
    work = args.workdir / "results" / f"{args.customers}x{args.events}"
    shutil.rmtree(work, ignore_errors=True)
    (work / "tmp").mkdir(parents=True)
    print(
        f"\n{args.customers:,} customers x {args.events:,} events; "
        f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"
    )
    limit_mb = _mebibytes(args.memory_limit) if args.memory_limit else None
    shapes = ["narrow", "full"] if args.shape == "both" else [args.shape]
    for shape in shapes:
        rows = shape_rows(args, parquet, work, shape)
        # Rounds run every command in turn, so that a quiet or busy moment of a shared
        # machine falls on all of them; each figure is the median of its rounds.
        rounds = [[measure(command) for _, command in rows] for _ in range(args.repeat)]
        results = [
            (name, *(statistics.median(r[i][k] for r in rounds) for k in range(3)))
            for i, (name, _) in enumerate(rows)
        ]
        base_seconds, base_cpu, base_rss = results[0][1], results[0][2], results[0][3]
        extra = " peak / limit |" if limit_mb else ""
        print(f"\n{shape} scope (median of {args.repeat} rounds)\n")
        print(
            "| run | seconds | CPU seconds | peak RSS (MiB) | x baseline time"
            f" | x baseline CPU | x baseline RSS |{extra}"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |" + (" ---: |" if limit_mb else ""))
        for name, seconds, cpu, rss in results:
            if name.endswith("cache filling"):
                continue
            share = f" {rss / limit_mb:.2f} |" if limit_mb else ""
            print(
                f"| {name} | {seconds:.1f} | {cpu:.1f} | {rss:,.0f} | {seconds / base_seconds:.2f}"
                f" | {cpu / base_cpu:.2f} | {rss / base_rss:.2f} |{share}"
            )
        print_profile(work, shape)


def print_profile(work: Path, shape: str) -> None:
    """The per-step profile (`run --profile`, last round) of the cold runs of one shape."""
    runs = [
        ("without recipients", f"{shape}-cold"),
        ("with recipients", f"{shape}-lists"),
        ("with everything", f"{shape}-full"),
    ]
    found = []
    for label, folder in runs:
        manifest = work / folder / "manifest.json"
        if manifest.exists():
            found.append((label, json.loads(manifest.read_text(encoding="utf-8"))["profile"]))
    if not found:
        return
    steps = list(dict.fromkeys(step["step"] for _, profile in found for step in profile))
    print(f"\n{shape} scope, scoping run cold, per step (seconds / peak RSS MiB)\n")
    print("| step | " + " | ".join(label for label, _ in found) + " |")
    print("| --- |" + " ---: |" * len(found))
    for step in steps:
        cells = []
        for _, profile in found:
            hit = next((s for s in profile if s["step"] == step), None)
            cells.append(f"{hit['seconds']:.1f} / {hit['peak_rss_mib']:,.0f}" if hit else "")
        print(f"| {step} | " + " | ".join(cells) + " |")
    totals = [sum(s["seconds"] for s in profile) for _, profile in found]
    print("| total | " + " | ".join(f"{t:.1f}" for t in totals) + " |")


def _mebibytes(limit: str) -> float:
    """A DuckDB memory limit ("2GB" is 2 * 10^9 bytes, "2GiB" 2 * 2^30) in MiB, as RSS is shown."""
    units = {
        "KB": 1e3,
        "MB": 1e6,
        "GB": 1e9,
        "TB": 1e12,
        "KIB": 2**10,
        "MIB": 2**20,
        "GIB": 2**30,
        "TIB": 2**40,
    }
    text = limit.strip().upper().replace(" ", "")
    for unit in sorted(units, key=len, reverse=True):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * units[unit] / 2**20
    return float(text) / 2**20


if __name__ == "__main__":
    main()
