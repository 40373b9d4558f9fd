"""`run --profile`: each step's seconds and peak memory in the manifest, and only then."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from conftest import invoke

from scoping.profile import Profiler

STEPS = [
    "reading the case",
    "staging inputs",
    "checking customer keys",
    "parsing the access log",
    "computing exposure",
    "keeping the computed tables",  # for the investigation commands (the cache is on)
    "counting",
    "writing outputs",
]


def manifest(out: Path) -> dict[str, Any]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_profile_records_every_step_in_the_manifest(tiny_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke("run", str(tiny_case), "--out", str(out), "--profile")
    assert result.exit_code == 0, result.stderr
    profile = manifest(out)["profile"]
    assert [p["step"] for p in profile] == STEPS
    assert all(p["seconds"] >= 0 and p["peak_rss_mib"] > 0 for p in profile)


def test_without_profile_the_manifest_has_none(tiny_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("run", str(tiny_case), "--out", str(out)).exit_code == 0
    assert "profile" not in manifest(out)


def test_a_peak_inside_a_step_is_seen_even_when_gone_by_its_end() -> None:
    seen: list[str] = []
    with Profiler(lambda step, _con: seen.append(step)) as profiler:
        profiler("big", None)  # type: ignore[arg-type]
        block = bytearray(300 * 2**20)
        block[:: 2**12] = b"x" * len(block[:: 2**12])  # touch every page: resident
        time.sleep(0.3)
        del block
        time.sleep(0.1)
        profiler("small", None)  # type: ignore[arg-type]
        time.sleep(0.1)
        steps = profiler.finish()
    assert seen == ["big", "small"]
    big, small = steps
    assert big["peak_rss_mib"] - small["peak_rss_mib"] > 200
    assert big["seconds"] >= 0.4
