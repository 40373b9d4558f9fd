"""The query files ship with the package: a built wheel carries them, and an editable
install (which imports scoping from the source tree) finds them beside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from scoping import db

ROOT = Path(__file__).resolve().parent.parent
SOURCE_QUERIES = sorted(
    p.relative_to(ROOT / "queries").as_posix() for p in (ROOT / "queries").rglob("*.sql")
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (ROOT / "pyproject.toml").exists():
        pytest.skip("not a source checkout")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (built,) = out.glob("scoping-*.whl")
    return built


def test_wheel_carries_every_query(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    prefix = "scoping/queries/"
    packaged = sorted(
        n.removeprefix(prefix) for n in names if n.startswith(prefix) and n.endswith(".sql")
    )
    assert packaged == SOURCE_QUERIES


def test_wheel_carries_the_hotline_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    source = Path(__file__).resolve().parent.parent / "scoping" / "templates"
    expected = {f"scoping/templates/{p.name}" for p in source.iterdir() if p.is_file()}
    assert {"scoping/templates/words.toml", "scoping/templates/page.html"} <= expected
    assert expected <= names


def test_installed_wheel_reads_its_own_queries(wheel: Path, tmp_path: Path) -> None:
    zipfile.ZipFile(wheel).extractall(tmp_path)
    code = (
        "from scoping import db, investigate; d = db.queries_dir(); print(d);"
        " print(len(db.catalogue()) + len(investigate.catalogue(None)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=True,
    )
    where, count = done.stdout.split()
    assert Path(where) == tmp_path / "scoping" / "queries"
    assert int(count) == len(SOURCE_QUERIES)


def test_source_tree_finds_the_top_level_queries() -> None:
    if (ROOT / "scoping" / "queries").exists():
        pytest.skip("running from an installed wheel layout")
    assert db.queries_dir() == ROOT / "queries"
    top = sorted(f"{name}.sql" for name in db.catalogue())
    assert top == [q for q in SOURCE_QUERIES if "/" not in q]
