"""`katip audit`: which client workplaces break the law today (minutes against headcount and hazard class).

Read-only. Exit status: 0 every workplace compliant; 1 findings (or a workplace could not be read);
2 bad input; 3 an account needs a person to log in.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from rpa.cli import app
from rpa.cli.common import (
    AccountOpt,
    AccountsFileOpt,
    DistributedOpt,
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
)


@app.command()
def audit(
    headcount_from: Annotated[
        list[Path] | None,
        typer.Option("--headcount-from", metavar="ROSTER",
                     help="Use the roster's active count per workplace instead of SGK's (repeatable)."),
    ] = None,
    account: AccountOpt = None,
    workplace: WorkplaceOpt = None,
    portal_url: PortalUrlOpt = None,
    accounts: AccountsFileOpt = None,
    json_out: JsonOpt = False,
    parallel: ParallelOpt = None,
    show_personal_data: ShowPersonalOpt = False,
    check_portal: SelfcheckOpt = False,
    distributed: DistributedOpt = False,
) -> None:
    """Which workplaces lack a professional or minutes for their headcount and hazard class (read-only).

    Exit status: 0 all compliant, 1 findings, 2 bad input, 3 a login is needed.
    """
    from rpa.app import AuditRun
    from rpa.app import audit as audit_entry
    from rpa.cli.robot_output import print_audit, print_where

    request = AuditRun(accounts=account, workplaces=sicils(workplace, json_out), parallel=parallel,
                       headcount_from=headcount_from or None, show_personal_data=show_personal_data,
                       command=command_line("audit"), selfcheck=check_portal,
                    distributed=distributed)
    settings = settings_for(json_out, portal_url=portal_url, accounts_file=accounts)
    console = make_console(json_out)
    result = execute(settings, request, console, json_out, audit_entry)
    report = result.extra.get("audit")
    if json_out:
        document = report.model_dump(mode="json") if report is not None else {"workplaces": [], "summary": {}}
        failed = [{"sicil": w.sicil, "error": w.error} for r in result.extra.get("audit_results", [])
                  for w in r.failed()]
        extra: dict[str, object] = {"run_id": result.id, "report": str(result.report_path),
                                    "xlsx": str(result.extra.get("audit_xlsx")), "outcome": result.record.outcome}
        if failed:
            extra["failed"] = failed
        if result.report.account_errors:
            extra["account_errors"] = result.report.account_errors
        typer.echo(json.dumps({**document, **extra}, ensure_ascii=False, indent=2))
    elif report is not None:
        print_audit(console, result)
    print_where(console, result)
    raise typer.Exit(int(result.status))
