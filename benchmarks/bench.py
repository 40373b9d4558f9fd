"""Benchmark: `scoping run` against hand-written baselines on the same data, in one run.

    python benchmarks/bench.py --customers 1000000 --events 10000000

Generates a synthetic case (scoping demo generate) once under benchmarks/data/, converts it
to Parquet, then times, each in its own process with its peak resident memory:

- `scoping run` with recipients (everything: staging, exposure, counts, manifest, recipient
  lists), and without the [recipients] section;
- a hand-written single-query DuckDB baseline of the exposure and its counts (bitmasks,
  what an expert would write for this one case, with no checks);
- the same baseline with one more query that puts every log row in one bucket (rejected,
  out of scope by actor, window or action, unmatched, in scope), as the reconciliation must;
- a straightforward Polars baseline of the same exposure.

It prints a Markdown table with seconds, peak RSS and the ratio to the DuckDB baseline.
Absolute timings are noisy on shared machines: compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

DUCKDB_BASELINE = """
import sys, duckdb
data, out, memory, mode = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
con = duckdb.connect()
con.execute("SET TimeZone = 'UTC'")
if memory != "-":
    con.execute(f"SET memory_limit = '{memory}'")
con.execute(f"SET temp_directory = '{out}/tmp'")
con.execute(f'''
CREATE TABLE affected AS
WITH fields(bit, field, category) AS (VALUES
    (0, 'first_name', 'name'), (1, 'last_name', 'name'), (2, 'street', 'address'),
    (3, 'house_number', 'address'), (4, 'postal_code', 'address'), (5, 'city', 'address'),
    (6, 'email', 'email'), (7, 'birth_date', 'birth_date'), (8, 'phone_fixed', 'phone'),
    (9, 'phone_mobile', 'phone')),
actions(screen, mask) AS (VALUES
    ('customer.search', 1 | 2 | 16 | 32), ('customer.detail', 1023),
    ('customer.contact', 1 | 2 | 64 | 256 | 512), ('report.export', 1 | 2 | 4 | 8 | 16 | 32 | 64),
    ('billing.view', 0)),
c AS (
    SELECT customer_id,
        (CASE WHEN trim(first_name) <> '' THEN 1 ELSE 0 END)
        | (CASE WHEN trim(last_name) <> '' THEN 2 ELSE 0 END)
        | (CASE WHEN trim(street) <> '' THEN 4 ELSE 0 END)
        | (CASE WHEN trim(house_number) <> '' THEN 8 ELSE 0 END)
        | (CASE WHEN trim(postal_code) <> '' THEN 16 ELSE 0 END)
        | (CASE WHEN trim(city) <> '' THEN 32 ELSE 0 END)
        | (CASE WHEN trim(email) <> '' THEN 64 ELSE 0 END)
        | (CASE WHEN trim(date_of_birth) <> '' THEN 128 ELSE 0 END)
        | (CASE WHEN trim(fixed_phone) <> '' THEN 256 ELSE 0 END)
        | (CASE WHEN trim(mobile_phone) <> '' THEN 512 ELSE 0 END) AS avail
    FROM '{data}/customers.parquet'),
e AS (
    SELECT customer_id, user_id, event_time, screen FROM '{data}/logs.parquet'
    WHERE user_id = 'PRT-0042'
      AND event_time >= TIMESTAMPTZ '2026-08-31 22:00:00+00'
      AND event_time < TIMESTAMPTZ '2026-11-14 23:00:00+00')
SELECT e.customer_id, bit_or(a.mask & c.avail) AS exposed, min(e.event_time) AS first_ts,
       max(e.event_time) AS last_ts, count(*) AS events, count(DISTINCT e.user_id) AS actors
FROM e JOIN actions AS a USING (screen) JOIN c USING (customer_id)
WHERE (a.mask & c.avail) <> 0
GROUP BY e.customer_id
''')
con.execute(f"COPY (SELECT * FROM affected ORDER BY customer_id) TO '{out}/affected.csv' (HEADER)")
con.execute('''SELECT f.field, count(*) FROM affected, (VALUES (0, 'first_name'), (1, 'last_name'),
    (2, 'street'), (3, 'house_number'), (4, 'postal_code'), (5, 'city'), (6, 'email'),
    (7, 'birth_date'), (8, 'phone_fixed'), (9, 'phone_mobile')) f(bit, field)
    WHERE exposed & (1 << bit) <> 0 GROUP BY f.field''').fetchall()
con.execute("SELECT exposed, count(*) FROM affected GROUP BY exposed").fetchall()
if mode == "reconcile":
    # Every row in one bucket, as scoping's reconciliation does (blank values, actor, window,
    # action, key found), in one more pass over the log.
    con.execute(f'''
    SELECT CASE
            WHEN l.event_time IS NULL OR coalesce(trim(l.user_id), '') = ''
                OR coalesce(trim(l.customer_id), '') = '' OR coalesce(trim(l.screen), '') = ''
                THEN 'rejected'
            WHEN trim(l.user_id) <> 'PRT-0042' THEN 'out_of_scope_actor'
            WHEN l.event_time < TIMESTAMPTZ '2026-08-31 22:00:00+00' THEN 'before_start'
            WHEN l.event_time >= TIMESTAMPTZ '2026-11-14 23:00:00+00' THEN 'after_end'
            WHEN trim(l.screen) NOT IN ('customer.search', 'customer.detail', 'customer.contact',
                'report.export', 'billing.view') THEN 'out_of_scope_action'
            WHEN c.customer_id IS NULL THEN 'unmatched'
            ELSE 'in_scope'
        END AS bucket, count(*)
    FROM '{data}/logs.parquet' AS l
    LEFT JOIN (SELECT trim(customer_id) AS customer_id FROM '{data}/customers.parquet') AS c
      ON c.customer_id = trim(l.customer_id)
    GROUP BY bucket''').fetchall()
con.execute('''SELECT CAST(timezone('Europe/Brussels', event_time) AS DATE) AS day, count(*)
    FROM '{data}/logs.parquet' WHERE user_id = 'PRT-0042' GROUP BY day'''.format(data=data)).fetchall()
"""

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


def measure(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process."""
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
    return elapsed, usage.ru_maxrss / 1024


def prepare(data: Path, customers: int, events: int) -> Path:
    """Generate once, then Parquet copies and two case files (with and without recipients)."""
    if not (data / "case.toml").exists():
        from scoping.demo import generate

        generate(data, customers=customers, events=events)
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
    (parquet / "case.toml").write_text(text, encoding="utf-8")
    (parquet / "case-no-recipients.toml").write_text(
        text.split("[recipients]")[0], encoding="utf-8"
    )
    return parquet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--memory-limit", default=None, help="passed to scoping and DuckDB")
    parser.add_argument("--skip-polars", action="store_true")
    parser.add_argument(
        "--skip-recipients", action="store_true", help="time the run without recipients only"
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
    limit = ["--memory-limit", args.memory_limit] if args.memory_limit else []
    scoping = [sys.executable, "-m", "scoping", "--no-cache", "run"]

    def baseline(mode: str) -> list[str]:
        memory = args.memory_limit or "-"
        return [sys.executable, "-c", DUCKDB_BASELINE, str(parquet), str(work), memory, mode]

    rows = [
        ("DuckDB hand-written baseline (exposure + counts)", baseline("plain")),
        ("DuckDB hand-written baseline, every row also put in a bucket", baseline("reconcile")),
        (
            "scoping run without recipients",
            [
                *scoping,
                str(parquet / "case-no-recipients.toml"),
                "--out",
                str(work / "plain"),
                "--temp-dir",
                str(work / "tmp"),
                *limit,
            ],
        ),
        (
            "scoping run (everything, with recipients)",
            [
                *scoping,
                str(parquet / "case.toml"),
                "--out",
                str(work / "full"),
                "--temp-dir",
                str(work / "tmp"),
                *limit,
            ],
        ),
    ]
    if args.skip_recipients:
        rows = [row for row in rows if "with recipients" not in row[0]]
    if not args.skip_polars:
        rows.insert(
            2,
            (
                "Polars baseline (exposure)",
                [sys.executable, "-c", POLARS_BASELINE, str(parquet), str(work)],
            ),
        )
    results = [(name, *measure(command)) for name, command in rows]
    base = results[0][1]
    print(
        f"\n{args.customers:,} customers x {args.events:,} events; "
        f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}\n"
    )
    limit_mb = _mebibytes(args.memory_limit) if args.memory_limit else None
    extra = " peak / limit |" if limit_mb else ""
    print(f"| run | seconds | peak RSS (MiB) | x baseline |{extra}")
    print("| --- | ---: | ---: | ---: |" + (" ---: |" if limit_mb else ""))
    for name, seconds, rss in results:
        share = f" {rss / limit_mb:.2f} |" if limit_mb else ""
        print(f"| {name} | {seconds:.1f} | {rss:,.0f} | {seconds / base:.2f} |{share}")


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
