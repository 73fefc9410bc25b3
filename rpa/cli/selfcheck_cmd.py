"""`katip selfcheck`: does the portal still show every word the robot relies on? Read-only, one account.

Exit status: 0 every word found; 1 something changed (each missing word with the closest texts on its
screen, a screenshot and the URL); 2 bad input; 3 a person must log in first (`katip login`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from rpa.cli import app
from rpa.cli.common import (
    AccountsFileOpt,
    JsonOpt,
    PortalUrlOpt,
    command_line,
    execute,
    make_console,
    settings_for,
    sicils,
)


@app.command()
def selfcheck(
    account: Annotated[
        str | None, typer.Option("--account", metavar="NAME", help="The account to walk with (default: the first).")
    ] = None,
    workplace: Annotated[
        str | None, typer.Option("--workplace", metavar="SICIL", help="The workplace to open (default: the first).")
    ] = None,
    write_profile: Annotated[
        Path | None,
        typer.Option("--write-profile", metavar="FILE", help="Write a draft portal profile of the best candidates."),
    ] = None,
    portal_url: PortalUrlOpt = None,
    accounts: AccountsFileOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Walk every screen the robot uses (read-only) and say which of its words each shows or lacks.

    Exit status: 0 all found, 1 something changed, 2 bad input, 3 a login is needed.
    """
    from rpa.app import SelfcheckRun
    from rpa.app import selfcheck as selfcheck_entry
    from rpa.app.capabilities.selfcheck import document, write_draft
    from rpa.cli.robot_output import print_selfcheck, print_where

    request = SelfcheckRun(accounts=[account] if account else None, workplaces=sicils([workplace] if workplace
                                                                                      else None, json_out),
                           command=command_line("selfcheck"))
    settings = settings_for(json_out, portal_url=portal_url, accounts_file=accounts)
    console = make_console(json_out)
    result = execute(settings, request, console, json_out, selfcheck_entry)
    found = result.extra.get("selfcheck")
    if found is not None and write_profile is not None and found.draft_profile():
        write_draft(found, write_profile)
        console.print(f"Profil taslağı / draft profile: {write_profile} (check it, then KATIP_PORTAL_PROFILE="
                      f"{write_profile})", highlight=False)
    if json_out:
        shown = document(found) if found is not None else {"ok": False, "screens": []}
        typer.echo(json.dumps({**shown, "run_id": result.id, "report": str(result.report_path),
                               "login_needed": result.record.login_needed or shown.get("login_needed")},
                              ensure_ascii=False, indent=2))
    elif found is not None:
        print_selfcheck(console, found)
    print_where(console, result)
    raise typer.Exit(int(result.status))
