"""CSV dialects DuckDB's sniffer gets wrong, and the lines that make it fail.

DuckDB detects a CSV file's dialect from a sample of its start. A real extract can defeat
it: a quoted line break far into a Windows file makes the parser reach "an invalid state";
one quote left open in a file whose values are all quoted makes it choose no quote at all,
so every value keeps its quotes. What DuckDB reports then is a sniffing error or a line
number that is not the line at fault. This module reads what is needed to do better, in
Python, reading only what it must: the header record in a given dialect (to keep the
dialect whose header holds the case's columns), and the first line that is too long, whose
line ending differs from the first line's, or where quoting breaks. It returns names and
line numbers, never values.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scoping import transcode

# The delimiters tried, in this order, when DuckDB's sniffer fails or finds a header without
# the case's columns; the quote is always `"`, doubled to escape itself (RFC 4180).
DELIMITERS = (";", ",", "\t", "|")
QUOTE = '"'
# DuckDB's read_csv reads no line of 2,000,000 bytes or more (its max_line_size, counting a
# line's ending after its first byte); a longer line fails the file with a wrong line number,
# or is dropped without a reject.
LINE_LIMIT = 2_000_000


@contextlib.contextmanager
def _text(path: Path) -> Iterator[io.TextIOWrapper]:
    """A UTF-8 file DuckDB reads (transcoded before if need be), as Python's csv reads it."""
    with (
        transcode.open_binary(path) as raw,
        io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="") as text,
    ):
        yield text


def header(
    path: Path, delimiter: str, quote: str, escape: str | None, has_header: bool
) -> list[str] | None:
    """The column names of a file read in a dialect, as DuckDB names them (`column0`, ...
    for a file without a header line); None when the first record cannot be read. A quote
    or escape `(empty)` (as DuckDB reports none) is none."""
    options = _options(delimiter, quote, escape)
    try:
        with _text(path) as text:
            first = next(csv.reader(text, **options), None)
    except (csv.Error, OSError, EOFError):
        return None
    if first is None:
        return []
    if has_header:
        return first
    width = len(str(len(first) - 1))
    return [f"column{i:0{width}d}" for i in range(len(first))]


def _options(delimiter: str, quote: str | None, escape: str | None) -> dict[str, Any]:
    """Python csv options for a dialect as DuckDB states it."""
    quote = None if quote in (None, "", "(empty)") else quote
    escape = None if escape in (None, "", "(empty)") else escape
    options: dict[str, Any] = {"delimiter": delimiter.replace("\\t", "\t"), "strict": True}
    if quote is None:
        return {**options, "quoting": csv.QUOTE_NONE, "escapechar": escape}
    return {
        **options,
        "quotechar": quote,
        "doublequote": escape in (None, quote),
        "escapechar": escape if escape != quote else None,
    }


def duplicates(names: list[str]) -> set[str]:
    return {n for n in names if names.count(n) > 1}


def unique(names: list[str]) -> list[str]:
    """Column names made unique as DuckDB does (`a`, `a_1`, `a_2`)."""
    seen: set[str] = set()
    result = []
    for name in names:
        unique_name, n = name, 0
        while unique_name in seen:
            n += 1
            unique_name = f"{name}_{n}"
        seen.add(unique_name)
        result.append(unique_name)
    return result


def long_line(path: Path) -> int | None:
    """The first line (1-based) DuckDB cannot read for its length, or None. A stretch longer
    than a 1 MiB chunk without a line feed is the only place such a line can be, so only the
    first and last line feed of each chunk are looked at: this runs at the speed of reading.
    A file ended by carriage returns alone is not checked."""
    line, since = 1, 0
    with transcode.open_binary(path) as raw:
        while chunk := raw.read(transcode.CHUNK):
            first = chunk.find(b"\n")
            if first < 0:
                if b"\r" in chunk:
                    return None
                since += len(chunk)
                if since >= LINE_LIMIT:
                    return line
                continue
            if since + first >= LINE_LIMIT:
                return line
            line += chunk.count(b"\n")
            since = len(chunk) - 1 - chunk.rfind(b"\n")
    return line if since >= LINE_LIMIT else None


_TOKENS = re.compile(r'"|\r\n|\n|\r')


def ending_change(path: Path, quote: str | None = QUOTE) -> int | None:
    """The first line (1-based) whose line ending, outside quoted values, is not that of the
    first line (two extracts, one from Windows, concatenated), or None."""
    tokens = re.compile(_TOKENS.pattern.replace('"', re.escape(quote))) if quote else _TOKENS
    line, first, quoted = 1, None, False
    with _text(path) as text:
        pending = ""
        while chunk := text.read(transcode.CHUNK):
            block = pending + chunk
            # A carriage return at the end of a chunk may be the start of CR LF.
            pending = "\r" if block.endswith("\r") else ""
            block = block[: len(block) - len(pending)]
            for match in tokens.finditer(block):
                token = match.group()
                if token == quote:
                    quoted = not quoted
                    continue
                if not quoted:
                    if first is None:
                        first = token
                    elif token != first:
                        return line
                line += 1
    return None


def quoting_break(path: Path, delimiter: str, quote: str, escape: str | None) -> int | None:
    """The line (1-based) where a file stops being well quoted in a dialect, as Python's
    strict csv reader finds it, or None."""
    csv.field_size_limit(sys.maxsize)
    with _text(path) as text:
        reader = csv.reader(text, **_options(delimiter, quote, escape))
        try:
            for _ in reader:
                pass
        except csv.Error:
            return reader.line_num
    return None
