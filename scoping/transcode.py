"""Text encodings of CSV extracts: detect them, and turn anything but UTF-8 into UTF-8.

DuckDB reads UTF-8 natively; Windows-1252 would need an extension that must be downloaded,
which is impossible offline. So a file that is not UTF-8 is transcoded here, streaming in
1 MiB chunks (never whole in memory), into a private work folder, and DuckDB reads the copy.

Detection: a byte-order mark decides (UTF-8, UTF-16 LE/BE); otherwise the whole file is
checked as UTF-8 with an incremental decoder, and a file that is not valid UTF-8 is read as
Windows-1252 (the encoding of a Belgian Excel export, a superset of Latin-1's printable
characters). Gzip-compressed files are detected by their magic bytes and decompressed.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import os
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from scoping import private, targets
from scoping.errors import InputError

CHUNK = 1 << 20
ENCODINGS = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "utf-16": "utf-16",
    "utf16": "utf-16",
    "latin-1": "latin-1",
    "latin1": "latin-1",
    "iso-8859-1": "latin-1",
    "windows-1252": "cp1252",
    "cp1252": "cp1252",
}


def is_gzip(path: Path) -> bool:
    """Whether a file is gzip-compressed, by its first bytes (not its name)."""
    with path.open("rb") as probe:
        return probe.read(2) == b"\x1f\x8b"


@contextlib.contextmanager
def decompressing(path: Path) -> Iterator[None]:
    """A gzip file cut short or damaged is an input error naming the file (Python's gzip
    module raises EOFError or BadGzipFile, which say nothing of which file)."""
    try:
        yield
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(
            f"{path}: the compressed file is cut short or damaged ({type(exc).__name__})",
            "copy or export the file again, and check it with gzip -t",
        ) from None


def open_binary(path: Path) -> BinaryIO:
    if is_gzip(path):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def detect(path: Path) -> str:
    """The Python codec name a file's text is in (see the module docstring for the rule)."""
    with decompressing(path), open_binary(path) as handle:
        head = handle.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            decoder.decode(head)
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def codec(name: str) -> str:
    """The Python codec for an encoding named in a case file."""
    try:
        return ENCODINGS[name.lower()]
    except KeyError:
        raise InputError(
            f"unknown encoding {name!r}", f"use one of {', '.join(sorted(set(ENCODINGS)))}"
        ) from None


def to_utf8(path: Path, encoding: str, target: Path) -> None:
    """Write `path`'s text, decoded from `encoding`, as UTF-8 into `target` (mode 0600)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    if encoding == "cp1252":
        # The five bytes Windows-1252 leaves undefined are read as their Latin-1 code points,
        # as Windows itself does, rather than failing on one odd byte.
        decoder = codecs.getincrementaldecoder(encoding)(errors="latin1_fallback")
    with decompressing(path), open_binary(path) as source:
        with writing_copy(target, path):
            sink = os.fdopen(
                os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, private.FILE_MODE), "wb"
            )
        try:
            while chunk := source.read(CHUNK):
                text = decoder.decode(chunk).encode("utf-8")
                with writing_copy(target, path):
                    sink.write(text)
            with writing_copy(target, path):
                sink.write(decoder.decode(b"", final=True).encode("utf-8"))
                sink.flush()
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path}: not valid {encoding} text (byte offset {exc.start} of a chunk)",
                "set the right encoding in the case file",
            ) from None
        finally:
            with contextlib.suppress(OSError):
                sink.close()


@contextlib.contextmanager
def writing_copy(target: Path, source: Path) -> Iterator[None]:
    """Writing the UTF-8 copy into the work folder failed (a full disk): an output error on
    that folder, not an input error on the file being copied."""
    try:
        yield
    except OSError as exc:
        raise targets.write_error(target.parent, exc, f"the UTF-8 copy of {source.name}") from None


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error("latin1_fallback", _latin1_fallback)
