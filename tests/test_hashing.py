import contextlib
import hashlib
import threading
from concurrent.futures import CancelledError, Future
from pathlib import Path

import pytest

from scoping.case import InputFile
from scoping.hashing import CHUNK, Hasher, sha256_file
from scoping.sources import StagedFile


def test_background_hashes_are_those_of_the_bytes(tmp_path: Path) -> None:
    files = {
        "empty": b"",
        "one chunk": b"x" * 10,
        "chunks": bytes(range(256)) * (CHUNK // 256 * 3 + 7),
    }
    hasher = Hasher()
    try:
        futures = {}
        for name, data in files.items():
            (tmp_path / name).write_bytes(data)
            futures[name] = hasher.start(tmp_path / name)
        for name, data in files.items():
            assert futures[name].result() == hashlib.sha256(data).hexdigest(), name
            assert sha256_file(tmp_path / name) == hashlib.sha256(data).hexdigest(), name
    finally:
        hasher.close()


def test_a_closed_hasher_gives_no_partial_hash(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.write_bytes(b"y" * (CHUNK * 64))
    hasher = Hasher()
    running, waiting = hasher.start(big), hasher.start(big)
    hasher.close()
    # The hash that was running stops (or had finished); the one waiting never starts.
    with contextlib.suppress(CancelledError):
        assert running.result() == hashlib.sha256(big.read_bytes()).hexdigest()
    assert waiting.cancelled()
    stop = threading.Event()
    stop.set()
    with pytest.raises(CancelledError):
        sha256_file(big, stop)


def test_a_staged_file_whose_hash_was_stopped_is_hashed_again(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(b"event_time,user_id\n")
    stopped: Future[str] = Future()
    stopped.cancel()
    staged = StagedFile(1, "access_log", InputFile(path, "csv"), 1, digest=stopped)
    assert staged.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
