"""SHA-256 of files, on one background thread.

The manifest records the hash of every input and output file. At 100M events that is
gigabytes to read (9 s of a 10M-customer run with recipients), which the engine's own work
can hide: hashlib and file reads release the GIL, so a file is hashed beside DuckDB's
threads. `Hasher.start` begins a file's hash and returns its future; the manifest waits for
the result. One thread reads the files one after another, so that hashing never takes more
than one core from the engine.
"""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from pathlib import Path

CHUNK = 1 << 20  # inputs can be many gigabytes


def sha256_file(path: Path, stop: threading.Event | None = None) -> str:
    """SHA-256 of a file, read in 1 MiB chunks; CancelledError when `stop` is set first."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            if stop is not None and stop.is_set():
                raise CancelledError(f"hashing {path} was stopped")
            digest.update(chunk)
    return digest.hexdigest()


class Hasher:
    """Hashes files on a background thread; `close` abandons the hashes still running."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scoping-sha256")
        self._stop = threading.Event()

    def start(self, path: Path) -> Future[str]:
        return self._pool.submit(sha256_file, path, self._stop)

    def close(self) -> None:
        """Stop: a run that failed does not wait for the hash of a large file it no longer
        needs. A result not asked for before this raises CancelledError."""
        self._stop.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
