"""What a case file may say: the one declaration of its tables, keys and choices.

The models below are the case file's schema. Unknown keys are errors (`extra="forbid"`),
because a typo must never silently widen or narrow the scope; values are checked strictly (a
number in quotes is not a number). Validating gives every problem of the file at once, each as
a `Problem` naming its key path (`access_log.csv.delimiter`), never a value read from a data
file. `scoping schema` prints the JSON Schema made from the same models, for editors.

Checks that relate one table to another (an action naming a field that is not declared) are
made on the parsed TOML by `cross_problems`, whether or not the rest of the file is right, so
that they are reported in the same run. Checks that need the file system (paths, folders, the
actors file) read the case folder given as the validation context.

The models hold the file as written; `case.load_case` resolves them (globs expanded, field
bits numbered) into the `Case` the rest of the code reads.
"""

from __future__ import annotations

import datetime as dt
import glob
import itertools
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    WrapValidator,
    model_validator,
)
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import PydanticCustomError, core_schema

from scoping import db

MAX_FIELDS = 62  # field sets are BIGINT bitmasks; keep clear of the sign bit
MAX_SOURCES = 100  # access-log sources of one case
FORMATS = ("csv", "tsv", "parquet", "jsonl")
UNMAPPED = ("error", "all-fields", "ignore")
CHANNELS = ("email", "sms", "letter")
LANGUAGES = ("nl", "fr", "de", "en")
DIALECTS = ("standard", "excel-be")
RECIPIENT_FORMATS = ("csv", "xlsx")
Format = Literal["csv", "tsv", "parquet", "jsonl"]
Unmapped = Literal["error", "all-fields", "ignore"]
Channel = Literal["email", "sms", "letter"]
Dialect = Literal["standard", "excel-be"]
RecipientFormat = Literal["csv", "xlsx"]
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
# Of the built-in list, the values that are also surnames (`Null`, `None`): a name field
# keeps them as data unless the case lists them itself, so nobody's name goes unreported.
SURNAMES_IN_DEFAULT = frozenset({"null", "none"})
# Names the outputs use for their own columns, in lower case; a field may not take one of
# them in any case. Kept in order, as the case-file reference lists them.
RESERVED_COLUMNS = (
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
)
RESERVED_NAMES = frozenset(RESERVED_COLUMNS)
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LANGUAGE = rf"^({'|'.join(LANGUAGES)})(\+({'|'.join(LANGUAGES)}))*$"
_BOUND = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$"
)
# The blanks clean_text (queries/macro_clean_text.sql) removes around a value: what the case
# names is compared with what the logs hold only once both lost the same ones.
BLANKS = " \t\n\r\u00a0\ufeff"


class Problem(NamedTuple):
    """One mistake of a case file: the key path it is at, what is wrong, what to do."""

    key: str
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        return f"[{self.key}] {self.message}" + (f" ({self.hint})" if self.hint else "")


def strip_blanks(text: str) -> str:
    """`text` without surrounding blanks, as clean_text removes them in SQL."""
    return text.strip(BLANKS)


def fold_label(text: str) -> str:
    """A field label as queries/field_label_masks.sql compares it: clean_text, then lower().
    DuckDB lowers each code point alone; Python agrees on each but U+0130 (İ), which DuckDB
    lowers to a plain i, and lowering a whole string would apply the final-sigma rule."""
    return "".join("i" if c == "\u0130" else c.lower() for c in strip_blanks(text))


def matches(base: Path, pattern: str) -> list[Path]:
    """The files a path names: a name that is a file is that file, even with glob
    characters in it (`log[1].csv`); only otherwise is it a pattern, matched in sorted
    order below the case folder, whose own name is never read as a pattern."""
    full = base / pattern
    if full.is_file() or not glob.has_magic(pattern):
        return [full]
    return sorted(base / p for p in glob.glob(pattern, root_dir=base))


def read_actor_lines(path: Path) -> list[str]:
    """The accounts of an actors file: one a line, `#` starts a comment (UnicodeDecodeError
    when it is not UTF-8)."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return [s for s in (strip_blanks(line.split("#", 1)[0]) for line in lines) if s]


# --- checks of one value -------------------------------------------------------------------


def _bad(message: str, hint: str | None = None) -> PydanticCustomError:
    """A problem with a message of ours (and a hint), placed at the key by pydantic."""
    return PydanticCustomError("case", "{message}", {"message": message, "hint": hint or ""})


def _one_error(message: str, hint: str | None = None) -> WrapValidator:
    """Report any mistake in a value of a union or constrained type as one problem, instead of
    one per alternative the type allows."""

    def wrap(value: Any, handler: Callable[[Any], Any]) -> Any:
        try:
            return handler(value)
        except ValidationError:
            raise _bad(message, hint) from None

    return WrapValidator(wrap)


def _base(info: ValidationInfo) -> Path | None:
    """The case folder, when the validation was given one (not for the schema's own tests)."""
    context = info.context or {}
    base = context.get("base")
    return Path(base) if base is not None else None


def _nonblank(value: str) -> str:
    if not value.strip():
        raise _bad("must be a non-empty string")
    return value


def _one_char(value: str) -> str:
    if len(value) != 1:
        raise _bad("must be one character", 'e.g. ";" or "\\t"')
    return value


def _known_zone(name: str) -> str:
    import duckdb

    con = duckdb.connect()
    try:
        known = con.execute(
            "SELECT count(*) FROM pg_timezone_names() WHERE name = $name", {"name": name}
        ).fetchone()
    finally:
        con.close()
    if not known or not known[0]:
        raise _bad(f"unknown time zone {name!r}", 'use an IANA name such as "Europe/Brussels"')
    return name


def _usable_formats(formats: list[str]) -> list[str]:
    """Ask the engine that will read the timestamps whether it knows every code of every
    format: an unknown one (`%Q`) would otherwise stop the run half-way as a query error."""
    import duckdb

    for i, fmt in enumerate(formats):
        if "%" not in fmt:
            raise _bad(
                f"format {i + 1} ({fmt!r}) is not a strftime format",
                'e.g. ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S%z"]',
            )
    con = duckdb.connect()
    try:
        for i, fmt in enumerate(formats):
            try:
                con.execute("SELECT try_strptime('', $fmt)", {"fmt": fmt})
            except duckdb.Error as exc:
                first = str(exc).strip().splitlines()[0]
                why = first.partition(f"{fmt}: ")[2] or first
                raise _bad(
                    f"format {i + 1} ({fmt!r}) cannot be used: {why}",
                    "see https://duckdb.org/docs/sql/functions/dateformat for the codes",
                ) from None
    finally:
        con.close()
    return formats


def _encoding(name: str) -> str:
    from scoping.transcode import ENCODINGS

    if name.lower() not in ENCODINGS:
        known = ", ".join(sorted(set(ENCODINGS)))
        raise _bad(f"unknown encoding {name!r}", f"one of {known}")
    return name


def _memory_limit(text: str) -> str:
    problem = db.memory_limit_problem(text)
    if problem:
        raise _bad(problem)
    return text


def _no_blank_values(values: list[str]) -> list[str]:
    if any(not strip_blanks(v) for v in values):
        raise _bad("lists a blank value", "blank values never count as data")
    return values


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _as_table_list(value: Any) -> Any:
    """`[access_log]` (one table) is a list of one: the case of one source."""
    return [value] if isinstance(value, dict) else value


def _iso_text(value: Any) -> Any:
    """TOML dates and date-times as ISO text; texts trimmed."""
    if isinstance(value, dt.date):  # dt.datetime too
        return value.isoformat()
    return value.strip() if isinstance(value, str) else value


def _bound(text: str) -> str:
    if not _BOUND.match(text):
        raise _bad(
            "is not an ISO 8601 date or date-time",
            'write "2026-09-01", "2026-09-01 08:00" or "2026-09-01T08:00:00+02:00"',
        )
    return text


def _real_date(text: str) -> str:
    """yyyy-mm-dd naming a day that exists (2026-02-30 does not)."""
    try:
        ok = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)) and bool(dt.date.fromisoformat(text))
    except ValueError:
        ok = False
    if not ok:
        raise _bad("must be a date that exists, as yyyy-mm-dd")
    return text


def _files_found(patterns: list[str], info: ValidationInfo) -> list[str]:
    base = _base(info)
    if base is None:
        return patterns
    for pattern in patterns:
        if not [m for m in matches(base, pattern) if os.path.lexists(m)]:
            raise _bad(
                f"no file matches {pattern!r} (looked in {base})",
                "check the path; it is relative to the case file",
            )
    return patterns


def _folders_found(folders: list[str], info: ValidationInfo) -> list[str]:
    for folder in folders:
        _folder_found(folder, info)
    return folders


def _folder_found(name: str, info: ValidationInfo) -> str:
    base = _base(info)
    if base is not None and not (base / name).is_dir():
        raise _bad(f"folder not found: {base / name}")
    return name


def _identifier(name: str) -> str:
    if not _IDENT.match(name):
        raise _bad(f"{name!r} is not a plain name", "use letters, digits and _")
    return name


def _file_found(name: str, info: ValidationInfo) -> str:
    base = _base(info)
    if base is not None and not (base / name).is_file():
        raise _bad(f"file not found: {base / name}")
    return name


def _unique(values: list[str]) -> list[str]:
    if len(set(values)) != len(values):
        raise _bad("names one of them twice")
    return values


def _holds_csv(formats: list[str]) -> list[str]:
    if "csv" not in formats:
        raise _bad(
            "must hold csv: the CSV files are the lists later waves compare with",
            'e.g. formats = ["csv", "xlsx"]',
        )
    return formats


Text = Annotated[str, AfterValidator(_nonblank)]
Char = Annotated[str, AfterValidator(_one_char)]
TimeZone = Annotated[Text, AfterValidator(_known_zone)]
MissingValues = Annotated[
    list[str],
    _one_error("must be a list of texts", 'write missing_values = ["n/a"]'),
    AfterValidator(_no_blank_values),
]
Paths = Annotated[
    list[Text],
    Field(min_length=1),
    _one_error("must be a path, a glob or a list of them"),
    BeforeValidator(_as_list, json_schema_input_type=str | list[str]),
    AfterValidator(_files_found),
]
Language = Annotated[
    str,
    Field(pattern=_LANGUAGE),
    _one_error(f"must be one of {', '.join(LANGUAGES)} (or two joined by +)"),
]
Bound = Annotated[
    str,
    BeforeValidator(_iso_text, json_schema_input_type=str | dt.date | dt.datetime),
    AfterValidator(_nonblank),
    AfterValidator(_bound),
]


# --- the tables ------------------------------------------------------------------------------

# The descriptions below are the case file's reference: `python docs/generate.py` writes them
# into docs/case-file.md, and editors show them from the JSON Schema.
PATHS_HELP = (
    "a path, a glob, or a list of them; matching files are read in sorted order. A path that"
    " names an existing file is that file, even when its name holds `*`, `?` or `[`"
    " (`log[1].csv`); only otherwise is it a glob (to match such names with a pattern, put the"
    " character in brackets: `log[[]*].csv`). A file is read once: two paths that reach the"
    " same file (`log.csv` and `sub/../log.csv`, or a glob matching a file and a symbolic or"
    " hard link to it) stop the run, naming both, as its rows would otherwise be counted twice;"
    " so do two files of one role that hold the same rows, byte for byte (one extract"
    " delivered twice; header-only files are exempt). Nothing a path matches is skipped: a"
    " match that is not a regular file this user can read (a symbolic link to nothing, a"
    " folder, a named pipe, a device) stops the run, naming it"
)
FORMAT_HELP = (
    "by default from the extension (`.csv`, `.txt`, `.tsv`, `.tab`, `.parquet`, `.pq`,"
    " `.jsonl`, `.ndjson`, optionally followed by `.gz`)"
)
FIELDS_HELP = (
    'a column name, or `{ column = "...", category = "..." }`; `{ ..., missing_values = [...] }`'
    " gives the field its own placeholder list; NAME is a plain identifier (letters, digits,"
    f" `_`), at least one field and at most {MAX_FIELDS}; the order of declaration is the order"
    " of the output columns. NAME becomes a column name, and column names are compared without"
    " regard to case: two NAMEs that differ only in case (`email`, `Email`), and a NAME the"
    " outputs use for their own columns in any case ("
    + ", ".join(f"`{name}`" for name in RESERVED_COLUMNS)
    + "), are errors"
)


class Table(BaseModel):
    """A table of the case file: unknown keys are errors, values are not converted."""

    model_config = ConfigDict(extra="forbid", strict=True)


class CsvTable(Table):
    """CSV options that replace detection."""

    delimiter: Char | None = Field(None, description="one character", examples=[";"])
    quote: Char | None = Field(None, description="one character", examples=['"'])
    escape: Char | None = Field(None, description="one character", examples=['"'])
    header: bool = Field(True, description="whether the first line names the columns")
    encoding: Annotated[str, AfterValidator(_encoding)] | None = Field(
        None, description="utf-8, utf-8-sig, utf-16, latin-1 or windows-1252", examples=["utf-8"]
    )


class FieldSpec(Table):
    """A customer field: its source column, category and own placeholder values."""

    column: Text = Field(description="the column of the customer table", examples=["zip"])
    category: Annotated[Text, AfterValidator(_identifier)] | None = Field(
        None, description="the category the field counts in; default its name"
    )
    missing_values: MissingValues | None = Field(
        None, description="the field's own placeholder list, in place of the customers' one"
    )


def _column_as_spec(value: Any) -> Any:
    return {"column": value} if isinstance(value, str) else value


FieldEntry = Annotated[
    FieldSpec, BeforeValidator(_column_as_spec, json_schema_input_type=str | FieldSpec)
]


class CustomersTable(Table):
    """The customer table: one row per customer record."""

    path: Paths = Field(description=PATHS_HELP, examples=["customers.csv"])
    format: Format | None = Field(None, description=FORMAT_HELP)
    csv: CsvTable = CsvTable()
    key: Text = Field(description="the column holding the customer key", examples=["customer_id"])
    key_leading_zeros: Literal["strip", "keep"] = Field(
        "strip", description="see [Keys](exposure.md#keys)"
    )
    missing_values: MissingValues = Field(
        default_factory=lambda: list(DEFAULT_MISSING_VALUES),
        description="placeholder values that are not data (compared trimmed, without regard to"
        " case); default the built-in list, `[]` for none: see [The exposure rule](exposure.md)",
    )
    fields: dict[str, FieldEntry] = Field(description=FIELDS_HELP)


class CustomerHistoryTable(Table):
    """The customers' earlier values, so that an event exposes what the customer had *then*:
    a table of versions with a validity interval (`form = "intervals"`: a type-2 table with
    the customer table's columns), or a change log (`form = "changes"`)."""

    form: Literal["intervals", "changes"] = Field(
        description='`"intervals"`: one row per version of a customer, valid from `valid_from`'
        " (inclusive) to `valid_to` (exclusive; blank: still valid), with the columns of the"
        ' declared fields as the customer table names them; `"changes"`: one row per change of'
        " one field (`changed_at`, `field`, `old_value`, `new_value`)"
    )
    path: Paths = Field(description=PATHS_HELP, examples=["customer_history.csv"])
    format: Format | None = Field(None, description=FORMAT_HELP)
    csv: CsvTable = CsvTable()
    key: Text = Field(description="the column holding the customer key", examples=["customer_id"])
    timezone: TimeZone | None = Field(
        None, description="the zone of naive times in the history; default the case's"
    )
    valid_from: Text | None = Field(None, description='with `"intervals"`: the column')
    valid_to: Text | None = Field(None, description='with `"intervals"`: the column')
    changed_at: Text | None = Field(None, description='with `"changes"`: the column')
    field: Text | None = Field(
        None,
        description='with `"changes"`: the column naming the field changed, as the customer'
        " table's column or the declared field's name",
    )
    old_value: Text | None = Field(None, description='with `"changes"`: the column')
    new_value: Text | None = Field(None, description='with `"changes"`: the column')

    @model_validator(mode="after")
    def _columns_of_its_form(self) -> CustomerHistoryTable:
        needed = {
            "intervals": ("valid_from", "valid_to"),
            "changes": ("changed_at", "field", "old_value", "new_value"),
        }
        missing = [k for k in needed[self.form] if getattr(self, k) is None]
        other = [k for f, keys in needed.items() if f != self.form for k in keys]
        stray = [k for k in other if getattr(self, k) is not None]
        if missing:
            raise _bad(
                f"form {self.form!r} needs {', '.join(missing)}",
                f"name the column{'s' if len(missing) > 1 else ''} of the history extract",
            )
        if stray:
            raise _bad(f"{', '.join(stray)} belong(s) to the other form", "remove it")
        return self


ActionFields = Annotated[
    list[str] | Literal["*"], _one_error('must be a list of field names or "*"')
]


class ActionTable(Table):
    """An action whose fields column, when the source maps one, is not what it displayed."""

    fields: ActionFields = Field(description='the declared fields it displays, or `"*"`')
    use_fields_column: bool = Field(
        True,
        description="`false`: the fields column of this action's rows lists something else"
        " (what an update *changed*, say), so the action's `fields` apply instead",
    )


ActionEntry = Annotated[
    list[str] | Literal["*"] | ActionTable,
    _one_error(
        'must be a list of field names, "*", or { fields = [...], use_fields_column = false }'
    ),
]
AliasTarget = Annotated[
    str | list[str],
    _one_error(
        "must be a declared field, a list of them, or [] (a label that is no personal field)"
    ),
]
ACTIONS_HELP = (
    'ACTION = the list of declared fields the action displays, `"*"` for all, `[]` for none;'
    " or `{ fields = [...], use_fields_column = false }` for an action whose rows' fields"
    " column lists something else than what was displayed (an update lists what it changed):"
    " its `fields` apply. A field that is not declared is an error; ACTION is compared with"
    " the log's actions after removing surrounding blanks, and an ACTION that is blank, or"
    ' declared twice once its blanks are removed (`"customer.search "` and'
    ' `"customer.search"`), is an error'
)
ALIASES_HELP = (
    'maps a label of the fields column to a declared field (`"Last Name" = "last_name"`), to a'
    ' list of them (`fullname = ["first_name", "last_name"]`), or to `[]` for a label that'
    " names no personal field (`statecode`: counted, never an error); labels match without"
    " regard to case or surrounding blanks; a field's own name always matches, so a LABEL"
    ' that is a field\'s name or another LABEL in another case (`"EMAIL"`, `"last name"` beside'
    ' `"Last Name"`), or blank, is an error'
)
SOURCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")


def _source_name(name: str) -> str:
    if not SOURCE_NAME.match(name):
        raise _bad(
            "must be a short name: letters, digits, `_`, `.` or `-`, at most 40 characters",
            'e.g. name = "crm"',
        )
    return name


class AccessLogTable(Table):
    """One access-log source: its files, how they are read and which column says what."""

    path: Paths = Field(description=PATHS_HELP, examples=["logs/*.csv"])
    format: Format | None = Field(None, description=FORMAT_HELP)
    csv: CsvTable = CsvTable()
    timestamp: Text = Field(description="the column with the event's time")
    actor: Text = Field(description="the column with the account that acted")
    record: Text = Field(description="the column with the consulted customer key")
    action: Text = Field(description="the column with the screen / report / API action")
    timezone: TimeZone | None = Field(
        None, description="the zone of the log's naive timestamps; default the case's"
    )
    timestamp_formats: Annotated[
        list[str],
        _one_error(
            "must be a list of strftime formats", 'e.g. ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M:%S%z"]'
        ),
        AfterValidator(_usable_formats),
    ] = Field(default_factory=list, description="strftime formats that replace detection")
    name: Annotated[Text, AfterValidator(_source_name)] | None = Field(
        None,
        description="the source's name (the system it comes from), shown wherever a row's"
        " origin is: required, and unique, when the case has several sources",
        examples=["crm"],
    )
    record_list: Text | None = Field(
        None,
        description='the record column names several keys: a separator such as `";"`,'
        ' `"json"` for a JSON array, or `"auto"`: a JSON array when the cell is one (a cell'
        " beginning with `[` that is not a JSON array is rejected), else one key, or the list"
        " that `record_separator` splits",
    )
    record_separator: Text | None = Field(
        None, description='with `record_list = "auto"`: the separator of a cell that is no JSON'
    )
    fields: Text | None = Field(
        None,
        description="a column naming the fields each event displayed (report column headers)",
    )
    fields_separator: Text = Field(",", description="the separator in that column")
    team: Text | None = Field(
        None,
        description="a column with the actor's team or organisation: the actor ranking"
        " compares each actor with the same team",
    )
    field_aliases: dict[str, AliasTarget] | None = Field(
        None,
        description="this source's own label map, in place of the case's `[field_aliases]`"
        " (same form)",
    )
    actions: dict[str, ActionEntry] | None = Field(
        None,
        description="this source's own action map, in place of the case's `[actions]` (same form)",
    )

    @model_validator(mode="after")
    def _separator_with_auto(self) -> AccessLogTable:
        if self.record_separator is not None and self.record_list != "auto":
            raise _bad(
                'record_separator goes with record_list = "auto"',
                'set record_list = "auto", or give the separator as record_list itself',
            )
        return self


class CaseTable(Table):
    """The case's reference and settings."""

    id: Text = Field(
        description="the case's reference, repeated in `counts.json` and the manifest",
        examples=["INC-2026-0042"],
    )
    title: str = Field("", description="a title for people")
    timezone: TimeZone = Field(
        "UTC",
        description="IANA zone name (`Europe/Brussels`) for naive timestamps and the window",
        examples=["Europe/Brussels"],
    )
    max_rejected: Annotated[int, Field(ge=0)] = Field(
        0, description="how many rows may be rejected before a run stops"
    )
    queries: Annotated[
        list[str],
        _one_error("must be a folder or a list of folders of .sql files"),
        BeforeValidator(_as_list, json_schema_input_type=str | list[str]),
        AfterValidator(_folders_found),
    ] = Field(
        default_factory=list,
        description="a folder, or a list of folders, of your own `.sql` queries",
    )


class ScopeTable(Table):
    """Who and when is in scope."""

    actors: list[str] = Field(
        default_factory=list,
        description="list of accounts in scope; this, `actors_file` or both must name one",
    )
    actors_file: Annotated[Text, AfterValidator(_file_found)] | None = Field(
        None,
        description="a text file with one account per line (`#` starts a comment); both may be"
        " given, and are joined",
    )
    start: Bound | None = Field(
        None,
        description="inclusive; ISO date or date-time, with or without offset (TOML dates work"
        " too), in the case timezone",
        examples=["2026-09-01"],
    )
    end: Bound | None = Field(
        None,
        description="exclusive; same forms; must be after `start`",
        examples=["2026-11-15"],
    )
    unmapped: Unmapped = Field(
        "error",
        description="what becomes of actions missing from `[actions]`: see"
        " [Nothing vanishes](exposure.md#nothing-vanishes)",
    )
    allow_actors_without_events: bool = Field(
        False,
        description="`true` lets a run go on when an actor of the scope has no event in the logs"
        " (with `false`, `run` and `check` stop, exit code 7); see [Commands](usage.md)",
    )

    @model_validator(mode="after")
    def _names_an_actor(self, info: ValidationInfo) -> ScopeTable:
        if any(strip_blanks(a) for a in self.actors):
            return self
        base = _base(info)
        if self.actors_file is not None and base is not None:
            try:
                if read_actor_lines(base / self.actors_file):
                    return self
            except UnicodeDecodeError:
                raise _bad(f"{base / self.actors_file} is not UTF-8 text") from None
        if self.actors_file is not None and base is None:
            return self
        raise _bad("names no actor", "set actors = [...] or actors_file")


class LabelsTable(Table):
    """A category's label in each language."""

    nl: Text | None = None
    fr: Text | None = None
    de: Text | None = None
    en: Text | None = None


def _all_channels() -> list[Channel]:
    return ["email", "sms", "letter"]


def _csv_only() -> list[RecipientFormat]:
    return ["csv"]


class IdentityTable(Table):
    """Who is one person: the identity rule alone, or with probabilistic linkage and a review
    queue; and the reviewers' decisions."""

    method: Literal["rule", "probabilistic"] = Field(
        "rule",
        description='`"rule"`: equal names and birth date and a shared contact point;'
        ' `"probabilistic"` also links records by a model estimated on the case\'s own table'
        " (needs `scoping[linkage]`): see [Recipients](recipients.md#who-is-one-person)",
    )
    auto_merge: Annotated[float, Field(gt=0, le=1)] = Field(
        0.99, description="a pair at or above this match probability is merged, guards allowing"
    )
    review: Annotated[float, Field(gt=0, le=1)] = Field(
        0.5, description="a pair at or above this, and not merged, goes to `merge_review.csv`"
    )
    max_records: Annotated[int, Field(ge=2, le=100)] = Field(
        6,
        description="a person that probabilistic links would make of more records is not"
        " merged automatically: its links go to review",
    )
    decisions: Text | None = Field(
        None,
        description="a CSV file of reviewers' decisions (`key_a`, `key_b`, `decision` = `same` or"
        " `different`, `who`, `when`), relative to the case; applied first",
        examples=["decisions.csv"],
    )

    @model_validator(mode="after")
    def _review_below_auto(self) -> IdentityTable:
        if self.review > self.auto_merge:
            raise _bad(
                "review must not be above auto_merge", "e.g. review = 0.5, auto_merge = 0.99"
            )
        return self


class RecipientsTable(Table):
    """How affected records become people to notify."""

    first_name: Text = Field(description="a declared field")
    last_name: Text = Field(description="a declared field")
    birth_date: Text = Field(description="a declared field")
    email: Text | None = Field(None, description="a declared field")
    phones: list[str] = Field(default_factory=list, description="declared fields")
    address: list[str] = Field(default_factory=list, description="declared fields")
    postal_code: Text | None = Field(None, description="a declared field")
    person_column: Text | None = Field(
        None,
        description="a column of the customer table (not an exposure field) that defines the"
        " person: see [Recipients](recipients.md)",
    )
    language_column: Text | None = Field(
        None, description="a column of the customer table (not an exposure field)"
    )
    deceased_column: Text | None = Field(
        None, description="a column of the customer table (not an exposure field)"
    )
    default_region: Text = Field(
        "BE", description="the region phone numbers are parsed in (into E.164)"
    )
    default_language: Language = Field(
        "en", description=f"one of {', '.join(LANGUAGES)}, or two joined by +"
    )
    channels: Annotated[
        list[Channel],
        Field(min_length=1),
        _one_error(f"must be a list drawn from {', '.join(CHANNELS)}"),
        AfterValidator(_unique),
    ] = Field(default_factory=_all_channels)
    minor_age: Annotated[int, Field(gt=0, lt=30)] = Field(
        18, description="younger than this on `notification_date` is a minor"
    )
    notification_date: Annotated[
        str,
        BeforeValidator(_iso_text, json_schema_input_type=str | dt.date),
        AfterValidator(_real_date),
    ] = Field(description="minors are counted on this date", examples=["2026-12-01"])
    csv_dialect: Dialect = Field(
        "standard", description='`"excel-be"` writes CSV for Excel: see [Recipients](recipients.md)'
    )
    formats: Annotated[
        list[RecipientFormat],
        Field(min_length=1),
        _one_error(f"must be a list drawn from {', '.join(RECIPIENT_FORMATS)}"),
        AfterValidator(_unique),
        AfterValidator(_holds_csv),
    ] = Field(default_factory=_csv_only, description='`["csv", "xlsx"]` also writes workbooks')
    postal_languages: dict[str, Language] = Field(
        default_factory=dict, description='"from-to" = "language", e.g. "1000-1299" = "nl+fr"'
    )
    labels: dict[str, LabelsTable] = Field(
        default_factory=dict, description="labels for a category that has none built in"
    )
    identity: IdentityTable = Field(
        default_factory=IdentityTable, description="who is one person: see the keys below"
    )


# Names of things a statement says were not exposed, or a category: plain identifiers.
Name = Annotated[Text, AfterValidator(_identifier)]


class StatementTable(Table):
    """What the controller's statement says was and was not involved, checked by each run."""

    involved: Annotated[list[Name], Field(min_length=1), AfterValidator(_unique)] = Field(
        description="the categories the statement names as involved; a run stops when a"
        " category exposed to anyone is not among them",
        examples=[["name", "address"]],
    )
    not_involved: Annotated[list[Name], AfterValidator(_unique)] = Field(
        default_factory=list,
        description="customer-table columns, declared fields or categories the statement says"
        " were not involved (`iban`, `sim_card_number`), or things the table does not hold"
        " (`password`); a run stops when an in-scope action displays one of them",
    )
    controller: Text = Field(description="the controller's name", examples=["TelcoNova"])
    contact_point: Text = Field(
        description="the contact point for the authority (the DPO's name and address)",
        examples=["Data Protection Officer, dpo@telconova.example"],
    )
    hotline: Text = Field(
        description="the number people may call, as the messages write it",
        examples=["0800 00 000"],
    )
    labels: dict[str, LabelsTable] = Field(
        default_factory=dict,
        description="words for a `not_involved` entry that has none built in, per language",
    )


class MessagesTable(Table):
    """The messages to each person, rendered from templates per channel and language."""

    templates: Annotated[Text, AfterValidator(_folder_found)] | None = Field(
        None,
        description="a folder of templates that replace the built-in ones of the same name"
        " (see [Telling it](report.md#messages))",
        examples=["templates/"],
    )
    max_segments: Annotated[int, Field(ge=1, le=10)] = Field(
        2, description="a text message longer than this many SMS segments stops the run"
    )


class ReportTable(Table):
    """The report for the authority, written by `run` when the case has this section."""

    language: Literal["en", "nl", "fr", "de"] = Field(
        "en", description="the language of the report and the authority notification"
    )
    aware_at: Bound | None = Field(
        None,
        description="when the controller became aware of the breach (the 72 hours of Art. 33"
        " run from it), in the case time zone unless it carries an offset",
        examples=["2026-11-14 09:30"],
    )
    show_actors: bool = Field(
        False, description="name the actors; by default they are shown as actor 1, 2, ..."
    )


Engine = Literal["duckdb", "spark"]


def _spark_options(options: dict[str, str]) -> dict[str, str]:
    for key in options:
        if not key.startswith("spark."):
            raise _bad(f"{key!r} is not a Spark setting", "Spark's settings begin with `spark.`")
    return options


class EngineTable(Table):
    """Where the pass over the events runs, and DuckDB's resources; the command line's
    `--memory-limit`, `--threads`, `--temp-dir` win; what DuckDB actually used is in the
    manifest. With `kind = "spark"` the pass over the events (keys split and matched, events
    put in their buckets and aggregated) runs on Apache Spark, and everything else in DuckDB
    (docs/spark.md)."""

    kind: Engine = Field(
        "duckdb",
        description='`"duckdb"`, or `"spark"` for the pass over the events (needs the `spark`'
        " extra and Java 17)",
    )
    master: Text | None = Field(
        None,
        description='Spark\'s master URL, e.g. `"local[4]"`, `"yarn"`; default `"local[*]"`',
        examples=["local[4]"],
    )
    remote: Text | None = Field(
        None,
        description='a Spark Connect server instead of a master, e.g. `"sc://host:15002"`',
        examples=["sc://spark.example:15002"],
    )
    options: Annotated[dict[str, str], AfterValidator(_spark_options)] = Field(
        default_factory=dict,
        description='Spark settings, e.g. `{ "spark.sql.shuffle.partitions" = "400" }`',
    )
    exchange_dir: Annotated[Text, AfterValidator(_folder_found)] | None = Field(
        None,
        description="an existing folder, relative to the case, that both this machine and"
        " the Spark cluster reach (a shared mount), for the tables handed to and from Spark;"
        " default a private local folder (for a local master)",
    )

    memory_limit: Annotated[Text, AfterValidator(_memory_limit)] | None = Field(
        None, description='e.g. `"2GB"`', examples=["2GB"]
    )
    threads: Annotated[int, Field(ge=1)] | None = Field(None, description="e.g. `2`")
    temp_dir: Annotated[Text, AfterValidator(_folder_found)] | None = Field(
        None, description="an existing folder for spilling, relative to the case"
    )

    @model_validator(mode="after")
    def _spark_settings(self) -> EngineTable:
        spark = ("master", "remote", "options", "exchange_dir")
        if self.kind != "spark" and any(getattr(self, key) for key in spark):
            raise _bad(
                'master, remote, options and exchange_dir are settings of kind = "spark"',
                'set kind = "spark", or remove them',
            )
        if self.master is not None and self.remote is not None:
            raise _bad(
                "master and remote both say where Spark runs",
                "give a master (Spark in this process) or a Connect remote, not both",
            )
        return self


class CaseFile(Table):
    """A case file: one TOML file per investigation."""

    case: CaseTable
    customers: CustomersTable
    access_log: Annotated[
        list[AccessLogTable],
        Field(min_length=1, max_length=MAX_SOURCES),
        BeforeValidator(
            _as_table_list, json_schema_input_type=AccessLogTable | list[AccessLogTable]
        ),
    ] = Field(
        description="one table per system whose log the case reads: `[access_log]` for one,"
        " `[[access_log]]` once per source for several (each with its `name`)"
    )
    actions: dict[str, ActionEntry] = Field(
        default_factory=dict,
        description=ACTIONS_HELP + "; needed unless every source has its own `actions`",
    )
    field_aliases: dict[str, AliasTarget] = Field(default_factory=dict, description=ALIASES_HELP)
    scope: ScopeTable
    customer_history: CustomerHistoryTable | None = None
    recipients: RecipientsTable | None = None
    engine: EngineTable = EngineTable()
    statement: StatementTable | None = None
    messages: MessagesTable | None = None
    report: ReportTable | None = None

    @model_validator(mode="after")
    def _sources_named(self) -> CaseFile:
        names = [log.name for log in self.access_log]
        if len(names) > 1 and None in names:
            raise _bad(
                "several sources: each needs a name",
                'give each [[access_log]] a name = "..." (the system it comes from)',
            )
        folded = [n.lower() for n in names if n is not None]
        twice = sorted({n for n in folded if folded.count(n) > 1})
        if twice:
            raise _bad(
                f"source name {twice[0]!r} is given twice (names are compared without regard"
                " to case)",
                "give each source a name of its own",
            )
        if self.customer_history is not None and self.engine.kind == "spark":
            raise _bad(
                "[customer_history] does not run on Spark yet: the versions valid at each"
                " event's instant are joined on DuckDB only",
                'leave [engine] kind = "duckdb" for a case with a customer history',
            )
        if not self.actions and any(log.actions is None for log in self.access_log):
            raise _bad(
                "no action map: [actions] is missing and a source has no actions of its own",
                'add [actions], e.g. "customer.detail" = "*"',
            )
        return self


# --- problems ----------------------------------------------------------------------------------

# Tables whose keys are labels of the data (actions, field labels, postal ranges): a key path
# shows them quoted, as they may hold dots and blanks.
_LABEL_MAPS = {("actions",), ("field_aliases",), ("recipients", "postal_languages")}
_MESSAGES = {
    "string_type": "must be a text (in quotes)",
    "int_type": "must be a whole number",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "literal_error": "must be one of {expected}",
    "greater_than_equal": "must be {ge} or more",
    "greater_than": "must be more than {gt}",
    "less_than": "must be less than {lt}",
    "too_short": "must not be empty",
}


def key_path(loc: tuple[str | int, ...]) -> str:
    """A key as a case file's reader finds it: `access_log.csv.delimiter`, `actions.'x'`,
    `recipients.phones[1]` (an index counts from 0, as in the list read)."""
    text = ""
    for i, part in enumerate(loc):
        if isinstance(part, int):
            text += f"[{part}]"
        elif tuple(loc[:i]) in _LABEL_MAPS or _source_map(loc[:i]):
            text += f".{part!r}"
        else:
            text += f".{part}" if text else part
    return text or "top level"


def _source_map(loc: tuple[str | int, ...]) -> bool:
    """A source's own action or label map: `access_log[1].actions`."""
    return len(loc) == 3 and loc[0] == "access_log" and loc[2] in ("actions", "field_aliases")


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if get_origin(annotation) is None and isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            yield annotation
        return
    for arg in get_args(annotation):
        yield from _models_in(arg)


def _at(loc: tuple[str | int, ...]) -> tuple[Any, Any]:
    """The declared type at a key, and its field (None at the top or in a map)."""
    annotation: Any = CaseFile
    info = None
    for part in loc:
        owner = next(
            (m for m in _models_in(annotation) if isinstance(part, str) and part in m.model_fields),
            None,
        )
        if owner is None:  # a map's key or a list's index: the value's type
            info = None
            continue
        info = owner.model_fields[str(part)]
        annotation = info.annotation
    return annotation, info


def _example(loc: tuple[str | int, ...]) -> str | None:
    _, info = _at(loc)
    if info is None or not info.examples or not isinstance(loc[-1], str):
        return None
    value = info.examples[0]
    shown = f'"{value}"' if isinstance(value, str) else str(value)
    return f"e.g. {loc[-1]} = {shown}"


def problems_of(exc: ValidationError) -> list[Problem]:
    """The problems pydantic found, as key paths and messages for people. Messages are ours
    or pydantic's, which do not quote the value (`input` is never shown)."""
    problems = []
    for error in exc.errors(include_url=False, include_input=False):
        loc = tuple(p for p in error["loc"] if p != "[key]")
        ctx = error.get("ctx") or {}
        kind = error["type"]
        if kind in ("extra_forbidden", "missing"):
            parent = loc[:-1]
            if kind == "missing":
                problems.append(
                    Problem(key_path(parent), f"missing key {loc[-1]!r}", _example(loc))
                )
                continue
            models = list(_models_in(_at(parent)[0]))
            allowed = ", ".join(sorted(models[0].model_fields)) if models else None
            hint = f"allowed keys: {allowed}" if allowed else None
            problems.append(Problem(key_path(parent), f"unknown key {loc[-1]!r}", hint))
        elif kind == "case":
            problems.append(Problem(key_path(loc), ctx["message"], ctx.get("hint") or None))
        elif loc[:2] == ("customers", "fields") and len(loc) == 3 and kind == "model_type":
            message = 'must be a column name or { column = "...", category = "..." }'
            problems.append(Problem(key_path(loc), message))
        else:
            template = _MESSAGES.get(kind)
            message = template.format(**ctx) if template else error["msg"]
            problems.append(Problem(key_path(loc), message, _example(loc)))
    return problems


def validate(raw: dict[str, Any], base: Path | None) -> tuple[CaseFile | None, list[Problem]]:
    """The model of a parsed case file, and every problem found in it (the model is None when
    there is one). `base` is the case folder, that paths are relative to."""
    model = None
    problems = []
    try:
        model = CaseFile.model_validate(raw, context={"base": base})
    except ValidationError as exc:
        problems = problems_of(exc)
    problems += cross_problems(raw)
    if isinstance(raw.get("access_log"), dict):
        # One [access_log] table: its keys read as written, without the list's index.
        problems = [
            p._replace(key="access_log" + p.key.removeprefix("access_log[0]"))
            if p.key.startswith("access_log[0]")
            else p
            for p in problems
        ]
    order = [*CaseFile.model_fields]

    def section(problem: Problem) -> int:
        first = re.split(r"[.\[]", problem.key, maxsplit=1)[0]
        return order.index(first) if first in order else -1

    return (model if not problems else None), sorted(problems, key=section)


# --- checks across tables, made on the parsed TOML ---------------------------------------------


def cross_problems(raw: Any) -> list[Problem]:
    """Problems that relate keys with each other: field names, the fields actions, aliases
    and recipients name. Made on the parsed TOML, skipping what has the wrong shape (the
    model reports that), so that they are found together with every other problem."""
    if not isinstance(raw, dict):
        return []
    customers = raw.get("customers")
    fields = customers.get("fields") if isinstance(customers, dict) else None
    declared = [*fields] if isinstance(fields, dict) else None
    problems = _field_name_problems(fields) if isinstance(fields, dict) else []
    problems += _action_problems(raw.get("actions"), declared, ("actions",))
    if declared is not None:
        problems += _alias_problems(raw.get("field_aliases"), declared, ("field_aliases",))
        problems += _recipient_field_problems(raw.get("recipients"), declared)
    logs = raw.get("access_log")
    for i, log in enumerate(logs if isinstance(logs, list) else [logs]):
        if not isinstance(log, dict):
            continue
        problems += _action_problems(log.get("actions"), declared, ("access_log", i, "actions"))
        if declared is not None:
            at = ("access_log", i, "field_aliases")
            problems += _alias_problems(log.get("field_aliases"), declared, at)
    recipients = raw.get("recipients")
    if isinstance(recipients, dict) and isinstance(recipients.get("postal_languages"), dict):
        problems += postal_ranges(recipients["postal_languages"])[1]
    problems += _communication_problems(raw, fields if isinstance(fields, dict) else None)
    return problems


def _communication_problems(raw: dict[str, Any], fields: dict[str, Any] | None) -> list[Problem]:
    """A statement naming a category no field has (a typo would never be checked), and
    messages without the recipients to send them to or the statement they quote."""
    problems = []
    statement = raw.get("statement")
    if fields is not None and isinstance(statement, dict):
        categories = [
            (spec.get("category") if isinstance(spec, dict) else None) or name
            for name, spec in fields.items()
        ]
        involved = statement.get("involved")
        for category in involved if isinstance(involved, list) else []:
            if isinstance(category, str) and category not in categories:
                problems.append(
                    Problem(
                        "statement.involved",
                        f"{category!r} is not a category of [customers.fields]",
                        f"categories: {', '.join(dict.fromkeys(categories))}",
                    )
                )
    if "messages" in raw:
        for needed in ("recipients", "statement"):
            if needed not in raw:
                problems.append(
                    Problem(
                        "messages",
                        f"needs a [{needed}] section",
                        "messages go to the recipients and quote the statement",
                    )
                )
    return problems


def _field_name_problems(fields: dict[str, Any]) -> list[Problem]:
    if not fields:
        return [Problem("customers.fields", "must declare at least one field")]
    if len(fields) > MAX_FIELDS:
        message = f"declares {len(fields)} fields; at most {MAX_FIELDS}"
        return [Problem("customers.fields", message)]
    problems = []
    # A field's name becomes a column name, and DuckDB compares those without regard to
    # case: `Email` beside `email`, or `Events`, would clash with a column in the engine
    # or be renamed in the outputs.
    seen: dict[str, str] = {}
    for name in fields:
        key = f"customers.fields.{name}"
        folded = name.lower()
        ignored = f" ({folded!r} when letter case is ignored, as column names are compared)"
        if not _IDENT.match(name):
            problems.append(
                Problem(key, f"{name!r} is not a plain name", "use letters, digits and _")
            )
        elif folded in RESERVED_NAMES:
            problems.append(
                Problem(
                    key,
                    f"{name!r} is a name the outputs use{'' if name == folded else ignored}",
                    "rename the field",
                )
            )
        elif folded in seen:
            problems.append(
                Problem(
                    key,
                    f"{name!r} is the field {seen[folded]!r} declared before it{ignored}",
                    "give each field a name of its own",
                )
            )
        seen.setdefault(folded, name)
    return problems


def _action_problems(
    actions: Any, declared: list[str] | None, at: tuple[str | int, ...]
) -> list[Problem]:
    if not isinstance(actions, dict):
        return []
    if not actions and at == ("actions",):
        return [Problem("actions", "must map at least one action to the fields it displays")]
    if not actions:
        return [Problem(key_path(at), "must map at least one action, or be left out")]
    problems = []
    spelt: dict[str, str] = {}  # action as compared -> as the case first wrote it
    for action, entry in actions.items():
        key = key_path((*at, action))
        shown = entry.get("fields") if isinstance(entry, dict) else entry
        # The log's actions are compared after clean_text: the case's must be too, and
        # two spellings of one action would silently keep only one mapping.
        name = strip_blanks(action)
        if not name:
            problems.append(Problem(key, "is blank: an action needs a name", "remove it"))
            continue
        if name in spelt:
            problems.append(
                Problem(
                    key,
                    "is declared twice (after trimming spaces)",
                    f"it is the same action as {spelt[name]!r}; keep one mapping",
                )
            )
            continue
        spelt[name] = action
        if declared is None or not isinstance(shown, list):
            continue
        for field_name in shown:
            if isinstance(field_name, str) and field_name not in declared:
                problems.append(
                    Problem(
                        key,
                        f"field {field_name!r} is not declared in [customers.fields]",
                        f"declared fields: {', '.join(declared)}",
                    )
                )
    return problems


def _alias_problems(aliases: Any, declared: list[str], at: tuple[str | int, ...]) -> list[Problem]:
    if not isinstance(aliases, dict):
        return []
    # Labels are compared after clean_text and lower(), so collisions are looked for the
    # same way: a field's own name already matches in any case, and an alias that could
    # stand for a field's name or another alias would decide a label two ways.
    own_name = "a field's name matches its labels in any case; remove the alias"
    taken = {fold_label(name): (f"the field name {name!r}", own_name) for name in declared}
    problems = []
    for label, target in aliases.items():
        key = key_path((*at, label))
        folded = fold_label(label)
        names = target if isinstance(target, list) else [target]
        unknown = [n for n in names if isinstance(n, str) and n not in declared]
        if unknown:
            problems.append(
                Problem(
                    key,
                    f"field {unknown[0]!r} is not declared in [customers.fields]",
                    f"declared fields: {', '.join(declared)}",
                )
            )
        elif not folded:
            problems.append(Problem(key, "is blank: a label needs a name", "remove it"))
        elif folded in taken:
            other, hint = taken[folded]
            problems.append(
                Problem(
                    key,
                    f"is {other} when letter case and surrounding blanks are ignored,"
                    " as labels are compared",
                    hint,
                )
            )
        else:
            taken[folded] = (f"the same label as the alias {label!r}", "keep one alias per label")
    return problems


def _recipient_field_problems(recipients: Any, declared: list[str]) -> list[Problem]:
    if not isinstance(recipients, dict):
        return []
    problems = []
    for name in ("first_name", "last_name", "birth_date", "email", "postal_code"):
        value = recipients.get(name)
        if isinstance(value, str) and value.strip() and value not in declared:
            message = f"{value!r} is not a declared field"
            problems.append(Problem(f"recipients.{name}", message))
    for name in ("phones", "address"):
        values = recipients.get(name)
        for value in values if isinstance(values, list) else []:
            if isinstance(value, str) and value not in declared:
                message = f"{value!r} is not a declared field"
                problems.append(Problem(f"recipients.{name}", message))
    return problems


def postal_ranges(raw: dict[str, Any]) -> tuple[list[tuple[int, int, str]], list[Problem]]:
    """The ranges of [recipients.postal_languages] in order, and their problems (a range not
    understood, ending before it starts, overlapping another)."""
    ranges = []
    problems = []
    for span, language in raw.items():
        key = key_path(("recipients", "postal_languages", span))
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", span)
        if not match:
            message = 'write "1000-1299" = "nl+fr" (languages nl, fr, de, en)'
            problems.append(Problem(key, message))
            continue
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if high < low:
            problems.append(Problem(key, "the range ends before it starts"))
            continue
        ranges.append((low, high, language))
    ranges.sort(key=lambda r: (r[0], r[1]))
    for (_, high, _), (low, _, _) in itertools.pairwise(ranges):
        if low <= high:
            problems.append(
                Problem(
                    "recipients.postal_languages",
                    f"ranges overlap at {low}",
                    "make every postal code fall in one range",
                )
            )
    return ranges, problems


class _WithDefaults(GenerateJsonSchema):
    """Shows the defaults made by a factory too (the built-in placeholder list, `["csv"]`), so
    that editors and the case-file reference show every default."""

    def get_default_value(self, schema: core_schema.WithDefaultSchema) -> Any:
        factory = schema.get("default_factory")
        if factory is not None and not schema.get("default_factory_takes_data"):
            return factory()  # type: ignore[call-arg]
        return super().get_default_value(schema)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a case file, for editors (`#:schema ./case.schema.json`)."""
    schema = CaseFile.model_json_schema(schema_generator=_WithDefaults)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
