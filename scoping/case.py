"""The case file: one TOML file per investigation, validated on load.

Unknown keys are errors, because a typo must never silently widen or narrow the scope. Every
error names the file and the key. Paths are relative to the case file's folder; globs are
expanded here, in sorted order, so that a run reads its inputs in a stable order, and two
paths that reach one file are refused, so that no file is read twice.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import itertools
import os
import re
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scoping import db
from scoping.errors import CaseError, InputError

MAX_FIELDS = 62  # field sets are BIGINT bitmasks; keep clear of the sign bit
FORMATS = ("csv", "tsv", "parquet", "jsonl")
UNMAPPED = ("error", "all-fields", "ignore")
# Values that stand for a missing one in real extracts: not data, not a contact point. A
# value made only of punctuation (`-`, `?`) never counts either, whatever the list says.
DEFAULT_MISSING_VALUES = (
    "n/a",
    "n.a.",
    "#n/a",
    "nvt",
    "n.v.t.",
    "null",
    "none",
    "unknown",
    "onbekend",
    "geen",
    "inconnu",
    "unbekannt",
)
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_EXTENSIONS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
# Names the outputs use for their own columns, in lower case; a field may not take one of
# them in any case.
RESERVED_NAMES = frozenset(
    {
        "customer_key",
        "match_key",
        "categories",
        "first_exposure_utc",
        "last_exposure_utc",
        "events",
        "actors",
        "exposed_mask",
        "available_mask",
        "source_file",
        "source_row",
        "person_ref",
        "language_ref",
        "deceased_ref",
    }
)


@dataclass(frozen=True)
class CsvOptions:
    """CSV options the case sets; None means "detect"."""

    delimiter: str | None = None
    quote: str | None = None
    escape: str | None = None
    header: bool = True
    encoding: str | None = None


@dataclass(frozen=True)
class InputFile:
    """One input file with the format it is read as."""

    path: Path
    format: str
    csv: CsvOptions = CsvOptions()


@dataclass(frozen=True)
class Field:
    """A customer field the case declares: where it comes from, its bit in field masks, and
    the placeholder values that do not count as data in it (folded: see fold_label)."""

    name: str
    column: str
    category: str
    bit: int
    missing_values: tuple[str, ...] = ()

    @property
    def mask(self) -> int:
        return 1 << self.bit


@dataclass(frozen=True)
class Customers:
    files: tuple[InputFile, ...]
    key: str
    fields: tuple[Field, ...]
    strip_key_zeros: bool = True
    missing_values: tuple[str, ...] = ()  # [customers] missing_values, as written


@dataclass(frozen=True)
class AccessLog:
    files: tuple[InputFile, ...]
    timestamp: str
    actor: str
    record: str
    action: str
    timezone: str | None = None  # zone of naive timestamps; None: the case's
    timestamp_formats: tuple[str, ...] = ()
    record_list: str | None = None  # None: one key per row; "json"; or a separator
    fields: str | None = None  # column naming the fields an event displayed
    fields_separator: str = ","
    team: str | None = None  # column with the actor's team or organisation (peer groups)


@dataclass(frozen=True)
class Scope:
    actors: tuple[str, ...]
    actors_file: Path | None
    start: str | None  # as written, read in the case timezone unless it carries an offset
    end: str | None
    unmapped: str = "error"  # what to do with actions missing from [actions]
    allow_actors_without_events: bool = False  # go on when an actor has no event in the logs


@dataclass(frozen=True)
class Recipients:
    """How affected records become people to notify ([recipients]; see README)."""

    first_name: str
    last_name: str
    birth_date: str
    email: str | None
    phones: tuple[str, ...]
    address: tuple[str, ...]  # letter lines' fields in order, e.g. street, number, code, city
    postal_code: str | None
    person_column: str | None
    language_column: str | None
    deceased_column: str | None
    default_region: str
    default_language: str
    channels: tuple[str, ...]
    minor_age: int
    notification_date: str
    csv_dialect: str
    postal_languages: tuple[tuple[int, int, str], ...]  # (from, to, language) inclusive
    labels: dict[str, dict[str, str]]  # category -> language -> label
    formats: tuple[str, ...] = ("csv",)  # file formats of the recipient lists


CHANNELS = ("email", "sms", "letter")
LANGUAGES = ("nl", "fr", "de", "en")
DIALECTS = ("standard", "excel-be")
RECIPIENT_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class Case:
    path: Path
    id: str
    title: str
    timezone: str
    customers: Customers
    access_log: AccessLog
    actions: dict[str, tuple[str, ...]]
    scope: Scope
    max_rejected: int = 0
    field_aliases: dict[str, str] = field(default_factory=dict)  # label -> field name
    recipients: Recipients | None = None
    query_dirs: tuple[Path, ...] = ()  # the investigators' own .sql folders
    engine: dict[str, Any] = field(default_factory=dict)  # [engine]: resources for DuckDB

    @property
    def categories(self) -> tuple[str, ...]:
        """Categories in the order of their first declared field."""
        return tuple(dict.fromkeys(f.category for f in self.customers.fields))

    def action_mask(self, action: str) -> int:
        by_name = {f.name: f for f in self.customers.fields}
        mask = 0
        for name in self.actions[action]:
            mask |= by_name[name].mask
        return mask

    @property
    def input_files(self) -> tuple[InputFile, ...]:
        return self.customers.files + self.access_log.files

    def display_path(self, path: Path) -> str:
        """A path as outputs show it: relative to the case folder when it lies below it, so
        that the same case gives the same outputs wherever it is kept."""
        try:
            return path.resolve().relative_to(self.path.parent.resolve()).as_posix()
        except ValueError:
            return path.resolve().as_posix()


def load_case(path: Path | str) -> Case:
    """Read and validate a case file; raise `CaseError` naming the file and key on any problem."""
    path = Path(path)
    if not path.is_file():
        raise CaseError(f"{path}: case file not found", "give the path of a .toml case file")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CaseError(f"{path}: not valid TOML: {exc}", "fix the syntax at that place") from None
    except UnicodeDecodeError:
        raise CaseError(f"{path}: not UTF-8 text", "save the case file as UTF-8") from None
    return _Reader(path).case(raw)


class _Reader:
    """Walks the parsed TOML; each method validates one table and names keys in errors."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.base = path.parent

    def fail(self, key: str, message: str, hint: str | None = None) -> CaseError:
        return CaseError(f"{self.path}: [{key}] {message}", hint)

    def table(self, raw: Any, key: str, required: set[str], optional: set[str]) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(key, "must be a table")
        unknown = sorted(set(raw) - required - optional)
        if unknown:
            allowed = ", ".join(sorted(required | optional))
            raise self.fail(key, f"unknown key {unknown[0]!r}", f"allowed keys: {allowed}")
        missing = sorted(required - set(raw))
        if missing:
            raise self.fail(key, f"missing key {missing[0]!r}")
        return raw

    def string(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string")
        return value

    def case(self, raw: dict[str, Any]) -> Case:
        top = self.table(
            raw,
            "top level",
            {"case", "customers", "access_log", "actions", "scope"},
            {"field_aliases", "recipients", "engine"},
        )
        meta = self.table(
            top["case"], "case", {"id"}, {"title", "timezone", "max_rejected", "queries"}
        )
        query_dirs = meta.get("queries", [])
        if isinstance(query_dirs, str):
            query_dirs = [query_dirs]
        if not isinstance(query_dirs, list) or not all(isinstance(d, str) for d in query_dirs):
            raise self.fail("case.queries", "must be a folder or a list of folders of .sql files")
        for folder in query_dirs:
            if not (self.base / folder).is_dir():
                raise self.fail("case.queries", f"folder not found: {self.base / folder}")
        max_rejected = meta.get("max_rejected", 0)
        if not isinstance(max_rejected, int) or isinstance(max_rejected, bool) or max_rejected < 0:
            raise self.fail("case.max_rejected", "must be a whole number, 0 or more")
        timezone = self.string(meta.get("timezone", "UTC"), "case.timezone")
        _check_timezone(timezone, self)
        customers = self.customers(top["customers"])
        return Case(
            path=self.path,
            id=self.string(meta["id"], "case.id"),
            title=str(meta.get("title", "")),
            timezone=timezone,
            customers=customers,
            access_log=self.access_log(top["access_log"]),
            actions=self.actions(top["actions"], customers.fields),
            scope=self.scope(top["scope"]),
            max_rejected=max_rejected,
            query_dirs=tuple(self.base / d for d in query_dirs),
            engine=self.engine(top.get("engine", {})),
            field_aliases=self.aliases(top.get("field_aliases", {}), customers.fields),
            recipients=self.recipients(top["recipients"], customers.fields)
            if "recipients" in top
            else None,
        )

    def recipients(self, raw: Any, fields: tuple[Field, ...]) -> Recipients:
        key = "recipients"
        names = {"first_name", "last_name", "birth_date"}
        optional = {
            "email",
            "phones",
            "address",
            "postal_code",
            "person_column",
            "language_column",
            "deceased_column",
            "default_region",
            "default_language",
            "channels",
            "minor_age",
            "notification_date",
            "csv_dialect",
            "formats",
            "postal_languages",
            "labels",
        }
        table = self.table(raw, key, names, optional)
        declared = {f.name for f in fields}

        def field_name(name: str) -> str:
            value = self.string(table[name], f"{key}.{name}")
            if value not in declared:
                raise self.fail(f"{key}.{name}", f"{value!r} is not a declared field")
            return value

        def field_list(name: str) -> tuple[str, ...]:
            value = table.get(name, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise self.fail(f"{key}.{name}", "must be a list of declared field names")
            for v in value:
                if v not in declared:
                    raise self.fail(f"{key}.{name}", f"{v!r} is not a declared field")
            return tuple(value)

        def optional_string(name: str) -> str | None:
            return self.string(table[name], f"{key}.{name}") if name in table else None

        channels = field_list_of(
            self, table.get("channels", list(CHANNELS)), f"{key}.channels", CHANNELS
        )
        formats = field_list_of(
            self, table.get("formats", ["csv"]), f"{key}.formats", RECIPIENT_FORMATS
        )
        if "csv" not in formats:
            raise self.fail(
                f"{key}.formats",
                "must hold csv: the CSV files are the lists later waves compare with",
                'e.g. formats = ["csv", "xlsx"]',
            )
        dialect = table.get("csv_dialect", "standard")
        if dialect not in DIALECTS:
            raise self.fail(f"{key}.csv_dialect", f"must be one of {', '.join(DIALECTS)}")
        language = table.get("default_language", "en")
        if not _is_language(language):
            raise self.fail(
                f"{key}.default_language",
                f"must be one of {', '.join(LANGUAGES)} (or two joined by +)",
            )
        minor_age = table.get("minor_age", 18)
        if not isinstance(minor_age, int) or isinstance(minor_age, bool) or not 0 < minor_age < 30:
            raise self.fail(f"{key}.minor_age", "must be a whole number of years, e.g. 18")
        date = table.get("notification_date")
        if date is None:
            raise self.fail(
                f"{key}.notification_date",
                "is needed to tell who is a minor when notified",
                'e.g. notification_date = "2026-12-01"',
            )
        date_text = date.isoformat() if isinstance(date, dt.date) else str(date)
        if not _real_iso_date(date_text):
            raise self.fail(f"{key}.notification_date", "must be a date that exists, as yyyy-mm-dd")
        return Recipients(
            first_name=field_name("first_name"),
            last_name=field_name("last_name"),
            birth_date=field_name("birth_date"),
            email=field_name("email") if "email" in table else None,
            phones=field_list("phones"),
            address=field_list("address"),
            postal_code=field_name("postal_code") if "postal_code" in table else None,
            person_column=optional_string("person_column"),
            language_column=optional_string("language_column"),
            deceased_column=optional_string("deceased_column"),
            default_region=self.string(table.get("default_region", "BE"), f"{key}.default_region"),
            default_language=language,
            channels=channels,
            minor_age=minor_age,
            notification_date=date_text,
            csv_dialect=dialect,
            postal_languages=self.postal_languages(table.get("postal_languages", {})),
            labels=self.labels(table.get("labels", {})),
            formats=formats,
        )

    def postal_languages(self, raw: Any) -> tuple[tuple[int, int, str], ...]:
        key = "recipients.postal_languages"
        if not isinstance(raw, dict):
            raise self.fail(key, 'must be a table of "from-to" = "language"')
        ranges = []
        for span, language in raw.items():
            match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", span)
            if not match or not _is_language(language):
                raise self.fail(
                    f"{key}.{span!r}", 'write "1000-1299" = "nl+fr" (languages nl, fr, de, en)'
                )
            low = int(match.group(1))
            high = int(match.group(2) or low)
            if high < low:
                raise self.fail(f"{key}.{span!r}", "the range ends before it starts")
            ranges.append((low, high, language))
        ranges.sort()
        for (_, high, _), (low, _, _) in itertools.pairwise(ranges):
            if low <= high:
                raise self.fail(
                    key, f"ranges overlap at {low}", "make every postal code fall in one range"
                )
        return tuple(ranges)

    def labels(self, raw: Any) -> dict[str, dict[str, str]]:
        key = "recipients.labels"
        if not isinstance(raw, dict):
            raise self.fail(key, "must be a table of category = { nl = ..., fr = ... }")
        labels: dict[str, dict[str, str]] = {}
        for category, by_language in raw.items():
            table = self.table(by_language, f"{key}.{category}", set(), set(LANGUAGES))
            labels[category] = {
                lang: self.string(v, f"{key}.{category}.{lang}") for lang, v in table.items()
            }
        return labels

    def engine(self, raw: Any) -> dict[str, Any]:
        table = self.table(raw, "engine", set(), {"memory_limit", "threads", "temp_dir"})
        engine: dict[str, Any] = {}
        if "memory_limit" in table:
            limit = self.string(table["memory_limit"], "engine.memory_limit")
            problem = db.memory_limit_problem(limit)
            if problem:
                raise self.fail("engine.memory_limit", problem)
            engine["memory_limit"] = limit
        if "threads" in table:
            threads = table["threads"]
            if not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
                raise self.fail("engine.threads", "must be a whole number, 1 or more")
            engine["threads"] = threads
        if "temp_dir" in table:
            folder = self.base / self.string(table["temp_dir"], "engine.temp_dir")
            if not folder.is_dir():
                raise self.fail("engine.temp_dir", f"folder not found: {folder}")
            engine["temp_directory"] = str(folder)
        return engine

    def aliases(self, raw: Any, fields: tuple[Field, ...]) -> dict[str, str]:
        if not isinstance(raw, dict):
            raise self.fail("field_aliases", "must be a table of label = field name")
        declared = [f.name for f in fields]
        # Labels are compared after clean_text and lower(), so collisions are looked for the
        # same way: a field's own name already matches in any case, and an alias that could
        # stand for a field's name or another alias would decide a label two ways.
        own_name = "a field's name matches its labels in any case; remove the alias"
        taken = {fold_label(name): (f"the field name {name!r}", own_name) for name in declared}
        aliases: dict[str, str] = {}
        for label, name in raw.items():
            key = f"field_aliases.{label!r}"
            if name not in declared:
                raise self.fail(
                    key,
                    f"field {name!r} is not declared in [customers.fields]",
                    f"declared fields: {', '.join(declared)}",
                )
            folded = fold_label(label)
            if not folded:
                raise self.fail(key, "is blank: a label needs a name", "remove it")
            if folded in taken:
                other, hint = taken[folded]
                raise self.fail(
                    key,
                    f"is {other} when letter case and surrounding blanks are ignored,"
                    " as labels are compared",
                    hint,
                )
            taken[folded] = (f"the same label as the alias {label!r}", "keep one alias per label")
            aliases[strip_blanks(label)] = name
        return aliases

    def files(self, table: dict[str, Any], key: str) -> tuple[InputFile, ...]:
        value = table["path"]
        patterns = [value] if isinstance(value, str) else value
        if not isinstance(patterns, list) or not patterns:
            raise self.fail(f"{key}.path", "must be a path, a glob or a list of them")
        options = self.csv_options(table.get("csv", {}), f"{key}.csv")
        forced = table.get("format")
        if forced is not None and forced not in FORMATS:
            raise self.fail(f"{key}.format", f"unknown format {forced!r}", f"one of {FORMATS}")
        found: list[Path] = []
        for pattern in patterns:
            pattern = self.string(pattern, f"{key}.path")
            matches = [m for m in self.matches(pattern) if os.path.lexists(m)]
            for match in matches:
                # Never dropped silently: a glob's match that cannot be read stops the run.
                problem = not_a_readable_file(match)
                if problem:
                    raise InputError(
                        f"{self.path}: [{key}.path] {pattern!r} matches {self.shown(match)!r},"
                        f" which is {problem}",
                        "remove it, or narrow the path so that it matches only the extracts",
                    )
            if not matches:
                raise self.fail(
                    f"{key}.path",
                    f"no file matches {pattern!r} (looked in {self.base})",
                    "check the path; it is relative to the case file",
                )
            found.extend(m for m in matches if m not in found)
        self.distinct(found, f"{key}.path")
        return tuple(InputFile(p, forced or _format_of(p, self, key), options) for p in found)

    def distinct(self, paths: list[Path], key: str) -> None:
        """Stop when two paths are one file (through `..`, a symbolic or a hard link): its
        rows would be read, counted and exposed twice."""
        seen: dict[tuple[int, int], Path] = {}
        for path in paths:
            status = path.stat()
            first = seen.setdefault((status.st_dev, status.st_ino), path)
            if first is path:
                continue
            real = path.resolve()
            why = (
                f"both resolve to {self.shown(real)}"
                if real == first.resolve()
                else "hard links to one file"
            )
            raise self.fail(
                key,
                f"{self.shown(first)!r} and {self.shown(path)!r} are the same file ({why})",
                "list each file once: remove one of the two paths, or narrow the glob that"
                " matches both",
            )

    def shown(self, path: Path) -> str:
        """A path as the case names it: relative to the case folder when below it."""
        for base in (self.base, self.base.resolve()):
            with contextlib.suppress(ValueError):
                return path.relative_to(base).as_posix()
        return path.as_posix()

    def matches(self, pattern: str) -> list[Path]:
        """The files a path names: a name that is a file is that file, even with glob
        characters in it (`log[1].csv`); only otherwise is it a pattern, matched in sorted
        order below the case folder, whose own name is never read as a pattern."""
        full = self.base / pattern
        if full.is_file() or not glob.has_magic(pattern):
            return [full]
        return sorted(self.base / p for p in glob.glob(pattern, root_dir=self.base))

    def csv_options(self, raw: Any, key: str) -> CsvOptions:
        table = self.table(raw, key, set(), {"delimiter", "quote", "escape", "header", "encoding"})
        for name in ("delimiter", "quote", "escape"):
            value = table.get(name)
            if value is not None and (not isinstance(value, str) or len(value) != 1):
                raise self.fail(f"{key}.{name}", "must be one character", 'e.g. ";" or "\\t"')
        header = table.get("header", True)
        if not isinstance(header, bool):
            raise self.fail(f"{key}.header", "must be true or false")
        encoding = table.get("encoding")
        if encoding is not None:
            from scoping.transcode import ENCODINGS

            if not isinstance(encoding, str) or encoding.lower() not in ENCODINGS:
                known = ", ".join(sorted(set(ENCODINGS)))
                raise self.fail(
                    f"{key}.encoding", f"unknown encoding {encoding!r}", f"one of {known}"
                )
        return CsvOptions(
            table.get("delimiter"), table.get("quote"), table.get("escape"), header, encoding
        )

    def customers(self, raw: Any) -> Customers:
        table = self.table(
            raw,
            "customers",
            {"path", "key", "fields"},
            {"format", "csv", "key_leading_zeros", "missing_values"},
        )
        missing = self.missing_values(
            table.get("missing_values", list(DEFAULT_MISSING_VALUES)), "customers.missing_values"
        )
        zeros = table.get("key_leading_zeros", "strip")
        if zeros not in ("strip", "keep"):
            raise self.fail("customers.key_leading_zeros", 'must be "strip" or "keep"')
        fields_raw = table["fields"]
        if not isinstance(fields_raw, dict) or not fields_raw:
            raise self.fail("customers.fields", "must declare at least one field")
        if len(fields_raw) > MAX_FIELDS:
            raise self.fail(
                "customers.fields", f"declares {len(fields_raw)} fields; at most {MAX_FIELDS}"
            )
        fields = []
        # A field's name becomes a column name, and DuckDB compares those without regard to
        # case: `Email` beside `email`, or `Events`, would clash with a column in the engine
        # or be renamed in the outputs.
        seen: dict[str, str] = {}
        for bit, (name, spec) in enumerate(fields_raw.items()):
            key = f"customers.fields.{name}"
            self.identifier(name, key)
            folded = name.lower()
            ignored = f" ({folded!r} when letter case is ignored, as column names are compared)"
            if folded in RESERVED_NAMES:
                raise self.fail(
                    key,
                    f"{name!r} is a name the outputs use{'' if name == folded else ignored}",
                    "rename the field",
                )
            if folded in seen:
                raise self.fail(
                    key,
                    f"{name!r} is the field {seen[folded]!r} declared before it{ignored}",
                    "give each field a name of its own",
                )
            seen[folded] = name
            own = missing
            if isinstance(spec, str):
                column, category = spec, name
            else:
                spec = self.table(spec, key, {"column"}, {"category", "missing_values"})
                column = spec["column"]
                category = spec.get("category", name)
                if "missing_values" in spec:
                    own = self.missing_values(spec["missing_values"], f"{key}.missing_values")
            column = self.string(column, f"{key}.column")
            self.identifier(self.string(category, f"{key}.category"), f"{key}.category")
            folded_missing = tuple(dict.fromkeys(fold_label(v) for v in own))
            fields.append(Field(name, column, category, bit, folded_missing))
        return Customers(
            files=self.files(table, "customers"),
            key=self.string(table["key"], "customers.key"),
            fields=tuple(fields),
            strip_key_zeros=zeros == "strip",
            missing_values=missing,
        )

    def missing_values(self, raw: Any, key: str) -> tuple[str, ...]:
        """A list of placeholder values; a blank one is an error (blanks never count)."""
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise self.fail(key, "must be a list of texts", 'write missing_values = ["n/a"]')
        if any(not strip_blanks(v) for v in raw):
            raise self.fail(key, "lists a blank value", "blank values never count as data")
        return tuple(raw)

    def access_log(self, raw: Any) -> AccessLog:
        names = {"path", "timestamp", "actor", "record", "action"}
        table = self.table(
            raw,
            "access_log",
            names,
            {
                "format",
                "csv",
                "timezone",
                "timestamp_formats",
                "record_list",
                "fields",
                "fields_separator",
                "team",
            },
        )
        record_list = table.get("record_list")
        if record_list is not None:
            record_list = self.string(record_list, "access_log.record_list")
        fields_column = table.get("fields")
        if fields_column is not None:
            fields_column = self.string(fields_column, "access_log.fields")
        separator = self.string(table.get("fields_separator", ","), "access_log.fields_separator")
        timezone = table.get("timezone")
        if timezone is not None:
            _check_timezone(
                self.string(timezone, "access_log.timezone"), self, "access_log.timezone"
            )
        formats = table.get("timestamp_formats", [])
        if not isinstance(formats, list) or not all(
            isinstance(f, str) and "%" in f for f in formats
        ):
            raise self.fail(
                "access_log.timestamp_formats",
                "must be a list of strftime formats",
                'e.g. ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S%z"]',
            )
        _check_formats(formats, self, "access_log.timestamp_formats")
        team = table.get("team")
        return AccessLog(
            team=self.string(team, "access_log.team") if team is not None else None,
            record_list=record_list,
            fields=fields_column,
            fields_separator=separator,
            timezone=timezone,
            timestamp_formats=tuple(formats),
            files=self.files(table, "access_log"),
            timestamp=self.string(table["timestamp"], "access_log.timestamp"),
            actor=self.string(table["actor"], "access_log.actor"),
            record=self.string(table["record"], "access_log.record"),
            action=self.string(table["action"], "access_log.action"),
        )

    def actions(self, raw: Any, fields: tuple[Field, ...]) -> dict[str, tuple[str, ...]]:
        if not isinstance(raw, dict) or not raw:
            raise self.fail("actions", "must map at least one action to the fields it displays")
        declared = [f.name for f in fields]
        actions: dict[str, tuple[str, ...]] = {}
        spelt: dict[str, str] = {}  # action as compared -> as the case first wrote it
        for action, shown in raw.items():
            key = f"actions.{action!r}"
            # The log's actions are compared after clean_text: the case's must be too, and
            # two spellings of one action would silently keep only one mapping.
            name = strip_blanks(action)
            if not name:
                raise self.fail(key, "is blank: an action needs a name", "remove it")
            if name in spelt:
                raise self.fail(
                    key,
                    "is declared twice (after trimming spaces)",
                    f"it is the same action as {spelt[name]!r}; keep one mapping",
                )
            spelt[name] = action
            if shown == "*":
                actions[name] = tuple(declared)
                continue
            if not isinstance(shown, list) or not all(isinstance(s, str) for s in shown):
                raise self.fail(key, 'must be a list of field names or "*"')
            for field_name in shown:
                if field_name not in declared:
                    raise self.fail(
                        key,
                        f"field {field_name!r} is not declared in [customers.fields]",
                        f"declared fields: {', '.join(declared)}",
                    )
            actions[name] = tuple(n for n in declared if n in shown)
        return actions

    def scope(self, raw: Any) -> Scope:
        table = self.table(
            raw,
            "scope",
            set(),
            {"actors", "actors_file", "start", "end", "unmapped", "allow_actors_without_events"},
        )
        allow = table.get("allow_actors_without_events", False)
        if not isinstance(allow, bool):
            raise self.fail("scope.allow_actors_without_events", "must be true or false")
        unmapped = table.get("unmapped", "error")
        if unmapped not in UNMAPPED:
            raise self.fail("scope.unmapped", f"must be one of {', '.join(UNMAPPED)}")
        actors: list[str] = []
        if "actors" in table:
            value = table["actors"]
            if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
                raise self.fail("scope.actors", "must be a list of account names")
            # Trimmed as the log's actors are (clean_text), so that the two compare alike.
            actors.extend(strip_blanks(a) for a in value if strip_blanks(a))
        actors_file = None
        if "actors_file" in table:
            actors_file = self.base / self.string(table["actors_file"], "scope.actors_file")
            if not actors_file.is_file():
                raise self.fail("scope.actors_file", f"file not found: {actors_file}")
            actors.extend(_read_actor_lines(actors_file, self))
        if not actors:
            raise self.fail("scope", "names no actor", "set actors = [...] or actors_file")
        return Scope(
            actors=tuple(sorted(set(actors))),
            actors_file=actors_file,
            start=self.instant(table.get("start"), "scope.start"),
            end=self.instant(table.get("end"), "scope.end"),
            unmapped=unmapped,
            allow_actors_without_events=allow,
        )

    def instant(self, value: Any, key: str) -> str | None:
        """A window bound as ISO text; TOML dates and datetimes are accepted as written."""
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        text = self.string(value, key).strip()
        if not _BOUND.match(text):
            raise self.fail(
                key,
                "is not an ISO 8601 date or date-time",
                'write "2026-09-01", "2026-09-01 08:00" or "2026-09-01T08:00:00+02:00"',
            )
        return text

    def identifier(self, name: str, key: str) -> None:
        if not _IDENT.match(name):
            raise self.fail(key, f"{name!r} is not a plain name", "use letters, digits and _")


def not_a_readable_file(path: Path) -> str | None:
    """Why `path` cannot be read as an input (a link to nothing, a folder, a named pipe, a
    device, a file this user may not read); None for a readable regular file. A pipe is
    never opened: reading it would wait for a writer."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a symbolic link to nothing" if path.is_symlink() else "missing"
    except OSError as exc:
        return f"out of reach ({exc.strerror})"
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    )
    for test, kind in kinds:
        if test(mode):
            return kind
    if not stat.S_ISREG(mode):
        return "not a regular file"
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        return f"not readable ({exc.strerror})"
    return None


def _real_iso_date(text: str) -> bool:
    """Whether `text` is yyyy-mm-dd naming a day that exists (2026-02-30 does not)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


_BOUND = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$"
)


# The blanks clean_text (queries/macro_clean_text.sql) removes around a value: what the case
# names is compared with what the logs hold only once both lost the same ones.
BLANKS = " \t\n\r\u00a0\ufeff"


def strip_blanks(text: str) -> str:
    """`text` without surrounding blanks, as clean_text removes them in SQL."""
    return text.strip(BLANKS)


def fold_label(text: str) -> str:
    """A field label as queries/field_label_masks.sql compares it: clean_text, then lower().
    DuckDB lowers each code point alone; Python agrees on each but U+0130 (İ), which DuckDB
    lowers to a plain i, and lowering a whole string would apply the final-sigma rule."""
    return "".join("i" if c == "\u0130" else c.lower() for c in strip_blanks(text))


def _format_of(path: Path, reader: _Reader, key: str) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    fmt = _EXTENSIONS.get(suffixes[-1]) if suffixes else None
    if fmt is None:
        raise reader.fail(
            f"{key}.path",
            f"cannot tell the format of {path.name} from its extension",
            f"set {key}.format to one of {', '.join(FORMATS)}",
        )
    return fmt


def _read_actor_lines(path: Path, reader: _Reader) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise reader.fail("scope.actors_file", f"{path} is not UTF-8 text") from None
    return [s for s in (strip_blanks(line.split("#", 1)[0]) for line in lines) if s]


def _check_timezone(name: str, reader: _Reader, key: str = "case.timezone") -> None:
    import duckdb

    con = duckdb.connect()
    try:
        known = con.execute(
            "SELECT count(*) FROM pg_timezone_names() WHERE name = $name", {"name": name}
        ).fetchone()
    finally:
        con.close()
    if not known or not known[0]:
        raise reader.fail(
            key,
            f"unknown time zone {name!r}",
            'use an IANA name such as "Europe/Brussels"',
        )


def _check_formats(formats: list[str], reader: _Reader, key: str) -> None:
    """Ask the engine that will read the timestamps whether it knows every code of every
    format: an unknown one (`%Q`) would otherwise stop the run half-way as a query error."""
    import duckdb

    con = duckdb.connect()
    try:
        for i, fmt in enumerate(formats):
            try:
                con.execute("SELECT try_strptime('', $fmt)", {"fmt": fmt})
            except duckdb.Error as exc:
                first = str(exc).strip().splitlines()[0]
                why = first.partition(f"{fmt}: ")[2] or first
                raise reader.fail(
                    key,
                    f"format {i + 1} ({fmt!r}) cannot be used: {why}",
                    "see https://duckdb.org/docs/sql/functions/dateformat for the codes",
                ) from None
    finally:
        con.close()


def _is_language(value: Any) -> bool:
    return isinstance(value, str) and all(part in LANGUAGES for part in value.split("+"))


def field_list_of(
    reader: _Reader, value: Any, key: str, allowed: tuple[str, ...]
) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(v in allowed for v in value):
        raise reader.fail(key, f"must be a list drawn from {', '.join(allowed)}")
    if len(set(value)) != len(value):
        raise reader.fail(key, "names one of them twice")
    return tuple(value)
