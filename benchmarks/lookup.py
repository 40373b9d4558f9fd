"""Time the hotline's look-ups on an output set: p50 and p95 of random searches.

    python benchmarks/lookup.py OUT_DIR [--searches 1000] [--seed 7] [--cli 10]

OUT_DIR is what `scoping run` wrote for a case with recipients (the demo's, at the size to
measure). The searches are drawn at random from the output set's own index, a quarter of
each kind: a phone number written in its national format (`0475 12 34 56`), an email in
capitals, a customer key, and a last name with a birth date written dd/mm/yyyy; so each goes
through the normalisation an agent's input goes through. They run in one process on one open
index, as `scoping serve` runs them. `--cli N` also times N whole `scoping lookup` commands
(the process start and imports included). Prints a table and the machine.
"""

import argparse
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import phonenumbers

from scoping import lookup
from scoping.lookup import Search


def draw(out: Path, n: int, seed: int) -> list[tuple[str, Search]]:
    """`n` searches, a quarter of each kind, drawn from the index itself."""
    con = duckdb.connect()
    con.execute("SELECT setseed($s)", {"s": (seed % 1000) / 1000})
    hotline = lookup.Hotline(out)
    region = hotline.region
    hotline.close()
    entries = str(out / lookup.ENTRIES_FILE)
    records = str(out / lookup.RECORDS_FILE)
    each = n // 4

    def sample(sql: str) -> list[tuple[str, ...]]:
        return con.execute(sql, {"n": each}).fetchall()  # type: ignore[no-any-return]

    phones = sample(
        f"SELECT value FROM read_parquet('{entries}') WHERE kind = 'phone'"
        " ORDER BY random() LIMIT $n"
    )
    emails = sample(
        f"SELECT value FROM read_parquet('{entries}') WHERE kind = 'email'"
        " ORDER BY random() LIMIT $n"
    )
    keys = sample(f"SELECT customer_key FROM read_parquet('{records}') ORDER BY random() LIMIT $n")
    names = sample(
        f"SELECT last_name, strftime(birth_date, '%d/%m/%Y') FROM read_parquet('{records}')"
        " WHERE last_name IS NOT NULL AND birth_date IS NOT NULL ORDER BY random() LIMIT $n"
    )
    national = phonenumbers.PhoneNumberFormat.NATIONAL
    searches = (
        [
            (
                "phone",
                Search(phone=phonenumbers.format_number(phonenumbers.parse(p, region), national)),
            )
            for (p,) in phones
        ]
        + [("email", Search(email=e.upper())) for (e,) in emails]
        + [("key", Search(key=k)) for (k,) in keys]
        + [("name", Search(last_name=last, birth_date=born)) for last, born in names]
    )
    random.Random(seed).shuffle(searches)
    return searches


def ms(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cli", type=int, default=10)
    args = parser.parse_args()
    searches = draw(args.out, args.searches, args.seed)
    started = time.perf_counter()
    hotline = lookup.Hotline(args.out)
    opened = time.perf_counter() - started
    times: dict[str, list[float]] = {}
    found = 0
    for kind, search in searches:
        t = time.perf_counter()
        answer = hotline.search(search)
        times.setdefault(kind, []).append(time.perf_counter() - t)
        found += bool(answer.persons)
    hotline.close()
    every = [t for ts in times.values() for t in ts]
    sizes = {f: (args.out / f).stat().st_size for f in lookup.INDEX_FILES}
    (records,) = (
        duckdb.connect()
        .execute(
            "SELECT count(*) FROM read_parquet($p)", {"p": str(args.out / lookup.RECORDS_FILE)}
        )
        .fetchall()[0]
    )
    print(f"index: {records:,} customer records;", end=" ")
    print(", ".join(f"{name} {size / 2**20:,.0f} MiB" for name, size in sizes.items()))
    print(
        f"index opened in {opened * 1000:.0f} ms; {found:,} of {len(every):,} searches found someone"
    )
    print()
    print("| search | look-ups | p50 (ms) | p95 (ms) | max (ms) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for kind, ts in [*sorted(times.items()), ("all", every)]:
        print(
            f"| {kind} | {len(ts):,} | {ms(ts, 50):.1f} | {ms(ts, 95):.1f} | {max(ts) * 1000:.1f} |"
        )
    if args.cli:
        cli = []
        for _, search in searches[: args.cli]:
            flags = [
                f"--{name.replace('_', '-')}={value}"
                for name, value in vars(search).items()
                if value is not None
            ]
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "scoping", "lookup", str(args.out), *flags, "-f", "json"],
                check=True,
                capture_output=True,
            )
            cli.append(time.perf_counter() - t)
        print(
            f"| whole `scoping lookup` command | {len(cli)} | {ms(cli, 50):.1f} | {ms(cli, 95):.1f}"
            f" | {max(cli) * 1000:.1f} |"
        )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {memory:.0f} GiB,"
        f" {platform.system()} {platform.release()}, Python {platform.python_version()},"
        f" DuckDB {duckdb.__version__}"
    )


if __name__ == "__main__":
    main()
