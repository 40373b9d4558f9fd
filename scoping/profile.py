"""Where a run's time and memory go: `run --profile` records, per step, its seconds and the
peak resident memory of the process while it ran, into the manifest.

The steps are those the pipeline announces to its progress callback, so the profile needs no
hook of its own: a `Profiler` is a progress callback that passes each step on. Memory is
sampled from a background thread (the engine runs in native threads, so the samples are
taken while a statement runs, not only between statements).
"""

from __future__ import annotations

import resource
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

SAMPLE_SECONDS = 0.05
_PAGE = resource.getpagesize()
_STATM = Path("/proc/self/statm")


def resident_bytes() -> int:
    """The process's resident memory now (Linux), else its peak so far."""
    try:
        return int(_STATM.read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


class Profiler:
    """A progress callback that times each step and keeps its peak resident memory."""

    def __init__(self, progress: Callable[[str, duckdb.DuckDBPyConnection], None]) -> None:
        self._progress = progress
        self._steps: list[dict[str, Any]] = []
        self._step: str | None = None
        self._started = 0.0
        self._peak = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, name="profile", daemon=True)

    def __enter__(self) -> Profiler:
        self._sampler.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._sampler.join()

    def __call__(self, step: str, con: duckdb.DuckDBPyConnection) -> None:
        self._close()
        with self._lock:
            self._step, self._started, self._peak = step, time.perf_counter(), resident_bytes()
        self._progress(step, con)

    def finish(self) -> list[dict[str, Any]]:
        """The steps so far, the current one closed now: name, seconds, peak RSS in MiB."""
        self._close()
        return list(self._steps)

    def _close(self) -> None:
        with self._lock:
            if self._step is None:
                return
            peak = max(self._peak, resident_bytes())
            self._steps.append(
                {
                    "step": self._step,
                    "seconds": round(time.perf_counter() - self._started, 3),
                    "peak_rss_mib": round(peak / 2**20, 1),
                }
            )
            self._step = None

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_SECONDS):
            now = resident_bytes()
            with self._lock:
                self._peak = max(self._peak, now)
