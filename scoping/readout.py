"""A look-up's answer as an agent reads it, in the agent's language (en, nl, fr, de).

The words are in templates/words.toml, the sentence to read out in templates/sentence.LANG.j2
(Jinja2, sandboxed: a template can format the values it is given and reach nothing else).
`sentence` is the one place that turns a person into that sentence, so that it can be moved
to the case's own message templates without touching its callers.
"""

from __future__ import annotations

import datetime as dt
import tomllib
import zoneinfo
from functools import cache
from importlib import resources
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from scoping.lookup import Answer, Hotline, Person
from scoping.render import Column, Listing

LANGUAGES = ("en", "nl", "fr", "de")


def templates_dir() -> str:
    return str(resources.files("scoping") / "templates")


@cache
def _all_words() -> dict[str, dict[str, Any]]:
    text = (resources.files("scoping") / "templates" / "words.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def words(lang: str) -> dict[str, Any]:
    """The words of one language (nested tables: channel, wave, kind, page)."""
    return _all_words()[lang]


@cache
def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=FileSystemLoader(templates_dir()),
        undefined=StrictUndefined,
        autoescape=False,  # plain text; the page escapes it where it is shown
        keep_trailing_newline=False,
    )


def day(instant_utc: str | None, timezone: str, lang: str) -> str | None:
    """An instant of the outputs (`2026-09-03T10:00:00Z`) as a day in the case's time zone,
    in words (`3 September 2026`, `3. September 2026`)."""
    if not instant_utc:
        return None
    moment = dt.datetime.fromisoformat(instant_utc.replace("Z", "+00:00"))
    local = moment.astimezone(zoneinfo.ZoneInfo(timezone)).date()
    return date_words(local, lang)


def date_words(value: dt.date, lang: str) -> str:
    w = words(lang)
    month = w["months"][value.month - 1]
    return str(w["date"]).format(day=value.day, month=month, year=value.year)


def name_of(person: Person) -> str:
    return " ".join(p for p in (person.first_name, person.last_name) if p) or person.person_id


def categories_text(person: Person, lang: str, hotline: Hotline) -> str:
    """The exposed categories in the agent's language (the case's labels, else the
    category's own name)."""
    return ", ".join(hotline.labels.get(c, {}).get(lang, c) for c in person.categories)


def sentence(person: Person, lang: str, hotline: Hotline) -> str:
    """The sentence the agent reads out to the person, in the agent's language."""
    w = words(lang)
    template = _environment().get_template(f"sentence.{lang}.j2")
    return template.render(
        name=name_of(person),
        affected=person.affected,
        data=categories_text(person, lang, hotline),
        first=day(person.first_exposure_utc, hotline.timezone, lang),
        last=day(person.last_exposure_utc, hotline.timezone, lang),
        channel=w["channel"].get(person.channel) if person.channel else None,
        wave=w["wave"].get(person.wave_status, "") if person.wave_status else "",
        minor=bool(person.minor),
        deceased=bool(person.deceased),
    ).strip()


def _flag(value: bool | None, w: dict[str, Any]) -> str:
    return str(w["unknown"] if value is None else (w["yes"] if value else w["no"]))


def describe(person: Person, lang: str, hotline: Hotline) -> list[tuple[str, str, str]]:
    """A person's block: (field, heading in the agent's language, value) lines, in the
    order an agent reads them."""
    w = words(lang)
    lines = [
        ("name", w["name"], name_of(person)),
        (
            "birth_date",
            w["birth_date"],
            date_words(person.birth_date, lang) if person.birth_date else w["unknown"],
        ),
        ("affected", w["status"], w["affected"] if person.affected else w["not_affected"]),
    ]
    if person.affected:
        first = day(person.first_exposure_utc, hotline.timezone, lang)
        last = day(person.last_exposure_utc, hotline.timezone, lang)
        if person.channel:
            notified = f"{w['by']} {w['channel'].get(person.channel, person.channel)}"
            notified += f", {w['wave'].get(person.wave_status, '')}" if person.wave_status else ""
        else:
            notified = w["not_notified"]
        lines += [
            ("data", w["data"], categories_text(person, lang, hotline)),
            ("when", w["when"], f"{first} - {last}" if first != last else str(first)),
            ("notified", w["notified"], notified),
        ]
    lines.append(("minor", w["minor"], _flag(person.minor, w)))
    if person.deceased:
        lines.append(("deceased", w["deceased"], w["yes"]))
    if person.shared_contact:
        lines.append(("shared_contact", "", w["shared"]))
    lines += [
        ("records", w["records"], ", ".join(person.keys)),
        ("read_out", w["read_out"], sentence(person, lang, hotline)),
    ]
    return lines


def listings(answer: Answer, lang: str, hotline: Hotline, blocks: bool) -> list[Listing]:
    """The answer as listings: one block (a two-column listing) per person for a table, or
    one row per person for programs (csv, json), with the values themselves."""
    w = words(lang)
    if blocks:
        return [
            Listing(
                f"person_{n}",
                f"{n}. {name_of(person)}",
                (Column("field", identifier=True, header=""), Column("value", header="")),
                [(heading, value) for _, heading, value in describe(person, lang, hotline)],
            )
            for n, person in enumerate(answer.persons, start=1)
        ]
    columns = (
        Column("person_id", identifier=True),
        Column("first_name"),
        Column("last_name"),
        Column("birth_date"),
        Column("affected"),
        Column("categories"),
        Column("first_exposure_utc"),
        Column("last_exposure_utc"),
        Column("channel"),
        Column("wave_status"),
        Column("language"),
        Column("minor"),
        Column("deceased"),
        Column("shared_contact"),
        Column("customer_keys"),
        Column("matched_keys"),
        Column("read_out"),
    )
    rows = [
        (
            p.person_id,
            p.first_name,
            p.last_name,
            p.birth_date.isoformat() if p.birth_date else None,
            p.affected,
            "|".join(p.categories) or None,
            p.first_exposure_utc,
            p.last_exposure_utc,
            p.channel,
            p.wave_status,
            p.language,
            p.minor,
            p.deceased,
            p.shared_contact,
            "|".join(p.keys),
            "|".join(p.matched_keys),
            sentence(p, lang, hotline),
        )
        for p in answer.persons
    ]
    return [Listing("persons", w["found"], columns, rows)]
