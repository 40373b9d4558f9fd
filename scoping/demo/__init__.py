"""A synthetic breach case: customers, monthly access logs and a case file, made up in DuckDB.

The case imitates the incident the tool is built around: an account of a partner agency of
the fictional operator "Telco Nova" (`PRT-0042`, and `PRT-0043`... with `partners` > 1)
consults a large part of the customer base, evenings and weekends included, while about
forty ordinary agents work office hours. Everything is invented; the example contact points
must never be used (emails use the reserved `example` domains, but phone numbers follow the
Belgian numbering plan and could exist).

Why it is built this way:
- Every value is a pure function of (seed, row number, salt) through `hash()`, never
  `random()`, and every file is written by `COPY ... ORDER BY`: the same arguments give
  byte-identical files whatever the thread count (for a given DuckDB version).
- All rows are made by vectorised SQL over `range()`; Python only computes a few scalars
  (counts, coprime multipliers) and binds them as parameters. 1M customers and 10M events
  take about 20 s on two cores; 10M and 100M about 4 minutes (with a 6 GB memory limit).
- The data carries the traps a scoping run must handle: accounts of one person (same names
  modulo case/accents, birth date, email or mobile), households sharing an address and a
  fixed line or an email, twins, minors, missing emails and phones, phone numbers in mixed
  formats, Brussels bilingual addresses, exports with many customers in one event, events
  just outside the window, events near midnight local time, and customer ids that are not
  in the customer table.

Where things are:
- `generator.py`: arguments, the few scalars computed in Python, and the order of the
  statements; `generate` is the entry point.
- `sql/`: one statement per file (macros, reference tables, customers, events, one COPY per
  log month), each with a header saying what it computes and which values it binds.
- `data/`: the places (postal codes, cities, regions, telephone zones), first and last
  names, streets, email domains, mobile prefixes and holidays, as CSV or one value a line.
  Their rows and order are part of the output: changing them changes every generated case.
- `case.toml.template`: the case file, with the suspect accounts and the window filled in.

Regenerate the shipped example (from the repository root):

    python -c "from pathlib import Path; from scoping.demo import generate; \
generate(Path('examples/telecom'), customers=3000, events=30000, overwrite=True)"
"""

from scoping.demo.generator import (
    AGENT_IDS,
    CASE_TOML,
    CUSTOMERS_HEADER,
    EMAIL_DOMAINS,
    EXPORT_SHARE,
    FIRST_SUSPECT,
    FIXED_MULTIPLIER,
    HOLIDAYS,
    LOG_HEADER,
    MARGIN_DAYS,
    MAX_PARTNERS,
    MOBILE_PREFIXES,
    NAME_POOLS,
    OFFICE_HOURS,
    OUTSIDE_SHARE,
    PLACES,
    SCREENS,
    SUSPECT_HOURS,
    SUSPECT_SHARE,
    TARGET_SHARE,
    TIMEZONE,
    DemoError,
    GeneratedCase,
    coprime_near,
    generate,
)
from scoping.demo.reference import NamePool, Place

__all__ = [
    "AGENT_IDS",
    "CASE_TOML",
    "CUSTOMERS_HEADER",
    "EMAIL_DOMAINS",
    "EXPORT_SHARE",
    "FIRST_SUSPECT",
    "FIXED_MULTIPLIER",
    "HOLIDAYS",
    "LOG_HEADER",
    "MARGIN_DAYS",
    "MAX_PARTNERS",
    "MOBILE_PREFIXES",
    "NAME_POOLS",
    "OFFICE_HOURS",
    "OUTSIDE_SHARE",
    "PLACES",
    "SCREENS",
    "SUSPECT_HOURS",
    "SUSPECT_SHARE",
    "TARGET_SHARE",
    "TIMEZONE",
    "DemoError",
    "GeneratedCase",
    "NamePool",
    "Place",
    "coprime_near",
    "generate",
]
