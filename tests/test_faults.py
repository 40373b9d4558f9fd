"""Faults around a run: signals, kill -9, two runs at once, inputs that change or cannot be
read, full disks. Signal tests drive the command in a subprocess that pauses at a named
step (a marker file tells the test it got there), so they are deterministic and fast."""

from __future__ import annotations

import errno
import gzip
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import CASE, invoke, write_case

from scoping import cache, exposure, outputs, private, sources, transcode
from scoping.errors import ExitCode, OutputError

# Runs the CLI with one library function wrapped: after (or instead of) the original, it
# writes the marker file, then sleeps, or runs a query of many minutes on the run's engine.
RUNNER = textwrap.dedent(
    """
    import importlib, pathlib, sys, time
    module, func, mode, marker, *args = sys.argv[1:]
    target = importlib.import_module(module)
    original = getattr(target, func)
    def paused(*a, **k):
        if mode == "query":
            pathlib.Path(marker).write_text("ready")
            a[0].execute("SELECT sum(range) FROM range(1000000000000)").fetchall()
        result = original(*a, **k)
        pathlib.Path(marker).write_text("ready")
        time.sleep(120)
        return result
    setattr(target, func, paused)
    from scoping.cli import app
    sys.argv = ["scoping", *args]
    app()
    """
)


def start(tmp: Path, where: str, mode: str, *args: object) -> tuple[subprocess.Popen[str], Path]:
    """The CLI in a subprocess, paused at `where` (module:function); TMPDIR is `tmp`."""
    module, func = where.split(":")
    marker = tmp / f"ready-{time.monotonic_ns()}"
    process = subprocess.Popen(
        [sys.executable, "-c", RUNNER, module, func, mode, str(marker), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp)},
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run never reached the step"
        time.sleep(0.05)
    return process, marker


def finish(process: subprocess.Popen[str], timeout: float = 30) -> tuple[int, str]:
    _, err = process.communicate(timeout=timeout)
    return process.returncode, err


@pytest.fixture
def case(tmp_path: Path) -> Path:
    return write_case(tmp_path / "case")


def leftovers(*folders: Path) -> list[str]:
    return sorted(
        p.name
        for folder in folders
        for p in folder.iterdir()
        if ".partial-" in p.name or ".old-" in p.name or p.name.startswith("scoping-work-")
    )


# --- signals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_during_a_query_interrupts_the_engine_and_leaves_nothing(
    case: Path, tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    out = tmp_path / "out"
    process, _ = start(tmp_path, "scoping.exposure:compute", "query", "run", case, "--out", out)
    started = time.monotonic()
    process.send_signal(sig)
    returncode, err = finish(process)
    assert returncode == code, err
    assert time.monotonic() - started < 20  # the query of many minutes was interrupted
    assert f"Interrupted by {sig.name}" in err and len(err.strip().splitlines()) == 1, err
    assert "Unexpected" not in err and "Traceback" not in err
    assert not out.exists() and leftovers(tmp_path) == []


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_while_writing_removes_the_partial_outputs_and_the_work_folder(
    case: Path, tmp_path: Path, sig: signal.Signals, code: int
) -> None:
    out = tmp_path / "out"
    process, _ = start(tmp_path, "scoping.outputs:write_run", "sleep", "run", case, "--out", out)
    assert any(".out.partial-" in n for n in leftovers(tmp_path))  # it was writing
    process.send_signal(sig)
    returncode, err = finish(process)
    assert returncode == code, err
    assert f"Interrupted by {sig.name}" in err and "Unexpected" not in err
    assert not out.exists() and leftovers(tmp_path) == []
    assert not (tmp_path / ".out.lock").exists()


def test_the_leftovers_of_a_killed_run_are_removed_by_the_next_run(
    case: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    process, _ = start(tmp_path, "scoping.outputs:write_run", "sleep", "run", case, "--out", out)
    process.kill()
    process.wait()
    left = leftovers(tmp_path)
    assert [n for n in left if n.startswith(f".out.partial-{process.pid}-")], left
    assert [n for n in left if n.startswith(f"scoping-work-{process.pid}.")], left
    # A live run's folders (this test's process id) are never touched.
    alive = tmp_path / f"scoping-work-{os.getpid()}.{private._HOST}.x"
    alive.mkdir()
    again = subprocess.run(
        [sys.executable, "-m", "scoping", "run", str(case), "--out", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert leftovers(tmp_path) == [alive.name]
    assert "leftover(s) of an interrupted run" in again.stderr
    assert (out / "manifest.json").exists()


def test_a_second_run_into_the_same_folder_is_refused_while_the_first_runs(
    case: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first, _ = start(
        tmp_path, "scoping.outputs:write_run", "sleep", "run", case, "--out", out, "--force"
    )
    second = invoke("run", case, "--out", out, "--force")
    assert second.exit_code == int(ExitCode.OUTPUT), second.stderr
    assert "another scoping run is writing there" in second.stderr
    assert f"process {first.pid}" in second.stderr
    first.send_signal(signal.SIGTERM)
    assert finish(first)[0] == 143
    assert invoke("run", case, "--out", out, "--force").exit_code == 0  # the lock is free


# --- what a glob matches ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda p: p.symlink_to(p.parent / "gone.csv"), "a symbolic link to nothing"),
        (os.mkfifo, "a named pipe"),
        (lambda p: p.mkdir(), "a folder"),
    ],
)
def test_a_glob_match_that_is_no_readable_file_stops_the_run(
    case: Path, tmp_path: Path, make: Any, kind: str
) -> None:
    make(case.parent / "logs" / "b.csv")
    result = invoke("run", case, "--out", tmp_path / "out")
    assert result.exit_code == int(ExitCode.INPUT), result.stderr
    assert "logs/b.csv" in result.stderr and kind in result.stderr
    assert not (tmp_path / "out").exists()


# --- inputs that change during the run -------------------------------------------------------


def _parquet(root: Path) -> Path:
    import duckdb

    path = root / "logs" / "a.parquet"
    duckdb.connect().execute(
        f"COPY (SELECT * FROM read_csv('{root / 'logs' / 'a.csv'}', all_varchar = true))"
        f" TO '{path}' (FORMAT parquet)"
    )
    (root / "logs" / "a.csv").unlink()
    return path


def _jsonl(root: Path) -> Path:
    import csv
    import json

    source = root / "logs" / "a.csv"
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    path = root / "logs" / "a.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    source.unlink()
    return path


def _append(path: Path) -> None:
    if path.suffix == ".parquet":
        path.write_bytes(path.read_bytes() + b"")  # rewritten: a new modification time
        os.utime(path, ns=(0, 0))
        return
    line = '{"event_time": "2026-09-03T10:00:00Z", "user_id": "PRT-0042", "screen":'
    line += ' "customer.detail", "customer_id": "C1"}\n'
    text = line if path.suffix == ".jsonl" else "2026-09-03T10:00:00Z,PRT-0042,customer.detail,C1\n"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text * 500)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
@pytest.mark.parametrize("when", ["while staged", "after staging"])
def test_an_input_that_changes_during_the_run_stops_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, when: str
) -> None:
    root = tmp_path / "case"
    case = write_case(root, case=CASE.replace("logs/*.csv", f"logs/*.{fmt}"))
    log = {"csv": lambda r: r / "logs" / "a.csv", "jsonl": _jsonl, "parquet": _parquet}[fmt](root)
    if when == "while staged":
        original = sources.readable_file

        def changing(file: Any, *args: Any) -> Any:
            if file.path == log:
                _append(log)
            return original(file, *args)

        monkeypatch.setattr(sources, "readable_file", changing)
    else:
        compute = exposure.compute

        def changed_after(con: Any, case: Any) -> None:
            _append(log)
            compute(con, case)

        monkeypatch.setattr(exposure, "compute", changed_after)
    result = invoke("--no-cache", "run", case, "--out", tmp_path / "out")
    assert result.exit_code == int(ExitCode.INPUT), result.stderr
    assert "a." + fmt in result.stderr and "changed while the run was reading it" in result.stderr
    assert not (tmp_path / "out").exists()


# --- damaged inputs and full disks -----------------------------------------------------------


def test_a_truncated_gzip_input_is_an_input_error_naming_the_file(
    case: Path, tmp_path: Path
) -> None:
    case.write_text(CASE.replace("logs/*.csv", "logs/*.csv.gz"), encoding="utf-8")
    logs = case.parent / "logs"
    data = gzip.compress((logs / "a.csv").read_bytes() * 50)
    (logs / "a.csv.gz").write_bytes(data[: len(data) // 2])
    result = invoke("--no-cache", "run", case, "--out", tmp_path / "out")
    assert result.exit_code == int(ExitCode.INPUT), result.stderr
    assert "a.csv.gz" in result.stderr and "cut short or damaged" in result.stderr
    assert "Unexpected" not in result.stderr


def _no_space(*_args: Any, **_kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_output_disk_is_an_output_error_about_space(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outputs, "write_json", _no_space)
    result = invoke("run", case, "--out", tmp_path / "out")
    assert result.exit_code == int(ExitCode.OUTPUT), result.stderr
    assert "no space left" in result.stderr and "free some space" in result.stderr
    assert not (tmp_path / "out").exists() and leftovers(tmp_path) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_under_the_engine_or_the_work_folder_is_an_output_error(
    tmp_path: Path,
) -> None:
    import duckdb

    from scoping import db

    with pytest.raises(OutputError, match="no space left") as caught:
        db.run_sql(duckdb.connect(), "copy", "COPY (SELECT 1) TO '/dev/full' (FORMAT csv)")
    assert "--temp-dir" in (caught.value.hint or "")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("naam\nJos\xe9\n".encode("cp1252"))
    with pytest.raises(OutputError, match="no space left"):
        transcode.to_utf8(latin, "cp1252", Path("/dev/full"))


def test_a_full_cache_disk_does_not_fail_the_run(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache.Cache, "store", _no_space)
    out = tmp_path / "out"
    result = invoke("run", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert "staging cache" in result.stderr and "full disk" in result.stderr
    assert (out / "manifest.json").exists()


def test_a_full_cache_disk_keeps_no_computed_tables_and_fails_nothing(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache.Cache, "store_tables", _no_space)
    out = tmp_path / "out"
    result = invoke("run", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert "computed tables were not kept" in result.stderr and "full disk" in result.stderr
    record = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert record["computed_tables"] == {"key": None, "reused": False, "written": False}
    answer = invoke("sql", "SELECT count(*) FROM affected_customers", "--case", case, "-f", "csv")
    assert answer.exit_code == 0 and answer.stdout.splitlines()[1:] == ["3"], answer.stderr


def test_a_run_killed_while_keeping_the_computed_tables_leaves_no_entry(
    case: Path, tmp_path: Path
) -> None:
    """Killed once a table's file is in place, before the entry that vouches for the
    tables: the next command computes the case and keeps it whole."""
    from scoping import investigate
    from scoping.case import load_case

    out = tmp_path / "out"
    process, _ = start(tmp_path, "scoping.cache:sha256_file", "sleep", "run", case, "--out", out)
    folder = case.parent / ".scoping-cache"
    assert [p for p in folder.iterdir() if p.name.count(".") == 2 and p.suffix == ".parquet"]
    assert not list(folder.glob("*.tables.json"))
    process.kill()
    process.wait()
    with investigate.session(load_case(case)) as s:
        assert not s.reused
    with investigate.session(load_case(case)) as s:
        assert s.reused
        assert s.con.execute("SELECT count(*) FROM affected_customers").fetchone() == (3,)
