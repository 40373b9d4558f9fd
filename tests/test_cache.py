"""The staging cache: reused when nothing that shapes the staged rows changed, never
otherwise, private, and invisible in the outputs."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest
from conftest import CASE, EVENTS, invoke, write_case

from scoping.errors import ExitCode


def run(case: Path, out: Path, *flags: str) -> dict:  # type: ignore[type-arg]
    result = invoke(*flags, "run", case, "--out", out)
    assert result.exit_code == 0, result.stderr
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def cached(manifest: dict) -> list[bool]:  # type: ignore[type-arg]
    return [i["from_cache"] for i in manifest["inputs"]]


def staged(folder: Path, suffix: str = "") -> list[Path]:
    """The staged files' entries in a cache folder (`KEY.json`, `KEY.parquet`), not the kept
    computed tables (`KEY.tables.json`, `KEY.TABLE.parquet`: see test_kept_tables.py)."""
    return sorted(
        p
        for p in folder.iterdir()
        if re.fullmatch(r"[0-9a-f]{64}\.(json|parquet)", p.name) and p.name.endswith(suffix)
    )


def test_second_run_reads_the_cache_and_writes_the_same(tiny_case: Path, tmp_path: Path) -> None:
    first = run(tiny_case, tmp_path / "one")
    second = run(tiny_case, tmp_path / "two")
    assert cached(first) == [False, False] and cached(second) == [True, True]
    for name in ("affected_customers.csv", "counts.json", "reconciliation.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    folder = tiny_case.parent / ".scoping-cache"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())


def test_a_changed_file_or_mapping_is_read_again(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c")
    run(case, tmp_path / "one")
    (case.parent / "logs" / "a.csv").write_text(
        EVENTS + "2026-09-03T10:00:00Z,PRT-0042,customer.detail,C4\n", encoding="utf-8"
    )
    assert cached(run(case, tmp_path / "two")) == [True, False]
    # A category is applied after staging: the staged rows are the same.
    case.write_text(
        CASE.replace('email = "email"', 'email = { column = "email", category = "contact" }'),
        encoding="utf-8",
    )
    assert cached(run(case, tmp_path / "three")) == [True, True]
    # Another column read for a field changes what is staged.
    case.write_text(CASE.replace('email = "email"', 'email = "first_name"'), encoding="utf-8")
    assert cached(run(case, tmp_path / "four")) == [False, True]


def test_no_cache_keeps_nothing(tmp_path: Path) -> None:
    case = write_case(tmp_path / "c")
    assert cached(run(case, tmp_path / "one", "--no-cache")) == [False, False]
    assert not (case.parent / ".scoping-cache").exists()
    elsewhere = tmp_path / "cache"
    run(case, tmp_path / "two", "--cache-dir", str(elsewhere))
    assert cached(run(case, tmp_path / "three", "--cache-dir", str(elsewhere))) == [True, True]


def test_rejected_lines_survive_the_cache(tmp_path: Path) -> None:
    events = (
        EVENTS
        + "2026-09-02T10:00:00Z,PRT-0042,customer.detail,C1,extra\nsoon,PRT-0042,customer.detail,C1\n"
    )
    case = write_case(tmp_path / "c", events=events)
    for name in ("one", "two"):
        out = tmp_path / name
        result = invoke("run", case, "--out", out, "--max-rejected", "2")
        assert result.exit_code == 0, result.stderr
    assert (tmp_path / "one" / "rejected_rows.csv").read_bytes() == (
        tmp_path / "two" / "rejected_rows.csv"
    ).read_bytes()
    assert '"logs/a.csv","access_log",10,,,"TOO MANY COLUMNS"' in (
        tmp_path / "two" / "rejected_rows.csv"
    ).read_text(encoding="utf-8")


def test_a_changed_log_zone_reads_typed_timestamps_again(tmp_path: Path) -> None:
    import duckdb

    root = tmp_path / "c"
    case_text = CASE.replace('path = ["logs/*.csv"]', 'path = ["logs/*.parquet"]')
    case = write_case(root, case=case_text)
    duckdb.connect().execute(
        "COPY (SELECT TIMESTAMP '2026-09-02 10:00:00' AS event_time, 'PRT-0042' AS user_id,"
        " 'customer.detail' AS screen, 'C1' AS customer_id) TO $p (FORMAT parquet)",
        {"p": str(root / "logs" / "a.parquet")},
    )
    run(case, tmp_path / "one")
    case.write_text(
        case_text.replace('action = "screen"', 'action = "screen"\ntimezone = "UTC"'),
        encoding="utf-8",
    )
    second = run(case, tmp_path / "two")
    assert cached(second) == [True, False]
    text = (tmp_path / "two" / "affected_customers.csv").read_text(encoding="utf-8")
    assert "2026-09-02T10:00:00Z" in text  # naive read as UTC now, not Brussels


def test_entries_staged_under_other_rules_are_not_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scoping import cache

    case = write_case(tmp_path / "c")
    run(case, tmp_path / "one")
    monkeypatch.setattr(cache, "STAGING_FORMAT", cache.STAGING_FORMAT + 1)
    assert cached(run(case, tmp_path / "two")) == [False, False]


def test_a_cache_folder_whose_name_holds_glob_characters_is_read_as_named(
    tiny_case: Path, tmp_path: Path
) -> None:
    import shutil

    import duckdb

    folder = tmp_path / "cache[1]"
    run(tiny_case, tmp_path / "one", "--cache-dir", str(folder))
    # cache1 is what cache[1] matches as a pattern: the same entries, one row each.
    decoy = tmp_path / "cache1"
    shutil.copytree(folder, decoy)
    con = duckdb.connect()
    for rows in decoy.glob("*.parquet"):
        con.execute(
            f"COPY (SELECT * FROM read_parquet('{rows}') LIMIT 1) TO '{rows}.1' (FORMAT parquet)"
        )
        rows.with_name(rows.name + ".1").replace(rows)
    second = run(tiny_case, tmp_path / "two", "--cache-dir", str(folder))
    assert cached(second) == [True, True]
    for name in ("affected_customers.csv", "reconciliation.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_an_existing_shared_cache_dir_keeps_its_mode(tiny_case: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp
    run(tiny_case, tmp_path / "one", "--cache-dir", str(shared))
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    private = shared / f"scoping-cache-{os.getuid()}"
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    assert [p.name for p in shared.iterdir()] == [private.name]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in private.iterdir())
    assert cached(run(tiny_case, tmp_path / "two", "--cache-dir", str(shared))) == [True, True]


def test_an_existing_folder_of_ones_own_keeps_its_mode(tiny_case: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir(mode=0o750)
    mine.chmod(0o750)
    run(tiny_case, tmp_path / "one", "--cache-dir", str(mine))
    assert stat.S_IMODE(mine.stat().st_mode) == 0o750
    assert stat.S_IMODE((mine / f"scoping-cache-{os.getuid()}").stat().st_mode) == 0o700
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    run(tiny_case, tmp_path / "two", "--cache-dir", str(private))
    assert len(staged(private, ".parquet")) == 2  # a private folder is used as it is


def test_a_missing_cache_dir_is_created_private(tiny_case: Path, tmp_path: Path) -> None:
    folder = tmp_path / "new" / "cache"
    run(tiny_case, tmp_path / "one", "--cache-dir", str(folder))
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert len(staged(folder, ".parquet")) == 2


def test_a_cache_dir_that_is_a_file_is_an_output_error(tiny_case: Path, tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("mine", encoding="utf-8")
    result = invoke("--cache-dir", afile, "run", tiny_case, "--out", tmp_path / "out")
    assert result.exit_code == int(ExitCode.OUTPUT), result.stderr
    assert "--cache-dir" in result.stderr and "not a folder" in result.stderr
    assert "Unexpected" not in result.stderr and "Traceback" not in result.stderr
    assert afile.read_text(encoding="utf-8") == "mine" and not (tmp_path / "out").exists()


def test_a_private_subfolder_someone_else_could_reach_is_refused(
    tiny_case: Path, tmp_path: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    planted = shared / f"scoping-cache-{os.getuid()}"
    planted.mkdir()
    planted.chmod(0o777)
    result = invoke("--cache-dir", shared, "run", tiny_case, "--out", tmp_path / "out")
    assert result.exit_code == int(ExitCode.OUTPUT), result.stderr
    assert "not private" in result.stderr
    assert stat.S_IMODE(planted.stat().st_mode) == 0o777 and not list(planted.iterdir())


@pytest.mark.parametrize("damage", ["empty json", "cut json", "cut parquet", "other rows"])
def test_a_damaged_entry_is_read_again_and_written_anew(tmp_path: Path, damage: str) -> None:
    # A full disk or a killed run used to leave an entry that made every later run fail.
    case = write_case(tmp_path / "c")
    first = run(case, tmp_path / "one")
    folder = case.parent / ".scoping-cache"
    metas = staged(folder, ".json")
    assert len(metas) == 2
    meta = metas[0]
    parquet = meta.with_suffix(".parquet")
    if damage == "empty json":
        meta.write_bytes(b"")
    elif damage == "cut json":
        meta.write_bytes(meta.read_bytes()[:7])
    elif damage == "cut parquet":
        parquet.write_bytes(parquet.read_bytes()[: parquet.stat().st_size // 2])
    else:  # a whole Parquet file, but not the one the entry vouches for
        other = staged(folder, ".parquet")
        donor = next(p for p in other if p != parquet)
        parquet.write_bytes(donor.read_bytes())
        data = json.loads(meta.read_text(encoding="utf-8"))
        data["rows"] += 1000
        meta.write_text(json.dumps(data), encoding="utf-8")
    second = run(case, tmp_path / "two")
    assert sorted(cached(second)) == [False, True]
    assert second["outputs"] == first["outputs"]
    # Rebuilt whole: the next run reads both from the cache again, and nothing is left over.
    assert cached(run(case, tmp_path / "three")) == [True, True]
    assert sorted(p.suffix for p in staged(folder)) == [".json", ".json", ".parquet", ".parquet"]


def test_cache_entries_are_written_under_a_temporary_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entry's .json is renamed into place: a run killed while writing it leaves no
    entry at all, rather than an empty or cut one under the final name."""
    import scoping.cache

    written: list[str] = []
    real_replace = Path.replace

    def replace(self: Path, target: Path) -> Path:
        if Path(target).parent.name == ".scoping-cache" and Path(target).name.count(".") == 1:
            written.append(Path(target).suffix)
            assert ".partial-" in self.name
        return real_replace(self, target)

    monkeypatch.setattr(scoping.cache.Path, "replace", replace)
    case = write_case(tmp_path / "c")
    run(case, tmp_path / "one")
    assert sorted(written) == [".json", ".json", ".parquet", ".parquet"]
