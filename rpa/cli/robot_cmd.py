"""`katip workplaces | approve | contact | demo`: the robot's daily work, for people first.

Exit status: 0 everything done; 1 some items failed or were held (listed); 2 bad input or usage;
3 an account needs a person to log in (`katip login`); 130 stopped by Ctrl-C (the items in progress
finished; run again for the rest). `--json` prints exactly one JSON document.
"""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from rpa.cli import app

if TYPE_CHECKING:
    from rich.console import Console

    from rpa.flows.batch import Batch
    from rpa.report import RunReport

AccountOpt = Annotated[
    list[str] | None,
    typer.Option("--account", help="Account name in accounts.yaml (repeatable; default: all)."),
]
WorkplaceOpt = Annotated[
    list[str] | None,
    typer.Option("--workplace", help="SGK sicil no (repeatable; default: all of the account's)."),
]
PortalUrlOpt = Annotated[
    str | None, typer.Option("--portal-url", help="Portal start URL (default: KATIP_PORTAL_URL).")
]
AccountsFileOpt = Annotated[
    Path | None,
    typer.Option("--accounts", help="accounts.yaml (default: KATIP_ACCOUNTS or ./accounts.yaml)."),
]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Read and decide, change nothing on the portal.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of tables.")]
ParallelOpt = Annotated[
    int | None,
    typer.Option(
        "--parallel", min=1, max=32,
        help="Accounts worked on at once, each in its own browser "
        "(default: KATIP_PARALLEL, else min(4, accounts)).",
    ),
]
EXIT_USAGE = 2


def _usage_error(message: str, json_out: bool) -> NoReturn:
    if json_out:
        typer.echo(json.dumps({"error": message}, ensure_ascii=False))
    else:
        typer.secho(f"Hata / error: {message}", fg="red", err=True)
    raise typer.Exit(EXIT_USAGE)


def _command_line(name: str) -> str:
    args = sys.argv[1:]
    return "katip " + shlex.join(args) if args[:1] == [name] else f"katip {name}"


def _prepare(
    name: str,
    portal_url: str | None,
    accounts_file: Path | None,
    names: list[str] | None,
    json_out: bool,
    dry_run: bool,
    parallel: int | None = None,
) -> tuple[Batch, Console]:
    """Settings, accounts, the run folder, logging, the report: or exit 2 saying what is wrong."""
    from rpa.accounts import find_account, load_accounts
    from rpa.cli.robot_output import make_console
    from rpa.errors import ConfigError
    from rpa.flows.batch import Batch
    from rpa.logs import configure_logging
    from rpa.report import RunReport
    from rpa.run import Run
    from rpa.settings import Settings

    overrides = {"portal_url": portal_url, "accounts_file": accounts_file, "parallel": parallel}
    try:
        settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
        settings.start_url()
        accounts = load_accounts(settings.accounts_file, settings.portal_url)
        if names:
            accounts = [find_account(accounts, n) for n in dict.fromkeys(names)]
    except (ConfigError, ValueError) as exc:
        _usage_error(str(exc), json_out)
    run = Run.start(settings.out_dir)
    # People read stdout; with --json, stdout carries only the JSON and everything else goes to stderr.
    console = make_console(stderr=json_out)
    configure_logging(
        run.log_file, console_write=lambda m: console.print(m, end="", markup=False, highlight=False)
    )
    report = RunReport(
        run_id=run.id,
        command=_command_line(name),
        started=run.started,
        portal_url=settings.portal_url,
        dry_run=dry_run,
    )
    return Batch(settings=settings, accounts=accounts, run=run, report=report), console


def _execute(batch: Batch, console: Console, json_out: bool, work: Callable[[Any, Any], None]) -> None:
    from rpa.browser import BrowserNotFound
    from rpa.cli.robot_output import RichProgress

    try:
        if json_out:
            batch.each_account(work)
        else:
            with RichProgress(console) as progress:
                batch.progress = progress
                batch.each_account(work)
    except BrowserNotFound as exc:
        _usage_error(str(exc), json_out)


def _finish(
    batch: Batch,
    console: Console,
    json_out: bool,
    printer: Callable[[Console, RunReport], None],
    to_json: Callable[[RunReport], dict],
) -> NoReturn:
    from rpa.cli.robot_output import print_next_steps
    from rpa.flows.batch import EXIT_INTERRUPTED, exit_code
    from rpa.report import write_report

    report = batch.report
    report.finished = datetime.now()
    write_report(report, batch.run.report_path)
    if json_out:
        typer.echo(
            json.dumps(
                {**to_json(report), "report": str(batch.run.report_path)}, ensure_ascii=False, indent=2
            )
        )
    else:
        printer(console, report)
        print_next_steps(console, report, batch.run, report.command)
    raise typer.Exit(EXIT_INTERRUPTED if batch.interrupted else exit_code(report))


def _sicils(values: list[str] | None, json_out: bool) -> list[str] | None:
    from rpa.domain.identifiers import IdentifierError, normalize_sicil

    try:
        return None if not values else [normalize_sicil(v) for v in values]
    except IdentifierError as exc:
        _usage_error(f"--workplace: {exc}", json_out)


@app.command()
def workplaces(
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask SGK for new workplaces, wait for them.")
    ] = False,
    wait: Annotated[
        float | None, typer.Option(min=0, help="Seconds to wait for new rows (default: settings).")
    ] = None,
    account: AccountOpt = None,
    workplace: WorkplaceOpt = None,
    portal_url: PortalUrlOpt = None,
    accounts: AccountsFileOpt = None,
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
    parallel: ParallelOpt = None,
) -> None:
    """List each account's workplaces; with --refresh, fetch new ones from SGK ("İş Yerlerini Getir").

    Exit status: 0 done, 1 an account's list could not be read, 2 bad input, 3 a login is needed.
    """
    from rpa.cli.robot_json import workplaces_json
    from rpa.cli.robot_output import print_workplaces

    wanted = _sicils(workplace, json_out)
    batch, console = _prepare("workplaces", portal_url, accounts, account, json_out, dry_run, parallel)
    wait_s = batch.settings.refresh_wait_s if wait is None else wait
    _execute(batch, console, json_out, lambda s, a: batch.refresh(s, a, refresh and not dry_run, wait_s))
    if wanted:
        for result in batch.report.refresh:
            result.workplaces = [w for w in result.workplaces if w.sicil in wanted]
    _finish(batch, console, json_out, print_workplaces, workplaces_json)


@app.command()
def approve(
    force: Annotated[
        bool, typer.Option("--force", help="Approve even contracts that break the rules.")
    ] = False,
    account: AccountOpt = None,
    workplace: WorkplaceOpt = None,
    portal_url: PortalUrlOpt = None,
    accounts: AccountsFileOpt = None,
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
    parallel: ParallelOpt = None,
    show_personal_data: Annotated[
        bool, typer.Option("--show-personal-data", help="Full names in the output and report (KVKK: only if you must).")
    ] = False,
) -> None:
    """Approve the compliant contracts waiting for the employer, hold back the others, keep the PDFs.

    Exit status: 0 all done, 1 some contracts held or failed (listed), 2 bad input, 3 a login is needed.
    """
    from rpa.cli.robot_json import approve_json
    from rpa.cli.robot_output import print_approve

    wanted = _sicils(workplace, json_out)
    batch, console = _prepare("approve", portal_url, accounts, account, json_out, dry_run, parallel)
    batch.report.show_personal_data = show_personal_data
    _execute(batch, console, json_out, lambda s, a: batch.approve(s, a, wanted, force, dry_run))
    if wanted:
        batch.unclaimed_workplaces(wanted)
    _finish(batch, console, json_out, print_approve, approve_json)


@app.command()
def contact(
    file: Annotated[
        Path | None, typer.Option("--file", help="YAML, CSV or XLSX: one row per SGK sicil no.")
    ] = None,
    phone: Annotated[str | None, typer.Option(help="Telefon")] = None,
    email: Annotated[str | None, typer.Option(help="E-Posta")] = None,
    address: Annotated[str | None, typer.Option(help="Adres")] = None,
    il: Annotated[str | None, typer.Option(help="İl (any case: 'izmir' is İzmir)")] = None,
    ilce: Annotated[str | None, typer.Option(help="İlçe")] = None,
    auto_update: Annotated[
        bool | None,
        typer.Option(
            "--auto-update/--no-auto-update", help="Çalışma süre güncellemesi otomatik (EVET/HAYIR)"
        ),
    ] = None,
    account: AccountOpt = None,
    workplace: WorkplaceOpt = None,
    portal_url: PortalUrlOpt = None,
    accounts: AccountsFileOpt = None,
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
    parallel: ParallelOpt = None,
) -> None:
    """Set "Kurumsal İletişim ve İzin İşlemleri" where it differs from what is asked.

    Exit status: 0 all done, 1 some workplaces invalid or failed (listed), 2 bad input, 3 a login is needed.
    """
    from rpa.cli.robot_json import contact_json
    from rpa.cli.robot_output import print_contact
    from rpa.contact_input import ContactInputError, read_contact_file, rows_from_flags

    values = {
        "phone": phone,
        "email": email,
        "address": address,
        "il": il,
        "ilce": ilce,
        "auto_update": auto_update,
    }
    try:
        if file is not None:
            if any(v is not None for v in values.values()):
                _usage_error("give either --file or the field options, not both", json_out)
            rows = read_contact_file(file)
            wanted = _sicils(workplace, json_out)
            rows = [r for r in rows if wanted is None or r.sicil in wanted]
        else:
            rows = rows_from_flags(list(workplace or []), **values)
    except ContactInputError as exc:
        _usage_error("; ".join(exc.problems), json_out)
    if not rows or all(r.is_empty() for r in rows):
        _usage_error("nothing to set: give --file, or --workplace with --phone/--email/...", json_out)
    batch, console = _prepare("contact", portal_url, accounts, account, json_out, dry_run, parallel)
    _execute(batch, console, json_out, lambda s, a: batch.contact(s, a, rows, dry_run))
    batch.unclaimed_contacts(rows)
    _finish(batch, console, json_out, print_contact, contact_json)


@app.command()
def demo(
    headed: Annotated[bool, typer.Option("--headed", help="Show the browser while the robot works.")] = False,
    keep_open: Annotated[
        bool, typer.Option("--keep-open", help="Leave the mock portal running afterwards (Ctrl-C stops it).")
    ] = False,
    out_dir: Annotated[
        Path | None, typer.Option("--out-dir", help="Where reports and PDFs go (default: out/).")
    ] = None,
) -> None:
    """Start the bundled mock portal and run the robot's whole day against it, then check the result.

    Exit status: 0 when the summary matches the portal's state, 1 when it does not.
    """
    from rpa.demo import run_demo

    raise typer.Exit(run_demo(headed=headed, keep_open=keep_open, out_dir=out_dir))
