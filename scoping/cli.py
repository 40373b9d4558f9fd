"""The `scoping` command: thin commands that parse arguments, call the library and render.

Errors the library raises on purpose become one line on stderr (what, where, what to do) and
a named exit code. Anything else is reported by its type only, because an engine message can
quote data; `--debug` shows the full traceback.
"""

from __future__ import annotations

import contextlib
import enum
import inspect
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from scoping import db, interrupts, investigate, outputs, pipeline, render
from scoping.case import Case, load_case
from scoping.errors import CaseError, ExitCode, InputError, QueryError, ScopingError
from scoping.progress import StepProgress

app = typer.Typer(
    name="scoping",
    help="Scope a personal-data breach: which customers had which fields exposed.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
demo_app = typer.Typer(
    help="Synthetic cases for trying the tool and for benchmarks.", no_args_is_help=True
)
app.add_typer(demo_app, name="demo")

stderr = Console(stderr=True)
_state: dict[str, Any] = {"debug": False, "cache": True, "cache_dir": None}

CasePath = Annotated[Path, typer.Argument(help="The case file (TOML).", show_default=False)]


class ResultFormat(enum.StrEnum):
    """How a query's result is given: a table for people, or a file format."""

    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


class Duplicates(enum.StrEnum):
    """How a person's other accounts look in a generated case (see scoping.demo)."""

    exact = "exact"
    noisy = "noisy"


class CsvDialect(enum.StrEnum):
    """The recipient files' CSV dialect: the case's choices (casefile.Dialect), on the
    command line."""

    standard = "standard"
    excel_be = "excel-be"


class TableFormat(enum.StrEnum):
    """How a command's tables are given: for people (a table) or for programs (on stdout)."""

    table = "table"
    csv = "csv"
    json = "json"


Format = Annotated[
    ResultFormat,
    typer.Option("--format", "-f", help="A table, or csv, json or parquet (parquet needs -o)."),
]
# The one definition of -f for every command that prints tables (see render.emit).
TablesFormat = Annotated[
    TableFormat,
    typer.Option(
        "--format",
        "-f",
        help="A table for people, or csv or json on stdout for programs.",
    ),
]


def _memory_limit(value: str | None) -> str | None:
    problem = db.memory_limit_problem(value) if value is not None else None
    if problem:
        raise typer.BadParameter(problem)
    return value


MemoryLimit = Annotated[
    str | None,
    typer.Option("--memory-limit", help="DuckDB memory limit, e.g. 2GB.", callback=_memory_limit),
]
Threads = Annotated[int | None, typer.Option("--threads", help="DuckDB worker threads.", min=1)]
TempDir = Annotated[
    Path | None,
    typer.Option(
        "--temp-dir",
        help="Where DuckDB spills when memory runs short (an existing folder).",
        exists=True,
        file_okay=False,
        dir_okay=True,
    ),
]


@app.callback()
def _main(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks and log query names.")
    ] = False,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Read and compute everything again; keep nothing in the cache.",
        ),
    ] = False,
    cache_dir: Annotated[
        Path | None,
        typer.Option(
            "--cache-dir",
            help="Staged inputs and computed tables go here (default .scoping-cache).",
        ),
    ] = None,
) -> None:
    """Scope a personal-data breach: which customers had which fields exposed."""
    _state["debug"] = debug
    _state["cache"] = not no_cache
    _state["cache_dir"] = str(cache_dir) if cache_dir else None
    if debug:
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr, format="%(name)s: %(message)s")


class _Notices(logging.Handler):
    """The library's notices (leftovers removed, the cache skipped) as one line each on
    stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        stderr.print(f"Note: {record.getMessage()}", markup=False, highlight=False, soft_wrap=True)


interrupts.notices.addHandler(_Notices())
interrupts.notices.propagate = False
interrupts.notices.setLevel(logging.INFO)


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    """Turn library errors into one clear stderr line and an exit code; SIGINT and SIGTERM
    stop the command after it removed what it was writing (exit 130 and 143)."""
    try:
        with interrupts.handling():
            yield
    except (typer.Exit, typer.Abort):
        raise
    except BaseException as exc:
        signum = interrupts.received()
        if signum is None:
            _report(exc)
            raise
        # DuckDB turns the signal into its own error when it arrives during a query:
        # whatever came out, the command stopped because it was asked to.
        if _state["debug"]:
            raise
        name = interrupts.Interrupted(signum).args[0]
        stderr.print(
            f"[bold red]Interrupted[/] by {name}: stopped; partial outputs and work files"
            " were removed",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(interrupts.exit_code(signum)) from None


def _report(exc: BaseException) -> None:
    """One line (and a hint) for an error, then the command's exit code; anything else
    propagates (the traceback with --debug)."""
    if isinstance(exc, ScopingError):
        if _state["debug"]:
            return
        problems = exc.problems if isinstance(exc, CaseError) else ()
        message = exc.heading if isinstance(exc, CaseError) and len(problems) > 1 else exc.message
        stderr.print(
            f"[bold red]{exc.title}:[/] {escape(render.printable(message))}",
            highlight=False,
            soft_wrap=True,
        )
        if len(problems) > 1:
            for problem in problems:
                line = f"  {render.printable(problem)}"
                stderr.print(line, highlight=False, markup=False, soft_wrap=True)
        if exc.hint:
            hint = render.printable(exc.hint)
            stderr.print(f"  hint: {hint}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(int(exc.exit_code)) from None
    if isinstance(exc, BrokenPipeError):
        # The reader of stdout has gone (`scoping query ... | head`): nothing is wrong with
        # the run. stdout is pointed at /dev/null so that Python's own flush at exit does not
        # fail a second time, and the exit code is a shell's for SIGPIPE.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(141) from None
    if isinstance(exc, Exception) and not _state["debug"]:
        stderr.print(
            f"[bold red]Unexpected error:[/] {type(exc).__name__}"
            " (run again with --debug for details)",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(int(ExitCode.UNEXPECTED)) from None


def _settings(memory_limit: str | None, threads: int | None, temp_dir: Path | None) -> db.Settings:
    return db.Settings(
        memory_limit,
        threads,
        str(temp_dir) if temp_dir else None,
        cache=_state["cache"],
        cache_dir=_state["cache_dir"],
    )


@app.command()
def run(
    case: CasePath,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (must not exist).")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing output folder.")
    ] = False,
    max_rejected: Annotated[
        int | None,
        typer.Option(
            "--max-rejected",
            min=0,
            help="Accept up to N input rows that cannot be used (listed in rejected_rows.csv);"
            " overrides the case's max_rejected (default 0).",
        ),
    ] = None,
    previous: Annotated[
        list[Path] | None,
        typer.Option(
            "--previous",
            help="An earlier wave's recipients.csv (repeat for several): who was already told.",
        ),
    ] = None,
    csv_dialect: Annotated[
        CsvDialect | None,
        typer.Option(
            "--csv-dialect",
            help="Recipient files as 'standard' CSV or 'excel-be' (';' and a UTF-8 BOM).",
        ),
    ] = None,
    fmt: TablesFormat = TableFormat.table,
    xlsx: Annotated[
        bool,
        typer.Option(
            "--xlsx",
            help="Also write the recipient files as Excel workbooks (.xlsx, values as text).",
        ),
    ] = False,
    profile: Annotated[
        bool,
        typer.Option(
            "--profile",
            help="Record each step's seconds and peak memory in the manifest (profile).",
        ),
    ] = False,
    memory_limit: MemoryLimit = None,
    threads: Threads = None,
    temp_dir: TempDir = None,
) -> None:
    """Compute which customers had which fields exposed, and write the output set.

    Writes affected_customers.csv, reconciliation.csv, rejected_rows.csv,
    unmatched_events.csv, counts.json and manifest.json into --out, and prints the counts on
    stderr. With [recipients] in the case, also recipients.csv, notify_email.csv,
    notify_sms.csv, notify_letter.csv and no_contact.csv (and the same as .xlsx with --xlsx
    or the case's formats). An actor of the scope with no event in the logs stops the run
    (exit 7) unless the case allows it (allow_actors_without_events; then they are listed in
    actors_without_events.csv).

    Example:

        scoping run examples/telecom/case.toml --out out/telecom

        scoping run case.toml --out wave2 --previous wave1/recipients.csv --csv-dialect excel-be
    """
    with _errors():
        with StepProgress(stderr) as progress:
            options = pipeline.RunOptions(
                force=force,
                max_rejected=max_rejected,
                previous=tuple(previous or ()),
                csv_dialect=csv_dialect.value if csv_dialect else None,
                xlsx=xlsx,
                settings=_settings(memory_limit, threads, temp_dir),
                profile=profile,
            )
            result = pipeline.run(case, out, options, progress=progress)
        render.counts(stderr, sys.stdout, result, fmt.value)


@app.command()
def check(
    case: CasePath,
    fmt: TablesFormat = TableFormat.table,
    memory_limit: MemoryLimit = None,
    threads: Threads = None,
    temp_dir: TempDir = None,
) -> None:
    """Validate a case and its inputs and show what would be read; writes no output.

    (It fills the staging cache, so that a run after it does not read the inputs again.)

    Checks that the files exist, the columns are present, timestamps parse, customer keys
    are unique and every actor of the scope has events; shows per customer field how many
    values are available, blank or placeholders, and its most frequent values (on screen
    only).

    Example:

        scoping check examples/telecom/case.toml
    """
    with _errors():
        report = pipeline.check(case, _settings(memory_limit, threads, temp_dir))
        render.check(stderr, sys.stdout, report, fmt.value)
        if len(report.rejected) > report.case.max_rejected:
            raise InputError(
                f"{len(report.rejected)} input row(s) cannot be used (at most"
                f" {report.case.max_rejected} accepted: [case] max_rejected); a run would stop",
                "fix the rows listed above, or accept them with run --max-rejected N",
            )


CaseOption = Annotated[
    Path, typer.Option("--case", "-c", help="The case file (TOML).", show_default=False)
]
QueryDirs = Annotated[
    list[Path] | None,
    typer.Option("--queries", help="A folder of your own .sql queries (repeatable)."),
]
MaxRejected = Annotated[
    int | None,
    typer.Option("--max-rejected", min=0, help="Accept up to N input rows that cannot be used."),
]
Params = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", help="A query parameter as name=value (repeatable)."),
]
OutFile = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
]
Force = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
stdout = Console()


@contextlib.contextmanager
def _session(
    case: Case,
    queries: list[Path] | None,
    max_rejected: int | None,
    settings: db.Settings,
    output: Path | None = None,
    force: bool = False,
) -> Iterator[investigate.Session]:
    """A computed case; the progress bar shows while it is computed, then goes. The output
    file, if any, is checked before the computation."""
    options = pipeline.RunOptions(max_rejected=max_rejected, settings=settings)
    outputs = ((output, force),) if output is not None else ()
    with contextlib.ExitStack() as stack:
        with StepProgress(stderr) as progress:
            session = stack.enter_context(
                investigate.session(case, options, tuple(queries or ()), progress, outputs)
            )
        yield session


def _check_format(fmt: ResultFormat, output: Path | None) -> None:
    """A result's format against where it goes: checked before the case is computed."""
    if output is not None and fmt is ResultFormat.table:
        raise QueryError("--format table is for the terminal", "use csv, json or parquet with -o")
    if output is None and fmt is ResultFormat.parquet:
        raise QueryError("--format parquet needs a file", "add -o FILE.parquet")


def _emit(
    s: investigate.Session,
    name: str,
    sql: str,
    params: dict[str, str],
    fmt: str,
    output: Path | None,
    force: bool,
) -> None:
    """Show or write a result: a table on the terminal, CSV/JSON on stdout, or a file
    (the format and the output are checked before the case is computed: _check_format)."""
    if output is not None:
        n = outputs.write_result(s.con, name, sql, params, fmt, output, force)
        stderr.print(f"{n:,} rows written to {output}", markup=False, highlight=False)
    elif fmt == "table":
        columns, rows = investigate.rows(s.con, name, sql, params)
        render.result_table(stdout, columns, rows[:MAX_TABLE_ROWS], title=name)
        if len(rows) > MAX_TABLE_ROWS:
            stderr.print(
                f"showing {MAX_TABLE_ROWS:,} of {len(rows):,} rows; use -f csv or -o for all"
            )
    else:
        outputs.stream_result(s.con, name, sql, params, fmt, sys.stdout)


MAX_TABLE_ROWS = 1000


@app.command("queries")
def list_queries(
    case: Annotated[
        Path | None, typer.Option("--case", "-c", help="Also list the case's own query folders.")
    ] = None,
    queries: QueryDirs = None,
    fmt: TablesFormat = TableFormat.table,
) -> None:
    """List the named queries: built-in ones and your own folders, with their parameters.

    Example:

        scoping queries --case examples/telecom/case.toml
    """
    with _errors():
        loaded = load_case(case) if case else None
        listing = render.queries_listing(investigate.catalogue(loaded, tuple(queries or ())))
        render.emit(stdout, sys.stdout, [listing], fmt.value)


@app.command("query")
def run_query(
    name: Annotated[str, typer.Argument(help="The query's name (see scoping queries).")],
    case: CaseOption,
    param: Params = None,
    fmt: Format = ResultFormat.table,
    output: OutFile = None,
    force: Force = False,
    queries: QueryDirs = None,
    max_rejected: MaxRejected = None,
    memory_limit: MemoryLimit = None,
    threads: Threads = None,
    temp_dir: TempDir = None,
) -> None:
    """Run a named query on a case, with bound parameters.

    Example:

        scoping query actor_day --case case.toml -p actor=PRT-0042 -p day=2026-10-03

        scoping query customer_access --case case.toml -p customer=C0000001 -f csv > who.csv
    """
    with _errors():
        params = investigate.parse_params(param or [])
        # The name, the parameters and the statement are checked before the case is computed.
        loaded = load_case(case)
        known = investigate.catalogue(loaded, tuple(queries or ()))
        if name not in known:
            raise QueryError(f"no query named {name!r}", "see scoping queries for the list")
        investigate.bind(known[name], params)
        statement = investigate.statement(known[name].text)
        _check_format(fmt, output)
        settings = _settings(memory_limit, threads, temp_dir)
        with _session(loaded, queries, max_rejected, settings, output, force) as s:
            _emit(s, name, statement, params, fmt.value, output, force)
            for note in investigate.not_found(s, params):
                stderr.print(f"note: {note}", markup=False, highlight=False)


@app.command("sql")
def run_sql(
    sql: Annotated[str, typer.Argument(help="One SQL statement over the case's tables.")],
    case: CaseOption,
    fmt: Format = ResultFormat.table,
    output: OutFile = None,
    force: Force = False,
    queries: QueryDirs = None,
    max_rejected: MaxRejected = None,
    memory_limit: MemoryLimit = None,
    threads: Threads = None,
    temp_dir: TempDir = None,
) -> None:
    """Run one ad-hoc SQL statement on a case's tables and views.

    Tables: customers, access_log, access_log_status, events_in_scope, exposure,
    affected_customers, actor_events, actor_days, recipients (with [recipients]), ...

    Example:

        scoping sql "SELECT category, count(*) FROM exposure GROUP BY ALL" --case case.toml
    """
    with _errors():
        statement = investigate.statement(sql)  # before the case is computed
        _check_format(fmt, output)
        settings = _settings(memory_limit, threads, temp_dir)
        with _session(load_case(case), queries, max_rejected, settings, output, force) as s:
            _emit(s, "sql", statement, {}, fmt.value, output, force)


@app.command("export-db")
def export_db(
    target: Annotated[Path, typer.Argument(help="The DuckDB file to write.")],
    case: CaseOption,
    force: Force = False,
    max_rejected: MaxRejected = None,
    memory_limit: MemoryLimit = None,
    threads: Threads = None,
    temp_dir: TempDir = None,
) -> None:
    """Copy every table and view of a case into a DuckDB file, for the DuckDB CLI or any
    SQL client.

    Example:

        scoping export-db --case examples/telecom/case.toml case.duckdb
    """
    with _errors():
        settings = _settings(memory_limit, threads, temp_dir)
        with _session(load_case(case), None, max_rejected, settings, target, force) as s:
            names = investigate.export_db(s, target, force)
        stderr.print(f"{len(names)} tables written to {target}", markup=False, highlight=False)


@app.command("actors")
def actors(
    case: CaseOption,
    threshold: Annotated[
        float, typer.Option("--flag-above", help="Outlier score above which an actor is flagged.")
    ] = 3.5,
    top: Annotated[int, typer.Option("--top", min=1, help="How many actors to show.")] = 25,
    fmt: TablesFormat = TableFormat.table,
    new_scope: Annotated[
        Path | None,
        typer.Option(
            "--new-scope",
            help="Write the scope's actors plus the flagged ones to this file (for actors_file).",
        ),
    ] = None,
    force: Force = False,
    max_rejected: MaxRejected = None,
    memory_limit: MemoryLimit = None,
    threads: Threads = None,
    temp_dir: TempDir = None,
) -> None:
    """Rank actors by how far their reach per active day stands from their peers'.

    The score is robust (median and MAD); peers are the accounts of the same source, and of
    the same team when the source maps a team column. Daily activity is drawn as a sparkline.

    Example:

        scoping actors --case examples/telecom/case.toml --new-scope suspects.txt
    """
    with _errors():
        settings = _settings(memory_limit, threads, temp_dir)
        with _session(load_case(case), None, max_rejected, settings, new_scope, force) as s:
            ranked = investigate.ranking(s)
            scope = list(s.case.scope.actors)
        listing = render.actors_listing(ranked.rows[:top], ranked.daily, threshold)
        render.emit(stdout, sys.stdout, [listing], fmt.value)
        flagged = [
            r["actor"]
            for r in ranked.rows
            if r["outlier_score"] is not None and r["outlier_score"] > threshold
        ]
        span = f"{ranked.days[0]} to {ranked.days[-1]}" if ranked.days else "no activity"
        stderr.print(
            f"{len(flagged)} actor(s) above {threshold}; daily activity {span}",
            markup=False,
            highlight=False,
        )
        if new_scope is not None:
            investigate.write_actors_file(new_scope, scope + flagged, force)
            stderr.print(
                f'Scope written to {new_scope}: set [scope] actors_file = "{new_scope}"'
                " in the next wave's case file",
                markup=False,
                highlight=False,
            )


class Language(enum.StrEnum):
    """The languages of the report, of a look-up's answer and of the sentence to read out."""

    en = "en"
    nl = "nl"
    fr = "fr"
    de = "de"


@app.command("report")
def report_command(
    out: Annotated[
        Path,
        typer.Argument(
            help="The output folder of a run (holding its manifest.json).", show_default=False
        ),
    ],
    lang: Annotated[
        Language | None,
        typer.Option(
            "--lang",
            help="The report's language (default: the case's report language, else en).",
        ),
    ] = None,
    show_actors: Annotated[
        bool, typer.Option("--show-actors", help="Name the actors instead of actor 1, 2, ...")
    ] = False,
) -> None:
    """Write the report for the authority from an output set: report.html (one file, no
    network), authority_notification.md and authority_notification.json (GDPR Art. 33(3)).

    The report holds counts, categories, the case's names and hashes, never a customer's
    key, name or contact value. It is written into the output folder, beside what the
    run wrote, and can be made again later, in another language.

    Example:

        scoping report out/telecom --lang nl
    """
    from scoping import report

    with _errors():
        written = report.write_into(out, lang.value if lang else None, show_actors)
        stderr.print(
            f"Report written to {out}: {', '.join(written)}", markup=False, highlight=False
        )


OutDir = Annotated[
    Path,
    typer.Argument(
        help="An output set written by `scoping run` for a case with recipients.",
        exists=True,
        file_okay=False,
        show_default=False,
    ),
]
Lang = Annotated[Language, typer.Option("--lang", help="The agent's language.")]
Agent = Annotated[
    str | None, typer.Option("--agent", help="Your name, written in the look-up audit.")
]


@app.command("lookup")
def lookup_command(
    out_dir: OutDir,
    phone: Annotated[str | None, typer.Option("--phone", help="A phone number, as said.")] = None,
    email: Annotated[str | None, typer.Option("--email", help="An email address.")] = None,
    key: Annotated[str | None, typer.Option("--key", help="A customer key.")] = None,
    last_name: Annotated[
        str | None, typer.Option("--last-name", help="A last name (with --birth-date).")
    ] = None,
    birth_date: Annotated[
        str | None,
        typer.Option("--birth-date", help="A birth date, yyyy-mm-dd or dd/mm/yyyy."),
    ] = None,
    first_name: Annotated[
        str | None, typer.Option("--first-name", help="Narrows a search by name.")
    ] = None,
    postal_code: Annotated[
        str | None, typer.Option("--postal-code", help="Narrows a search by name.")
    ] = None,
    lang: Lang = Language.en,
    fmt: TablesFormat = TableFormat.table,
    agent: Agent = None,
) -> None:
    """Was this person affected, and what of theirs? Answered from an output set's index.

    Search by one of --phone, --email, --key, or --last-name with --birth-date; the value
    is read as the run read the customer table (0475/12.34.56, +32 475 12 34 56 and
    0032475123456 are one number). Prints one block per person found, affected or not
    (several when a household shares the number), with the sentence to read out, in
    --lang. Each look-up is appended to lookup_audit.jsonl in the output set, the searched
    value only as a keyed hash.

    Example:

        scoping lookup out/telecom --phone "0471 13 13 33" --lang nl

        scoping lookup out/telecom --last-name Delhaye --birth-date 04/04/1965 -f json
    """
    from scoping import lookup, readout

    with _errors():
        search = lookup.Search(phone, email, key, last_name, birth_date, first_name, postal_code)
        search.kind  # noqa: B018 - checked before the index is opened
        with lookup.opened(out_dir) as hotline:
            answer = hotline.search(search)
            lookup.Audit(out_dir).record(answer, agent, "lookup")
            listings = readout.listings(answer, lang.value, hotline, fmt is TableFormat.table)
        if fmt is TableFormat.table and not answer.persons:
            stderr.print(readout.words(lang.value)["none_found"], highlight=False)
            return
        render.emit(stdout, sys.stdout, listings, fmt.value)


@app.command("serve")
def serve_command(
    out_dir: OutDir,
    host: Annotated[
        str, typer.Option("--host", help="Where to listen; other machines need 0.0.0.0.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="The port.")] = 8765,
    token_file: Annotated[
        Path | None,
        typer.Option(
            "--token-file",
            help="Read the access token from this file (made, 0600, when it does not exist)"
            " instead of a new one printed at start.",
        ),
    ] = None,
) -> None:
    """A local page for call-centre agents: the same answer as lookup, in nl, fr, de or en.

    One search form (phone, email, key, or name and birth date); the answer for each person
    found, with the sentence to read out. Listens on 127.0.0.1 unless --host says otherwise;
    every request needs the token printed at start (open the address printed once: the
    browser then keeps it). Searches are POSTed, so no searched value is in any address or
    log; the access log is off; each look-up is appended to lookup_audit.jsonl in the output
    set, the searched value only as a keyed hash. Stop it with Ctrl+C.

    Example:

        scoping serve out/telecom

        scoping serve out/telecom --host 0.0.0.0 --port 8080 --token-file ~/hotline.token
    """
    from scoping import lookup, serve

    with _errors(), lookup.opened(out_dir) as hotline:
        audit = lookup.Audit(out_dir)
        made = False
        if token_file is not None:
            token, made = serve.read_token(token_file)
        else:
            token = serve.new_token()
        shown = "localhost" if host in ("127.0.0.1", "::1", "localhost") else host
        stderr.print(f"Hotline for case {render.printable(hotline.case_id)}", markup=False)
        if token_file is None or made:
            where = f" (saved in {token_file})" if made else ""
            stderr.print(f"Open http://{shown}:{port}/?token={token} once{where}", markup=False)
        else:
            stderr.print(
                f"Open http://{shown}:{port}/?token=TOKEN once, with the token of {token_file}",
                markup=False,
            )
        if shown != "localhost":
            stderr.print(
                f"warning: listening on {host}: whoever reaches it with the token can"
                " search the customers",
                markup=False,
                highlight=False,
            )
        serve.serve(hotline, audit, token, host, port)


@app.command("schema")
def schema(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of the case file, for editors that complete and check it.

    Save it beside the case and make `#:schema ./case.schema.json` the case file's first
    line: TOML language servers (Taplo, Even Better TOML) then complete keys, list the
    choices and mark unknown keys while you type.

    Example:

        scoping schema -o case.schema.json
    """
    import json

    from scoping import casefile

    with _errors():
        text = json.dumps(casefile.json_schema(), indent=2, ensure_ascii=False) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            outputs.write_private_text(output, text)
            stderr.print(f"Schema written to {output}", markup=False, highlight=False)


@demo_app.command("generate")
def demo_generate(
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the generated case.")],
    customers: Annotated[int, typer.Option("--customers", min=1, help="Customer records.")] = 3000,
    events: Annotated[int, typer.Option("--events", min=1, help="Access-log rows.")] = 30000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same files.")] = 7,
    partners: Annotated[
        int, typer.Option("--partners", min=1, help="Suspect partner accounts.")
    ] = 1,
    force: Annotated[
        bool, typer.Option("--force", help="Replace a case generated earlier in --out.")
    ] = False,
    duplicates: Annotated[
        Duplicates,
        typer.Option(
            "--duplicates",
            help="A person's other accounts: exact copies (names in another case or without"
            " accents), or noisy (typed again with mistakes, look-alike different people"
            " added, and truth.csv saying who is who).",
        ),
    ] = Duplicates.exact,
    history_share: Annotated[
        float,
        typer.Option(
            "--history-share",
            min=0.0,
            max=1.0,
            help="Share of the accounts with an earlier version in customer_history.csv (an"
            " email added after the window, a move during it, a mobile changed before it),"
            " plus a customer deleted since; 0: no history.",
        ),
    ] = 0.05,
    memory_limit: MemoryLimit = None,
    threads: Threads = None,
    temp_dir: TempDir = None,
) -> None:
    """Write a synthetic case (customers, access logs, case.toml) with fictional people.

    Example:

        scoping demo generate --customers 100000 --events 1000000 --out /tmp/demo

    A case to measure deduplication on (truth.csv holds each account's true person):

        scoping demo generate --duplicates noisy --customers 100000 --out /tmp/noisy
    """
    from scoping import demo

    with _errors():
        generated = demo.generate(
            out,
            customers=customers,
            events=events,
            seed=seed,
            partners=partners,
            overwrite=force,
            settings=_settings(memory_limit, threads, temp_dir),
            duplicates=duplicates.value,
            history=history_share,
        )
        stderr.print(f"Synthetic case written: {generated.case_path}")


def _plain_help(group: typer.Typer) -> None:
    """Help texts are plain text: Rich, which draws them, would read `[recipients]` as
    markup and drop it. Each command's docstring is escaped once, here."""
    for command in group.registered_commands:
        text = command.help or inspect.getdoc(command.callback)
        if text:
            command.help = escape(text)
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _plain_help(sub.typer_instance)


_plain_help(app)


def main() -> None:
    app()
