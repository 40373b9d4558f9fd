"""What each packaged query creates and reads, read from its SQL, and a check that steps ran
in an order that creates every table, view, macro and variable before a step reads it.

The order of the steps is declared once, by the code that runs them, and the engine boundary
records it (`db.ran`, the manifest's queries). The dependencies are not written a second
time: they are read from each statement (`CREATE ... name`, `SET VARIABLE name`; `FROM name`,
`JOIN name`, `name(`, `getvariable('name')`), as sqlmesh reads a model's, and
graphlib.TopologicalSorter checks that they form no cycle.
"""

from __future__ import annotations

import graphlib
import re
from functools import cache

from scoping import db

_NAME = r"([A-Za-z_][A-Za-z0-9_]*)"
_CREATE = re.compile(
    r"\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?(TABLE|VIEW|MACRO)\s+"
    r"(?:IF\s+NOT\s+EXISTS\s+)?" + _NAME,
    re.IGNORECASE,
)
_VARIABLE = re.compile(r"\bSET\s+VARIABLE\s+" + _NAME, re.IGNORECASE)
_RELATION = re.compile(r"\b(?:FROM|JOIN)\s+" + _NAME, re.IGNORECASE)
_CALL = re.compile(_NAME + r"\s*\(")
_GET = re.compile(r"\bgetvariable\s*\(\s*'" + _NAME + "'", re.IGNORECASE)


def _body(q: db.Query) -> str:
    """The statement without its comments (a header may name tables it does not read)."""
    return "\n".join(line.split("--", 1)[0] for line in q.text.splitlines())


def creates(q: db.Query) -> str | None:
    """The table, view, macro or variable a query creates (None for one that only reads or
    updates)."""
    body = _body(q)
    found = _CREATE.search(body)
    if found:
        return found.group(2).lower()
    variable = _VARIABLE.search(body)
    return variable.group(1).lower() if variable else None


@cache
def producers() -> dict[str, frozenset[str]]:
    """Each name packaged queries create, and the queries that create it (csv_safe has two:
    the workbooks replace the CSV files' macro)."""
    made: dict[str, set[str]] = {}
    for q in db.catalogue().values():
        if name := creates(q):
            made.setdefault(name, set()).add(q.name)
    return {name: frozenset(queries) for name, queries in made.items()}


def reads(q: db.Query) -> dict[str, frozenset[str]]:
    """The names created by other packaged queries that `q` reads, calls or looks up, each
    with the queries that create it."""
    body = _body(q)
    used = {m.lower() for pattern in (_RELATION, _CALL, _GET) for m in pattern.findall(body)}
    used.discard(creates(q) or "")
    made = producers()
    return {name: made[name] for name in sorted(used) if name in made}


def check_order(names: list[str]) -> None:
    """Stop unless the steps `names`, run in that order, create every name before a step
    reads it: graphlib.TopologicalSorter finds a cycle among their dependencies
    (CycleError), then each step must come after a step that creates what it reads
    (ValueError)."""
    among = set(names)
    position = {n: i for i, n in reversed(list(enumerate(names)))}
    needs = {
        n: {k: by & among for k, by in reads(db.query(n)).items() if by & among} for n in names
    }

    def before(step: str, by: set[str]) -> set[str]:
        # A name made by several steps (a variant replaces the view it read, as
        # customers_history replaces customers): a step depends on those run before it.
        earlier = {b for b in by if position[b] < position[step]}
        return earlier or by

    graph = {
        n: set().union(*(before(n, by) for by in needed.values())) for n, needed in needs.items()
    }
    graphlib.TopologicalSorter(graph).prepare()
    seen: set[str] = set()
    for name in names:
        for needed, by in needs[name].items():
            if not by & seen:
                raise ValueError(f"step {name!r} reads {needed!r} before {sorted(by)} create it")
        seen.add(name)
