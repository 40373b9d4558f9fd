"""The report for the authority, made from an output set: `report.html` (one self-contained
file), and `authority_notification.md` and `.json` (GDPR Art. 33(3) points (a) to (d)).

It reads only what a run wrote (counts.json, manifest.json, reconciliation.csv), so it can
be made again later, in another language, from an output set. It holds no personal data
of customers: counts, categories, the case's own names (actions, fields, files) and hashes;
actors are `actor 1..n` unless asked otherwise. Its words are in
`scoping/templates/report/labels.toml`, its pages in Jinja2 templates beside it, its charts
drawn by matplotlib into inline SVG (scoping.charts). The numbers it adds to the output set's
own (the reconciliation summary, the times in the case's zone) come from queries/.
"""

from __future__ import annotations

import functools
import json
import tomllib
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from scoping import charts, db, messages, outputs, private, recipients, targets
from scoping.errors import InputError

# Jinja2 is imported where the report is rendered (see scoping.messages).
if TYPE_CHECKING:  # pragma: no cover
    import jinja2

FILES = targets.REPORT_FILES
LANGUAGES = ("en", "nl", "fr", "de")
# Characters that separate thousands, per language (fr: a narrow no-break space).
_THOUSANDS = {"en": ",", "nl": ".", "de": ".", "fr": "\u202f"}


def _folder() -> Path:
    return Path(str(resources.files("scoping"))) / "templates" / "report"


@functools.cache
def labels() -> dict[str, dict[str, Any]]:
    """The report's words per language (templates/report/labels.toml)."""
    return tomllib.loads((_folder() / "labels.toml").read_text(encoding="utf-8"))


def _read_json(folder: Path, name: str) -> dict[str, Any]:
    path = folder / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"{folder}: no {name}: not an output set of scoping run",
            "give the --out folder of a run",
        ) from None
    except ValueError:
        raise InputError(f"{path}: not valid JSON", "run the case again") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: not a file of scoping run", "run the case again")
    return data


def sources(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """The access-log sources of a run, each with its files, from the manifest's inputs (a
    source is named by its role: `access_log`)."""
    named: dict[str, list[dict[str, Any]]] = {}
    for entry in manifest.get("inputs", []):
        if entry.get("role") != "customers":
            named.setdefault(str(entry.get("source") or entry.get("role")), []).append(entry)
    return [{"name": name, "files": files} for name, files in named.items()]


def _number(language: str) -> Callable[[Any], str]:
    def number(value: Any) -> str:
        if value is None:
            return "\u2013"
        if isinstance(value, bool) or not isinstance(value, int):
            return str(value)
        return f"{value:,}".replace(",", _THOUSANDS[language])

    return number


def context(
    folder: Path,
    language: str,
    show_actors: bool,
    con: duckdb.DuckDBPyConnection | None = None,
) -> dict[str, Any]:
    """Everything the report and the notification say, from the output set in `folder`."""
    counts = _read_json(folder, "counts.json")
    manifest = _read_json(folder, "manifest.json")
    words = labels()[language]
    params = manifest.get("parameters", {})
    scope = params.get("scope", {})
    report_settings = params.get("report") or {}
    own = con is None
    con = con or db.connect()
    try:
        times = db.fetch_dicts(
            con,
            "report_times",
            {
                "timezone": params.get("timezone", "UTC"),
                "start_utc": scope.get("start_utc"),
                "end_utc": scope.get("end_utc"),
                "aware": report_settings.get("aware_at"),
            },
        )[0]
        reconciliation = db.fetch_dicts(
            con,
            "report_reconciliation",
            {"path": db.reader_path(folder / "reconciliation.csv")},
        )
    finally:
        if own:
            con.close()
    category_words = {
        c["category"]: recipients.DEFAULT_LABELS.get(c["category"], {}).get(language)
        or c["category"]
        for c in counts.get("categories", [])
    }
    case_labels = (params.get("recipients") or {}).get("labels") or {}
    for category, by_language in case_labels.items():
        if language in by_language:
            category_words[category] = by_language[language]
    actors = counts.get("actors", [])
    alias = {
        a["actor"]: a["actor"] if show_actors else f"{words['actor'].lower()} {i}"
        for i, a in enumerate(actors, start=1)
    }
    recipients_counts = counts.get("recipients")
    per_category_persons = (recipients_counts or {}).get("per_category", {})
    categories = [
        {
            "category": c["category"],
            "label": category_words[c["category"]],
            "records": c["customers"],
            "persons": per_category_persons.get(c["category"], 0) if recipients_counts else None,
        }
        for c in counts.get("categories", [])
    ]
    combinations = [
        {
            "labels": [category_words.get(c, c) for c in str(row["categories"]).split("|")],
            "records": row["customers"],
        }
        for row in counts.get("combinations", [])
    ]
    statement = manifest.get("statement")
    return {
        "w": words,
        "language": language,
        "case": counts.get("case", {}),
        "timezone": params.get("timezone", "UTC"),
        "scope": scope,
        "times": times,
        "summary": counts.get("summary", {}),
        "actors": [{**a, "name": alias[a["actor"]]} for a in actors],
        "alias": alias,
        "sources": sources(manifest),
        "actions": params.get("actions", {}),
        "statement": statement,
        "action_events": {a["action"]: a["events"] for a in (statement or {}).get("actions", [])},
        "categories": categories,
        "category_words": category_words,
        "combinations": combinations,
        "recipients": recipients_counts,
        "reconciliation": reconciliation,
        "days": counts.get("days", []),
        "first_exposure": counts.get("first_exposure", []),
        "actor_days": counts.get("actor_days", []),
        "params": params,
        "manifest": manifest,
        "queries": manifest.get("queries", []),
        "inputs": manifest.get("inputs", []),
        "outputs": [o for o in manifest.get("outputs", []) if o.get("file") not in FILES],
    }


def _charts(ctx: dict[str, Any]) -> dict[str, Any]:
    """The timeline and one chart per actor (those the counts cover), as inline SVG."""
    w = ctx["w"]
    days = [str(d["day"]) for d in ctx["days"]]
    recipients_counts = ctx["recipients"]
    if recipients_counts is not None:
        first = {str(d["day"]): d["persons"] for d in recipients_counts.get("first_exposure", [])}
    else:
        first = {str(d["day"]): d["customers"] for d in ctx["first_exposure"]}
    # Every day with an event or a first exposure, in order.
    all_days = sorted(set(days) | set(first))
    events = {str(d["day"]): d["events"] for d in ctx["days"]}
    timeline = charts.timeline(
        all_days,
        [events.get(d, 0) for d in all_days],
        [first.get(d, 0) for d in all_days],
        (w["events"], w["newly_exposed"]),
    )
    per_actor: dict[str, dict[str, int]] = {}
    for row in ctx["actor_days"]:
        per_actor.setdefault(row["actor"], {})[str(row["day"])] = row["events"]
    actor_charts = []
    for actor, by_day in per_actor.items():
        shown = [d for d in all_days if d >= min(by_day) and d <= max(by_day)] or sorted(by_day)
        name = ctx["alias"].get(actor, actor)
        actor_charts.append(
            {
                "name": name,
                "svg": charts.actor_days(
                    shown, [by_day.get(d, 0) for d in shown], w["events"], name
                ),
            }
        )
    categories = charts.bars(
        [c["label"] for c in ctx["categories"]],
        [c["persons"] if c["persons"] is not None else c["records"] for c in ctx["categories"]],
        w["persons"] if ctx["recipients"] is not None else w["records"],
    )
    return {"timeline": timeline, "actors": actor_charts, "categories": categories}


def _environment(language: str) -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_folder())),
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _number(language)
    return env


def notification(ctx: dict[str, Any]) -> dict[str, Any]:
    """Art. 33(3)(a)-(d), prefilled from the run; what only people can write is a marked
    placeholder with suggested wording per exposed category."""
    w = ctx["w"]
    statement = ctx["statement"] or {}
    summary = ctx["summary"]
    persons = (ctx["recipients"] or {}).get("affected_persons")
    number = _number(ctx["language"])
    exposed = [c for c in ctx["categories"] if c["records"]]
    exposed_names = {c["category"] for c in exposed}
    consequences = [
        {"category": c["category"], "text": w["consequences"][c["category"]]}
        for c in exposed
        if c["category"] in w["consequences"]
    ]
    if {"birth_date", "name", "address"} <= exposed_names:
        consequences.append({"category": "birth_date+name+address", "text": w["identity_fraud"]})
    times = ctx["times"]
    nature = w["nature"].format(
        actors=number(len(ctx["actors"])),
        start=times["start_local"] or w["open_start"],
        end=times["end_local"] or w["open_end"],
    )
    return {
        "case": ctx["case"],
        "language": ctx["language"],
        "aware_at_utc": times["aware_utc"],
        "deadline_utc": times["deadline_utc"],
        "deadline_local": times["deadline_local"],
        "a": {
            "title": w["point_a"],
            "nature": nature,
            "window": {
                "start_local": times["start_local"],
                "end_local": times["end_local"],
                "start_utc": ctx["scope"].get("start_utc"),
                "end_utc": ctx["scope"].get("end_utc"),
                "timezone": ctx["timezone"],
            },
            "data_subjects": persons,
            "records": summary.get("affected_customer_records"),
            "events_in_scope": summary.get("events_in_scope"),
            "numbers": w["numbers"].format(
                persons=number(persons) if persons is not None else "\u2013",
                records=number(summary.get("affected_customer_records")),
                events=number(summary.get("events_in_scope")),
            ),
            "categories": [
                {
                    "category": c["category"],
                    "label": c["label"],
                    "persons": c["persons"],
                    "records": c["records"],
                }
                for c in exposed
            ],
            "not_involved": messages.not_involved_words(
                [n["entry"] for n in statement.get("not_involved", [])],
                ctx["language"],
                (ctx["params"].get("statement") or {}).get("labels"),
            ),
            "minors": (ctx["recipients"] or {}).get("minors"),
        },
        "b": {
            "title": w["point_b"],
            "controller": statement.get("controller"),
            "contact_point": statement.get("contact_point"),
            "hotline": statement.get("hotline"),
            "placeholder": not statement,
        },
        "c": {
            "title": w["point_c"],
            "placeholder": True,
            "text": None,
            "suggested": consequences,
        },
        "d": {
            "title": w["point_d"],
            "placeholder": True,
            "text": None,
            "suggested": [{"text": w["measures_suggestion"]}],
        },
    }


def render(
    folder: Path,
    language: str = "en",
    show_actors: bool = False,
    con: duckdb.DuckDBPyConnection | None = None,
) -> dict[str, str]:
    """The report's files, by name, as text."""
    ctx = context(folder, language, show_actors, con)
    env = _environment(language)
    ctx["charts"] = _charts(ctx)
    note = notification(ctx)
    return {
        "report.html": env.get_template("report.html.j2").render(ctx),
        "authority_notification.md": env.get_template("authority_notification.md.j2").render(
            {**ctx, "n": note}
        ),
        "authority_notification.json": json.dumps(note, indent=2, ensure_ascii=False) + "\n",
    }


def write(
    folder: Path,
    language: str = "en",
    show_actors: bool = False,
    con: duckdb.DuckDBPyConnection | None = None,
    into: Path | None = None,
) -> dict[str, Path]:
    """Write the report's files into `into` (default: the output set itself), each
    private (0600); return their paths by name."""
    texts = render(folder, language, show_actors, con)
    target = into or folder
    written = {}
    for name, text in texts.items():
        path = target / name
        outputs.write_private_text(path, text)
        written[name] = path
    return written


def write_into(folder: Path, language: str | None, show_actors: bool = False) -> list[str]:
    """`scoping report`: the report's files into an output set, in `language` (default the
    case's [report] language, else English); return their names."""
    if not (folder / "manifest.json").is_file():
        raise InputError(
            f"{folder}: no manifest.json: not an output set of scoping run",
            "give the --out folder of a run",
        )
    manifest = _read_json(folder, "manifest.json")
    settings = (manifest.get("parameters") or {}).get("report") or {}
    if language is None:
        language = settings.get("language", "en")
    with private.files():
        written = write(folder, str(language), show_actors or bool(settings.get("show_actors")))
    return list(written)
