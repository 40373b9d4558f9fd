"""The `scoping` command: thin commands that parse arguments, call the library and render.

Errors the library raises on purpose become one line on stderr (what, where, what to do) and
a named exit code. Anything else is reported by its type only, because an engine message can
quote data; `--debug` shows the full traceback.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from scoping import db, pipeline, render
from scoping.case import DIALECTS
from scoping.errors import CaseError, ExitCode, ScopingError

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
_state = {"debug": False}

CasePath = Annotated[Path, typer.Argument(help="The case file (TOML).", show_default=False)]
MemoryLimit = Annotated[
    str | None, typer.Option("--memory-limit", help="DuckDB memory limit, e.g. 2GB.")
]
Threads = Annotated[int | None, typer.Option("--threads", help="DuckDB worker threads.", min=1)]
TempDir = Annotated[
    Path | None, typer.Option("--temp-dir", help="Where DuckDB spills when memory runs short.")
]


@app.callback()
def _main(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks and log query names.")
    ] = False,
) -> None:
    _state["debug"] = debug
    if debug:
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr, format="%(name)s: %(message)s")


@contextlib.contextmanager
def _errors() -> Iterator[None]:
    """Turn library errors into one clear stderr line and an exit code."""
    try:
        yield
    except ScopingError as exc:
        if _state["debug"]:
            raise
        stderr.print(
            f"[bold red]{exc.title}:[/] {escape(exc.message)}", highlight=False, soft_wrap=True
        )
        if exc.hint:
            stderr.print(f"  hint: {exc.hint}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(int(exc.exit_code)) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:
        if _state["debug"]:
            raise
        stderr.print(
            f"[bold red]Unexpected error:[/] {type(exc).__name__}"
            " (run again with --debug for details)",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(int(ExitCode.UNEXPECTED)) from None


def _settings(memory_limit: str | None, threads: int | None, temp_dir: Path | None) -> db.Settings:
    return db.Settings(memory_limit, threads, str(temp_dir) if temp_dir else None)


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
        str | None,
        typer.Option(
            "--csv-dialect",
            help="Recipient files as 'standard' CSV or 'excel-be' (';' and a UTF-8 BOM).",
        ),
    ] = None,
    memory_limit: MemoryLimit = None,
    threads: Threads = None,
    temp_dir: TempDir = None,
) -> None:
    """Compute which customers had which fields exposed, and write the output set.

    Writes affected_customers.csv, reconciliation.csv, rejected_rows.csv,
    unmatched_events.csv, counts.json and manifest.json into --out, and prints the counts on
    stderr. With [recipients] in the case, also recipients.csv, notify_email.csv,
    notify_sms.csv, notify_letter.csv and no_contact.csv.

    Example:

        scoping run examples/telecom/case.toml --out out/telecom

        scoping run case.toml --out wave2 --previous wave1/recipients.csv --csv-dialect excel-be
    """
    with _errors():
        with stderr.status("starting") as status:
            if csv_dialect is not None and csv_dialect not in DIALECTS:
                raise CaseError(
                    f"--csv-dialect {csv_dialect!r} is not known", f"use {' or '.join(DIALECTS)}"
                )
            options = pipeline.RunOptions(
                force=force,
                max_rejected=max_rejected,
                previous=tuple(previous or ()),
                csv_dialect=csv_dialect,
                settings=_settings(memory_limit, threads, temp_dir),
            )
            result = pipeline.run(case, out, options, progress=lambda step: status.update(step))
        render.counts(stderr, result)


@app.command()
def check(
    case: CasePath,
    memory_limit: MemoryLimit = None,
    threads: Threads = None,
    temp_dir: TempDir = None,
) -> None:
    """Validate a case and its inputs and show what would be read; writes nothing.

    Checks that the files exist, the columns are present, timestamps parse and customer keys
    are unique.

    Example:

        scoping check examples/telecom/case.toml
    """
    with _errors():
        report = pipeline.check(case, _settings(memory_limit, threads, temp_dir))
        render.check(stderr, report)
        if len(report.rejected) > report.case.max_rejected:
            raise typer.Exit(int(ExitCode.INPUT))


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
    memory_limit: MemoryLimit = None,
    threads: Threads = None,
    temp_dir: TempDir = None,
) -> None:
    """Write a synthetic case (customers, access logs, case.toml) with fictional people.

    Example:

        scoping demo generate --customers 100000 --events 1000000 --out /tmp/demo
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
        )
        stderr.print(f"Synthetic case written: {generated.case_path}")


def main() -> None:
    app()
