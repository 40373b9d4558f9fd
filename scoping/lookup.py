"""The hotline: "was I affected, and what of mine?", answered from an output set in a second.

`run` writes, with the recipients, a look-up index into the output set: every record of the
customer table, affected or not, with its person's exposure (lookup_records.parquet), and
the values an agent searches by, each pointing at its records (lookup_entries.parquet): the
key as matched, the valid email folded, each valid phone number in E.164, and the folded last
name with the birth date. Both files are sorted by what is searched, so a look-up reads one
row group of each; both are written by DuckDB from queries/lookup_*.sql, byte for byte the
same from the same inputs.

An agent's input is read as the run read the customer table: the phone through phonenumbers
with the case's default region (from the manifest), the email through the same folding, the
name through contacts.fold, the key and the birth date through the same SQL macros. "Not
affected" is an answer: a record of the table that no exposure reached is found and said so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from scoping import contacts, db, private, recipients
from scoping.case import Case
from scoping.errors import InputError, OutputError, SearchError

RECORDS_FILE = "lookup_records.parquet"
ENTRIES_FILE = "lookup_entries.parquet"
# Each index file and the query that gives its rows.
INDEX_FILES = {RECORDS_FILE: "lookup_records_file", ENTRIES_FILE: "lookup_entries_file"}
# Rows per row group. A look-up reads one group of each file, but its time grows with the
# number of groups (DuckDB goes through each group's metadata, column by column): at 10M
# customers a look-up took 63 ms at 16,384 rows a group, 28 ms at 32,768, 24 ms at 65,536
# and 32 ms at 131,072 (median of 40, on a busy 2-core machine).
ROW_GROUP_SIZE = 65_536
WORK_TABLES = ("recipient_emails", "recipient_phones", "lookup_records")
# What no step reads once lookup_records is made (the report reads the written files).
AFTER_RECORDS = ("recipient_source", "name_lookup", "recipients", "recipient_labels")
AUDIT_FILE = "lookup_audit.jsonl"
AUDIT_KEY_FILE = "lookup_audit.key"
KINDS = ("phone", "email", "key", "name")


def write_index(
    con: duckdb.DuckDBPyConnection, case: Case, folder: Path
) -> dict[str, tuple[Path, int]]:
    """Write the look-up index of a case whose recipients are built and written into
    `folder` (the output set being written, private); return each file with its rows. The
    recipients' work tables are dropped first (recipients.release): at 10M customers the
    index is otherwise built with the engine at its memory limit.

    The recipients normalised every record's values for it: name_lookup folds the names of
    every record (recipient_raw_names reads them all), recipient_emails and recipient_phones
    every record's email and phone numbers (contact_records)."""
    recipients.release(con)
    db.run(con, "lookup_records")
    # The index is the last reader of the customer records and the recipients, and
    # lookup_records holds what it needs of them: the two sorts get their memory (at 10M
    # customers under a 2GB limit, lookup_entries_file ran out of it with them kept).
    for table in AFTER_RECORDS:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    db.run(con, "lookup_entries")
    written = {}
    for name, query in INDEX_FILES.items():
        written[name] = (folder / name, _copy_parquet(con, query, folder / name))
    for table in WORK_TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.execute("DROP VIEW IF EXISTS lookup_entries")
    return written


def _copy_parquet(con: duckdb.DuckDBPyConnection, name: str, path: Path) -> int:
    """COPY a packaged query's rows to a Parquet file, in the query's order (DuckDB keeps it
    while preserve_insertion_order is on, its default), compressed with zstd."""
    body = db.query(name).text.strip().rstrip(";")
    sql = (
        f"COPY ({body}) TO {db.quote_literal(str(path))}"
        f" (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_SIZE})"
    )
    row = db.run_sql(con, name, sql).fetchone()
    db.record(con, name)
    return int(row[0]) if row else 0


def parameters(case: Case) -> dict[str, Any]:
    """What a look-up needs from the run, for the manifest (parameters.lookup): the files,
    and the rules its input is read by."""
    assert case.recipients is not None
    return {
        "files": list(INDEX_FILES),
        "default_region": case.recipients.default_region,
        "strip_key_zeros": case.customers.strip_key_zeros,
        "timezone": case.timezone,
    }


@dataclass(frozen=True)
class Search:
    """What an agent searches by: a phone number, an email, a key, or a last name with a
    birth date (narrowed by a first name or a postal code when given)."""

    phone: str | None = None
    email: str | None = None
    key: str | None = None
    last_name: str | None = None
    birth_date: str | None = None
    first_name: str | None = None
    postal_code: str | None = None

    @property
    def kind(self) -> str:
        """The one kind of search asked for; stops on none or several."""
        given = {
            "phone": _given(self.phone),
            "email": _given(self.email),
            "key": _given(self.key),
            "name": _given(self.last_name) or _given(self.birth_date),
        }
        kinds = [k for k, v in given.items() if v]
        if len(kinds) != 1:
            raise SearchError(
                "give one of: a phone number, an email address, a customer key, or a last"
                " name with a birth date",
                "e.g. --phone '0475 12 34 56', or --last-name NAME --birth-date 1980-04-30",
            )
        if kinds[0] == "name" and not (_given(self.last_name) and _given(self.birth_date)):
            raise SearchError(
                "a search by name needs both the last name and the birth date",
                "give --last-name and --birth-date (a first name or a postal code narrows it)",
            )
        return kinds[0]


def _given(value: str | None) -> bool:
    return value is not None and value.strip() != ""


@dataclass(frozen=True)
class Person:
    """One person a look-up found: an affected person (a recipient, with every record of
    theirs) or a record of the customer table that was not affected."""

    person_id: str  # the recipient_id, or the key of a record not affected
    first_name: str | None
    last_name: str | None
    birth_date: dt.date | None
    affected: bool
    keys: list[str]  # the records of the person (a record not affected: itself)
    matched_keys: list[str]  # those the search found
    categories: list[str] = field(default_factory=list)
    first_exposure_utc: str | None = None
    last_exposure_utc: str | None = None
    channel: str | None = None
    wave_status: str | None = None
    language: str | None = None
    minor: bool | None = None
    deceased: bool | None = None
    shared_contact: bool | None = None


@dataclass(frozen=True)
class Answer:
    """What a look-up found: the kind of search, and each person (affected ones first)."""

    kind: str
    persons: list[Person]
    # The searched value as the run reads it, kept for the audit's keyed hash only.
    normalised: str = field(repr=False, default="")


class Hotline:
    """An output set's look-up index, open for searches (from several threads: each search
    runs on its own cursor of one DuckDB connection)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        manifest = _manifest(out_dir)
        lookup = manifest.get("parameters", {}).get("lookup")
        missing = [f for f in INDEX_FILES if not (out_dir / f).is_file()]
        if lookup is None or missing:
            raise InputError(
                f"{out_dir}: this output set has no look-up index",
                "run the case again with a [recipients] section: run writes the index with"
                " the recipient lists",
            )
        self.case_id: str = manifest.get("case", {}).get("id", "")
        self.region: str = lookup["default_region"]
        self.timezone: str = lookup["timezone"]
        written = manifest["parameters"].get("recipients", {}).get("labels", {})
        self.labels = {
            c: {**recipients.DEFAULT_LABELS.get(c, {}), **written.get(c, {})}
            for c in {*recipients.DEFAULT_LABELS, *written}
        }
        self._files = {
            "entries": str(out_dir / ENTRIES_FILE),
            "records": str(out_dir / RECORDS_FILE),
        }
        self._con = duckdb.connect(":memory:")
        self._con.execute("SET TimeZone = 'UTC'")
        self._con.execute("SET enable_progress_bar = false")
        # The index files' footers are read once, not at every look-up.
        self._con.execute("SET parquet_metadata_cache = true")
        db.run(
            self._con,
            "case_options",
            {
                "sources": [],
                "strip_key_zeros": bool(lookup["strip_key_zeros"]),
                "missing_values": [],
                "history": False,
            },
        )
        for macro in ("macro_clean_text", "macro_normalize_key", "macro_parse_date"):
            db.run(self._con, macro)
        # The engine reads the two index files and nothing else from here on.
        db.lock(self._con, [], [out_dir / f for f in INDEX_FILES])
        self._lock = threading.Lock()

    def close(self) -> None:
        self._con.close()

    def search(self, search: Search) -> Answer:
        """The persons a search finds; a value that cannot be read stops with a SearchError
        (which never quotes it)."""
        kind = search.kind
        with self._lock:
            cur = self._con.cursor()
        try:
            value, first_key, postal = self._normalise(cur, kind, search)
            rows = db.fetch_dicts(
                cur,
                "lookup_search",
                {
                    **self._files,
                    "kind": kind,
                    "value": value,
                    "first_key": first_key,
                    "postal_code": postal,
                },
            )
        finally:
            cur.close()
        return Answer(kind, _persons(rows), value)

    def _normalise(
        self, cur: duckdb.DuckDBPyConnection, kind: str, search: Search
    ) -> tuple[str, str | None, str | None]:
        """The searched value as the index holds it, and the name search's narrowing."""
        if kind == "phone":
            e164, _ = contacts.normal_phone(search.phone or "", self.region)
            if e164 is None:
                raise SearchError(
                    f"the phone number given is not a possible number (read with the case's"
                    f" default region {self.region})",
                    "check the digits; a number of another country starts with + or 00",
                )
            return e164, None, None
        if kind == "email":
            email = contacts.normal_email(search.email or "")
            if email is None:
                raise SearchError(
                    "the email address given is not a valid address",
                    "check it for a typing error (one @, a domain with a dot)",
                )
            return email, None, None
        row = db.run(
            cur,
            "lookup_input",
            {"key": search.key, "birth_date": search.birth_date, "postal_code": search.postal_code},
        ).fetchone()
        assert row is not None
        match_key, birth, postal = row
        if kind == "key":
            if match_key is None:
                raise SearchError("the customer key given is blank", "give the key as written")
            return str(match_key), None, None
        last = contacts.fold(search.last_name or "")
        if not last:
            raise SearchError("the last name given has no letter", "give the last name")
        if birth is None:
            raise SearchError(
                "the birth date given cannot be read",
                "write it as yyyy-mm-dd (1980-04-30) or dd/mm/yyyy (30/04/1980)",
            )
        first = contacts.fold(search.first_name or "") or None
        return f"{last}|{birth.isoformat()}", first or None, postal


def _persons(rows: list[dict[str, Any]]) -> list[Person]:
    """The records found, one Person per recipient (its records together) or per record
    not affected; in the search's order (affected first, then by person and key)."""
    by_person: dict[str, Person] = {}
    for r in rows:
        pid = r["recipient_id"] or r["customer_key"]
        found = by_person.get(pid)
        if found is not None:
            found.matched_keys.append(r["customer_key"])
            continue
        affected = bool(r["affected"])
        by_person[pid] = Person(
            person_id=pid,
            # The name as the record found first spells it (the caller's, most likely).
            first_name=r["first_name"],
            last_name=r["last_name"],
            birth_date=r["birth_date"],
            affected=affected,
            keys=r["customer_keys"].split("|") if affected else [r["customer_key"]],
            matched_keys=[r["customer_key"]],
            categories=r["categories"].split("|") if r["categories"] else [],
            first_exposure_utc=r["first_exposure_utc"],
            last_exposure_utc=r["last_exposure_utc"],
            channel=r["channel"],
            wave_status=r["wave_status"],
            language=r["language"],
            minor=r["minor"],
            deceased=r["deceased"],
            shared_contact=r["shared_contact"],
        )
    return list(by_person.values())


def _manifest(out_dir: Path) -> dict[str, Any]:
    path = out_dir / "manifest.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"{out_dir}: not an output set of scoping (no manifest.json)",
            "give the folder that `scoping run --out` wrote",
        ) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot be read ({type(exc).__name__})") from None
    return data


@contextlib.contextmanager
def opened(out_dir: Path) -> Iterator[Hotline]:
    hotline = Hotline(out_dir)
    try:
        yield hotline
    finally:
        hotline.close()


class Audit:
    """The look-ups made on an output set, one JSON line each in lookup_audit.jsonl (0600,
    appended): when, the agent when named, the kind of search, how many persons matched, and
    the searched value only as an HMAC-SHA256 under the output set's own secret key
    (lookup_audit.key, 0600, made at the first look-up), of the value as the run reads it.
    Whoever holds the key can tell which look-ups searched a given number; nobody reads the
    number from the file."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / AUDIT_FILE
        try:
            self._key = _audit_key(out_dir / AUDIT_KEY_FILE)
        except OSError as exc:
            raise _unwritable(out_dir, exc) from None
        self._lock = threading.Lock()

    def digest(self, kind: str, normalised: str) -> str:
        return hmac.new(self._key, f"{kind}:{normalised}".encode(), hashlib.sha256).hexdigest()

    def record(self, answer: Answer, agent: str | None, via: str) -> None:
        line = {
            "time_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "agent": agent or None,
            "via": via,
            "kind": answer.kind,
            "persons": len(answer.persons),
            "affected": sum(p.affected for p in answer.persons),
            "value_hmac": self.digest(answer.kind, answer.normalised),
        }
        text = json.dumps(line, ensure_ascii=False) + "\n"
        with self._lock, private.files():
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, private.FILE_MODE)
                try:
                    os.write(fd, text.encode("utf-8"))
                finally:
                    os.close(fd)
            except OSError as exc:
                raise _unwritable(self.path.parent, exc) from None


def _unwritable(out_dir: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"{out_dir}: the look-up audit cannot be written ({exc.strerror})",
        "every look-up is audited in the output set: make it writable for this user",
    )


def _audit_key(path: Path) -> bytes:
    """The output set's audit key: read, or made (32 random bytes, hex, 0600)."""
    if not path.exists():
        with contextlib.suppress(FileExistsError):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, private.FILE_MODE)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    return bytes.fromhex(path.read_text(encoding="ascii").strip())
