"""Nothing vanishes: on generated dirty extracts, every row lands in exactly one bucket.

Each generated row is built to fall in a known bucket (the truth is known by construction,
not computed by the code under test), then shuffled into one or two files with random
encodings, delimiters, blank lines and quoted line breaks. The reconciliation must report
exactly the generated numbers, per file: a row lost or counted twice fails the test.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from conftest import CASE, CUSTOMERS, invoke, write_case
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

KINDS = {
    # kind: (bucket, row builder)
    "in_scope": ("in_scope", lambda: ["2026-09-02T10:00:00Z", "PRT-0042", "customer.detail", "C1"]),
    "in_scope_multiline": (
        "in_scope",
        lambda: ["2026-09-02 12:00", "PRT-0042", "customer.search", "\nC2\n"],
    ),
    "actor": (
        "out_of_scope_actor",
        lambda: ["2026-09-02T10:00:00Z", "AGT-7", "customer.detail", "C1"],
    ),
    "before": (
        "out_of_scope_before_start",
        lambda: ["2026-08-31 23:59:59", "PRT-0042", "customer.detail", "C1"],
    ),
    "after": (
        "out_of_scope_after_end",
        lambda: ["2026-11-15 00:00:00", "PRT-0042", "customer.detail", "C1"],
    ),
    "action": (
        "out_of_scope_action",
        lambda: ["2026-09-02T10:00:00Z", "PRT-0042", "billing.view", "C1"],
    ),
    "unmatched": (
        "unmatched",
        lambda: ["2026-09-02T10:00:00Z", "PRT-0042", "customer.detail", "C404"],
    ),
    "bad_time": ("rejected", lambda: ["32/13/2026 25:00", "PRT-0042", "customer.detail", "C1"]),
    "no_actor": ("rejected", lambda: ["2026-09-02T10:00:00Z", "", "customer.detail", "C1"]),
    # A blank record column names no customer: a bucket of its own, never a rejected row;
    # its action is not needed (an unmapped one is no problem), and the actor and the window
    # are tested first.
    "no_record": (
        "no_record",
        lambda: ["2026-09-02T10:00:00Z", "PRT-0042", "customer.detail", "  "],
    ),
    "no_record_unmapped": (
        "no_record",
        lambda: ["2026-09-02T10:00:00Z", "PRT-0042", "home.page", ""],
    ),
    "no_record_other_actor": (
        "out_of_scope_actor",
        lambda: ["2026-09-02T10:00:00Z", "AGT-7", "home.page", ""],
    ),
    "no_record_no_action": (
        "rejected",
        lambda: ["2026-09-02T10:00:00Z", "PRT-0042", " ", ""],
    ),
    "extra_column": (
        "rejected",
        lambda: ["2026-09-02T10:00:00Z", "PRT-0042", "customer.detail", "C1", "x"],
    ),
    # One row, though DuckDB reports an error per extra or missing column.
    "extra_columns": (
        "rejected",
        lambda: ["2026-09-02T10:00:00Z", "PRT-0042", "customer.detail", "C1", "x", "y", "z"],
    ),
    "missing_columns": ("rejected", lambda: ["2026-09-02T10:00:00Z", "PRT-0042"]),
}
BUCKETS = sorted({bucket for bucket, _ in KINDS.values()})


def render(rows: list[list[str]], delimiter: str, blank_every: int) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["event_time", "user_id", "screen", "customer_id"])
    for i, row in enumerate(rows, start=1):
        writer.writerow(row)
        if blank_every and i % blank_every == 0:
            buffer.write("\n")
    return buffer.getvalue()


files = st.lists(
    st.tuples(
        st.lists(st.sampled_from(sorted(KINDS)), min_size=1, max_size=40),
        st.sampled_from([",", ";", "\t", "|"]),
        st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
        st.integers(min_value=0, max_value=7),
    ),
    min_size=1,
    max_size=2,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=files)
def test_every_row_lands_in_exactly_one_bucket(tmp_path_factory, files) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("rec")
    # A generated log may not name the scope's actor at all: the buckets are the question.
    allowed = CASE.replace("[scope]\n", "[scope]\nallow_actors_without_events = true\n")
    case = write_case(root / "c", case=allowed, customers=CUSTOMERS)
    (root / "c" / "logs" / "a.csv").unlink()
    expected: dict[str, Counter[str]] = {}
    written: set[bytes] = set()
    for n, (kinds, delimiter, encoding, blank_every) in enumerate(files):
        name = f"logs/f{n}.csv"
        rows = [KINDS[k][1]() for k in kinds]
        data = render(rows, delimiter, blank_every).encode(encoding)
        assume(data not in written)  # two files of the same bytes are one extract, refused
        written.add(data)
        (root / "c" / name).write_bytes(data)
        expected[name] = Counter(KINDS[k][0] for k in kinds)
    out = root / "out"
    result = invoke("run", case, "--out", out, "--max-rejected", "1000")
    assert result.exit_code == 0, result.stderr
    with (out / "reconciliation.csv").open(encoding="utf-8", newline="") as handle:
        got = {r["file"]: r for r in csv.DictReader(handle) if r["role"] == "access_log"}
    assert set(got) == set(expected)
    for name, counts in expected.items():
        row = got[name]
        assert int(row["rows_read"]) == sum(counts.values()), name
        assert {b: int(row[b]) for b in BUCKETS} == {b: counts[b] for b in BUCKETS}, name
        assert row["balanced"] == "true"
    with (out / "rejected_rows.csv").open(encoding="utf-8", newline="") as handle:
        rejected = Counter(r["file"] for r in csv.DictReader(handle))
    assert rejected == Counter({n: c["rejected"] for n, c in expected.items() if c["rejected"]})
