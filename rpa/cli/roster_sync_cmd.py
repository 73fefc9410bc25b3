"""`katip roster sync`: bring the portal's SGK 4A lists in line with the roster files, report the rest.

Exit status: 0 everything agrees; 1 exceptions remain, rows were rejected or something failed (all in
the report); 2 bad input (a file cannot be read, a wrong option); 3 an account needs a person to log in.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from rpa.cli.robot_cmd import (
    AccountOpt,
    AccountsFileOpt,
    DryRunOpt,
    JsonOpt,
    ParallelOpt,
    PortalUrlOpt,
    WorkplaceOpt,
)
from rpa.cli.roster_cmd import roster_app

if TYPE_CHECKING:
    from rich.console import Console

    from rpa.roster.models import Roster

EXIT_OK, EXIT_ITEMS, EXIT_USAGE, EXIT_LOGIN, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


@roster_app.command("sync")
def sync(
    files: Annotated[
        list[Path], typer.Argument(help="Roster files: .xlsx .xls .ods .csv", show_default=False)
    ],
    workplace: WorkplaceOpt = None,
    account: AccountOpt = None,
    dry_run: DryRunOpt = False,
    bulk_threshold: Annotated[
        int, typer.Option(min=1, help="From this many differences on, use 'Toplu Çalışan Güncelle'.")
    ] = 20,
    no_bulk: Annotated[bool, typer.Option("--no-bulk", help="Never use the bulk update.")] = False,
    recheck_after: Annotated[
        float, typer.Option(min=0, help="Hours before SGK is asked the same unchanged question again.")
    ] = 24.0,
    portal_url: PortalUrlOpt = None,
    accounts: AccountsFileOpt = None,
    json_out: JsonOpt = False,
    parallel: ParallelOpt = None,
    show_personal_data: Annotated[
        bool,
        typer.Option("--show-personal-data", help="Full TC numbers in the output (KVKK: only if you must)."),
    ] = False,
) -> None:
    """Compare the roster with each workplace's SGK 4A list, ask SGK about the differences, report the rest.

    Exit status: 0 all agree; 1 exceptions, rejected rows or failures; 2 bad input; 3 a login is needed.
    """
    from rpa.cli.robot_cmd import _execute, _prepare, _sicils, _usage_error
    from rpa.errors import ConfigError
    from rpa.flows.sync_roster import request_for, run
    from rpa.journal import account_journal

    roster = _read(files, json_out)
    wanted = _sicils(workplace, json_out)
    missing = [s for s in wanted or [] if s not in roster.by_workplace()]
    if missing:
        _usage_error(f"--workplace {', '.join(missing)}: no accepted roster row for it", json_out)
    batch, console = _prepare("roster", portal_url, accounts, account, json_out, dry_run, parallel)
    try:
        # A dry run reads the memory too (it plans what a real run would do) but never writes it.
        memory_file = batch.settings.private_state_dir() / "roster-sync-memory.json"
    except ConfigError as exc:  # a state dir open to others: say so rather than keep memory there
        _usage_error(str(exc), json_out)
    results: list[Any] = []

    def work(session: Any, acc: Any) -> None:
        request = request_for(
            roster, acc.name, workplaces=wanted, skip_foreign=len(batch.accounts) > 1, dry_run=dry_run,
            bulk_threshold=bulk_threshold, bulk_allowed=not no_bulk, recheck_after_h=recheck_after,
            memory_file=memory_file, evidence_dir=batch.run.evidence_dir,
            journal=account_journal(batch, acc.name), should_stop=batch.stop.is_set,
        )
        tick = lambda done, total, name: batch.progress.workplace(acc.name, done, total, name)  # noqa: E731
        results.append(run(session, request, on_workplace=tick))

    _execute(batch, console, json_out, work)
    results.sort(key=batch.rank)  # workers finish in any order; the report lists accounts in order
    _finish(batch, console, roster, results, wanted, json_out, show_personal_data)


def _read(files: list[Path], json_out: bool) -> Roster:
    """The roster, or exit 2 when a file cannot be read or nothing was accepted."""
    from rpa.cli.robot_cmd import _usage_error
    from rpa.roster.reader import read_roster

    roster = read_roster(files)
    broken = [f"{f.path}: {f.error_tr} / {f.error_en}" for f in roster.files if not f.readable]
    if broken:
        _usage_error("; ".join(broken), json_out)
    if not roster.rows:
        _usage_error("no roster row was accepted (see `katip roster check`)", json_out)
    return roster


def _finish(batch: Any, console: Console, roster: Roster, results: list[Any], wanted: list[str] | None,
            json_out: bool, show_personal_data: bool) -> NoReturn:
    from rpa.cli.sync_output import print_sync
    from rpa.sync.report_xlsx import SyncReportData, write_sync_report
    from rpa.sync.results import SyncSummary

    pairs = [(r.account, wp) for r in results for wp in r.workplaces]
    pairs += _unclaimed(batch, roster, results, wanted)
    errors = dict(batch.report.account_errors)
    errors.update({r.account: r.login_needed or r.error for r in results if r.login_needed or r.error})
    data = SyncReportData(
        run_id=batch.run.id, started=batch.run.started, command=batch.report.command,
        dry_run=batch.report.dry_run, roster=roster, workplaces=pairs, account_errors=errors,
        show_personal_data=show_personal_data,
    )
    path = write_sync_report(data, batch.run.dir / "roster-sync.xlsx")
    rejected = sum(len(f.rejected) for f in roster.files)
    summary = SyncSummary.of([wp for _, wp in pairs], rejected)
    logins = [*batch.report.logins_needed, *(r.account for r in results if r.login_needed)]
    if json_out:
        document = {
            "run_id": batch.run.id, "dry_run": data.dry_run,
            "workplaces": [{**wp.to_json(show_personal_data), "account": acc} for acc, wp in pairs],
            "summary": summary.model_dump(), "report": str(path),
        }
        if errors:
            document["account_errors"] = errors
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print_sync(console, data, summary, path)
    if batch.interrupted:
        raise typer.Exit(EXIT_INTERRUPTED)
    if logins:
        raise typer.Exit(EXIT_LOGIN)
    if errors or summary.exceptions or summary.failed or rejected:
        raise typer.Exit(EXIT_ITEMS)
    raise typer.Exit(EXIT_OK)


def _unclaimed(
    batch: Any, roster: Roster, results: list[Any], wanted: list[str] | None
) -> list[tuple[str, Any]]:
    """Several accounts: a roster workplace none of them lists is a failed item with the portal's words."""
    from rpa.sync.exceptions import workplace_failed
    from rpa.sync.results import WorkplaceSync

    stopped = batch.report.account_errors or any(r.login_needed or r.error for r in results)
    if len(batch.accounts) < 2 or stopped:
        return []  # one account reports them itself; a stopped account might have owned them
    seen = {wp.sicil for r in results for wp in r.workplaces}
    pairs = []
    for sicil in wanted or list(roster.by_workplace()):
        if sicil not in seen:
            item = workplace_failed(sicil, "none of the accounts lists this workplace", no_access=True)
            pairs.append(("—", WorkplaceSync(sicil=sicil, error=item.reason.tr, exceptions=[item])))
    return pairs
