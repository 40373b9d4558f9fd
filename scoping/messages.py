"""The messages to each person: templates per channel and language, filled per person.

Templates are Jinja2 files (`email_subject`, `email_body`, `sms`, `letter`, each
`NAME.LANGUAGE.j2`), shipped in `scoping/templates/messages/`; a case's `[messages]
templates` folder replaces any of them by name. They run in Jinja2's sandbox with
StrictUndefined, and every variable a template names is checked before anything is
rendered: an unknown one stops the run, naming the template. A bilingual person (`nl+fr`)
gets the template written for both (`sms.nl+fr.j2`) when there is one, else each
language's version, one after the other.

Large lists stay cheap: a message is rendered once per distinct (template, language,
categories, wave status, flags) with markers in place of the name and address, checked
once against a real rendering, and each person's message is that text with their own
values put in, by DuckDB as it writes the files (queries/messages_file.sql). A text
message is counted in segments as phones count them: GSM-7 (with its extension table) when
every character has a place in it, else UCS-2.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from scoping import db, outputs, recipients
from scoping.case import Case
from scoping.errors import CaseError, TemplateError

# Jinja2 is imported where messages are rendered: the commands that render none (every
# investigation command) do not pay for its import.
if TYPE_CHECKING:  # pragma: no cover
    import jinja2
    import jinja2.sandbox

CHANNELS = {"email": ("email_subject", "email_body"), "sms": ("sms",), "letter": ("letter",)}
LANGUAGES = ("nl", "fr", "de", "en")
# What a template may use. Lists are words in the template's language; `*_in` map every
# language of a bilingual person to them.
VARIABLES = frozenset(
    {
        "first_name",
        "last_name",
        "address_line1",
        "address_line2",
        "language",
        "languages",
        "exposed",
        "exposed_in",
        "exposed_new",
        "exposed_new_in",
        "not_involved",
        "not_involved_in",
        "controller",
        "contact_point",
        "hotline",
        "minor",
        "deceased",
        "wave_status",
        "channel",
    }
)
# The person's own values, put into the text rendered once per group of alike persons.
PERSONAL = ("first_name", "last_name", "address_line1", "address_line2")
_MARK = {name: f"\x02{i}\x03" for i, name in enumerate(PERSONAL)}
# Values that check that a template passes the personal values through as they are.
_PROBE = {
    "first_name": "Zoë-Ann",
    "last_name": "O'Brien",
    "address_line1": "Rue de l'Étang 1",
    "address_line2": "1000 Bruxelles",
}
SEPARATORS = {
    "email_subject": " / ",
    "email_body": "\n\n----\n\n",
    "sms": "\n",
    "letter": "\n\n----\n\n",
}

# GSM 03.38: the basic character set (one septet each) and its extension table (two).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")


def sms_segments(text: str) -> tuple[str, int]:
    """The encoding (`GSM-7` or `UCS-2`) and number of segments a phone sends `text` in:
    160 septets in one segment, 153 a segment when split (an extension character takes two
    and is never split); 70 and 67 UTF-16 units in UCS-2 (a surrogate pair never split)."""
    if all(c in GSM_BASIC or c in GSM_EXTENSION for c in text):
        units = [2 if c in GSM_EXTENSION else 1 for c in text]
        encoding, single, part = "GSM-7", 160, 153
    else:
        units = [2 if ord(c) > 0xFFFF else 1 for c in text]
        encoding, single, part = "UCS-2", 70, 67
    if sum(units) <= single:
        return encoding, 1
    segments, used = 1, 0
    for unit in units:
        if used + unit > part:
            segments, used = segments + 1, 0
        used += unit
    return encoding, segments


def _package_folder() -> Path:
    return Path(str(resources.files("scoping"))) / "templates"


@functools.cache
def builtin_not_involved_labels() -> dict[str, dict[str, str]]:
    """Words for common `not_involved` entries (templates/not_involved.toml)."""
    text = (_package_folder() / "not_involved.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@dataclass(eq=False)
class Notice:
    """What every message of a case shares: the statement's words and the labels."""

    controller: str
    contact_point: str
    hotline: str
    not_involved: tuple[str, ...] = ()
    category_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    not_involved_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    templates: Path | None = None
    max_segments: int = 2

    @functools.cached_property
    def environment(self) -> jinja2.sandbox.SandboxedEnvironment:
        import jinja2
        import jinja2.sandbox

        folders = [str(self.templates)] if self.templates else []
        folders.append(str(_package_folder() / "messages"))
        return jinja2.sandbox.SandboxedEnvironment(
            loader=jinja2.FileSystemLoader(folders),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            keep_trailing_newline=False,
        )

    @functools.cache  # noqa: B019 - one Notice per run; templates are few
    def template(self, name: str, language: str) -> jinja2.Template | None:
        """The template `NAME.LANGUAGE.j2` (the case's first), checked for unknown
        variables; None when there is none for that language."""
        import jinja2
        import jinja2.meta

        file = f"{name}.{language}.j2"
        try:
            source, _, _ = self.environment.loader.get_source(self.environment, file)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            return None
        try:
            parsed = self.environment.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"template {file}: line {exc.lineno}: {exc.message}", "fix the template"
            ) from None
        unknown = sorted(jinja2.meta.find_undeclared_variables(parsed) - VARIABLES)
        if unknown:
            raise TemplateError(
                f"template {file} uses unknown variable(s): {', '.join(unknown)}",
                f"a template may use {', '.join(sorted(VARIABLES))}",
            )
        return self.environment.get_template(file)

    def _words(
        self, table: dict[str, dict[str, str]], names: Iterable[str], lang: str
    ) -> list[str]:
        words = []
        for name in names:
            word = table.get(name, {}).get(lang)
            if word is None:
                raise CaseError(
                    f"a message would name {name!r}, which has no word in {lang!r}",
                    f"add it in [recipients.labels.{name}] (a category) or"
                    f' [statement.labels.{name}] (not involved): {lang} = "..."',
                )
            words.append(word)
        return words

    def context(
        self,
        language: str,
        categories: Sequence[str],
        new_categories: Sequence[str] = (),
        **values: Any,
    ) -> dict[str, Any]:
        """The variables of one message (`values`: the person's own and their flags)."""
        langs = language.split("+")
        exposed_in = {lang: self._words(self.category_labels, categories, lang) for lang in langs}
        new_in = {lang: self._words(self.category_labels, new_categories, lang) for lang in langs}
        not_in = {
            lang: self._words(self.not_involved_labels, self.not_involved, lang) for lang in langs
        }
        context: dict[str, Any] = {
            "first_name": "",
            "last_name": "",
            "address_line1": "",
            "address_line2": "",
            "minor": False,
            "deceased": False,
            "wave_status": "new",
            "channel": "",
            **values,
            "language": langs[0],
            "languages": langs,
            "exposed": exposed_in[langs[0]],
            "exposed_in": exposed_in,
            "exposed_new": new_in[langs[0]],
            "exposed_new_in": new_in,
            "not_involved": not_in[langs[0]],
            "not_involved_in": not_in,
            "controller": self.controller,
            "contact_point": self.contact_point,
            "hotline": self.hotline,
        }
        return context

    def render(self, name: str, language: str, context: dict[str, Any]) -> str:
        """One part of a message: the template written for `language` (`nl+fr` too), else
        each of its languages' in turn, joined."""
        whole = self.template(name, language)
        if whole is not None:
            return self._render(whole, context)
        parts = []
        for lang in language.split("+"):
            template = self.template(name, lang)
            if template is None:
                raise TemplateError(
                    f"no template {name}.{lang}.j2", "add it to the [messages] templates folder"
                )
            own = {
                **context,
                "language": lang,
                "exposed": context["exposed_in"][lang],
                "exposed_new": context["exposed_new_in"][lang],
                "not_involved": context["not_involved_in"][lang],
            }
            parts.append(self._render(template, own))
        return SEPARATORS[name].join(parts)

    @staticmethod
    def _render(template: jinja2.Template, context: dict[str, Any]) -> str:
        import jinja2

        try:
            return template.render(context).strip()
        except jinja2.UndefinedError as exc:
            raise TemplateError(
                f"template {template.name}: {exc.message}", "use only the documented variables"
            ) from None
        except jinja2.TemplateError as exc:
            raise TemplateError(f"template {template.name}: {exc}", "fix the template") from None


def not_involved_words(
    entries: Sequence[str], language: str, own: dict[str, dict[str, str]] | None = None
) -> list[str]:
    """The `not_involved` entries in words of `language` (the built-in ones, or the case's
    [statement.labels]); an entry without a word stays as written."""
    builtin = builtin_not_involved_labels()
    return [{**builtin.get(e, {}), **(own or {}).get(e, {})}.get(language, e) for e in entries]


def notice(case: Case) -> Notice:
    """The messages' shared parts for a case with [statement] (and [messages])."""
    model = case.model
    assert model is not None and model.statement is not None
    statement = model.statement
    messages = model.messages
    case_labels = case.recipients.labels if case.recipients else {}
    category_labels = {
        c: {**recipients.DEFAULT_LABELS.get(c, {}), **case_labels.get(c, {})}
        for c in case.categories
    }
    own = {k: v.model_dump(exclude_none=True) for k, v in statement.labels.items()}
    builtin = builtin_not_involved_labels()
    not_involved_labels = {
        n: {**builtin.get(n, {}), **own.get(n, {})} for n in statement.not_involved
    }
    templates = case.path.parent / messages.templates if messages and messages.templates else None
    return Notice(
        controller=statement.controller,
        contact_point=statement.contact_point,
        hotline=statement.hotline,
        not_involved=tuple(statement.not_involved),
        category_labels=category_labels,
        not_involved_labels=not_involved_labels,
        templates=templates,
        max_segments=messages.max_segments if messages else 2,
    )


def notice_text(
    language: str,
    categories: Sequence[str],
    hotline: str,
    *,
    controller: str = "",
    contact_point: str = "",
    not_involved: Sequence[str] = (),
    labels: dict[str, dict[str, str]] | None = None,
    templates: Path | None = None,
    channel: str = "sms",
) -> str:
    """A person's notice as one short text (the SMS template by default), from the language,
    the exposed categories and the hotline: what an agent can read out on the phone."""
    builtin = builtin_not_involved_labels()
    notice = Notice(
        controller=controller,
        contact_point=contact_point,
        hotline=hotline,
        not_involved=tuple(not_involved),
        category_labels={**recipients.DEFAULT_LABELS, **(labels or {})},
        not_involved_labels={**builtin, **(labels or {})},
        templates=templates,
    )
    context = notice.context(language, categories)
    parts = CHANNELS[channel]
    return "\n\n".join(notice.render(part, language, context) for part in parts)


# --- the per-person files --------------------------------------------------------------------

EMAIL_COLUMNS = ("recipient_id", "email", "language", "subject", "body")
SMS_COLUMNS = ("recipient_id", "mobile", "language", "text", "encoding", "segments")
LETTER_COLUMNS = (
    "recipient_id",
    "first_name",
    "last_name",
    "address_line1",
    "address_line2",
    "language",
    "body",
)
FILES = {"email": "messages_email.csv", "sms": "messages_sms.csv", "letter": "messages_letter.csv"}


class _Group:
    """One message rendered for a group of alike persons, with markers where each person's
    own values go; or, when a template does not pass them through as they are, rendered
    for every person."""

    def __init__(self, notice: Notice, channel: str, language: str, context: dict[str, Any]):
        self.notice, self.channel, self.language = notice, channel, language
        self.context = context
        self.personal = [p for p in PERSONAL if context[p]]
        marked = {**context, **{p: _MARK[p] for p in self.personal}}
        self.texts = [notice.render(part, language, marked) for part in CHANNELS[channel]]
        probe = {**context, **{p: _PROBE[p] for p in self.personal}}
        self.fast = self.fill(probe) == self.render(probe)

    def render(self, context: dict[str, Any]) -> list[str]:
        return [self.notice.render(part, self.language, context) for part in CHANNELS[self.channel]]

    def fill(self, values: dict[str, Any]) -> list[str]:
        texts = self.texts
        for p in self.personal:
            texts = [t.replace(_MARK[p], str(values[p])) for t in texts]
        return texts

    def message(self, values: dict[str, Any]) -> list[str]:
        return self.fill(values) if self.fast else self.render({**self.context, **values})


def _csv_safe(value: Any) -> Any:
    """A free-text cell as the recipient files write it: a leading `'` before `=`, `+`,
    `-`, `@`, tab, CR or LF, which a spreadsheet would run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r", "\n"):
        return "'" + value
    return value


@dataclass(frozen=True)
class Written:
    files: dict[str, tuple[Path, int]]
    groups: int  # distinct messages rendered once and filled per person


# Per-row values of a CSV line built once per group: the recipient's id and contact point,
# the personal values inside a text, and the same as cells of their own (letters).
_ROW = ("recipient_id", "email", "mobile")
_SLOT = {
    **{name: f"\x02{name}\x03" for name in _ROW},
    **{f"{p}_cell": f"\x02{p}_cell\x03" for p in PERSONAL},
    **{p: _MARK[p] for p in PERSONAL},
}
_SLOTS = re.compile("(" + "|".join(re.escape(m) for m in _SLOT.values()) + ")")
_SLOT_NAME = {mark: name for name, mark in _SLOT.items()}


def _cells(
    channel: str, row: dict[str, Any], texts: list[str], counted: tuple[str, int]
) -> list[Any]:
    """A message file's cells for one person (or for a group, with markers as values)."""
    if channel == "email":
        return [row["recipient_id"], row["email"], row["language"], *map(_csv_safe, texts)]
    if channel == "sms":
        return [row["recipient_id"], row["mobile"], row["language"], _csv_safe(texts[0]), *counted]
    return [
        row["recipient_id"],
        *(row[f"{p}_cell"] for p in PERSONAL),
        row["language"],
        _csv_safe(texts[0]),
    ]


class _Line:
    """A group's CSV line split at its markers: constant parts, already quoted, between the
    slots each person's values go into (as a quoted cell's content: see _template and
    messages_file)."""

    def __init__(self, line: str) -> None:
        pieces = _SLOTS.split(line)
        self.parts = pieces[0::2]
        self.slots = [_SLOT_NAME[m] for m in pieces[1::2]]


def write(con: duckdb.DuckDBPyConnection, case: Case, folder: Path, dialect: str) -> Written:
    """messages_email.csv, messages_sms.csv and messages_letter.csv: one message per person
    to notify in this wave (new or expanded), in the recipient files' CSV dialect; stop
    when a text message would be longer than the case allows.

    A group of alike persons (message_groups) gets its line built once, here; each person's
    line is that line with their own values in its slots, which DuckDB puts in as it writes
    the files (messages_file). Only the persons whose message depends on their own values
    otherwise (see _new_group) are rendered one by one."""
    notice_ = notice(case)
    delimiter, bom = (";", True) if dialect == "excel-be" else (",", False)
    db.run(con, "message_persons")
    db.run(con, "macro_message_cell")
    found: dict[tuple[Any, ...], tuple[_Group, _Line | None]] = {}
    for g in db.fetch_dicts(con, "message_groups"):
        found[tuple(g[k] for k in _KEY)] = _new_group(notice_, _group_row(g), delimiter)
    templates = _lines_table(con, found)
    db.run(con, "message_person_lines")
    _own_lines(con, notice_, found, delimiter)
    columns = {"email": EMAIL_COLUMNS, "sms": SMS_COLUMNS, "letter": LETTER_COLUMNS}
    files = {}
    for channel in CHANNELS:
        path = folder / FILES[channel]
        header = ("\ufeff" if bom else "") + outputs.csv_header(columns[channel], delimiter)
        params = {"channel": channel, "templates": templates}
        rows = outputs.copy_lines(con, "messages_file", params, path, header)
        files[FILES[channel]] = (path, rows)
    for table in ("message_lines", "message_own_lines"):
        con.execute(f"DROP TABLE IF EXISTS {table}")
    for view in ("message_person_lines", "message_persons"):
        con.execute(f"DROP VIEW IF EXISTS {view}")
    return Written(files, len(found))


# What makes two persons' messages alike: a group of message_groups.
_KEY = (
    "channel",
    "language",
    "categories",
    "new_categories",
    "wave_status",
    "minor",
    "deceased",
    *(f"has_{p}" for p in PERSONAL),
)


def _group_row(g: dict[str, Any]) -> dict[str, Any]:
    """A group as a person's row that _new_group reads: the group's values, markers for the
    personal values that are there (their slots replace them in the line)."""
    return {
        **g,
        **dict.fromkeys(_ROW),
        **{p: (_MARK[p] if g[f"has_{p}"] else "") for p in PERSONAL},
    }


# The slots of a group's line in the order messages_file passes their values to format().
_ARGUMENTS = (*_ROW, *PERSONAL, *(f"{p}_cell" for p in PERSONAL))


def _template(line: _Line) -> str:
    """A group's line as messages_file's format() template: `{N}` for the N-th argument
    (_ARGUMENTS) in each slot, braces of the text doubled, without its line break, which
    COPY writes."""
    text = [line.parts[0].replace("{", "{{").replace("}", "}}")]
    for slot, part in zip(line.slots, line.parts[1:], strict=True):
        text.append("{" + str(_ARGUMENTS.index(slot)) + "}")
        text.append(part.replace("{", "{{").replace("}", "}}"))
    return "".join(text).removesuffix("\n")


def _lines_table(
    con: duckdb.DuckDBPyConnection, found: dict[tuple[Any, ...], tuple[_Group, _Line | None]]
) -> list[str]:
    """message_lines: each group with the position (line_no, from 1) of its line's template
    in the list returned; NULL when its persons are rendered one by one."""
    con.execute(
        "CREATE OR REPLACE TABLE message_lines (channel VARCHAR, language VARCHAR,"
        " categories VARCHAR, new_categories VARCHAR, wave_status VARCHAR, minor BOOLEAN,"
        " deceased BOOLEAN, has_first_name BOOLEAN, has_last_name BOOLEAN,"
        " has_address_line1 BOOLEAN, has_address_line2 BOOLEAN, line_no INTEGER)"
    )
    templates: list[str] = []
    numbers: list[int | None] = []
    for _, line in found.values():
        if line is None:
            numbers.append(None)
        else:
            templates.append(_template(line))
            numbers.append(len(templates))
    if found:
        columns: dict[str, list[Any]] = {k: [key[i] for key in found] for i, k in enumerate(_KEY)}
        columns["line_no"] = numbers
        select = ", ".join(f"unnest(${k})" for k in columns)
        con.execute(f"INSERT INTO message_lines SELECT {select}", columns)
    return templates


def _own_lines(
    con: duckdb.DuckDBPyConnection,
    notice_: Notice,
    found: dict[tuple[Any, ...], tuple[_Group, _Line | None]],
    delimiter: str,
) -> None:
    """message_own_lines: the line of each person whose group has none (messages_recipients),
    rendered for them; stops when a text message is longer than the case allows."""
    con.execute(
        "CREATE OR REPLACE TABLE message_own_lines"
        " (channel VARCHAR, recipient_id VARCHAR, line VARCHAR)"
    )
    too_long: dict[tuple[str, str], int] = {}
    # The lines go in through a cursor of their own: the persons' result stays open on con.
    insert = con.cursor()
    cur = db.run(con, "messages_recipients")
    names = [d[0] for d in cur.description or ()]
    while chunk := cur.fetchmany(10_000):
        rendered: dict[str, list[str]] = {"channel": [], "recipient_id": [], "line": []}
        for values in chunk:
            r = dict(zip(names, values, strict=True))
            channel = r["channel"]
            group, _ = found[tuple(r[k] for k in _KEY)]
            texts = group.message({p: r[p] or "" for p in PERSONAL})
            counted = sms_segments(texts[0]) if channel == "sms" else ("", 0)
            if channel == "sms" and counted[1] > notice_.max_segments:
                where = (r["language"], _template_name("sms", r["language"], notice_))
                too_long[where] = too_long.get(where, 0) + 1
            row = {**r, **{f"{p}_cell": _csv_safe(r[p]) for p in PERSONAL}}
            line = outputs.csv_line(_cells(channel, row, texts, counted), delimiter)
            rendered["channel"].append(channel)
            rendered["recipient_id"].append(r["recipient_id"])
            rendered["line"].append(line.removesuffix("\n"))
        if not too_long:
            insert.execute(
                "INSERT INTO message_own_lines"
                " SELECT unnest($channel), unnest($recipient_id), unnest($line)",
                rendered,
            )
    insert.close()
    if too_long:
        listed = ", ".join(
            f"{lang} ({template}: {n:,} recipients)"
            for (lang, template), n in sorted(too_long.items())
        )
        raise TemplateError(
            f"text messages longer than {notice_.max_segments} segments in {listed}",
            "shorten the template (an accented letter outside GSM-7, such as ê or ç, halves"
            " the room: UCS-2), write one for both languages (sms.nl+fr.j2), or raise"
            " [messages] max_segments",
        )


def _new_group(notice_: Notice, r: dict[str, Any], delimiter: str) -> tuple[_Group, _Line | None]:
    """A group's message, and its CSV line when every person's line can be made from it:
    the templates pass the personal values through as they are, no text begins with one
    (its cell's formula guard would depend on it), and an SMS holds none (its length
    would)."""
    channel, language = r["channel"], r["language"]
    context = notice_.context(
        language,
        r["categories"].split("|") if r["categories"] else [],
        r["new_categories"].split("|") if r["new_categories"] else [],
        minor=r["minor"],
        deceased=r["deceased"],
        wave_status=r["wave_status"],
        channel=channel,
        **{p: r[p] for p in PERSONAL},
    )
    group = _Group(notice_, channel, language, context)
    personal = [m for m in _MARK.values() if any(m in t for t in group.texts)]
    if not group.fast or any(t.startswith("\x02") for t in group.texts):
        return group, None
    counted = ("", 0)
    if channel == "sms":
        if personal:
            return group, None
        counted = sms_segments(group.texts[0])
        if counted[1] > notice_.max_segments:
            # Counted once per person below: the group's line is never used.
            return group, None
    marked = {**r, **{name: _SLOT[name] for name in _ROW}}
    marked.update({f"{p}_cell": _SLOT[f"{p}_cell"] for p in PERSONAL})
    line = outputs.csv_line(_cells(channel, marked, group.texts, counted), delimiter)
    return group, _Line(line)


def _template_name(name: str, language: str, notice: Notice) -> str:
    if notice.template(name, language) is not None:
        return f"{name}.{language}.j2"
    return " + ".join(f"{name}.{lang}.j2" for lang in language.split("+"))


# --- the preview for legal sign-off ---------------------------------------------------------

PREVIEW_LANGUAGES = ("nl", "fr", "de", "en", "nl+fr")
FICTIONAL = {
    "first_name": "Sam",
    "last_name": "Example",
    "address_line1": "Example Street 1",
    "address_line2": "1000 Example City",
}


def preview(case: Case, categories: Sequence[str] | None = None) -> str:
    """messages_preview.html: one message per channel and language for a fictional person
    to whom every category was exposed, with the SMS encoding and segments."""
    import jinja2

    notice_ = notice(case)
    shown = list(categories if categories is not None else case.categories)
    items = []
    for language in PREVIEW_LANGUAGES:
        context = notice_.context(language, shown, shown, **FICTIONAL)
        for channel, parts in CHANNELS.items():
            texts = [
                notice_.render(part, language, {**context, "channel": channel}) for part in parts
            ]
            item: dict[str, Any] = {"language": language, "channel": channel, "parts": texts}
            if channel == "sms":
                item["encoding"], item["segments"] = sms_segments(texts[0])
                item["max_segments"] = notice_.max_segments
            items.append(item)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_package_folder() / "report")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.get_template("preview.html.j2").render(
        case_id=case.id, title=case.title, items=items, categories=shown
    )
