"""The one family of errors the library raises.

The library never prints or exits: it raises a `ScopingError` carrying a message (what went
wrong, where) and a hint (what to do). Only the CLI turns it into an exit code and one line on
stderr. Messages name files, lines, columns, counts and kinds of problem, never personal
values: a value read from an input file (an unknown action, a field label, a duplicated key,
a column name of a file) goes through `example` before it reaches a message or a file.
"""

from __future__ import annotations

import hashlib
import re
from enum import IntEnum

# An example value is shown as it is only when it is short and made only of the characters of
# identifiers, screen names and paths: `customer.detail`, `C-0042`, `/crm/report`, `{3F2B-...}`
# (a GUID as a ticket writes it). Anything else
# (an email's @, a URL's ?, = and &, a full name's space, accents) may be personal data.
EXAMPLE_MAX = 40
_EXAMPLE = re.compile(rf"[A-Za-z0-9_.:/{{}}-]{{0,{EXAMPLE_MAX}}}")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def example(value: object) -> str:
    """A value read from an input, as a message may show it: itself when it is short and made
    of identifier characters, else `sha256:` and the first 8 hex digits of its SHA-256 (UTF-8),
    which finds it again in SQL (`WHERE sha256(action) LIKE '1a2b3c4d%'`) without showing it."""
    text = str(value)
    if _EXAMPLE.fullmatch(text):
        return text
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def engine_message(exc: BaseException) -> str:
    """The engine's message for one stderr line: its first line only (later lines can quote a
    line of the file), and every quoted text in it through `example` (a conversion error
    quotes the value it could not convert)."""
    text = str(exc).strip()
    if not text:
        return type(exc).__name__
    return _QUOTED.sub(lambda m: m[0][0] + example(m[0][1:-1]) + m[0][0], text.splitlines()[0])


class ExitCode(IntEnum):
    """Exit codes of the `scoping` command, named once."""

    OK = 0
    UNEXPECTED = 1
    USAGE = 2
    CASE = 3
    INPUT = 4
    OUTPUT = 5
    QUERY = 6
    SCOPE = 7
    STATEMENT = 8


class ScopingError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code: ExitCode = ExitCode.UNEXPECTED
    title = "Error"

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message} ({self.hint})"


class CaseError(ScopingError):
    """The case file is missing, unparseable or inconsistent."""

    exit_code = ExitCode.CASE
    title = "Case file error"
    # Every problem found, when there are several: the CLI shows one line each.
    problems: tuple[object, ...] = ()
    heading = ""  # the line above them: the file and how many


class InputError(ScopingError):
    """An input extract is missing, unreadable or does not fit the case."""

    exit_code = ExitCode.INPUT
    title = "Input error"


class OutputError(ScopingError):
    """The output directory cannot be written as asked."""

    exit_code = ExitCode.OUTPUT
    title = "Output error"


class QueryError(ScopingError):
    """A query failed in the engine; the message names the query."""

    exit_code = ExitCode.QUERY
    title = "Query error"


class ScopeError(ScopingError):
    """The scope names what the logs do not hold (an actor with no event at all)."""

    exit_code = ExitCode.SCOPE
    title = "Scope error"


class StatementError(ScopingError):
    """The data contradict the controller's statement ([statement]): a category exposed that
    it does not name, or something it says was not involved that an in-scope action shows."""

    exit_code = ExitCode.STATEMENT
    title = "Statement contradicted"


class TemplateError(ScopingError):
    """A message template cannot be rendered as asked: an unknown variable, a syntax error,
    a text message longer than the case allows."""

    exit_code = ExitCode.CASE
    title = "Template error"


class SearchError(ScopingError):
    """A look-up cannot be made as asked: no kind of search, or a value that cannot be read
    (an impossible phone number). The message never quotes the value searched."""

    exit_code = ExitCode.USAGE
    title = "Look-up error"
