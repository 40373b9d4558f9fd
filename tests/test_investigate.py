"""The investigation commands, each on data whose answer is known by construction."""

from __future__ import annotations

import csv
import io
import json
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import CUSTOMERS, invoke, write_case

from scoping.errors import ExitCode

CASE = """\
[case]
id = "I-1"
timezone = "Europe/Brussels"

[customers]
path = "customers.csv"
key = "customer_id"

[customers.fields]
name = { column = "name", category = "name" }
email = "email"

[access_log]
path = "events.csv"
timestamp = "event_time"
actor = "user_id"
record = "customer_id"
action = "screen"

[actions]
"detail" = "*"
"search" = ["name"]

[scope]
actors = ["P"]
start = "2026-09-01"
end = "2026-11-15"
"""


def customers() -> str:
    lines = ["customer_id,name,email"]
    for i in range(1, 31):
        email = f"c{i}@example.com" if i % 2 else ""  # odd customers have an email
        lines.append(f"C{i:02d},Name {i},{email}")
    return "\n".join(lines) + "\n"


def events() -> str:
    """Monday 2026-10-05 (summer time, UTC+2). Peers A1..A5 reach 2, 2, 3, 3, 4 customers at
    10:00 local; P reaches 20 customers within one minute at 22:30 local, and searches C01
    on Saturday 2026-10-03 at 09:00 local."""
    rows = ["event_time,user_id,screen,customer_id"]
    reach = {"A1": 2, "A2": 2, "A3": 3, "A4": 3, "A5": 4}
    for actor, n in reach.items():
        for i in range(1, n + 1):
            rows.append(f"2026-10-05T08:00:00Z,{actor},detail,C{i:02d}")
    for i in range(1, 21):
        rows.append(f"2026-10-05T20:30:{i:02d}Z,P,detail,C{i:02d}")
    rows.append("2026-10-03T07:00:00Z,P,search,C01")
    return "\n".join(rows) + "\n"


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("inv")
    (root / "customers.csv").write_text(customers(), encoding="utf-8")
    (root / "events.csv").write_text(events(), encoding="utf-8")
    (root / "case.toml").write_text(CASE, encoding="utf-8")
    return root / "case.toml"


def query_csv(case: Path, name: str, *params: str) -> list[dict[str, str]]:
    args: list[str] = []
    for p in params:
        args += ["-p", p]
    result = invoke("query", name, "--case", case, "-f", "csv", *args)
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_actor_ranking_scores_against_peers(case: Path) -> None:
    rows = query_csv(case, "actor_ranking")
    # Rates per active day: 2, 2, 3, 3, 4, 20 -> median 3, MAD 1.
    assert [r["actor"] for r in rows][:2] == ["P", "A5"]
    p = rows[0]
    assert (p["customers"], p["active_days"], p["customers_per_day"]) == ("20", "2", "10.0")
    # P was active on two days (Saturday and Monday): 20 distinct customers / 2 days = 10.
    assert (p["peer_median"], p["peer_mad"]) == ("3.0", "1.0")
    assert p["outlier_score"] == str(round((10 - 3) / 1.4826, 2))
    assert rows[1]["outlier_score"] == str(round(1 / 1.4826, 2))


def test_actor_activity_per_day(case: Path) -> None:
    rows = query_csv(case, "actor_activity")
    p = [(r["day"], r["events"], r["customers"]) for r in rows if r["actor"] == "P"]
    assert p == [("2026-10-03", "1", "1"), ("2026-10-05", "20", "20")]
    assert {r["in_scope_actor"] for r in rows if r["actor"] == "A1"} == {"false"}


def test_actor_day_and_timeline(case: Path) -> None:
    day = query_csv(case, "actor_day", "actor=P", "day=2026-10-03")
    assert [(r["local_time"], r["action"], r["record_keys"]) for r in day] == [
        ("09:00:00", "search", "C01")
    ]
    timeline = query_csv(case, "actor_timeline", "actor=P")
    assert len(timeline) == 21 and timeline[0]["ts_utc"] == "2026-10-03T07:00:00Z"
    assert timeline[-1]["local_time"] == "2026-10-05 22:30:20"


def test_who_consulted_a_customer_and_what_was_shown(case: Path) -> None:
    rows = query_csv(case, "customer_access", "customer=C02")
    shown = {r["actor"]: (r["events"], r["fields_shown"], r["in_scope"]) for r in rows}
    # C02 has no email: only its name was shown, whatever the screen.
    assert shown == {
        "A1": ("1", "name", "false"),
        "A2": ("1", "name", "false"),
        "A3": ("1", "name", "false"),
        "A4": ("1", "name", "false"),
        "A5": ("1", "name", "false"),
        "P": ("1", "name", "true"),
    }
    c01 = {
        r["actor"]: r["fields_shown"] for r in query_csv(case, "customer_access", "customer=C01")
    }
    assert c01["P"] == "name|email"


def test_customers_consulted_by_one_actor(case: Path) -> None:
    rows = query_csv(case, "actor_customers", "actor=A3")
    assert [(r["customer_key"], r["fields_shown"]) for r in rows] == [
        ("C01", "name|email"),
        ("C02", "name"),
        ("C03", "name|email"),
    ]


def test_after_hours_and_bursts(case: Path) -> None:
    rows = query_csv(case, "after_hours", "from_hour=8", "to_hour=18", "days=mon,tue,wed,thu,fri")
    by_actor = {r["actor"]: r for r in rows}
    # P: 20 events at 22:30 on a Monday and 1 on a Saturday morning: all outside.
    assert (by_actor["P"]["events_outside"], by_actor["P"]["customers_outside"]) == ("21", "20")
    assert by_actor["P"]["share_outside"] == "1.0"
    assert by_actor["A1"]["events_outside"] == "0"
    bursts = query_csv(case, "bursts", "threshold=10")
    assert [(b["actor"], b["minute"], b["customers"]) for b in bursts] == [
        ("P", "2026-10-05 22:30", "20")
    ]
    assert query_csv(case, "bursts", "threshold=20") == []


def test_a_customer_or_actor_the_data_does_not_hold_is_said_to_be_not_found(case: Path) -> None:
    # C30 exists but nobody looked at it: an empty result, and no note.
    seen = invoke("query", "customer_access", "--case", case, "-p", "customer=C30", "-f", "csv")
    assert seen.exit_code == 0 and seen.stdout.strip() != "" and "note" not in seen.stderr
    missing = invoke(
        "query", "customer_access", "--case", case, "-p", "customer=99999999", "-f", "csv"
    )
    assert missing.exit_code == 0
    assert missing.stdout.startswith("actor,")  # the (empty) result is still printed
    assert "-p customer: no customer with that key in the customer table" in missing.stderr
    assert "99999999" not in missing.stderr
    nobody = invoke("query", "actor_customers", "--case", case, "-p", "actor=Q9", "-f", "csv")
    assert nobody.exit_code == 0
    assert "-p actor: no actor of that name in the access logs" in nobody.stderr
    assert "Q9" not in nobody.stderr
    # An actor of the logs who is out of scope exists; so does a customer asked with blanks.
    known = invoke("query", "actor_timeline", "--case", case, "-p", "actor= A1 ", "-f", "csv")
    assert known.exit_code == 0 and "note" not in known.stderr
    both = invoke("query", "customer_access", "--case", case, "-p", "customer= C01 ")
    assert both.exit_code == 0 and "note" not in both.stderr


def test_parameters_are_checked(case: Path) -> None:
    missing = invoke("query", "actor_day", "--case", case, "-p", "actor=P")
    assert missing.exit_code == int(ExitCode.QUERY) and "missing day" in missing.stderr
    extra = invoke("query", "bursts", "--case", case, "-p", "threshold=1", "-p", "x=1")
    assert extra.exit_code == int(ExitCode.QUERY) and "unexpected x" in extra.stderr
    unknown = invoke("query", "nope", "--case", case)
    assert unknown.exit_code == int(ExitCode.QUERY) and "no query named 'nope'" in unknown.stderr


def test_own_query_folders_and_name_clashes(case: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "top_customers.sql").write_text(
        "-- Customers with the most events in scope.\n-- Parameters: $limit\n"
        "SELECT record_key, count(*) AS n FROM events_in_scope GROUP BY 1"
        " ORDER BY n DESC, 1 LIMIT CAST($limit AS INTEGER);\n",
        encoding="utf-8",
    )
    listed = invoke("queries", "--queries", mine)
    assert (
        listed.exit_code == 0
        and "top_customers" in listed.stdout
        and "actor_ranking" in listed.stdout
    )
    result = invoke(
        "query", "top_customers", "--case", case, "--queries", mine, "-p", "limit=2", "-f", "json"
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"record_key": "C01", "n": 2},
        {"record_key": "C02", "n": 1},
    ]
    (mine / "bursts.sql").write_text(
        "-- Shadows a built-in.\n-- Parameters: none\nSELECT 1;\n", encoding="utf-8"
    )
    clash = invoke("queries", "--queries", mine)
    assert clash.exit_code == int(ExitCode.CASE) and "defined twice" in clash.stderr


def test_sql_formats(case: Path, tmp_path: Path) -> None:
    sql = "SELECT field, count(*) AS customers FROM exposure GROUP BY field ORDER BY field"
    table = invoke("sql", sql, "--case", case)
    assert table.exit_code == 0 and "email" in table.stdout and "customers" in table.stdout
    as_csv = invoke("sql", sql, "--case", case, "-f", "csv")
    assert as_csv.stdout == 'field,customers\n"email",10\n"name",20\n'
    out = tmp_path / "r.parquet"
    written = invoke("sql", sql, "--case", case, "-f", "parquet", "-o", out)
    assert written.exit_code == 0 and written.stdout == ""
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert duckdb.connect().execute(
        "SELECT count(*) FROM read_parquet($p)", {"p": str(out)}
    ).fetchone() == (2,)
    refused = invoke("sql", sql, "--case", case, "-f", "parquet")
    assert refused.exit_code != 0 and "needs a file" in refused.stderr
    two = invoke("sql", "SELECT 1; SELECT 2", "--case", case)
    assert two.exit_code == int(ExitCode.QUERY) and "one statement" in two.stderr


@pytest.mark.parametrize(
    "sql",
    [
        "COPY customers TO '{leak}'",
        "ATTACH '{leak}' AS other",
        "CREATE TABLE copied AS SELECT * FROM customers",
        "INSTALL httpfs",
        # EXPLAIN ANALYZE runs the statement it explains.
        "EXPLAIN ANALYZE COPY (SELECT * FROM customers) TO '{leak}'",
        "explain analyse copy customers to '{leak}'",
        "/* a note */ EXPLAIN (FORMAT json, ANALYZE) COPY customers TO '{leak}'",
        "EXPLAIN ANALYZE INSTALL httpfs",
        "EXPLAIN ANALYZE PRAGMA version",
    ],
)
def test_sql_reads_the_case_and_writes_nothing(case: Path, tmp_path: Path, sql: str) -> None:
    leak = tmp_path / "leak.csv"
    result = invoke("sql", sql.format(leak=leak), "--case", case)
    assert result.exit_code == int(ExitCode.QUERY), result.stderr
    assert "cannot be run here" in result.stderr
    assert not leak.exists()
    for read in (
        "SHOW TABLES",
        "DESCRIBE customers",
        "EXPLAIN SELECT 1",
        "EXPLAIN ANALYZE SELECT count(*) FROM customers",
        "FROM exposure LIMIT 1",
    ):
        assert invoke("sql", read, "--case", case).exit_code == 0, read


def test_a_named_query_of_ones_own_folder_is_read_only_too(case: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    leak = tmp_path / "leak.csv"
    (mine / "leak.sql").write_text(
        f"-- Writes the customers out.\n-- Parameters: none\n"
        f"EXPLAIN ANALYZE COPY (SELECT * FROM customers) TO '{leak}';\n",
        encoding="utf-8",
    )
    result = invoke("query", "leak", "--case", case, "--queries", mine)
    assert result.exit_code == int(ExitCode.QUERY) and "COPY statement" in result.stderr
    assert not leak.exists()


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_text('{outside}')",
        "SELECT * FROM read_csv('{outside}')",
        "SELECT * FROM glob('{folder}/*')",
        "SELECT * FROM read_csv('https://example.invalid/x.csv')",
    ],
)
def test_a_query_reaches_no_file_beyond_the_case(case: Path, tmp_path: Path, sql: str) -> None:
    """Below the statement check, the engine itself is locked: a query reads the case's
    tables, and no other file on disk or on the network."""
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("secret\n", encoding="utf-8")
    query = sql.format(outside=outside, folder=tmp_path)
    result = invoke("sql", query, "--case", case, "-f", "csv")
    assert result.exit_code == int(ExitCode.QUERY), result.stdout
    assert "secret" not in result.stdout and "elsewhere" not in result.stdout


def test_the_engine_is_locked_for_the_sessions_sql(case: Path, tmp_path: Path) -> None:
    """Whatever got past the statement check could still not write, install, load or unlock:
    DuckDB refuses them itself once the case is computed."""
    from scoping import investigate
    from scoping.case import load_case

    leak = tmp_path / "leak.csv"
    # Another case's entry in the same staging cache is out of reach too.
    other = case.parent / ".scoping-cache" / "other-case.parquet"
    duckdb.connect().execute(f"COPY (SELECT 'secret' AS v) TO '{other}'")
    with investigate.session(load_case(case)) as s:
        for sql in (
            f"SELECT * FROM read_parquet('{other}')",
            f"COPY customers TO '{leak}'",
            f"ATTACH '{tmp_path / 'x.duckdb'}' AS x",
            "INSTALL httpfs",
            "LOAD httpfs",
            "SET enable_external_access = true",
            "SET lock_configuration = false",
        ):
            with pytest.raises(duckdb.Error):
                s.con.execute(sql)
        assert s.con.execute("SELECT count(*) FROM customers").fetchone() == (30,)
    other.unlink()
    assert not leak.exists() and list(tmp_path.iterdir()) == []


def test_export_db(case: Path, tmp_path: Path) -> None:
    target = tmp_path / "case.duckdb"
    result = invoke("export-db", target, "--case", case)
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    con = duckdb.connect(str(target), read_only=True)
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert {
        "customers",
        "access_log",
        "events_in_scope",
        "exposure",
        "affected_customers",
    } <= tables
    assert con.execute("SELECT count(*) FROM affected_customers").fetchone() == (20,)
    again = invoke("export-db", target, "--case", case)
    assert again.exit_code == int(ExitCode.OUTPUT)


DUCKDB_CLI = Path(sys.executable).parent / "duckdb"


@pytest.mark.skipif(not DUCKDB_CLI.exists(), reason="the duckdb-cli test extra is not installed")
def test_export_db_opens_in_the_duckdb_cli(case: Path, tmp_path: Path) -> None:
    target = tmp_path / "case.duckdb"
    assert invoke("export-db", target, "--case", case).exit_code == 0
    sql = (
        "SELECT customer_key, mask_fields(exposed_mask) AS fields, typeof(events) AS type"
        " FROM affected_customers ORDER BY customer_key LIMIT 1"
    )
    shown = subprocess.run(
        [
            str(DUCKDB_CLI),
            "-readonly",
            "-json",
            str(target),
            "-c",
            sql,
            "-c",
            "SELECT version() AS v",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    first, version = (json.loads(line) for line in shown.stdout.splitlines())
    assert version[0]["v"].startswith("v1.5")
    assert first == [{"customer_key": "C01", "fields": "name|email", "type": "BIGINT"}]


def test_actors_command_flags_the_suspect(case: Path, tmp_path: Path) -> None:
    scope = tmp_path / "scope.txt"
    result = invoke("actors", "--case", case, "--flag-above", "3", "--new-scope", scope)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.index("P ") < result.stdout.index("A5")
    assert scope.read_text(encoding="utf-8").splitlines()[1:] == ["P"]


def test_the_new_scope_file_is_private_to_its_owner(case: Path, tmp_path: Path) -> None:
    scope = tmp_path / "scope.txt"
    assert invoke("actors", "--case", case, "--new-scope", scope).exit_code == 0
    assert stat.S_IMODE(scope.stat().st_mode) == 0o600
    scope.chmod(0o644)  # an older file, replaced: the new one is private too
    assert invoke("actors", "--case", case, "--new-scope", scope, "--force").exit_code == 0
    assert stat.S_IMODE(scope.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["scope.txt"]  # no temporary file left


def test_a_query_is_checked_before_the_case_is_computed(tmp_path: Path) -> None:
    # Computing this case would stop on its duplicate keys: the query's own mistakes come first.
    case = write_case(tmp_path / "c", customers=CUSTOMERS + "C1,Ann,Again,,1000\n")
    unknown = invoke("query", "nosuch", "--case", case)
    assert unknown.exit_code == int(ExitCode.QUERY) and "no query named" in unknown.stderr
    writes = invoke("sql", "COPY customers TO 'x.csv'", "--case", case)
    assert writes.exit_code == int(ExitCode.QUERY) and "cannot be run here" in writes.stderr
    unknown_format = invoke("sql", "SELECT 1", "--case", case, "-f", "xml")
    # A choice Typer knows: a usage error that lists the formats.
    assert unknown_format.exit_code == int(ExitCode.USAGE), unknown_format.stderr
    shown = " ".join(unknown_format.stderr.replace("│", " ").split())
    assert "'xml' is not one of 'table', 'csv', 'json', 'parquet'" in shown
    for fmt, extra in (("table", ["-o", tmp_path / "r.txt"]), ("parquet", [])):
        bad = invoke("sql", "SELECT 1", "--case", case, "-f", fmt, *extra)
        assert bad.exit_code == int(ExitCode.QUERY) and "--format" in bad.stderr, fmt
    assert invoke("sql", "SELECT 1", "--case", case).exit_code == int(ExitCode.INPUT)


def test_an_engine_error_names_the_statement(case: Path) -> None:
    result = invoke("sql", "SELECT CAST('x' AS INTEGER)", "--case", case)
    assert result.exit_code == int(ExitCode.QUERY)
    assert "query 'sql' failed" in result.stderr
