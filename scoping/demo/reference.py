"""The generator's reference lists (places, names, streets, email domains, ...), read from the
data files packaged beside this module.

They are data, not code: an investigator can read or extend them without touching Python, and
the SQL receives them as bound lists. A data file is UTF-8 text; lines starting with `#` are
comments. The `.csv` files have a header line; the `.txt` files hold one value a line. The
order of the rows is part of the generated output, so the loaders keep it.
"""

from __future__ import annotations

import csv
from importlib import resources
from typing import NamedTuple


class Place(NamedTuple):
    """A postal code of the embedded table; `weight` sets how often it is drawn."""

    postal_code: str
    city: str  # the Dutch name in Brussels
    region: str  # VL, WAL, BRU (bilingual) or DG (German-speaking)
    zone: str  # telephone zone with its trunk 0
    weight: int
    city_fr: str | None = None  # the French name, in Brussels only


class NamePool(NamedTuple):
    """First names, last names and street names of one origin (a language or `xx`, mixed)."""

    first: tuple[str, ...]
    last: tuple[str, ...]
    streets: tuple[str, ...]


def _lines(name: str) -> list[str]:
    """The lines of a data file that are not comments."""
    text = (resources.files("scoping.demo") / "data" / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if not line.startswith("#")]


def _rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(_lines(name)))


def values(name: str) -> tuple[str, ...]:
    """A one-value-a-line data file (`.txt`), blank lines skipped."""
    return tuple(line.strip() for line in _lines(name) if line.strip())


def places() -> tuple[Place, ...]:
    """places.csv, in file order."""
    return tuple(
        Place(
            row["postal_code"],
            row["city"],
            row["region"],
            row["zone"],
            int(row["weight"]),
            row["city_fr"] or None,
        )
        for row in _rows("places.csv")
    )


def name_pools() -> dict[str, NamePool]:
    """first_names.csv, last_names.csv and streets.csv grouped by origin, in the order the
    origins first appear in first_names.csv (an origin may have no streets)."""
    lists: dict[str, dict[str, list[str]]] = {}
    for kind in ("first", "last", "streets"):
        file = "streets.csv" if kind == "streets" else f"{kind}_names.csv"
        for row in _rows(file):
            pool = lists.setdefault(row["origin"], {"first": [], "last": [], "streets": []})
            pool[kind].append(row["name"])
    return {
        origin: NamePool(tuple(pool["first"]), tuple(pool["last"]), tuple(pool["streets"]))
        for origin, pool in lists.items()
    }
