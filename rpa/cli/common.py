"""What the robot commands share: their options, settings from options, usage errors, and running a request.

A command only parses its options into a request (`rpa.app.requests`), hands it to the app layer and
prints the result; every exit status comes from `rpa.app.status.ExitStatus`.
"""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from rpa.app.status import ExitStatus

if TYPE_CHECKING:
    from rich.console import Console

    from rpa.app.requests import RunRequest
    from rpa.app.result import RunResult
    from rpa.settings import Settings

AccountOpt = Annotated[
    list[str] | None,
    typer.Option("--account", metavar="NAME", help="Account name in accounts.yaml (repeatable; default: all)."),
]
WorkplaceOpt = Annotated[
    list[str] | None,
    typer.Option("--workplace", metavar="SICIL", help="SGK sicil no (repeatable; default: all of the account's)."),
]
PortalUrlOpt = Annotated[
    str | None, typer.Option("--portal-url", metavar="URL", help="Portal start URL (default: KATIP_PORTAL_URL).")
]
AccountsFileOpt = Annotated[
    Path | None,
    typer.Option("--accounts", metavar="FILE", help="accounts.yaml (default: KATIP_ACCOUNTS or ./accounts.yaml)."),
]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Read and decide, change nothing on the portal.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of tables.")]
ParallelOpt = Annotated[
    int | None,
    typer.Option(
        "--parallel", min=1, max=32, metavar="N",
        help="Accounts worked on at once, each in its own browser (default: KATIP_PARALLEL, else min(4, accounts)).",
    ),
]
SelfcheckOpt = Annotated[
    bool, typer.Option("--selfcheck", help="First check that the portal still shows the words this needs.")
]
DistributedOpt = Annotated[
    bool, typer.Option("--distributed", help="One task per account for the workers (`katip worker`, KATIP_BROKER_URL).")
]
ShowPersonalOpt = Annotated[
    bool, typer.Option("--show-personal-data", help="Full names and TC numbers in the output (KVKK: only if you must).")
]


def usage_error(message: str, json_out: bool) -> NoReturn:
    """Exit 2 with one clear line (or one JSON document with `error`)."""
    from rpa.logs import mask_numbers

    message = mask_numbers(message)
    if json_out:
        typer.echo(json.dumps({"error": message}, ensure_ascii=False))
    else:
        typer.secho(f"Hata / error: {message}", fg="red", err=True)
    raise typer.Exit(ExitStatus.USAGE)


def command_line(name: str) -> str:
    """The command as typed (`katip approve --workplace …`), for the run's record and its resume."""
    args = sys.argv[1:]
    words = name.split()
    return "katip " + shlex.join(args) if args[: len(words)] == words else f"katip {name}"


def settings_for(json_out: bool, **overrides: Any) -> Settings:
    """Settings from the environment and the options given; exit 2 saying what is wrong."""
    from pydantic import ValidationError

    from rpa.errors import ConfigError
    from rpa.settings import Settings

    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        problems = "; ".join(f"KATIP_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        usage_error(problems, json_out)
    except ConfigError as exc:
        usage_error(str(exc), json_out)


def make_console(json_out: bool) -> Console:
    """People read stdout; with --json, stdout carries only the JSON and everything else goes to stderr."""
    from rpa.cli.robot_output import make_console as console_for
    from rpa.logs import configure_logging

    console = console_for(stderr=json_out)
    configure_logging(console_write=lambda m: console.print(m, end="", markup=False, highlight=False))
    return console


def execute(settings: Settings, request: RunRequest, console: Console, json_out: bool,
            entry: Callable[..., RunResult], **extra: Any) -> RunResult:
    """Run the request through its app entry with progress bars (none with --json); exit 2 on bad input."""
    from rpa.browser import BrowserNotFound
    from rpa.cli.robot_output import RichProgress, RunNotice
    from rpa.errors import ConfigError

    try:
        if request.distributed:
            from rpa.workers.client import install

            install(settings)
        if json_out:
            return entry(settings, request, progress=RunNotice(console), **extra)
        with RichProgress(console) as progress:
            return entry(settings, request, progress=progress, **extra)
    except (ConfigError, BrowserNotFound) as exc:
        usage_error(str(exc), json_out)


def sicils(values: list[str] | None, json_out: bool) -> list[str] | None:
    """--workplace values as 26-digit sicil numbers; exit 2 naming a malformed one."""
    from rpa.domain.identifiers import IdentifierError, normalize_sicil

    try:
        return None if not values else [normalize_sicil(v) for v in values]
    except IdentifierError as exc:
        usage_error(f"--workplace: {exc}", json_out)


def finish(result: RunResult, console: Console, json_out: bool, document: dict[str, Any] | None,
           printer: Callable[[], None]) -> NoReturn:
    """Print the JSON document or the tables, then where the report and PDFs are; exit with the status."""
    from rpa.cli.robot_output import print_where

    if json_out and document is not None:
        report = str(result.report_path) if result.report_path else None
        extra: dict[str, Any] = {"report": report, "outcome": result.record.outcome}
        if result.record.busy:
            extra["busy"] = result.record.busy
        if result.record.outcome == "failed":
            extra["problems"] = result.record.problems
        typer.echo(json.dumps({**document, **extra}, ensure_ascii=False, indent=2))
    else:
        printer()
    print_where(console, result)
    raise typer.Exit(int(result.status))
