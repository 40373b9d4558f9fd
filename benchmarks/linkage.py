"""Benchmark: who is one person, on noisy duplicates, measured against the true persons.

    python benchmarks/linkage.py --customers 100000

Generates a case with noisy duplicates once (`scoping demo generate --duplicates noisy`: a
person's other accounts typed again with mistakes, look-alike different people, and truth.csv
giving each account's true person), adds an access log in which one audit account opens every
customer (so that every account is affected and goes through the identity step), then runs
`scoping run --profile` once per identity method and compares the persons of recipients.csv
(`customer_keys`) with the truth:

- pairwise precision and recall: of the pairs of accounts put in one person, the share that
  are one true person; of the pairs of accounts of one true person, the share put together;
- wrong-merge persons: persons holding accounts of two true persons (the outcome that must not
  happen: somebody is never told), overall and per look-alike kind of truth.csv (a person
  counts under a kind when it holds an account of that kind and the account it resembles);
- the review queue (merge_review.csv, probabilistic method): its pairs, the share of true
  pairs among its first 100 rows (the most probable), and the recall once every queued pair
  is decided by the truth (true pairs merged, the others left apart);
- the run's seconds and peak resident memory, and the seconds of its recipients step.

It prints one Markdown table. Absolute timings are noisy on shared machines.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import measure  # noqa: E402  (a sibling script, not a package)

AUDIT_ACCOUNT = "AUDIT-0001"
# The look-alike kinds of truth.csv that are different people (duplicate is the same person).
HARD_KINDS = ("twin", "parent_child", "homonym", "household")


@dataclass(frozen=True)
class Method:
    """One way to decide who is one person: its name in the table and the case text for it."""

    name: str
    case_tail: str  # TOML appended to the generated case file, e.g. a [recipients.identity] table


# The identity methods compared. A method is a case setting, so that the benchmark runs exactly
# what an investigator runs.
METHODS = (
    Method("rule", ""),
    Method("probabilistic", '[recipients.identity]\nmethod = "probabilistic"\n'),
)


def prepare(data: Path, customers: int, seed: int) -> None:
    """The noisy case (generated once) and everyone.csv: the audit account opens every
    customer once, inside the case's window."""
    if not (data / "truth.csv").exists():
        from scoping.demo import generate

        generate(data, customers=customers, events=1, seed=seed, duplicates="noisy", history=0)
    everyone = data / "everyone.csv"
    if not everyone.exists():
        import duckdb

        con = duckdb.connect()
        con.execute(
            "COPY (SELECT row_number() OVER (ORDER BY customer_id) AS event_id,"
            " '2026-09-15T10:00:00Z' AS event_time, $actor AS user_id,"
            " 'customer.detail' AS screen, customer_id"
            " FROM read_csv($customers, all_varchar = true) ORDER BY customer_id)"
            " TO $out (FORMAT csv, HEADER true)",
            {
                "actor": AUDIT_ACCOUNT,
                "customers": str(data / "customers.csv"),
                "out": str(everyone),
            },
        )
        con.close()


def case_text(data: Path, method: Method) -> str:
    """The generated case, reading everyone.csv with the audit account in scope."""
    text = (data / "case.toml").read_text(encoding="utf-8")
    text = text.replace('path = ["logs/*.csv"]', 'path = ["everyone.csv"]')
    start = text.index("actors = ")
    text = text[:start] + f'actors = ["{AUDIT_ACCOUNT}"]' + text[text.index("\n", start) :]
    return text + ("\n" + method.case_tail if method.case_tail else "")


@dataclass(frozen=True)
class Score:
    records: int
    true_persons: int
    found_persons: int
    precision: float
    recall: float
    wrong_merges: int
    by_kind: dict[str, int]
    queue: int = 0
    true_in_top: float | None = None  # share of true pairs among the queue's first TOP rows
    recall_resolved: float | None = None  # recall once the queue is decided by the truth


TOP = 100


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        sample = f.readline()  # the excel-be dialect writes ";", the standard one ","
        f.seek(0)
        return list(csv.DictReader(f, delimiter=";" if ";" in sample else ","))


def _key(text: str) -> str:
    return text.removeprefix("'")  # a spreadsheet-safe file may put one before a key


def _pairs(sizes: list[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def _recall(truth: dict[str, tuple[str, str, str]], found: dict[str, int]) -> float:
    """Pairwise recall of the persons `found` (key -> person number) against the truth."""
    persons: dict[str, int] = {}
    for key in found:
        persons[truth[key][0]] = persons.get(truth[key][0], 0) + 1
    within: dict[tuple[int, str], int] = {}
    for key, cluster in found.items():
        within[(cluster, truth[key][0])] = within.get((cluster, truth[key][0]), 0) + 1
    true_pairs = _pairs(list(persons.values()))
    return _pairs(list(within.values())) / true_pairs if true_pairs else 1.0


def _resolved(
    truth: dict[str, tuple[str, str, str]], found: dict[str, int], queue: list[tuple[str, str]]
) -> dict[str, int]:
    """The persons once each queued pair that is one true person is merged (union-find)."""
    parent = {c: c for c in set(found.values())}

    def root(c: int) -> int:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for a, b in queue:
        if truth[a][0] == truth[b][0]:
            ra, rb = root(found[a]), root(found[b])
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    return {key: root(c) for key, c in found.items()}


def score(truth_path: Path, recipients_path: Path, queue_path: Path | None = None) -> Score:
    """Pairwise precision and recall and wrong merges of recipients.csv against truth.csv,
    and the review queue's figures when there is one."""
    truth: dict[str, tuple[str, str, str]] = {}
    with truth_path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            truth[row["customer_id"]] = (row["person_id"], row["kind"], row["related_id"])
    found: dict[str, int] = {}
    for number, row in enumerate(_rows(recipients_path)):
        for key in row["customer_keys"].split("|"):
            found[_key(key)] = number
    queue: list[tuple[str, str]] = []
    has_queue = queue_path is not None and queue_path.exists()
    if queue_path is not None and has_queue:
        queue = [(_key(r["key_a"]), _key(r["key_b"])) for r in _rows(queue_path)]
    queued_in = [(a, b) for a, b in queue if a in found and b in found]
    top = queued_in[:TOP]
    members: dict[int, list[str]] = {}
    for key, cluster in found.items():
        members.setdefault(cluster, []).append(key)
    persons: dict[str, int] = {}
    for key in found:
        persons[truth[key][0]] = persons.get(truth[key][0], 0) + 1
    true_pairs = sum(n * (n - 1) // 2 for n in persons.values())
    predicted = correct = wrong = 0
    by_kind = dict.fromkeys(HARD_KINDS, 0)
    for keys in members.values():
        n = len(keys)
        predicted += n * (n - 1) // 2
        within: dict[str, int] = {}
        for key in keys:
            within[truth[key][0]] = within.get(truth[key][0], 0) + 1
        correct += sum(m * (m - 1) // 2 for m in within.values())
        if len(within) > 1:
            wrong += 1
            inside = set(keys)
            kinds = {truth[k][1] for k in keys if truth[k][2] in inside}
            for kind in kinds & set(HARD_KINDS):
                by_kind[kind] += 1
    return Score(
        records=len(found),
        true_persons=len(persons),
        found_persons=len(members),
        precision=correct / predicted if predicted else 1.0,
        recall=correct / true_pairs if true_pairs else 1.0,
        wrong_merges=wrong,
        by_kind=by_kind,
        queue=len(queue),
        true_in_top=sum(truth[a][0] == truth[b][0] for a, b in top) / len(top) if top else None,
        recall_resolved=_recall(truth, _resolved(truth, found, queued_in)) if has_queue else None,
    )


def recipients_seconds(manifest: Path) -> float:
    """The seconds of the run's recipients step (run --profile writes them to the manifest)."""
    import json

    profile = json.loads(manifest.read_text(encoding="utf-8")).get("profile", [])
    return sum(s["seconds"] for s in profile if s["step"] == "building recipients")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--memory-limit", default=None, help="passed to scoping")
    parser.add_argument("--prepare-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, default=HERE, help="where data and results go")
    args = parser.parse_args()
    data = args.workdir / "data" / f"noisy-{args.customers}-seed{args.seed}"
    if args.prepare_only:
        prepare(data, args.customers, args.seed)
        return
    # Prepared in a child process, so that this one stays small (a child inherits its
    # parent's peak RSS through fork and exec).
    subprocess.run(
        [sys.executable, __file__, "--prepare-only", "--customers", str(args.customers),
         "--seed", str(args.seed), "--workdir", str(args.workdir)],
        check=True,
    )  # fmt: skip
    work = args.workdir / "results" / f"linkage-{args.customers}-seed{args.seed}"
    (work / "tmp").mkdir(parents=True, exist_ok=True)
    limit = ["--memory-limit", args.memory_limit] if args.memory_limit else []
    rows = []
    for method in METHODS:
        case = data / f"linkage-{method.name}.toml"
        case.write_text(case_text(data, method), encoding="utf-8")
        out = work / method.name
        command = [sys.executable, "-m", "scoping", "--no-cache", "run", str(case), "--out",
                   str(out), "--force", "--profile", "--temp-dir", str(work / "tmp"), *limit]  # fmt: skip
        seconds, _cpu, rss = measure(command)
        rows.append((method, seconds, rss, recipients_seconds(out / "manifest.json")))
    print(
        f"\n{args.customers:,} customers with noisy duplicates (seed {args.seed}); "
        f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}\n"
    )
    kinds = " | ".join(f"wrong: {k}" for k in HARD_KINDS)
    print(
        "| method | records | true persons | persons | precision | recall | wrong-merge persons"
        f" | {kinds} | queue pairs | true in top {TOP} | recall, queue resolved"
        " | run seconds | recipients seconds | peak RSS (MiB) |"
    )
    print("| --- |" + " ---: |" * (12 + len(HARD_KINDS)))
    for method, seconds, rss, step in rows:
        out = work / method.name
        s = score(data / "truth.csv", out / "recipients.csv", out / "merge_review.csv")
        per_kind = " | ".join(str(s.by_kind[k]) for k in HARD_KINDS)
        top = f"{s.true_in_top:.2f}" if s.true_in_top is not None else "-"
        resolved = f"{s.recall_resolved:.4f}" if s.recall_resolved is not None else "-"
        print(
            f"| {method.name} | {s.records:,} | {s.true_persons:,} | {s.found_persons:,}"
            f" | {s.precision:.4f} | {s.recall:.4f} | {s.wrong_merges} | {per_kind}"
            f" | {s.queue:,} | {top} | {resolved} | {seconds:.1f} | {step:.1f} | {rss:,.0f} |"
        )


if __name__ == "__main__":
    main()
