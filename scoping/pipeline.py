"""The two jobs the CLI offers on a case: `check` it, and `run` it into an output set.

Each returns data (a dataclass) for the CLI to render; neither prints. `progress` is called
with the name of each step as it starts, so the caller can show where a long run is.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from scoping import (
    db,
    exposure,
    interrupts,
    lookup,
    manifest,
    messages,
    outputs,
    private,
    profile,
    recipients,
    report,
    sources,
    spark,
    statement,
    targets,
)
from scoping.cache import STAGING_FORMAT, Cache, folder_for, open_cache, unless_full
from scoping.case import AccessLog, Case, load_case
from scoping.casefile import EngineTable
from scoping.errors import CaseError, InputError, ScopeError, example
from scoping.hashing import Hasher, sha256_file
from scoping.sources import StagedFile

# Called with each step's name as it starts, and the connection running it, whose
# query_progress() a caller may poll from another thread to draw a progress bar.
Progress = Callable[[str, duckdb.DuckDBPyConnection], None]
CACHE_DIR = ".scoping-cache"


def _quiet(_step: str, _con: duckdb.DuckDBPyConnection) -> None:
    return None


@dataclass(frozen=True)
class Prepared:
    """A connection with the case defined and the inputs staged and checked."""

    case: Case
    con: duckdb.DuckDBPyConnection
    staged: list[StagedFile]
    window: exposure.Window
    unmapped_as_all_fields: list[str]
    hasher: Hasher  # hashes inputs and outputs while the engine works
    cache: Cache | None = None  # the staging cache used, if any
    work: Path | None = None  # the private work folder of the run
    history_problems: list[dict[str, Any]] = field(default_factory=list)  # overlaps, gaps
    spark_pass: spark.Pass | None = None  # when the pass over the events runs on Spark
    # When the computed tables were read from the staging cache (`prepare(reuse=True)`):
    # what the checks found when they were computed, else None.
    reused: dict[str, Any] | None = None


@dataclass(frozen=True)
class CheckReport:
    case: Case
    staged: list[StagedFile]
    window: exposure.Window
    customer_records: int
    events_read: int
    rejected: list[dict[str, Any]]
    actors_without_events: exposure.ActorsWithoutEvents
    fields: list[dict[str, Any]]  # per declared field: available, blank, placeholder, top


@dataclass(frozen=True)
class RunResult:
    case: Case
    out_dir: Path
    counts: dict[str, Any]
    files: list[str] = field(default_factory=list)
    actors_without_events: exposure.ActorsWithoutEvents = field(
        default_factory=lambda: exposure.ActorsWithoutEvents(0, [], {})
    )


def case_settings(case: Case, settings: db.Settings) -> db.Settings:
    """Engine resources: the command line's, else the case's [engine] section's."""
    engine = case.engine
    return dataclasses.replace(
        settings,
        memory_limit=settings.memory_limit or engine.get("memory_limit"),
        threads=settings.threads or engine.get("threads"),
        temp_directory=settings.temp_directory or engine.get("temp_directory"),
    )


def cache_folder(case: Case, settings: db.Settings) -> Path:
    """The staging cache's folder asked for: --cache-dir, else .scoping-cache beside the case
    (the cache may live in a private subfolder of it: see `cache.folder_for`)."""
    return Path(settings.cache_dir) if settings.cache_dir else case.path.parent / CACHE_DIR


def staging_cache(case: Case, settings: db.Settings) -> Cache | None:
    """The staging cache a run uses, unless --no-cache."""
    if not settings.cache:
        return None
    return open_cache(cache_folder(case, settings))


def guarded(
    case: Case, options: RunOptions, query_dirs: tuple[Path, ...] = ()
) -> list[targets.Guarded]:
    """What no output may replace: the case file, every input, the staging cache."""
    queries = [q for d in (*case.query_dirs, *query_dirs) for q in sorted(d.glob("*.sql"))]
    actors_file = [case.scope.actors_file] if case.scope.actors_file else []
    return [
        *targets.guard("the case file", [case.path]),
        *targets.guard("the input file", [f.path for f in case.input_files]),
        *targets.guard("the actors file", actors_file),
        *targets.guard("the query file", queries),
        *targets.guard("the earlier wave's list", options.previous),
        # --no-cache or not: the folder may hold what earlier commands staged.
        *targets.guard(
            "the staging cache", [folder_for(cache_folder(case, options.settings))], inside=True
        ),
    ]


def model_engine(case: Case) -> EngineTable:
    """The case's [engine] table as written (defaults for a case made in code)."""
    return case.model.engine if case.model is not None else EngineTable()


@contextlib.contextmanager
def prepare(
    case: Case,
    settings: db.Settings,
    progress: Progress = _quiet,
    reuse: bool = False,
) -> Iterator[Prepared]:
    """Define the case's tables, stage every input, and stop on customer-key problems.
    With `reuse`, the computed tables the staging cache keeps for this very case (see
    `tables_key`) are read instead, when it has them: the case is then computed already.

    Transcoded copies of inputs live in a private work folder that is removed afterwards.
    """
    settings = case_settings(case, settings)
    with private.files(), private.work_folder(settings.temp_directory) as work:
        # DuckDB spills into this private folder (0700), inside --temp-dir when one is
        # given: its own default is a .tmp folder in the current directory, a --temp-dir
        # would get its files directly (0644 in a shared folder), and spilled pages hold
        # personal data.
        con = db.connect(settings, spill=work / "spill")
        hasher = Hasher()
        engine = model_engine(case)
        exchange = case.path.parent / engine.exchange_dir if engine.exchange_dir else None
        try:
            with interrupts.interruptible(con), contextlib.ExitStack() as stack:
                # Spark starts first (a missing extra stops the command before any work),
                # unless the case may be read from the cache: then only when it is computed.
                runner = functools.partial(spark.runner, con, engine, work, exchange)
                spark_pass = None if reuse else stack.enter_context(runner())
                progress("reading the case", con)
                window = exposure.define(con, case)
                progress("staging inputs", con)
                cache = staging_cache(case, settings)
                staged = sources.stage(con, case, work, hasher, cache)
                # The rows copied into the engine are those of the files as they were when hashed.
                sources.check_unchanged(staged)
                _check_not_empty(case, staged)
                _check_no_copies(case, staged)
                prep = Prepared(case, con, staged, window, [], hasher, cache, work=work)
                found = _kept(prep, progress) if reuse else None
                if found is not None:
                    yield dataclasses.replace(
                        prep,
                        unmapped_as_all_fields=list(found["unmapped_as_all_fields"]),
                        history_problems=list(found["history_problems"]),
                        reused=found,
                    )
                    return
                if reuse:
                    spark_pass = stack.enter_context(runner())
                progress("checking customer keys", con)
                db.run(con, "customers")
                exposure.check_customers(con, case)
                history_problems = exposure.read_history(con, case)
                progress("parsing the access log", con)
                exposure.parse_access_log(con, case)
                added = exposure.check_fields_and_actions(con, case)
                yield dataclasses.replace(
                    prep,
                    unmapped_as_all_fields=added,
                    history_problems=history_problems,
                    spark_pass=spark_pass,
                )
        finally:
            hasher.close()
            con.close()


def _check_no_copies(case: Case, staged: list[StagedFile]) -> None:
    """Stop when two input files of one role hold the same rows, byte for byte: one extract
    delivered twice, whose rows would be counted twice. (Files with no row, such as the
    header-only logs of two quiet months, count nothing twice.) Only files of equal size are
    compared, so this waits for no hash in the usual case (every file of its own size)."""
    by_size: dict[tuple[str, int], list[StagedFile]] = {}
    for s in staged:
        if s.rows_read:
            by_size.setdefault((s.role, s.file.path.stat().st_size), []).append(s)
    for group in by_size.values():
        first: dict[str, StagedFile] = {}
        for s in group if len(group) > 1 else ():
            other = first.setdefault(s.sha256, s)
            if other is not s:
                raise InputError(
                    f"{case.display_path(other.file.path)} and"
                    f" {case.display_path(s.file.path)} hold the same bytes: one extract"
                    " given twice, whose rows would be counted twice",
                    "list each extract once; remove the copy",
                )


def _check_not_empty(case: Case, staged: list[StagedFile]) -> None:
    """Stop when the customer table holds no record at all: an extract that came out empty,
    not a case where every event names an unknown customer. (An access log with no row is
    pointed out in the summary instead: checking a customer table before the logs arrive
    is a use.)"""
    files = [s for s in staged if s.role == "customers"]
    if files and sum(s.rows_read for s in files) == 0:
        names = ", ".join(case.display_path(s.file.path) for s in files)
        raise InputError(
            f"{names}: no customer record in the input (only a header, or nothing)",
            "check the extract: the file may have been cut or exported empty",
        )


def check(case_path: Path, settings: db.Settings = db.DEFAULTS) -> CheckReport:
    """Validate the case and its inputs without writing anything."""
    case = load_case(case_path)
    with prepare(case, settings) as prep:
        quiet = check_actors(prep)
        rejected = _rejected_rows(prep)
        fields = exposure.field_profile(prep.con, case)
    return CheckReport(
        case=case,
        staged=prep.staged,
        window=prep.window,
        customer_records=sum(s.rows for s in prep.staged if s.role == "customers"),
        events_read=sum(s.rows_read for s in prep.staged if s.role == "access_log"),
        rejected=rejected,
        actors_without_events=quiet,
        fields=fields,
    )


def check_actors(prep: Prepared) -> exposure.ActorsWithoutEvents:
    """Stop when an actor of the scope has no event at all in the logs (a misspelt account,
    an id written as the ticket gives it): the run would otherwise report 0 affected with
    exit 0. `[scope] allow_actors_without_events = true` goes on (a suspect account that never
    logged in); the actors are then returned for the warning and the output set. A log with
    no row at all is no scope problem (the case can be checked before the logs arrive): it
    is pointed out by its own warning, and a log in which no row names an actor (unreadable
    lines only) by its rejected rows."""
    if not sum(s.rows_read for s in prep.staged if s.role == "access_log"):
        return exposure.ActorsWithoutEvents(0, [], {})
    quiet = exposure.actors_without_events(prep.con)
    if quiet.count == 0 or prep.case.scope.allow_actors_without_events:
        return quiet
    if not db.fetch_dicts(prep.con, "log_names_actors")[0]["named"]:
        return exposure.ActorsWithoutEvents(0, [], {})
    raise ScopeError(
        f"{prep.case.path}: {quiet.count:,} actor(s) of [scope] have no event in the access"
        f" log: {describe_actors(quiet)}",
        "write each actor as the log writes it (`scoping actors` lists the log's actors), or"
        " set [scope] allow_actors_without_events = true to go on (an account that never"
        " logged in)",
    )


def describe_actors(quiet: exposure.ActorsWithoutEvents) -> str:
    """The first few actors without events, each with its "did you mean", and how many more."""
    parts = []
    for actor in quiet.first:
        close = quiet.suggestions.get(actor, [])
        # As every value read from an input is shown: itself when plain, else a hash prefix.
        shown = [repr(example(a)) for a in close]
        parts.append(f"{actor!r}" + (f" (did you mean {' or '.join(shown)}?)" if shown else ""))
    more = quiet.count - len(quiet.first)
    return ", ".join(parts) + (f" and {more:,} more" if more > 0 else "")


@dataclass(frozen=True)
class RunOptions:
    """How to run: replace an earlier output set, accept rejected rows, earlier recipient
    lists (waves), the CSV dialect of the recipient files, engine resources."""

    force: bool = False
    max_rejected: int | None = None  # None: the case's
    previous: tuple[Path, ...] = ()
    csv_dialect: str | None = None  # None: the case's
    xlsx: bool = False  # also .xlsx recipient files, whatever the case's formats
    settings: db.Settings = db.DEFAULTS
    profile: bool = False  # per-step seconds and peak memory in the manifest


@dataclass(frozen=True)
class Computed:
    """A prepared case with its exposure (and recipients, when configured) computed."""

    prep: Prepared
    rejected: list[dict[str, Any]]
    built: recipients.Built | None
    # The computed tables: read from the staging cache, written to it, or neither.
    tables: dict[str, Any] = field(default_factory=dict)


def _exposure(prep: Prepared, options: RunOptions, progress: Progress) -> list[dict[str, Any]]:
    """Stop on rejected rows above the accepted number, else compute the exposure (or, when
    the tables were kept, check what their computation found against this command's
    number)."""
    case = prep.case
    allowed = case.max_rejected if options.max_rejected is None else options.max_rejected
    if prep.reused is not None:
        rejected: list[dict[str, Any]] = list(prep.reused["rejected"])
        _stop_on_rejects(rejected, allowed)
        exposure.check_history(case, prep.history_problems, allowed)
        return rejected
    rejected = _rejected_rows(prep)
    _stop_on_rejects(rejected, allowed)
    exposure.check_history(case, prep.history_problems, allowed)
    progress("computing exposure", prep.con)
    exposure.compute(prep.con, case)
    return rejected


def tables_key(prep: Prepared) -> str | None:
    """The key of a case's computed tables in the staging cache (None without a cache, or
    for a case made in code rather than read from a file): everything that determines them.
    The inputs (each file's place in the case, SHA-256 and staged entry), the case file as
    read and the case as resolved from it (globs expanded, the actors file's accounts, field
    bits), the staging rules' version and every packaged query's SHA-256 (those that ran
    are among them); the cache adds its own format and the versions of scoping and DuckDB.
    What a command only reads afterwards (its own queries, --max-rejected, the engine's
    resources) is not part of it."""
    case = prep.case
    if prep.cache is None or case.model is None:
        return None
    material = {
        "case": case.model.model_dump(mode="json"),
        "resolved": _plain(case, case),
        "inputs": [
            {
                "source_file": s.source_file,
                "role": s.role,
                "source": s.source,
                "path": case.display_path(s.file.path),
                "format": s.file.format,
                "sha256": s.sha256,
                "staged_entry": s.cache_key,
            }
            for s in prep.staged
        ],
        "staging_format": STAGING_FORMAT,
        "queries": {name: q.sha256 for name, q in sorted(db.catalogue().items())},
    }
    return prep.cache.tables_key(material)


def _plain(value: Any, case: Case) -> Any:
    """A resolved case as plain data for a key: its paths as the outputs show them
    (relative to the case folder), so that the key does not depend on where it is run."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name), case)
            for f in dataclasses.fields(value)
            if f.name != "model"
        }
    if isinstance(value, Path):
        return case.display_path(value)
    if isinstance(value, list | tuple):
        return [_plain(v, case) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v, case) for k, v in value.items()}
    return value


def _kept(prep: Prepared, progress: Progress) -> dict[str, Any] | None:
    """What the checks found when the case's tables were kept, with those tables defined
    over the kept files and every view and macro over them; None when the cache has none."""
    key = tables_key(prep)
    if key is None or prep.cache is None:
        return None
    progress("reading the kept tables", prep.con)
    found = prep.cache.load_tables(prep.con, key, exposure.COMPUTED)
    if found is None:
        return None
    exposure.reuse(prep.con, prep.case, exposure.COMPUTED)
    return {**found, "key": key}


def keep_tables(
    prep: Prepared, rejected: list[dict[str, Any]], progress: Progress
) -> dict[str, Any]:
    """Keep the computed tables in the staging cache, with what the checks found, for the
    investigation commands, unless it holds them whole already; returns what the manifest
    records (the key they are kept under, whether they were read from the cache and
    whether they were written to it). A full disk only skips them (the cache only saves
    time), saying so."""
    key = tables_key(prep)
    if key is None or prep.cache is None:
        return {"key": None, "reused": False, "written": False}
    # Kept only under the hashes of the files the tables were computed from (a Parquet input
    # is read where it lies, while the steps run).
    sources.check_unchanged(prep.staged)
    progress("keeping the computed tables", prep.con)
    if prep.cache.has_tables(prep.con, key, exposure.COMPUTED):
        return {"key": key, "reused": False, "written": False}
    found = {
        "rejected": rejected,
        "history_problems": prep.history_problems,
        "unmapped_as_all_fields": prep.unmapped_as_all_fields,
    }
    cache = prep.cache
    written = bool(
        unless_full(
            cache.folder,
            "the computed tables were not kept in it, the command goes on without them",
            lambda: cache.store_tables(prep.con, key, exposure.COMPUTED, found),
        )
    )
    return {"key": key if written else None, "reused": False, "written": written}


@contextlib.contextmanager
def computed(
    case: Case, options: RunOptions = RunOptions(), progress: Progress = _quiet
) -> Iterator[Computed]:
    """Every table and view of a case, computed: what the investigation commands query.
    Stops on rejected rows above the accepted number. With the staging cache, the computed
    tables it keeps for this very case are read instead of computing them again, and a case
    computed here is kept for the next command."""
    with prepare(case, options.settings, progress, reuse=True) as prep:
        rejected = _exposure(prep, options, progress)
        if prep.reused is not None:
            tables = {"key": prep.reused["key"], "reused": True, "written": False}
        else:
            tables = keep_tables(prep, rejected, progress)
        built = None
        if case.recipients is not None:
            progress("building recipients", prep.con)
            built = recipients.build(prep.con, case, list(options.previous))
        yield Computed(prep, rejected, built, tables)


def run(
    case_path: Path,
    out_dir: Path,
    options: RunOptions = RunOptions(),
    progress: Progress = _quiet,
) -> RunResult:
    """Compute the exposure of a case and write its output set into `out_dir`.

    The exposure's counts and files come first, then the recipient lists: the log lines
    kept for counting are dropped before the recipients are built, whose steps need the
    memory (at 10M customers the engine is otherwise at its limit).
    """
    case = load_case(case_path)
    model = case.model
    assert model is not None
    targets.check_folder(out_dir, options.force, guarded(case, options))
    if options.previous and case.recipients is None:
        raise CaseError(
            f"{case.path}: --previous compares recipient lists, but the case has no [recipients]",
            "add a [recipients] section, or drop --previous",
        )
    profiler = profile.Profiler(progress) if options.profile else None
    if profiler is not None:
        progress = profiler
    # One run at a time into a folder: a second one is refused before it computes.
    with (
        profiler or contextlib.nullcontext(),
        outputs.locked(out_dir),
        prepare(case, options.settings, progress) as prep,
    ):
        con = prep.con
        quiet = check_actors(prep)
        rejected = _exposure(prep, options, progress)
        # Kept for the investigation commands, never read back by a run: its numbers are
        # made by the queries its manifest lists, in this run.
        tables = keep_tables(prep, rejected, progress)
        progress("counting", con)
        counts: dict[str, Any] = {"case": {"id": case.id, "title": case.title}}
        counts.update(exposure.counts(con, case))
        counts["summary"] = counts["summary"][0]
        shown, columns = None, []
        if model.statement is not None:
            # What the in-scope actions displayed is read before the per-line tables go; a
            # statement that says otherwise stops the run before the recipients are built.
            progress("checking the statement", con)
            shown = statement.displayed(con)
            statement.check_not_involved(case, shown)
            assert prep.work is not None
            columns = statement.customer_columns(con, prep.staged, prep.work)
        with outputs.output_set(out_dir, options.force) as staging:
            progress("writing outputs", con)
            # Each file is hashed as soon as it is written, while the engine goes on.
            hashed = prep.hasher.start
            written = outputs.write_run(
                con,
                staging,
                case.customers.fields,
                rejected,
                actors_without_events=quiet.count,
                named_sources=case.named_sources,
                history=case.history is not None,
            )
            exposure_files = {n: (p, rows, hashed(p)) for n, (p, rows) in written.items()}
            recipient_files: dict[str, tuple[Path, int | None, Future[str]]] = {}
            parameters = _parameters(prep, options)
            parameters["scope"]["actors_without_events"] = quiet.count
            if case.recipients is not None:
                exposure.release(con)
                progress("building recipients", con)
                built = recipients.build(con, case, list(options.previous))
                counts["recipients"] = recipients.counts(con)
                progress("writing recipient lists", con)
                dialect = options.csv_dialect or case.recipients.csv_dialect
                for name, query in recipients.REPORTS.items():
                    path = staging / name
                    rows = recipients.write_csv(con, query, path, dialect)
                    recipient_files[name] = (path, rows, hashed(path))
                if case.recipients.identity.method == "probabilistic":
                    for name, query in recipients.REVIEW.items():
                        path = staging / name
                        rows = recipients.write_csv(con, query, path, dialect)
                        recipient_files[name] = (path, rows, hashed(path))
                if "xlsx" in _formats(case, options):
                    for name, query in recipients.REPORTS.items():
                        path = staging / Path(name).with_suffix(".xlsx")
                        rows = recipients.write_xlsx(con, query, path)
                        recipient_files[path.name] = (path, rows, hashed(path))
                parameters["recipients"] = _recipient_parameters(case, options, built)
                if model.messages is not None:
                    progress("writing messages", con)
                    sent = messages.write(con, case, staging, dialect)
                    for name, (path, rows) in sent.files.items():
                        recipient_files[name] = (path, rows, hashed(path))
                    preview = staging / "messages_preview.html"
                    outputs.write_private_text(preview, messages.preview(case))
                    recipient_files[preview.name] = (preview, None, hashed(preview))
                    parameters["messages"] = {
                        **model.messages.model_dump(mode="json"),
                        "distinct_messages_rendered": sent.groups,
                    }
                progress("writing the look-up index", con)
                for name, (path, rows) in lookup.write_index(con, case, staging).items():
                    recipient_files[name] = (path, rows, hashed(path))
                parameters["lookup"] = lookup.parameters(case)
            verdict = None
            if shown is not None:
                verdict = statement.check(case, shown, counts, columns)
                parameters["statement"] = model.statement.model_dump(mode="json")  # type: ignore[union-attr]
            if model.report is not None:
                parameters["report"] = model.report.model_dump(mode="json")
            # Written last, as it holds the recipients' counts; listed with the exposure's files.
            outputs.write_json(staging / "counts.json", counts)
            counts_file = (staging / "counts.json", None, hashed(staging / "counts.json"))
            files = {**exposure_files, "counts.json": counts_file, **recipient_files}
            record = manifest.build(
                case,
                prep.staged,
                # The packaged queries that ran, as the engine boundary recorded them.
                queries=db.ran(con),
                parameters=parameters,
                row_counts=dict(counts["summary"]),
                outputs=files,
                computed_tables=tables,
            )
            if prep.spark_pass is not None:
                record["engine"]["spark"] = spark.manifest(model_engine(case), prep.spark_pass)
            sources.check_unchanged(prep.staged)
            if verdict is not None:
                record["statement"] = verdict
            if profiler is not None:
                record["profile"] = profiler.finish()
            outputs.write_json(staging / "manifest.json", record)
            if model.report is not None:
                # The report reads the output set, manifest included; its own files are
                # then added to the manifest's outputs.
                progress("writing the report", con)
                made = report.write(staging, model.report.language, model.report.show_actors, con)
                for name, path in made.items():
                    record["outputs"].append(
                        {"file": name, "sha256": sha256_file(path), "size": path.stat().st_size}
                    )
                    files[name] = (path, None, hashed(path))
                # And the queries that made the report's own numbers.
                listed = {q["name"] for q in record["queries"]}
                record["queries"] += manifest.query_entries(
                    [n for n in db.ran(con) if n not in listed]
                )
                outputs.write_json(staging / "manifest.json", record)
    return RunResult(case, out_dir, counts, [*files, "manifest.json"], quiet)


def _formats(case: Case, options: RunOptions) -> tuple[str, ...]:
    """The recipient lists' file formats: the case's, plus xlsx when asked (--xlsx)."""
    assert case.recipients is not None
    formats = case.recipients.formats
    return formats if not options.xlsx or "xlsx" in formats else (*formats, "xlsx")


def _recipient_parameters(
    case: Case, options: RunOptions, built: recipients.Built
) -> dict[str, Any]:
    assert case.model is not None and case.model.recipients is not None
    written = case.model.recipients.model_dump(mode="json")
    names = ("first_name", "last_name", "birth_date", "email", "phones", "address", "postal_code")
    return {
        "fields": {name: written.pop(name) for name in names},
        "columns": {
            role: written.pop(f"{role}_column") for role in ("person", "language", "deceased")
        },
        **written,
        # Resolved, or overridden on the command line.
        "csv_dialect": options.csv_dialect or written["csv_dialect"],
        "formats": list(_formats(case, options)),
        "postal_languages": [list(x) for x in case.recipients.postal_languages]
        if case.recipients
        else [],
        "previous": [{"path": str(p), "sha256": sha256_file(p)} for p in options.previous],
        "distinct_values_normalised": built.distinct_values,
        "identity_label_steps": built.label_steps,
        # What identity linkage estimated and did, and the reviewers' decisions file.
        "identity_linkage": built.identity,
    }


def _rejected_rows(prep: Prepared) -> list[dict[str, Any]]:
    """Every row that could not be used, with the line it starts on in CSV and JSON Lines
    files."""
    rows = exposure.rejected_rows(prep.con)
    by_path = {prep.case.display_path(s.file.path): s for s in prep.staged}
    for path, staged in by_path.items():
        if staged.file.format not in ("csv", "tsv", "jsonl"):
            continue
        mine = [r for r in rows if r["file"] == path]
        if not mine:
            continue
        if staged.file.format == "jsonl":
            # Rows and rejected lines are both DuckDB's record numbers.
            for r in mine:
                r["row"] = r["row"] if r["row"] is not None else r["line"]
            by_number = sources.json_line_numbers(staged, {r["row"] for r in mine})
            for r in mine:
                r["line"] = by_number.get(r["row"])
            continue
        by_row, by_record = sources.line_numbers(
            staged,
            {r["row"] for r in mine if r["row"] is not None},
            {r["line"] for r in mine if r["row"] is None},
        )
        for r in mine:
            if r["row"] is not None:
                r["line"] = by_row.get(r["row"])
            else:
                r["line"] = by_record.get(r["line"], r["line"])
    order = {prep.case.display_path(s.file.path): s.source_file for s in prep.staged}
    return sorted(rows, key=lambda r: (order[r["file"]], r["line"] or 0, r["row"] or 0))


def _history(prep: Prepared) -> dict[str, Any] | None:
    """The customers' history as the run read it: its table, and the overlaps and gaps
    found (counts and first keys)."""
    model = prep.case.model
    if model is None or model.customer_history is None:
        return None
    table = model.customer_history.model_dump(mode="json", exclude={"path", "format", "csv"})
    return {
        **table,
        "timezone": table["timezone"] or prep.case.timezone,
        "problems": prep.history_problems,
    }


def _actions(log: AccessLog) -> dict[str, Any]:
    """A source's action map as the run used it: fields in the order of declaration, and
    `use_fields_column` where it is false."""
    return {
        action: list(shown.fields)
        if shown.use_fields_column
        else {"fields": list(shown.fields), "use_fields_column": False}
        for action, shown in log.actions.items()
    }


def where(row: dict[str, Any]) -> str:
    """A rejected row's place, for people: file, line (or row) and column."""
    place = f"line {row['line']}" if row.get("line") is not None else f"row {row['row']}"
    # The column names come from the file's header: each is shown as an example value.
    names = str(row["column"]).split(", ") if row.get("column") else []
    column = f", column '{', '.join(example(n) for n in names)}'" if names else ""
    return f"{row['file']} {place}{column}: {row['reason']}"


def _stop_on_rejects(rejected: list[dict[str, Any]], allowed: int) -> None:
    if len(rejected) > allowed:
        examples = "; ".join(where(r) for r in rejected[:5])
        raise InputError(
            f"{len(rejected)} input row(s) cannot be used (at most {allowed} accepted),"
            f" for example {examples}",
            "fix the extract or the case's column mapping, or accept them with"
            " --max-rejected N (they are then listed in rejected_rows.csv)",
        )


def _parameters(prep: Prepared, options: RunOptions) -> dict[str, Any]:
    """The case's parameters for the manifest: each table as the model read it (defaults
    filled in), beside what was resolved from it (instants in UTC, field bits, the actors of
    the actors file) and what the run used (command-line overrides, engine settings)."""
    case, window, model = prep.case, prep.window, prep.case.model
    assert model is not None
    settings, max_rejected = case_settings(case, options.settings), options.max_rejected
    # The files of each source are in the manifest's inputs, with their hashes.
    logs = [
        {
            **table.model_dump(
                mode="json", exclude={"path", "format", "csv", "actions", "field_aliases"}
            ),
            # Resolved: the name, the zone of naive times, and the maps the source uses.
            "name": log.name,
            "timezone": log.timezone or case.timezone,
            "actions": _actions(log),
            "field_aliases": {label: list(names) for label, names in log.field_aliases.items()},
        }
        for table, log in zip(model.access_log, case.access_logs, strict=True)
    ]
    return {
        "timezone": case.timezone,
        "max_rejected": case.max_rejected if max_rejected is None else max_rejected,
        "scope": {
            **model.scope.model_dump(mode="json"),
            # Resolved: the accounts of the actors file joined, trimmed and sorted.
            "actors": list(case.scope.actors),
            "actors_file": str(case.scope.actors_file) if case.scope.actors_file else None,
            "start_utc": window.start_utc,
            "end_utc": window.end_utc,
        },
        "fields": [
            {
                "field": f.name,
                "column": f.column,
                "category": f.category,
                "bit": f.bit,
                "missing_values": list(f.missing_values),
            }
            for f in case.customers.fields
        ],
        "missing_values": model.customers.missing_values,
        "customer_key": model.customers.key,
        "customer_key_leading_zeros": model.customers.key_leading_zeros,
        "access_log": logs,
        "unmapped": model.scope.unmapped,
        "unmapped_as_all_fields": prep.unmapped_as_all_fields,
        "customer_history": _history(prep),
        # The Spark settings only when the pass ran on Spark.
        "engine": model.engine.model_dump(
            mode="json",
            exclude=None if prep.spark_pass else set(spark.ENGINE_KEYS),
        ),
        "engine_settings": {
            "memory_limit": settings.memory_limit,
            "threads": settings.threads,
            "temp_directory": settings.temp_directory,
            **db.effective_settings(prep.con),
        },
    }
