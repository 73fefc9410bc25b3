"""`katip roster sync`: bring the portal's SGK 4A lists in line with the roster files, report the rest.

Exit status: 0 everything agrees; 1 exceptions remain, rows were rejected or something failed (all in
the report); 2 bad input (a file cannot be read, a wrong option); 3 an account needs a person to log in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rpa.cli.common import (
    AccountOpt,
    AccountsFileOpt,
    DistributedOpt,
    DryRunOpt,
    JsonOpt,
    ParallelOpt,
    PortalUrlOpt,
    SelfcheckOpt,
    ShowPersonalOpt,
    WorkplaceOpt,
    command_line,
    execute,
    make_console,
    settings_for,
    sicils,
    usage_error,
)
from rpa.cli.roster_cmd import roster_app


@roster_app.command("sync")
def sync(
    files: Annotated[
        list[Path], typer.Argument(help="Roster files: .xlsx .xls .ods .csv", show_default=False, metavar="FILE...")
    ],
    workplace: WorkplaceOpt = None,
    account: AccountOpt = None,
    dry_run: DryRunOpt = False,
    bulk_threshold: Annotated[
        int, typer.Option(min=1, metavar="N", help="From this many differences on, use 'Toplu Çalışan Güncelle'.")
    ] = 20,
    no_bulk: Annotated[bool, typer.Option("--no-bulk", help="Never use the bulk update.")] = False,
    recheck_after: Annotated[
        float,
        typer.Option(min=0, metavar="HOURS", help="Hours before SGK is asked the same unchanged question again."),
    ] = 24.0,
    portal_url: PortalUrlOpt = None,
    accounts: AccountsFileOpt = None,
    json_out: JsonOpt = False,
    parallel: ParallelOpt = None,
    show_personal_data: ShowPersonalOpt = False,
    check_portal: SelfcheckOpt = False,
    distributed: DistributedOpt = False,
) -> None:
    """Compare the roster with each workplace's SGK 4A list, ask SGK about the differences, report the rest.

    Exit status: 0 all agree; 1 exceptions, rejected rows or failures; 2 bad input; 3 a login is needed.
    """
    from rpa.app import RosterSyncRun, roster_sync
    from rpa.app.capabilities.roster_sync import read
    from rpa.cli import results
    from rpa.errors import ConfigError

    request = RosterSyncRun(accounts=account, workplaces=sicils(workplace, json_out), dry_run=dry_run,
                            parallel=parallel, files=files, bulk_threshold=bulk_threshold, bulk_allowed=not no_bulk,
                            recheck_after_h=recheck_after, show_personal_data=show_personal_data,
                            command=command_line("roster sync"), selfcheck=check_portal,
                    distributed=distributed)
    try:
        roster = read(request.files)  # a file that cannot be read stops here, before any browser
    except ConfigError as exc:
        usage_error(str(exc), json_out)
    settings = settings_for(json_out, portal_url=portal_url, accounts_file=accounts)
    console = make_console(json_out)
    result = execute(settings, request, console, json_out, roster_sync, roster=roster)
    results.show(result, console, json_out)
