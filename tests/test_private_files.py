"""Temporary files hold personal data too: each is private from its first byte, spill files
stay out of a shared --temp-dir, and what a killed run left behind is removed."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import invoke, write_case

from scoping import db, pipeline, private


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """The usual umask of a shell (022): files are 0644 unless the tool says otherwise."""
    earlier = os.umask(0o022)
    yield
    os.umask(earlier)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_duckdb_spills_into_a_private_folder_inside_the_temp_dir(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c")
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    os.chmod(shared, 0o777)
    seen: list[tuple[str, int]] = []

    def progress(step: str, con: Any) -> None:
        row = con.execute("SELECT current_setting('temp_directory')").fetchone()
        spill = Path(row[0])
        folder = spill.parent
        seen.append((str(folder.relative_to(shared)), mode(folder)))

    options = pipeline.RunOptions(settings=db.Settings(temp_directory=str(shared), cache=False))
    pipeline.run(case, tmp_path / "out", options, progress)
    assert seen and all(m == 0o700 for _, m in seen)
    assert all(name.startswith("scoping-work-") and "/" not in name for name, _ in seen)
    assert list(shared.iterdir()) == []  # removed at the end
    assert mode(shared) == 0o777  # the given folder is left as it was
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    engine = manifest["parameters"]["engine_settings"]
    assert engine["temp_directory"] == str(shared)
    assert Path(engine["effective_temp_directory"]).parent.parent == shared


def dead_pid() -> int:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(child.stdout)


def test_the_work_folder_of_a_killed_run_is_removed_by_the_next_run(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c")
    temp = tmp_path / "temp"
    temp.mkdir()
    host = private._HOST
    killed = temp / f"scoping-work-{dead_pid()}.{host}.k1ll3d"
    (killed / "spill").mkdir(parents=True)
    (killed / "spill" / "duckdb_temp_storage-0.tmp").write_bytes(b"pages of personal data")
    # Kept: a live process's (this one's), another host's, and anything not named so.
    live = temp / f"scoping-work-{os.getpid()}.{host}.l1ve"
    elsewhere = temp / f"scoping-work-{dead_pid()}.{host}x.0ther"
    unrelated = temp / "scoping-work-notes"
    for folder in (live, elsewhere, unrelated):
        folder.mkdir()
    result = invoke("--no-cache", "run", case, "--out", tmp_path / "out", "--temp-dir", temp)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in temp.iterdir()) == sorted(
        p.name for p in (live, elsewhere, unrelated)
    )


def test_export_db_writes_its_database_and_wal_privately_from_the_first_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = write_case(tmp_path / "c")
    target = tmp_path / "x" / "case.duckdb"
    target.parent.mkdir()
    modes: dict[str, int] = {}
    real = db.run_sql

    def observe(con: Any, name: str, sql: str, params: Any = None) -> Any:
        result = real(con, name, sql, params)
        if name.startswith("export "):
            for path in target.parent.rglob("*"):
                modes[str(path.relative_to(target.parent))] = mode(path)
        return result

    monkeypatch.setattr(db, "run_sql", observe)
    result = invoke("--no-cache", "export-db", target, "--case", case)
    assert result.exit_code == 0, result.stderr
    assert any(name.endswith(".wal") for name in modes), modes
    assert any(name.endswith("case.duckdb") and "/" in name for name in modes), modes
    assert set(modes.values()) <= {0o600, 0o700}, modes
    assert [p.name for p in target.parent.iterdir()] == ["case.duckdb"]


def test_a_result_file_is_private_while_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = write_case(tmp_path / "c")
    out = tmp_path / "r" / "result.csv"
    out.parent.mkdir()
    modes: dict[str, int] = {}
    real = db.run_sql

    def observe(con: Any, name: str, sql: str, params: Any = None) -> Any:
        result = real(con, name, sql, params)
        if sql.startswith("COPY"):
            modes.update({p.name: mode(p) for p in out.parent.iterdir()})
        return result

    monkeypatch.setattr(db, "run_sql", observe)
    result = invoke(
        "--no-cache", "sql", "SELECT * FROM customers", "--case", case, "-f", "csv", "-o", out
    )
    assert result.exit_code == 0, result.stderr
    assert [name for name in modes if ".partial" in name] and set(modes.values()) == {0o600}
    assert mode(out) == 0o600


def test_the_umask_is_restored_after_a_command(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c")
    assert invoke("--no-cache", "check", case).exit_code == 0
    assert os.umask(0o022) == 0o022
