"""The same case gives the same outputs, byte for byte, with the pass over the events on Spark
(`[engine] kind = "spark"`, in local mode) as on DuckDB: the shipped examples (their golden
files), a case of messy record lists, and generated cases of the oracle test.

Spark runs in this process, one session for the whole test session (starting one takes half
a minute), on two cores with two shuffle partitions: these cases are small. Skipped, with the
reason, where pyspark or a Java runtime is missing (`pip install -e ".[spark]"` and Java 17;
.ci/run installs both).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import CASE, CUSTOMERS, invoke, write_case
from hypothesis import HealthCheck, given, note, settings
from test_oracle import Case as OracleCase
from test_oracle import cases
from test_oracle import write_case as write_oracle_case

from scoping import spark
from scoping.errors import CaseError

sys.path.insert(0, str(Path(__file__).resolve().parent / "golden"))

import update

WHY = spark.available()
needs_spark = pytest.mark.skipif(WHY is not None, reason=f"Spark cannot run here: {WHY}")

# The same settings in every case, so that every run reuses the one session.
ENGINE = """
[engine]
kind = "spark"
master = "local[2]"
options = { "spark.sql.shuffle.partitions" = "2", "spark.ui.enabled" = "false" }
"""
# What a run writes that depends on the engine or the moment, not on the case's numbers.
ENGINE_KEYS = ("run_at_utc", "engine", "case")


def on_spark(case: Path) -> Path:
    """The case beside itself, with the pass over the events on Spark."""
    text = case.read_text(encoding="utf-8")
    assert "[engine]" not in text
    spark_case = case.with_name("case-spark.toml")
    spark_case.write_text(text + ENGINE, encoding="utf-8")
    return spark_case


def run(case: Path, out: Path, *args: str) -> Path:
    result = invoke("--no-cache", "run", case, "--out", out, *args)
    assert result.exit_code == 0, result.stderr
    return out


def assert_same_outputs(duckdb_out: Path, spark_out: Path) -> None:
    """Every file byte for byte, and the manifest the same but for the engine and time."""
    files = sorted(p.name for p in duckdb_out.iterdir())
    assert files == sorted(p.name for p in spark_out.iterdir())
    for name in files:
        if name not in ("manifest.json", "report.html"):  # they show the engine and time
            assert (spark_out / name).read_bytes() == (duckdb_out / name).read_bytes(), name
    ours, theirs = (json.loads((o / "manifest.json").read_text()) for o in (duckdb_out, spark_out))
    for manifest in (ours, theirs):
        for key in ENGINE_KEYS:
            manifest.pop(key)
        manifest["parameters"].pop("engine")
        manifest["parameters"].pop("engine_settings")  # the spill folder is the run's own
        shown = ("manifest.json", "report.html")
        manifest["outputs"] = [o for o in manifest["outputs"] if o["file"] not in shown]
    assert theirs == ours


@needs_spark
@pytest.mark.parametrize("example", sorted(update.EXAMPLES))
def test_the_examples_give_their_golden_files_on_spark(tmp_path: Path, example: str) -> None:
    case, golden, files = update.EXAMPLES[example]
    copy = tmp_path / "case"
    shutil.copytree(case.parent, copy, ignore=shutil.ignore_patterns(".scoping-cache"))
    text = (copy / "case.toml").read_text(encoding="utf-8")
    if "[customer_history]" in text:
        # The customers' history does not run on Spark yet (the case file says so): the
        # example without it, on both engines.
        head, rest = text.split("[customer_history]", 1)
        (copy / "case.toml").write_text(head + rest[rest.index("\n[") :], encoding="utf-8")
        out = run(on_spark(copy / "case.toml"), tmp_path / "out")
        assert_same_outputs(run(copy / "case.toml", tmp_path / "duckdb"), out)
    else:
        out = run(on_spark(copy / "case.toml"), tmp_path / "out")
        for name in files:
            assert (out / name).read_bytes() == (golden / name).read_bytes(), name
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    ran = manifest["engine"]["spark"]
    assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+.*", ran["spark"])
    assert (ran["master"], ran["remote"]) == ("local[2]", None)
    assert ran["settings"]["spark.sql.shuffle.partitions"] == "2"
    assert ran["settings"]["spark.sql.session.timeZone"] == "UTC"
    assert manifest["parameters"]["engine"]["kind"] == "spark"
    # The steps that ran on Spark are listed with the rest.
    assert set(spark.CHAIN) <= {q["name"] for q in manifest["queries"]}


# Keys with leading zeros, blanks around them (a no-break space, a byte-order mark), lists of
# keys as JSON or split on `;` with repeats, a list that is not one, a row naming no key, the
# DST's repeated hour, epoch seconds, compact times, unreadable and missing times, a missing
# actor, and actions missing from [actions] (added with every field: "all-fields").
MESSY_CUSTOMERS = CUSTOMERS + "007,Dirk,Maes,dirk@example.invalid,2000\n0,Eva,Nul,n/a,3000\n"
MESSY_EVENTS = """\
event_time,user_id,screen,customer_id
2026-09-01 00:00:00,PRT-0042,customer.search,C1
2026-09-02T10:00:00.5Z,\u00a0PRT-0042\u00a0,customer.detail,C2; C2;C9;\ufeffC3
2026-09-02T12:00:00+02:00,PRT-0042,report.export,"[""07"", 7, "" C3 "", null, ""C9""]"
2026-10-25 02:30:00,PRT-0042,customer.detail,"[broken"
2026-10-25 02:30:00,PRT-0042,customer.detail,
2026-09-03 08:00,PRT-0042,customer.export,000;C1;0
1788000000,AGT-1,customer.detail,C1
1788000000.25,PRT-0042,customer.detail,C1
20260905101500,PRT-0042,customer.detail,00
,PRT-0042,customer.detail,C1
next tuesday,PRT-0042,customer.detail,C1
2026-09-02T10:00:00Z,,customer.detail,C1
2026-11-20T10:00:00Z,PRT-0042,customer.detail,C1
2026-09-04 09:00,PRT-0042,customer.detail,C8;C9
"""
MESSY_CASE = CASE.replace(
    'action = "screen"\n', 'action = "screen"\nrecord_list = "auto"\nrecord_separator = ";"\n'
).replace('unmapped = "ignore"', 'unmapped = "all-fields"')


@needs_spark
def test_a_case_of_messy_record_lists_gives_the_same_outputs(tmp_path: Path) -> None:
    case = write_case(tmp_path / "case", MESSY_CASE, MESSY_CUSTOMERS, textwrap.dedent(MESSY_EVENTS))
    ours = run(case, tmp_path / "duckdb", "--max-rejected", "10")
    theirs = run(on_spark(case), tmp_path / "spark", "--max-rejected", "10")
    reconciliation = (ours / "reconciliation.csv").read_text(encoding="utf-8")
    # The case reaches what it is made for: repeated keys, rejected rows, unmapped actions.
    counts = json.loads((ours / "counts.json").read_text(encoding="utf-8"))["summary"]
    assert counts["events_rejected"] >= 4 and counts["events_unmatched"] >= 1, counts
    manifest = json.loads((ours / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["unmapped_as_all_fields"] == ["customer.export", "report.export"]
    assert "keys_repeated" in reconciliation
    assert_same_outputs(ours, theirs)


# A few of the oracle test's generated cases (the same ones every time), on both engines.


@needs_spark
@settings(
    max_examples=4,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=cases())
def test_generated_cases_give_the_same_outputs(tmp_path: Path, case: OracleCase) -> None:
    root = tmp_path / f"case-{len(list(tmp_path.iterdir()))}"
    path = write_oracle_case(root / "case", case)
    note(path.read_text(encoding="utf-8"))
    assert_same_outputs(run(path, root / "duckdb"), run(on_spark(path), root / "spark"))


def test_spark_asked_for_without_the_extra_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spark, "available", lambda remote=False: "pyspark is not installed")
    case = on_spark(write_case(tmp_path / "case"))
    result = invoke("--no-cache", "run", case, "--out", tmp_path / "out")
    assert result.exit_code == CaseError.exit_code, result.stderr
    assert "pyspark is not installed" in result.stderr
    assert "scoping[spark]" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("engine", "message"),
    [
        ('[engine]\nmaster = "local[2]"\n', "settings of kind"),
        ('[engine]\nkind = "spark"\nmaster = "local[2]"\nremote = "sc://h:15002"\n', "not both"),
        ('[engine]\nkind = "spark"\noptions = { "shuffle.partitions" = "2" }\n', "Spark setting"),
        ('[engine]\nkind = "flink"\n', "engine.kind"),
    ],
)
def test_the_engine_table_is_checked(tmp_path: Path, engine: str, message: str) -> None:
    case = write_case(tmp_path / "case", CASE + engine)
    result = invoke("check", case)
    assert result.exit_code == CaseError.exit_code
    assert message in result.stderr, result.stderr


def test_a_customer_history_is_refused_on_spark(tmp_path: Path) -> None:
    case = update.EXAMPLES["telecom"][0]
    copy = tmp_path / "case"
    shutil.copytree(case.parent, copy, ignore=shutil.ignore_patterns(".scoping-cache"))
    result = invoke("check", on_spark(copy / "case.toml"))
    assert result.exit_code == 3
    assert "does not run on Spark yet" in result.stderr
