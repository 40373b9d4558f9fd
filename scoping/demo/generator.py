"""How a synthetic case is made: arguments, the few scalars computed in Python, and the order
of the SQL statements (`sql/`), fed with the reference lists (`data/`); the case file comes
from `case.toml.template`. See the package docstring for why it is built this way."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

import duckdb

from scoping import db, private, targets
from scoping.demo import reference, statements
from scoping.errors import ExitCode, OutputError, ScopingError

TIMEZONE = "Europe/Brussels"
MARGIN_DAYS = 7  # the log extract covers the window plus this many days on each side
OUTSIDE_SHARE = 0.01  # events (visits, exports) that fall in the margins
SUSPECT_SHARE = 0.24  # single-customer rows of the suspect account(s)
EXPORT_SHARE = 0.06  # rows written by report exports (80% of exports by the suspect)
TARGET_SHARE = 0.7  # part of the customer base the suspect walks through
FIRST_SUSPECT = 42  # PRT-0042, then PRT-0043, ...
MAX_PARTNERS = 50
AGENT_IDS = tuple(f"AGT-{n:04d}" for n in range(1, 33)) + tuple(
    f"PRT-{n:04d}"
    for n in range(1, 9)  # partner staff doing ordinary work
)
OFFICE_HOURS = (8, 9, 10, 11, 13, 14, 15, 16, 17)  # local hours an agent starts an action
# The suspect's local hours, repeated by weight: office hours, evenings and some nights.
SUSPECT_HOURS = tuple(range(8, 18)) * 2 + tuple(range(18, 24)) * 2 + (0, 1, 6, 7)
HOLIDAYS = reference.values("holidays.txt")  # fixed-date ones, MM-DD
EMAIL_DOMAINS = reference.values("email_domains.txt")  # reserved: no real mailbox can match
MOBILE_PREFIXES = reference.values("mobile_prefixes.txt")  # 25: 25 million mobile numbers
FIXED_MULTIPLIER = 7_654_321  # coprime with 10: scrambles fixed-line numbers bijectively
PLACES = reference.places()
NAME_POOLS = reference.name_pools()
SCREENS = ("customer.search", "customer.detail", "customer.contact", "report.export",
           "billing.view")  # fmt: skip

# The macros of sql/, in the order they must be defined (later ones call earlier ones).
MACROS = (
    "macro_draw",
    "macro_rnd",
    "macro_pick",
    "macro_scramble",
    "macro_account_role",
    "macro_region_language",
    "macro_birth_date",
    "macro_ascii_word",
    "macro_email_address",
    "macro_group_digits",
    "macro_fixed_format",
    "macro_mobile_format",
    "macro_typo",
    "macro_rewrite",
    "macro_name_variant",
    "macro_street_variant",
    "macro_house_variant",
    "macro_digit_off",
    "macro_date_variant",
    "macro_customer_rows",
)

# How duplicate accounts of one person look: `exact` (the same values, names in another case
# or without accents), or `noisy` (typed again with mistakes, plus look-alike different people,
# and truth.csv saying who is who).
DUPLICATES = ("exact", "noisy")

# The header lines of the files written by sql/customers.sql and sql/log_file.sql: with the case
# file, how a folder is recognised as a generated case (see _generated).
CUSTOMERS_HEADER = (
    "customer_id,first_name,last_name,street,house_number,postal_code,city,email,"
    "date_of_birth,fixed_phone,mobile_phone,language,brand"
)
LOG_HEADER = "event_id,event_time,user_id,screen,customer_id"
TRUTH_HEADER = "customer_id,person_id,kind,related_id"
HISTORY_HEADER = CUSTOMERS_HEADER + ",valid_from,valid_to"

CASE_TOML = Template(
    (resources.files("scoping.demo") / "case.toml.template").read_text(encoding="utf-8")
)
# The case file's [customer_history] section, when the case has a history.
HISTORY_TOML = (resources.files("scoping.demo") / "history.toml.template").read_text(
    encoding="utf-8"
)
HISTORY_SHARE = 0.05  # accounts with an earlier version, by default


class DemoError(ScopingError):
    """The demo generator was asked for something it cannot make."""

    exit_code = ExitCode.USAGE
    title = "Demo generator error"


@dataclass(frozen=True)
class GeneratedCase:
    """What `generate` wrote: paths and the row counts of each file."""

    case_path: Path
    customers_path: Path
    log_paths: tuple[Path, ...]
    customers: int
    events: int
    log_rows: tuple[int, ...]  # per log file, in the order of log_paths
    suspects: tuple[str, ...]
    truth_path: Path | None = None  # truth.csv, written with noisy duplicates only


def generate(
    out_dir: Path,
    customers: int,
    events: int,
    seed: int = 7,
    partners: int = 1,
    start: date = date(2026, 9, 1),
    days: int = 75,
    *,
    overwrite: bool = False,
    settings: db.Settings = db.DEFAULTS,
    duplicates: str = "exact",
    history: float = HISTORY_SHARE,
) -> GeneratedCase:
    """Write a synthetic case to out_dir: customers.csv, logs/access_YYYY-MM.csv, case.toml.

    With duplicates="noisy", a person's accounts are typed again with mistakes, look-alike
    different people (twins, parent and child of one name, homonyms, households) are added,
    and truth.csv says which person each account belongs to, for measuring deduplication.
    A share `history` of the accounts gets an earlier version in customer_history.csv (an
    email added after the window, a move during it, a mobile number changed before it), and
    one account the suspect consulted beyond the table is a customer deleted since; with 0,
    the case has no history.

    Same arguments, same bytes (thread count and memory settings do not matter). out_dir must
    be empty or absent unless overwrite is set, which replaces only the files written here,
    and only in a folder that holds a generated case (see `_generated`).
    """
    _check_arguments(customers, events, seed, partners, days)
    if duplicates not in DUPLICATES:
        raise DemoError(f"duplicates must be one of {', '.join(DUPLICATES)}")
    if not 0 <= history <= 1:
        raise DemoError("the history share must be between 0 and 1")
    noisy = duplicates == "noisy"
    suspects = _suspects(partners)
    _prepare_folder(out_dir, overwrite)
    # Spilled into a private folder inside --temp-dir, as a run does (private.work_folder).
    with private.work_folder(settings.temp_directory) as work:
        con = db.connect(settings, spill=work / "spill")
        try:
            con.execute("SET enable_progress_bar = false")  # the library never draws
            _define(con, suspects)
            customers_path = out_dir / "customers.csv"
            params = _customer_params(customers, seed, noisy)
            written = _copied(
                statements.run(con, "customers", {**params, "path": str(customers_path)})
            )
            truth_path = out_dir / "truth.csv" if noisy else None
            if truth_path is not None:
                statements.run(con, "truth", {**params, "path": str(truth_path)})
            ids = _build_events(con, customers, events, seed, suspects, start, days)
            log_paths, log_rows = _write_logs(con, out_dir / "logs", ids)
            if history > 0:
                deleted = f"C{max(customers, 9_000_000) + 1:07d}"  # as events.sql numbers it
                history_params = {
                    **params,
                    "share": history,
                    "start": start,
                    "days": days,
                    "deleted": deleted,
                    "path": str(out_dir / "customer_history.csv"),
                }
                statements.run(con, "history", history_params)
        finally:
            con.close()
    case_path = out_dir / "case.toml"
    with targets.writing(case_path):
        _write_case(case_path, suspects, start, days, history > 0)
    return GeneratedCase(
        case_path,
        customers_path,
        log_paths,
        written,
        sum(log_rows),
        log_rows,
        suspects,
        truth_path,
    )


def _check_arguments(customers: int, events: int, seed: int, partners: int, days: int) -> None:
    """Reject sizes the generator does not make sense for, before touching any file."""
    if not -(2**63) <= seed < 2**63:
        raise DemoError("the seed must fit in 64 bits")
    if customers < 1:
        raise DemoError("customers must be at least 1", "ask for --customers 1 or more")
    if events < 0:
        raise DemoError("events cannot be negative", "ask for --events 0 or more")
    if not 1 <= partners <= MAX_PARTNERS:
        raise DemoError(f"partners must be between 1 and {MAX_PARTNERS}")
    if days < 7:
        # a week always holds workdays, inside the window and in each margin
        raise DemoError("the window must last at least 7 days", "ask for days >= 7")


def _prepare_folder(out_dir: Path, overwrite: bool) -> None:
    """Create out_dir/logs; refuse a folder with other content, to never mix two cases.

    With overwrite, the files written here are replaced only when they are a generated case
    (`_generated`): an investigator's case folder uses the same names (case.toml,
    customers.csv, logs/) and must never lose its evidence to --force."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder", "choose a new folder")
    targets.check_writable(out_dir, out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        if not overwrite:
            raise OutputError(
                f"the output folder is not empty: {out_dir}",
                "choose a new folder, or pass --force (overwrite=True) to replace a generated case",
            )
        if not _generated(out_dir):
            raise OutputError(
                f"{out_dir}: is not a case generated by scoping demo generate (case.toml,"
                " customers.csv and logs/access_*.csv not exactly as generated); --force"
                " only replaces a generated case",
                "choose a new or empty folder",
            )
        ours = [out_dir / "case.toml", out_dir / "customers.csv", out_dir / "truth.csv"]
        ours.append(out_dir / "customer_history.csv")
        ours += sorted((out_dir / "logs").glob("access_*.csv"))
        with targets.writing(out_dir):
            for path in ours:
                path.unlink(missing_ok=True)
    with targets.writing(out_dir):
        (out_dir / "logs").mkdir(parents=True, exist_ok=True)


def _generated(out_dir: Path) -> bool:
    """Whether out_dir holds a case this generator wrote: its case.toml exactly as written
    for the window it names and the generator's suspect accounts, and customers.csv and
    logs/access_*.csv (those present) starting with the generator's header line. An edited
    case file is no longer the generator's."""
    try:
        text = (out_dir / "case.toml").read_text(encoding="utf-8")
        scope = tomllib.loads(text)["scope"]
        suspects = _suspects(len(scope["actors"]))
        expected = _case_text(suspects, scope["start"], scope["end"], "customer_history" in text)
    except (OSError, UnicodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError):
        return False
    logs = out_dir / "logs"
    if text != expected or (logs.exists() and not logs.is_dir()):
        return False
    files = [(out_dir / "customers.csv", CUSTOMERS_HEADER), (out_dir / "truth.csv", TRUTH_HEADER)]
    files.append((out_dir / "customer_history.csv", HISTORY_HEADER))
    files += [(p, LOG_HEADER) for p in sorted(logs.glob("access_*.csv"))]
    return all(_header(path) == header for path, header in files if path.exists())


def _header(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            return f.readline().rstrip(b"\r\n").decode("utf-8")
    except (OSError, UnicodeError):
        return None


def _define(con: duckdb.DuckDBPyConnection, suspects: tuple[str, ...]) -> None:
    """Macros, reference tables (places, names) and the enum types of the events table."""
    for name in MACROS:
        statements.run(con, name)
    statements.run(con, "place_slots", _place_params())
    statements.run(con, "name_pools", _name_params())
    statements.run(con, "actor_type", {"ids": [*AGENT_IDS, *suspects]})
    statements.run(con, "screen_type", {"screens": list(SCREENS)})


def _place_params() -> dict[str, Any]:
    return {
        "postal_codes": [p.postal_code for p in PLACES],
        "cities_nl": [p.city for p in PLACES],
        "cities_fr": [p.city_fr or p.city for p in PLACES],
        "regions": [p.region for p in PLACES],
        "zones": [p.zone for p in PLACES],
        "weights": [p.weight for p in PLACES],
    }


def _name_params() -> dict[str, Any]:
    return {
        "origins": list(NAME_POOLS),
        "first_names": [list(pool.first) for pool in NAME_POOLS.values()],
        "last_names": [list(pool.last) for pool in NAME_POOLS.values()],
        "streets": [list(pool.streets) for pool in NAME_POOLS.values()],
    }


def _customer_params(customers: int, seed: int, noisy: bool) -> dict[str, Any]:
    """The values customers.sql and truth.sql bind (all but the path)."""
    return {
        "seed": seed,
        "customers": customers,
        "slots": sum(p.weight for p in PLACES),
        "place_mult": coprime_near(customers, 0.618034),
        "place_shift": _shift(seed, customers, 1),
        "mobile_mult": coprime_near(25_000_000, 0.381966),
        "mobile_shift": _shift(seed, 25_000_000, 2),
        "fixed_mult": FIXED_MULTIPLIER,
        "domains": list(EMAIL_DOMAINS),
        "mobile_prefixes": list(MOBILE_PREFIXES),
        "noisy": noisy,
    }


def _build_events(
    con: duckdb.DuckDBPyConnection,
    customers: int,
    events: int,
    seed: int,
    suspects: tuple[str, ...],
    start: date,
    days: int,
) -> dict[str, Any]:
    """Make the events table (exactly `events` rows); return the event-id parameters."""
    target = max(1, math.ceil(customers * TARGET_SHARE))
    exports, export_rows = _plan_exports(con, seed, events, target)
    day_counts = _plan_calendar(con, start, days)
    singles = events - export_rows
    suspect_rows = round(singles * SUSPECT_SHARE)
    params = {
        "seed": seed,
        "customers": customers,
        "target": target,
        "outside": OUTSIDE_SHARE,
        "suspect_ids": list(suspects),
        "agent_ids": list(AGENT_IDS),
        "office_hours": list(OFFICE_HOURS),
        "suspect_hours": list(SUSPECT_HOURS),
        "walk_mult": coprime_near(customers, 0.414214),
        "walk_shift": _shift(seed, customers, 3),
        **day_counts,
        **_unknown_params(customers, events, suspect_rows, singles - suspect_rows),
    }
    statements.run(con, "events", params)
    (made,) = _fetch_ints(con, "event_count")
    if made != events:
        raise DemoError(f"internal error: {made} event rows made, {events} asked for")
    logical = max(1, singles + exports)
    return {
        "logical_events": logical,
        "id_mult": coprime_near(logical, 0.618034),
        "id_shift": _shift(seed, logical, 4),
    }


def _plan_exports(
    con: duckdb.DuckDBPyConnection, seed: int, events: int, target: int
) -> tuple[int, int]:
    """The exports table; returns how many exports and how many rows they write."""
    params = {"seed": seed, "export_rows": round(events * EXPORT_SHARE), "target": target}
    statements.run(con, "exports", params)
    exports, rows = _fetch_ints(con, "export_totals")
    return exports, rows


def _plan_calendar(con: duckdb.DuckDBPyConnection, start: date, days: int) -> dict[str, int]:
    """The day_slots table; returns the number of days of each kind inside and outside."""
    params = {
        "start": start,
        "days": days,
        "margin": MARGIN_DAYS,
        "timezone": TIMEZONE,
        "holidays": list(HOLIDAYS),
    }
    statements.run(con, "day_slots", params)
    counts = _fetch_ints(con, "day_counts")
    names = ("any_days_in", "any_days_out", "work_days_in", "work_days_out")
    return dict(zip(names, counts, strict=True))


def _unknown_params(
    customers: int, events: int, suspect_rows: int, agent_rows: int
) -> dict[str, int]:
    """A handful of visits and agent rows on ids beyond the customer table (C9000001...).

    They are spread evenly: every stride-th suspect visit or agent row, up to the count.
    """
    handful = 4 + events // 2_000_000
    visits = (suspect_rows + 1) // 2
    suspect_unknown = min(visits, (handful + 1) // 2)
    agent_unknown = min(agent_rows, handful // 2)
    return {
        "suspect_rows": suspect_rows,
        "agent_rows": agent_rows,
        "unknown_base": max(customers, 9_000_000),
        "suspect_unknown": suspect_unknown,
        "suspect_stride": max(1, visits // max(1, suspect_unknown)),
        "agent_unknown": agent_unknown,
        "agent_stride": max(1, agent_rows // max(1, agent_unknown)),
    }


def _write_logs(
    con: duckdb.DuckDBPyConnection, logs_dir: Path, ids: dict[str, Any]
) -> tuple[tuple[Path, ...], tuple[int, ...]]:
    """One file per UTC month the extract covers (header only when a month has no event)."""
    paths: list[Path] = []
    rows: list[int] = []
    for month_start, month_end in _months(con):
        path = logs_dir / f"access_{month_start:%Y-%m}.csv"
        params = {**ids, "month_start": month_start, "month_end": month_end, "path": str(path)}
        rows.append(_copied(statements.run(con, "log_file", params)))
        paths.append(path)
    return tuple(paths), tuple(rows)


def _months(con: duckdb.DuckDBPyConnection) -> list[tuple[datetime, datetime]]:
    """[start, end) of every UTC month that holds an hour of the extract."""
    cur = statements.run(con, "months")
    firsts: list[datetime] = [row[0] for row in cur.fetchall()]
    return [(m, _next_month(m)) for m in firsts]


def _next_month(first: datetime) -> datetime:
    return (first + timedelta(days=32)).replace(day=1)


def _write_case(
    path: Path, suspects: tuple[str, ...], start: date, days: int, history: bool
) -> None:
    """case.toml last, so that a case file only exists next to complete data."""
    end = start + timedelta(days=days)
    text = _case_text(suspects, start.isoformat(), end.isoformat(), history)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def _suspects(partners: int) -> tuple[str, ...]:
    """The generator's partner accounts: PRT-0042, PRT-0043, ..."""
    return tuple(f"PRT-{FIRST_SUSPECT + p:04d}" for p in range(partners))


def _case_text(suspects: tuple[str, ...], start: str, end: str, history: bool) -> str:
    actors = "[" + ", ".join(f'"{s}"' for s in suspects) + "]"
    section = HISTORY_TOML if history else ""
    return CASE_TOML.substitute(actors=actors, start=start, end=end, history=section)


def coprime_near(n: int, fraction: float) -> int:
    """The first integer from round(n * fraction) up that is coprime with n.

    Multiplying by it permutes [0, n) (see the scramble macro); a multiplier near n times an
    irrational fraction spreads consecutive numbers over the whole range.
    """
    candidate = max(1, round(n * fraction))
    while math.gcd(candidate, n) != 1:
        candidate += 1
    return candidate


def _shift(seed: int, n: int, salt: int) -> int:
    """A seed-dependent offset in [0, n) for a scramble (plain integer arithmetic)."""
    return (seed * 2_654_435_761 + salt * 40_503) % max(1, n)


def _copied(cur: duckdb.DuckDBPyConnection) -> int:
    """The row count a COPY statement reports."""
    row = cur.fetchone()
    return int(row[0]) if row else 0


def _fetch_ints(con: duckdb.DuckDBPyConnection, name: str) -> tuple[int, ...]:
    row = statements.run(con, name).fetchone()
    if row is None:
        raise DemoError(f"internal error: {name} returned no row")
    return tuple(int(v) for v in row)
