"""The one family of errors the library raises.

The library never prints or exits: it raises a `ScopingError` carrying a message (what went
wrong, where) and a hint (what to do). Only the CLI turns it into an exit code and one line on
stderr. Messages name files, lines, keys and columns, never personal values.
"""

from __future__ import annotations

from enum import IntEnum


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
