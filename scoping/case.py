"""The case file: one TOML file per investigation, validated on load.

What a case file may say is declared once, in `scoping.casefile` (the models, and the JSON
Schema made from them); every problem is reported at once, each naming the file and the key.
This module resolves a valid file into the `Case` the rest of the code reads. Paths are
relative to the case file's folder; globs are expanded here, in sorted order, so that a run
reads its inputs in a stable order, and two paths that reach one file are refused, so that no
file is read twice.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scoping import casefile
from scoping.casefile import (
    BLANKS,
    CHANNELS,
    DEFAULT_MISSING_VALUES,
    DIALECTS,
    FORMATS,
    LANGUAGES,
    MAX_FIELDS,
    RECIPIENT_FORMATS,
    RESERVED_NAMES,
    UNMAPPED,
    CaseFile,
    Problem,
    fold_label,
    matches,
    postal_ranges,
    read_actor_lines,
    strip_blanks,
)
from scoping.errors import CaseError, InputError

__all__ = [
    "BLANKS",
    "CHANNELS",
    "DEFAULT_MISSING_VALUES",
    "DEFAULT_SOURCE",
    "DIALECTS",
    "FORMATS",
    "LANGUAGES",
    "MAX_FIELDS",
    "RECIPIENT_FORMATS",
    "RESERVED_NAMES",
    "UNMAPPED",
    "AccessLog",
    "Action",
    "Case",
    "CsvOptions",
    "Customers",
    "Field",
    "History",
    "Identity",
    "InputFile",
    "Recipients",
    "Scope",
    "fold_label",
    "load_case",
    "not_a_readable_file",
    "strip_blanks",
]

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
class Action:
    """What an action displays: its fields, and whether a row's fields column (when the source
    maps one) says better (false for an update, whose fields column lists what it changed)."""

    fields: tuple[str, ...]
    use_fields_column: bool = True


# The name of the one source of a case whose [access_log] gives none.
DEFAULT_SOURCE = "access_log"


@dataclass(frozen=True)
class AccessLog:
    """One access-log source: a system's log files, how to read them and what they mean."""

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
    name: str = DEFAULT_SOURCE
    record_separator: str | None = None  # with record_list "auto": a cell that is no JSON
    field_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # label -> fields
    actions: dict[str, Action] = field(default_factory=dict)  # the source's, else the case's


@dataclass(frozen=True)
class History:
    """The customers' earlier values ([customer_history]): versions with a validity interval,
    or a change log; `columns` maps each staged name to the extract's column."""

    files: tuple[InputFile, ...]
    form: str  # "intervals" or "changes"
    columns: tuple[tuple[str, str], ...]  # (extract column, staged name)
    timezone: str | None = None


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
    identity: Identity = field(default_factory=lambda: Identity())


@dataclass(frozen=True)
class Identity:
    """Who is one person ([recipients.identity]; see docs/recipients.md)."""

    method: str = "rule"  # or "probabilistic"
    auto_merge: float = 0.99
    review: float = 0.5
    max_records: int = 6
    decisions: Path | None = None  # the reviewers' decisions file, resolved


@dataclass(frozen=True)
class Case:
    path: Path
    id: str
    title: str
    timezone: str
    customers: Customers
    access_logs: tuple[AccessLog, ...]
    scope: Scope
    max_rejected: int = 0
    # Whether the case names its sources (`[[access_log]]`, or a `name`): the outputs then
    # say which source each log row came from; a case with one unnamed source writes them
    # as it always has.
    named_sources: bool = False
    history: History | None = None  # [customer_history], when the case gives one
    recipients: Recipients | None = None
    query_dirs: tuple[Path, ...] = ()  # the investigators' own .sql folders
    engine: dict[str, Any] = field(default_factory=dict)  # [engine]: resources for DuckDB
    # The file as written, validated: what the manifest records as the case's parameters.
    model: CaseFile | None = field(default=None, compare=False, repr=False)

    @property
    def categories(self) -> tuple[str, ...]:
        """Categories in the order of their first declared field."""
        return tuple(dict.fromkeys(f.category for f in self.customers.fields))

    def mask(self, names: tuple[str, ...]) -> int:
        """The field mask of declared fields named."""
        by_name = {f.name: f for f in self.customers.fields}
        mask = 0
        for name in names:
            mask |= by_name[name].mask
        return mask

    @property
    def log_files(self) -> tuple[InputFile, ...]:
        return tuple(f for log in self.access_logs for f in log.files)

    @property
    def input_files(self) -> tuple[InputFile, ...]:
        history = self.history.files if self.history else ()
        return self.customers.files + self.log_files + history

    def display_path(self, path: Path) -> str:
        """A path as outputs show it: relative to the case folder when it lies below it, so
        that the same case gives the same outputs wherever it is kept."""
        try:
            return path.resolve().relative_to(self.path.parent.resolve()).as_posix()
        except ValueError:
            return path.resolve().as_posix()


def load_case(path: Path | str) -> Case:
    """Read and validate a case file; raise `CaseError` naming the file and, for each problem
    found, its key (every problem at once)."""
    path = Path(path)
    if not path.is_file():
        raise CaseError(f"{path}: case file not found", "give the path of a .toml case file")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CaseError(f"{path}: not valid TOML: {exc}", "fix the syntax at that place") from None
    except UnicodeDecodeError:
        raise CaseError(f"{path}: not UTF-8 text", "save the case file as UTF-8") from None
    model, problems = casefile.validate(raw, path.parent)
    if model is None:
        raise case_error(path, problems)
    return _Resolver(path).case(model)


def case_error(path: Path, problems: list[Problem]) -> CaseError:
    """One error for every problem of a case file: the first alone reads as before; several
    are counted and listed (`problems` keeps them for the CLI, one line each)."""
    if len(problems) == 1:
        error = CaseError(f"{path}: [{problems[0].key}] {problems[0].message}", problems[0].hint)
    else:
        listed = "; ".join(str(p) for p in problems)
        error = CaseError(
            f"{path}: {len(problems)} problems: {listed}", "fix them all, then run again"
        )
    error.problems = tuple(problems)
    error.heading = f"{path}: {len(problems)} problems"
    return error


class _Resolver:
    """Turns a valid model into the `Case` the pipeline reads: globs expanded in sorted order,
    one file never reached twice, field bits numbered, placeholders folded."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.base = path.parent

    def fail(self, key: str, message: str, hint: str | None = None) -> CaseError:
        return case_error(self.path, [Problem(key, message, hint)])

    def case(self, model: CaseFile) -> Case:
        customers = self.customers(model.customers)
        scope = model.scope
        actors = [strip_blanks(a) for a in scope.actors if strip_blanks(a)]
        actors_file = self.base / scope.actors_file if scope.actors_file else None
        if actors_file is not None:
            actors.extend(read_actor_lines(actors_file))
        declared = tuple(f.name for f in customers.fields)
        logs = tuple(
            self.access_log(table, i, declared, model) for i, table in enumerate(model.access_log)
        )
        self.distinct([f.path for log in logs for f in log.files], "access_log.path")
        return Case(
            path=self.path,
            id=model.case.id,
            title=model.case.title,
            timezone=model.case.timezone,
            customers=customers,
            access_logs=logs,
            named_sources=any(t.name is not None for t in model.access_log),
            scope=Scope(
                actors=tuple(sorted(set(actors))),
                actors_file=actors_file,
                start=scope.start,
                end=scope.end,
                unmapped=scope.unmapped,
                allow_actors_without_events=scope.allow_actors_without_events,
            ),
            max_rejected=model.case.max_rejected,
            query_dirs=tuple(self.base / d for d in model.case.queries),
            engine=self.engine(model.engine),
            recipients=self.recipients(model.recipients) if model.recipients else None,
            history=self.history(model.customer_history, customers)
            if model.customer_history
            else None,
            model=model,
        )

    def customers(self, table: casefile.CustomersTable) -> Customers:
        fields = []
        for bit, (name, spec) in enumerate(table.fields.items()):
            own = table.missing_values if spec.missing_values is None else spec.missing_values
            category = spec.category or name
            if (
                spec.missing_values is None
                and "missing_values" not in table.model_fields_set
                and category == "name"
            ):
                own = [v for v in own if v not in casefile.SURNAMES_IN_DEFAULT]
            folded_missing = tuple(dict.fromkeys(fold_label(v) for v in own))
            fields.append(Field(name, spec.column, category, bit, folded_missing))
        return Customers(
            files=self.files(table, "customers"),
            key=table.key,
            fields=tuple(fields),
            strip_key_zeros=table.key_leading_zeros == "strip",
            missing_values=tuple(table.missing_values),
        )

    def access_log(
        self,
        table: casefile.AccessLogTable,
        index: int,
        declared: tuple[str, ...],
        model: CaseFile,
    ) -> AccessLog:
        key = "access_log" if len(model.access_log) == 1 else f"access_log[{index}]"
        aliases = model.field_aliases if table.field_aliases is None else table.field_aliases
        actions = model.actions if table.actions is None else table.actions
        return AccessLog(
            name=table.name or DEFAULT_SOURCE,
            files=self.files(table, key),
            record_separator=table.record_separator,
            # Trimmed as the log's labels and actions are (clean_text), to compare alike.
            field_aliases={
                strip_blanks(label): tuple(n for n in declared if n in _as_names(target))
                for label, target in aliases.items()
            },
            actions={
                strip_blanks(action): _action(entry, declared) for action, entry in actions.items()
            },
            timestamp=table.timestamp,
            actor=table.actor,
            record=table.record,
            action=table.action,
            timezone=table.timezone,
            timestamp_formats=tuple(table.timestamp_formats),
            record_list=table.record_list,
            fields=table.fields,
            fields_separator=table.fields_separator,
            team=table.team,
        )

    def history(self, table: casefile.CustomerHistoryTable, customers: Customers) -> History:
        if table.form == "intervals":
            assert table.valid_from is not None and table.valid_to is not None
            columns = [
                (table.key, "customer_key"),
                (table.valid_from, "valid_from_text"),
                (table.valid_to, "valid_to_text"),
                *((f.column, f.name) for f in customers.fields),
            ]
        else:
            assert table.changed_at and table.field and table.old_value and table.new_value
            columns = [
                (table.key, "customer_key"),
                (table.changed_at, "changed_at_text"),
                (table.field, "field_name"),
                (table.old_value, "old_value"),
                (table.new_value, "new_value"),
            ]
        return History(
            files=self.files(table, "customer_history"),
            form=table.form,
            columns=tuple(columns),
            timezone=table.timezone,
        )

    def recipients(self, table: casefile.RecipientsTable) -> Recipients:
        return Recipients(
            first_name=table.first_name,
            last_name=table.last_name,
            birth_date=table.birth_date,
            email=table.email,
            phones=tuple(table.phones),
            address=tuple(table.address),
            postal_code=table.postal_code,
            person_column=table.person_column,
            language_column=table.language_column,
            deceased_column=table.deceased_column,
            default_region=table.default_region,
            default_language=table.default_language,
            channels=tuple(table.channels),
            minor_age=table.minor_age,
            notification_date=table.notification_date,
            csv_dialect=table.csv_dialect,
            postal_languages=tuple(postal_ranges(table.postal_languages)[0]),
            labels={
                category: by_language.model_dump(exclude_none=True)
                for category, by_language in table.labels.items()
            },
            formats=tuple(table.formats),
            identity=Identity(
                method=table.identity.method,
                auto_merge=table.identity.auto_merge,
                review=table.identity.review,
                max_records=table.identity.max_records,
                decisions=self.base / table.identity.decisions
                if table.identity.decisions
                else None,
            ),
        )

    def engine(self, table: casefile.EngineTable) -> dict[str, Any]:
        engine: dict[str, Any] = {}
        if table.memory_limit is not None:
            engine["memory_limit"] = table.memory_limit
        if table.threads is not None:
            engine["threads"] = table.threads
        if table.temp_dir is not None:
            engine["temp_directory"] = str(self.base / table.temp_dir)
        return engine

    def files(
        self,
        table: casefile.CustomersTable | casefile.AccessLogTable | casefile.CustomerHistoryTable,
        key: str,
    ) -> tuple[InputFile, ...]:
        csv = table.csv
        options = CsvOptions(csv.delimiter, csv.quote, csv.escape, csv.header, csv.encoding)
        found: list[Path] = []
        for pattern in table.path:
            matched = [m for m in matches(self.base, pattern) if os.path.lexists(m)]
            for match in matched:
                # Never dropped silently: a glob's match that cannot be read stops the run.
                problem = not_a_readable_file(match)
                if problem:
                    raise InputError(
                        f"{self.path}: [{key}.path] {pattern!r} matches {self.shown(match)!r},"
                        f" which is {problem}",
                        "remove it, or narrow the path so that it matches only the extracts",
                    )
            found.extend(m for m in matched if m not in found)
        self.distinct(found, f"{key}.path")
        problems = []
        files = []
        for p in found:
            fmt = table.format or _format_of(p)
            if fmt is None:
                problems.append(
                    Problem(
                        f"{key}.path",
                        f"cannot tell the format of {p.name} from its extension",
                        f"set {key}.format to one of {', '.join(FORMATS)}",
                    )
                )
                continue
            files.append(InputFile(p, fmt, options))
        if problems:
            raise case_error(self.path, problems)
        return tuple(files)

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


def _as_names(target: str | list[str]) -> list[str]:
    return [target] if isinstance(target, str) else target


def _action(entry: list[str] | str | casefile.ActionTable, declared: tuple[str, ...]) -> Action:
    """An action map's entry, its fields in the order of declaration."""
    shown, use = (
        (entry.fields, entry.use_fields_column)
        if isinstance(entry, casefile.ActionTable)
        else (entry, True)
    )
    fields = declared if shown == "*" else tuple(n for n in declared if n in shown)
    return Action(fields, use)


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


def _format_of(path: Path) -> str | None:
    """The format a file's extension names (a trailing .gz aside), or None."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return _EXTENSIONS.get(suffixes[-1]) if suffixes else None
