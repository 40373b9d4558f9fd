"""Output targets: `--force` replaces earlier outputs, never the evidence. A target that is,
or holds, the case file, an input or the staging cache is refused before any work, with one
clear line and nothing deleted; paths are compared resolved (symlinks, `..`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import CASE, invoke, write_case
from typer.testing import Result

from scoping.errors import ExitCode


@pytest.fixture
def case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A case folder (case.toml, customers.csv, logs/a.csv), the current folder."""
    root = tmp_path / "c"
    write_case(root)
    monkeypatch.chdir(root)
    return root


def snapshot(root: Path) -> dict[str, str | bytes]:
    """Every file and folder below root (hidden ones too, so a staging cache would show):
    a file's bytes, a link's target."""
    return {
        str(p.relative_to(root)): (
            str(p.readlink()) if p.is_symlink() else p.read_bytes() if p.is_file() else "folder"
        )
        for p in sorted(root.rglob("*"))
    }


def refused(result: Result, *needles: str) -> None:
    assert result.exit_code == int(ExitCode.OUTPUT), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "Unexpected error" not in result.stderr
    assert result.stdout == ""
    for needle in needles:
        assert needle in result.stderr.replace("\n", " "), result.stderr


@pytest.mark.parametrize(
    ("out", "needle"),
    [
        (".", "case.toml"),
        ("", "case.toml"),
        ("logs", "logs/a.csv"),
        ("nowhere/../logs", "logs/a.csv"),
        ("..", "case.toml"),
        ("link", "case.toml"),  # a symbolic link to the case folder
        ("cache-link", "staging cache"),  # a symbolic link to the staging cache
        (".scoping-cache", "staging cache"),
        (".scoping-cache/out", "staging cache"),
    ],
)
def test_run_never_replaces_the_case_folder_its_inputs_or_the_cache(
    case: Path, out: str, needle: str
) -> None:
    (case / ".scoping-cache").mkdir(mode=0o700)
    (case / "link").symlink_to(case)
    (case / "cache-link").symlink_to(case / ".scoping-cache")
    before = snapshot(case.parent)
    refused(invoke("run", "case.toml", "--out", out, "--force"), needle)
    assert snapshot(case.parent) == before  # nothing deleted, nothing staged


def test_run_never_replaces_the_current_folder(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    refused(invoke("run", case / "case.toml", "--out", ".", "--force"), "current folder")
    assert (elsewhere / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_run_never_replaces_an_earlier_waves_list(case: Path, tmp_path: Path) -> None:
    wave1 = tmp_path / "wave1"
    wave1.mkdir()
    (wave1 / "recipients.csv").write_text("recipient_id\n", encoding="utf-8")
    result = invoke(
        "run", "case.toml", "--out", wave1, "--force", "--previous", wave1 / "recipients.csv"
    )
    refused(result, "recipients.csv")
    assert (wave1 / "recipients.csv").exists()


def test_run_never_replaces_a_cache_dir_given_on_the_command_line(
    case: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    result = invoke("--cache-dir", cache, "run", "case.toml", "--out", cache, "--force")
    refused(result, "staging cache")


def test_run_never_replaces_the_actors_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "c"
    case = write_case(root, case=CASE.replace('actors = ["PRT-0042"]', 'actors_file = "a/s.txt"'))
    (root / "a").mkdir()
    (root / "a" / "s.txt").write_text("PRT-0042\n", encoding="utf-8")
    monkeypatch.chdir(root)
    refused(invoke("run", case, "--out", "a", "--force"), "s.txt")
    assert (root / "a" / "s.txt").exists()


@pytest.mark.parametrize("target", ["case.toml", "customers.csv", "logs/a.csv", "alias.csv"])
@pytest.mark.parametrize("command", ["query", "sql"])
def test_query_output_never_replaces_an_input(case: Path, target: str, command: str) -> None:
    (case / "alias.csv").symlink_to(case / "customers.csv")
    before = snapshot(case)
    what = ["query", "actor_ranking"] if command == "query" else ["sql", "SELECT 1 AS x"]
    result = invoke(*what, "--case", "case.toml", "-f", "csv", "-o", target, "--force")
    refused(result, "customers.csv" if target == "alias.csv" else target)
    assert snapshot(case) == before


def test_query_output_never_replaces_a_hard_link_to_an_input(case: Path) -> None:
    os.link(case / "customers.csv", case / "same.csv")
    before = snapshot(case)
    result = invoke("sql", "SELECT 1 AS x", "--case", "case.toml", "-o", "same.csv", "-f", "csv")
    refused(result, "customers.csv")
    assert snapshot(case) == before


def test_query_output_never_lands_in_the_cache_or_on_a_query_file(case: Path) -> None:
    (case / ".scoping-cache").mkdir(mode=0o700)
    (case / "mine").mkdir()
    (case / "mine" / "own.sql").write_text("-- Mine.\n-- Parameters: none\nSELECT 1\n")
    before = snapshot(case)
    sql = ["sql", "SELECT 1 AS x", "--case", "case.toml", "-f", "csv", "--force"]
    refused(invoke(*sql, "-o", ".scoping-cache/x.csv"), "staging cache")
    refused(invoke(*sql, "--queries", "mine", "-o", "mine/own.sql"), "own.sql")
    assert snapshot(case) == before


def test_export_db_never_replaces_an_input(case: Path) -> None:
    before = snapshot(case)
    refused(invoke("export-db", "--case", "case.toml", "customers.csv", "--force"), "customers")
    assert snapshot(case) == before


def test_actors_new_scope_never_replaces_an_input(case: Path) -> None:
    before = snapshot(case)
    result = invoke("actors", "--case", "case.toml", "--new-scope", "case.toml", "--force")
    refused(result, "case.toml")
    assert snapshot(case) == before


def test_force_still_replaces_an_earlier_output(case: Path) -> None:
    assert invoke("run", "case.toml", "--out", "out").exit_code == 0
    assert invoke("run", "case.toml", "--out", "out", "--force").exit_code == 0
    result = invoke("sql", "SELECT 1 AS x", "--case", "case.toml", "-f", "csv", "-o", "out/x.csv")
    assert result.exit_code == 0, result.stderr
    again = ["sql", "SELECT 2 AS x", "--case", "case.toml", "-f", "csv", "-o", "out/x.csv"]
    assert invoke(*again, "--force").exit_code == 0
    assert (case / "out" / "x.csv").read_text(encoding="utf-8") == "x\n2\n"


# --- targets that cannot take the output: one clear line, before any work -----------------


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["query", "actor_ranking", "-f", "csv", "-o", "adir", "--force"], "is a folder"),
        (["sql", "SELECT 1 AS x", "-f", "json", "-o", "adir"], "is a folder"),
        (["query", "actor_ranking", "-f", "csv", "-o", "fifo", "--force"], "not a regular file"),
        (["query", "actor_ranking", "-f", "csv", "-o", "nodir/r.csv"], "nodir"),
        (["query", "actor_ranking", "-f", "csv", "-o", "afile/r.csv"], "not a folder"),
        (["export-db", "adir", "--force"], "is a folder"),
        (["export-db", "nodir/e.duckdb"], "nodir"),
        (["actors", "--new-scope", "nodir/s.txt"], "nodir"),
        (["actors", "--new-scope", "adir", "--force"], "is a folder"),
    ],
)
def test_a_file_target_that_cannot_be_written_is_refused_before_the_computation(
    case: Path, args: list[str], needle: str
) -> None:
    (case / "adir").mkdir()
    (case / "afile").write_text("mine", encoding="utf-8")
    os.mkfifo(case / "fifo")
    before = snapshot(case)
    refused(invoke(*args, "--case", "case.toml"), needle)  # the actors table is not printed
    assert snapshot(case) == before  # no staging cache: nothing was computed


@pytest.mark.parametrize(
    ("out", "needle"),
    [
        ("afile", "not a folder"),
        ("afile/out", "not a folder"),
        ("afile/deeper/out", "not a folder"),
        pytest.param(
            "/proc/scoping-out",
            "cannot write",
            marks=pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs /proc"),
        ),
    ],
)
def test_a_run_folder_that_cannot_be_written_is_refused_before_the_computation(
    case: Path, out: str, needle: str
) -> None:
    (case / "afile").write_text("mine", encoding="utf-8")
    before = snapshot(case)
    refused(invoke("run", "case.toml", "--out", out, "--force"), needle)
    assert snapshot(case) == before


@pytest.mark.parametrize("out", ["afile", "afile/sub"])
def test_demo_generate_into_a_file_is_refused(tmp_path: Path, out: str) -> None:
    (tmp_path / "afile").write_text("mine", encoding="utf-8")
    args = ["demo", "generate", "--customers", "1", "--events", "1", "--out", tmp_path / out]
    result = invoke(*args)
    assert result.exit_code == int(ExitCode.OUTPUT), result.stderr
    assert "not a folder" in result.stderr and "Unexpected" not in result.stderr
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "mine"
