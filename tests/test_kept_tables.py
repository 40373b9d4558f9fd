"""The computed tables kept in the staging cache: the investigation commands read them instead
of computing the case again, and answer exactly as a computation does; a changed case, input
or query, a damaged entry, or --no-cache computes again; the entries are private and whole."""

from __future__ import annotations

import io
import json
import re
import stat
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import CASE, EVENTS, invoke, write_case

from scoping import db, exposure, investigate, outputs, pipeline
from scoping.case import load_case
from scoping.demo import generate
from scoping.errors import ExitCode, InputError

ROOT = Path(__file__).resolve().parents[1]
CACHED = pipeline.RunOptions()
UNCACHED = pipeline.RunOptions(settings=db.Settings(cache=False))


def session(case: Path, options: pipeline.RunOptions = CACHED) -> Any:
    return investigate.session(load_case(case), options)


def reused(case: Path, options: pipeline.RunOptions = CACHED) -> bool:
    with session(case, options) as s:
        return bool(s.reused)


def catalogue(s: investigate.Session) -> dict[str, Any]:
    """Every table and view of a session (by name: a kept table is a view over its file),
    with its columns and types and all its rows, sorted; the macros and the variables."""
    con = s.con
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'memory'"
            " UNION ALL SELECT view_name FROM duckdb_views()"
            " WHERE database_name = 'memory' AND NOT internal ORDER BY 1"
        ).fetchall()
    ]
    found: dict[str, Any] = {}
    for name in names:
        quoted = db.quote_ident(name)
        columns = con.execute(f"DESCRIBE {quoted}").fetchall()
        rows = con.execute(f"SELECT * FROM {quoted} ORDER BY ALL").fetchall()
        found[name] = (columns, rows)
    found["macros"] = con.execute(
        "SELECT function_name, parameters, macro_definition FROM duckdb_functions()"
        " WHERE function_type LIKE '%macro%' AND NOT internal ORDER BY ALL"
    ).fetchall()
    found["variables"] = con.execute(
        "SELECT name, value, type FROM duckdb_variables() ORDER BY name"
    ).fetchall()
    return found


def answers(s: investigate.Session, params: dict[str, str]) -> dict[str, str]:
    """Every named query's answer as the CLI writes it (CSV), and the case's counts."""
    found = {}
    for name, query in sorted(s.queries.items()):
        missing = set(query.params) - set(params)
        assert not missing, f"give the test a value for {missing} of {name}"
        stream = io.StringIO()
        bound = {p: params[p] for p in query.params}
        outputs.stream_result(s.con, name, investigate.statement(query.text), bound, "csv", stream)
        found[name] = stream.getvalue()
    found["counts"] = json.dumps(exposure.counts(s.con, s.case), default=str, sort_keys=True)
    return found


def assert_same_as_computed(case: Path, params: dict[str, str] | None = None) -> None:
    """A session on the kept tables, one that computes the case again over the same staged
    inputs, and one that computes it without the cache hold the same tables, views, macros
    and variables (but for how each staged file is presented: read where the cache holds it,
    or copied), and give the same answers."""
    with session(case) as warm:
        assert warm.reused
        kept = catalogue(warm)
        given = answers(warm, params) if params is not None else {}
    for meta in (case.parent / ".scoping-cache").glob("*.tables.json"):
        meta.unlink()
    with session(case) as again:
        assert not again.reused
        computed = catalogue(again)
        expected = answers(again, params) if params is not None else {}
    assert kept.keys() == computed.keys()
    for name in computed:
        assert kept[name] == computed[name], name
    assert given == expected
    with session(case, UNCACHED) as cold:
        assert not cold.reused
        uncached = catalogue(cold)
        assert (answers(cold, params) if params is not None else {}) == given
    assert staged_apart(kept) == staged_apart(uncached)


def staged_apart(found: dict[str, Any]) -> dict[str, Any]:
    """A catalogue without the objects of each staged file (a view over the staging cache's
    entry, or the table the file was copied into)."""
    return {k: v for k, v in found.items() if not re.fullmatch(r"staged_.*_([0-9]+|copied)", k)}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated case (customer history and recipients included), run once with the
    cache: the run keeps the computed tables."""
    made = generate(tmp_path_factory.mktemp("kept") / "case", customers=400, events=6000)
    out = made.case_path.parent / "out"
    result = invoke("run", made.case_path, "--out", out)
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["computed_tables"]["written"] is True
    assert manifest["computed_tables"]["reused"] is False
    return made.case_path


def test_every_built_in_query_answers_the_same_from_the_kept_tables(generated: Path) -> None:
    case = load_case(generated)
    with investigate.session(case, UNCACHED) as s:
        row = s.con.execute(
            "SELECT e.actor, e.record_key, CAST(a.day AS VARCHAR) FROM events_in_scope AS e"
            " JOIN actor_events AS a USING (source_file, source_row)"
            " ORDER BY e.ts, e.record_key LIMIT 1"
        ).fetchone()
    assert row is not None
    actor, customer, day = row
    params = {
        "actor": actor,
        "customer": customer,
        "day": day,
        "from_hour": "8",
        "to_hour": "18",
        "days": "mon,tue,wed,thu,fri",
        "threshold": "2",
    }
    assert_same_as_computed(generated, params)


def test_the_cli_gives_the_same_bytes_from_the_kept_tables(generated: Path) -> None:
    for args in (
        ("sql", "SELECT * FROM affected_customers ORDER BY customer_key"),
        ("sql", "SELECT * FROM events_in_scope ORDER BY ALL"),
        ("query", "actor_ranking"),
        ("query", "bursts", "-p", "threshold=1"),
    ):
        warm = invoke(*args, "--case", generated, "-f", "csv")
        cold = invoke("--no-cache", *args, "--case", generated, "-f", "csv")
        assert warm.exit_code == cold.exit_code == 0, warm.stderr + cold.stderr
        assert warm.stdout == cold.stdout and warm.stdout.count("\n") > 1
    target = generated.parent / "case.duckdb"
    assert invoke("export-db", target, "--case", generated).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_other_case_shapes_read_back_as_computed(tmp_path: Path) -> None:
    """Several sources (JSON Lines, a fields column, record lists), and the "all-fields"
    policy, which adds the actions the logs used to the action map."""
    two = tmp_path / "two-systems"
    for path in (ROOT / "examples" / "two-systems").rglob("*"):
        if path.is_file():
            target = two / path.relative_to(ROOT / "examples" / "two-systems")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    unmapped = write_case(
        tmp_path / "unmapped",
        case=CASE.replace('unmapped = "ignore"', 'unmapped = "all-fields"'),
        events=EVENTS + "2026-09-03T10:00:00Z,PRT-0042,x,C4\n",
    )
    for case in (two / "case.toml", unmapped):
        assert not reused(case)  # computed, and kept
        assert_same_as_computed(case)
    with session(unmapped) as s:
        added = s.con.execute("SELECT count(*) FROM action_map WHERE action = 'x'").fetchone()
        assert added == (1,)


def test_a_changed_case_input_or_query_computes_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = write_case(tmp_path / "c")
    assert not reused(case) and reused(case)
    # What a command only reads afterwards is no part of the key.
    assert reused(case, pipeline.RunOptions(max_rejected=3, settings=db.Settings(threads=1)))
    # The scope: another window.
    case.write_text(CASE.replace('end = "2026-11-15"', 'end = "2026-09-02"'), encoding="utf-8")
    assert not reused(case) and reused(case)
    with session(case) as s:
        assert s.con.execute("SELECT count(*) FROM affected_customers").fetchone() == (1,)
    # An input: one more event.
    logs = case.parent / "logs" / "a.csv"
    logs.write_text(EVENTS + "2026-09-01T10:00:00Z,PRT-0042,customer.detail,C4\n", "utf-8")
    assert not reused(case) and reused(case)
    with session(case) as s:
        assert s.con.execute("SELECT count(*) FROM affected_customers").fetchone() == (2,)
    # A query file's text (a comment is enough), the cache's format, the tool's version.
    changed = dict(db.catalogue())
    text = changed["affected_customers"].text + "\n-- changed\n"
    changed["affected_customers"] = db.Query(
        "affected_customers", changed["affected_customers"].path, text, "", ()
    )
    with monkeypatch.context() as m:
        m.setattr(db, "catalogue", lambda: changed)
        assert not reused(case) and reused(case)
    assert reused(case)
    from scoping import cache

    with monkeypatch.context() as m:
        m.setattr(cache, "TABLES_FORMAT", cache.TABLES_FORMAT + 1)
        assert not reused(case)
    with monkeypatch.context() as m:
        m.setattr("scoping.__version__", "0.0.0-other")
        assert not reused(case)


def test_the_actors_file_is_part_of_the_case(tmp_path: Path) -> None:
    actors = tmp_path / "c" / "actors.txt"
    case = write_case(
        tmp_path / "c",
        case=CASE.replace('actors = ["PRT-0042"]', 'actors_file = "actors.txt"'),
    )
    actors.write_text("PRT-0042\n", encoding="utf-8")
    assert not reused(case) and reused(case)
    actors.write_text("PRT-0042\nAGT-1\n", encoding="utf-8")
    assert not reused(case)
    with session(case) as s:
        assert s.reused
        assert s.con.execute("SELECT count(*) FROM affected_customers").fetchone() == (4,)


DAMAGE = ["empty json", "cut json", "other format", "cut parquet", "same size", "missing file"]


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_entry_is_never_read(tmp_path: Path, damage: str) -> None:
    case = write_case(tmp_path / "c")
    assert not reused(case)
    folder = case.parent / ".scoping-cache"
    (meta,) = folder.glob("*.tables.json")
    parquet = meta.with_name(meta.name.replace(".tables.json", ".affected_customers.parquet"))
    data = parquet.read_bytes()
    if damage == "empty json":
        meta.write_bytes(b"")
    elif damage == "cut json":
        meta.write_bytes(meta.read_bytes()[:20])
    elif damage == "other format":
        entry = json.loads(meta.read_text(encoding="utf-8"))
        entry["tables_format"] += 1
        meta.write_text(json.dumps(entry), encoding="utf-8")
    elif damage == "cut parquet":
        parquet.write_bytes(data[: len(data) // 2])
    elif damage == "same size":  # a bit flipped inside, the footer whole
        middle = len(data) // 2
        parquet.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :])
    else:
        parquet.unlink()
    assert_computed_like(case)
    # Written anew, whole: the next command reads it.
    assert reused(case)


def assert_computed_like(case: Path) -> None:
    with session(case) as warm:
        assert not warm.reused
        first = catalogue(warm)
    with session(case, UNCACHED) as cold:
        assert staged_apart(first) == staged_apart(catalogue(cold))


def test_no_cache_reads_and_keeps_no_computed_tables(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c")
    out = tmp_path / "out"
    result = invoke("--no-cache", "run", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["computed_tables"] == {"key": None, "reused": False, "written": False}
    assert not (case.parent / ".scoping-cache").exists()
    assert not reused(case, UNCACHED)
    assert not (case.parent / ".scoping-cache").exists()
    assert not reused(case)  # computed, and kept
    before = sorted(
        (p.name, p.stat().st_mtime_ns) for p in (case.parent / ".scoping-cache").iterdir()
    )
    assert not reused(case, UNCACHED)  # kept, but not read
    after = sorted(
        (p.name, p.stat().st_mtime_ns) for p in (case.parent / ".scoping-cache").iterdir()
    )
    assert before == after


def test_a_run_keeps_the_tables_and_never_reads_them(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c")
    records = []
    for name in ("one", "two"):
        out = tmp_path / name
        result = invoke("run", case, "--out", out)
        assert result.exit_code == 0, result.stderr
        records.append(json.loads((out / "manifest.json").read_text(encoding="utf-8")))
    one, two = (r["computed_tables"] for r in records)
    # The second finds them kept whole, and does not write them again.
    assert one["written"] is True and two["written"] is False
    assert one["key"] == two["key"] and one["reused"] is two["reused"] is False
    assert (case.parent / ".scoping-cache" / f"{one['key']}.tables.json").is_file()
    # Both runs ran every step of the computation.
    for record in records:
        assert set(exposure.PARSE + exposure.STEPS) <= {q["name"] for q in record["queries"]}
    with session(case) as s:
        assert s.reused


def test_the_accepted_rejected_rows_are_checked_again(tmp_path: Path) -> None:
    """An entry kept by a command that accepted rejected rows does not accept them for the
    next one: it stops as a computation would."""
    events = EVENTS + "soon,PRT-0042,customer.detail,C1\n"
    case = write_case(tmp_path / "c", events=events)
    assert invoke("run", case, "--out", tmp_path / "out", "--max-rejected", "1").exit_code == 0
    warm = invoke("sql", "SELECT 1", "--case", case)
    cold = invoke("--no-cache", "sql", "SELECT 1", "--case", case)
    assert warm.exit_code == cold.exit_code == int(ExitCode.INPUT)
    assert warm.stderr == cold.stderr
    with pytest.raises(InputError):
        reused(case)
    assert reused(case, pipeline.RunOptions(max_rejected=1))


def test_kept_tables_are_private_and_written_under_a_temporary_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[str] = []
    real_replace = Path.replace

    def replace(self: Path, target: Path) -> Path:
        if Path(target).parent.name == ".scoping-cache":
            assert ".partial-" in self.name
            written.append(Path(target).name)
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    case = write_case(tmp_path / "c")
    assert not reused(case)
    kept = [n for n in written if n.endswith(".tables.json") or n.count(".") == 2]
    # Each table's file first, the entry that vouches for them last.
    assert len(kept) == len(exposure.COMPUTED) + 1 and kept[-1].endswith(".tables.json")
    folder = case.parent / ".scoping-cache"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    assert not [p for p in folder.iterdir() if ".partial-" in p.name]


def test_a_session_on_kept_tables_reaches_only_its_own_entries(tmp_path: Path) -> None:
    """The locked engine reads this case's kept files, not another case's in the same cache."""
    options = pipeline.RunOptions(settings=db.Settings(cache_dir=str(tmp_path / "cache")))
    case = write_case(tmp_path / "c")
    other = write_case(
        tmp_path / "d", case=CASE.replace('end = "2026-11-15"', 'end = "2026-10-01"')
    )
    assert not reused(case, options) and not reused(other, options)
    with session(case, options) as s:
        assert s.reused
        row = s.con.execute(
            "SELECT sql FROM duckdb_views() WHERE view_name = 'affected_customers'"
        ).fetchone()
        assert row is not None
        files = sorted((tmp_path / "cache").glob("*.affected_customers.parquet"))
        (theirs,) = [f for f in files if f.name not in row[0]]
        with pytest.raises(duckdb.Error):
            s.con.execute(f"SELECT * FROM read_parquet('{theirs}')").fetchall()
        assert s.con.execute("SELECT count(*) FROM affected_customers").fetchone() == (3,)
