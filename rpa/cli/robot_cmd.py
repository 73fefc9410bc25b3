"""`katip workplaces | approve | contact | demo`: the robot's daily work, for people first.

Exit status (`rpa.app.status.ExitStatus`): 0 everything done; 1 some items failed, were held or an
account was busy (listed); 2 bad input or usage; 3 an account needs a person to log in (`katip login`);
130 stopped by Ctrl-C (the items in progress finished; `katip runs resume RUN_ID` for the rest).
`--json` prints exactly one JSON document.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from rpa.cli import app
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


@app.command()
def workplaces(
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Ask SGK for new workplaces, wait for them.")
    ] = False,
    wait: Annotated[
        float | None,
        typer.Option(min=0, metavar="SECONDS", help="Seconds to wait for new rows (default: KATIP_REFRESH_WAIT_S)."),
    ] = None,
    account: AccountOpt = None,
    workplace: WorkplaceOpt = None,
    portal_url: PortalUrlOpt = None,
    accounts: AccountsFileOpt = None,
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
    parallel: ParallelOpt = None,
    check_portal: SelfcheckOpt = False,
    distributed: DistributedOpt = False,
) -> None:
    """List each account's workplaces; with --refresh, fetch new ones from SGK ("İş Yerlerini Getir").

    Exit status: 0 done, 1 an account's list could not be read, 2 bad input, 3 a login is needed.
    """
    from rpa.app import RefreshRun
    from rpa.app import refresh as refresh_entry
    from rpa.cli import results

    request = RefreshRun(accounts=account, workplaces=sicils(workplace, json_out), dry_run=dry_run,
                         parallel=parallel, refresh=refresh, wait_s=wait, command=command_line("workplaces"),
                         selfcheck=check_portal, distributed=distributed)
    settings = settings_for(json_out, portal_url=portal_url, accounts_file=accounts)
    console = make_console(json_out)
    results.show(execute(settings, request, console, json_out, refresh_entry), console, json_out)


@app.command()
def approve(
    force: Annotated[
        bool, typer.Option("--force", help="Approve held contracts anyway (with --contract): cannot be undone.")
    ] = False,
    contract: Annotated[
        list[str] | None,
        typer.Option("--contract", metavar="NO", help="Only this contract number (Sözleşme No; repeatable)."),
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask before --force (for scripts).")] = False,
    account: AccountOpt = None,
    workplace: WorkplaceOpt = None,
    portal_url: PortalUrlOpt = None,
    accounts: AccountsFileOpt = None,
    dry_run: DryRunOpt = False,
    json_out: JsonOpt = False,
    parallel: ParallelOpt = None,
    show_personal_data: ShowPersonalOpt = False,
    check_portal: SelfcheckOpt = False,
    distributed: DistributedOpt = False,
) -> None:
    """Approve the compliant contracts waiting for the employer, hold back the others, keep the PDFs.

    Exit status: 0 all done, 1 some contracts held or failed (listed), 2 bad input, 3 a login is needed.
    """
    from rpa.app import ApproveRun
    from rpa.app import approve as approve_entry
    from rpa.cli import results

    request = ApproveRun(accounts=account, workplaces=sicils(workplace, json_out), dry_run=dry_run,
                         parallel=parallel, force=force, contracts=contract or None,
                         show_personal_data=show_personal_data, command=command_line("approve"),
                         selfcheck=check_portal, distributed=distributed)
    if force and not dry_run:
        _confirm_force(request.contracts, yes, json_out)
    settings = settings_for(json_out, portal_url=portal_url, accounts_file=accounts)
    console = make_console(json_out)
    results.show(execute(settings, request, console, json_out, approve_entry), console, json_out)


def _confirm_force(contracts: list[str] | None, yes: bool, json_out: bool) -> None:
    """--force approves what breaks the rules, and the portal cannot undo an approval: ask first."""
    which = f"sözleşme / contract(s) {', '.join(contracts)}" if contracts else (
        "bekletilen HER sözleşme / EVERY held contract of the chosen workplaces")
    question = (f"Onay geri alınamaz / an approval cannot be undone. --force onaylayacak / will approve: {which}. "
                "Devam? / Continue?")
    if yes:
        return
    if not sys.stdin.isatty():
        usage_error(f"{question} — kimse onaylayamıyor: --yes ekleyin / nobody can confirm here: add --yes", json_out)
    if not typer.confirm(question, default=False, err=True):
        usage_error("vazgeçildi / cancelled: nothing was approved", json_out)


@app.command()
def contact(
    file: Annotated[
        Path | None, typer.Option("--file", metavar="FILE", help="YAML, CSV or XLSX: one row per SGK sicil no.")
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option("--template", metavar="FILE", help="Write a blank XLSX with the columns explained, and stop."),
    ] = None,
    phone: Annotated[str | None, typer.Option(metavar="TEXT", help="Telefon")] = None,
    email: Annotated[str | None, typer.Option(metavar="TEXT", help="E-Posta")] = None,
    address: Annotated[str | None, typer.Option(metavar="TEXT", help="Adres")] = None,
    il: Annotated[str | None, typer.Option(metavar="TEXT", help="İl (any case: 'izmir' is İzmir)")] = None,
    ilce: Annotated[str | None, typer.Option(metavar="TEXT", help="İlçe")] = None,
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
    check_portal: SelfcheckOpt = False,
    distributed: DistributedOpt = False,
) -> None:
    """Set "Kurumsal İletişim ve İzin İşlemleri" where it differs from what is asked.

    Exit status: 0 all done, 1 some workplaces invalid or failed (listed), 2 bad input, 3 a login is needed.
    """
    from rpa.app import ContactRun
    from rpa.app import contact as contact_entry
    from rpa.cli import results
    from rpa.contact_input import ContactInputError, read_contact_file, rows_from_flags, write_template

    if template is not None:
        written = write_template(template)
        typer.echo(f"Boş iletişim listesi / blank contact sheet: {written}")
        raise typer.Exit(0)
    values = {"phone": phone, "email": email, "address": address, "il": il, "ilce": ilce}
    wanted = sicils(workplace, json_out)
    try:
        if file is not None:
            if any(v is not None for v in values.values()):
                usage_error("--file ile alan seçenekleri birlikte verilmez (yalnız --auto-update) / give either "
                            "--file or the field options, not both (--auto-update goes with either)", json_out)
            sheet = read_contact_file(file)
            if auto_update is not None:  # the flag decides for every row of the file
                sheet.rows = [r.model_copy(update={"auto_update": auto_update}) for r in sheet.rows]
        else:
            sheet = rows_from_flags(list(workplace or []), **values, auto_update=auto_update)
            wanted = None  # the flags' rows are the named workplaces (or every workplace) already
            if sheet.problems:  # a value typed on the command line is bad input, not a row to list
                usage_error("; ".join(map(str, sheet.problems)), json_out)
    except ContactInputError as exc:
        usage_error("; ".join(exc.problems), json_out)
    rows = sheet.rows
    if wanted is not None:  # only the named workplaces' problems (a row without a readable sicil stays)
        sheet.problems = [p for p in sheet.problems if p.sicil is None or p.sicil in wanted]
    if not sheet.problems and (not rows or all(r.is_empty() for r in rows)):
        usage_error("değiştirilecek bir şey yok / nothing to set: give --file, or --phone/--email/... "
                    "(with --workplace, or for every workplace)", json_out)
    request = ContactRun(accounts=account, workplaces=wanted, dry_run=dry_run, parallel=parallel, rows=rows,
                         rejected=sheet.problems, source=str(file) if file else None,
                         command=command_line("contact"), selfcheck=check_portal, distributed=distributed)
    settings = settings_for(json_out, portal_url=portal_url, accounts_file=accounts)
    console = make_console(json_out)
    results.show(execute(settings, request, console, json_out, contact_entry), console, json_out)


@app.command()
def demo(
    headed: Annotated[bool, typer.Option("--headed", help="Show the browser while the robot works.")] = False,
    keep_open: Annotated[
        bool, typer.Option("--keep-open", help="Leave the mock portal running afterwards (Ctrl-C stops it).")
    ] = False,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out-dir", metavar="DIR", help="Where reports and PDFs go (default: KATIP_OUT_DIR)."),
    ] = None,
    with_console: Annotated[
        bool, typer.Option("--console", help="Then leave the mock and the console (`katip console`) running.")
    ] = False,
) -> None:
    """Start the bundled mock portal and run the robot's whole day against it, then check the result.

    Exit status: 0 when the summary matches the portal's state, 1 when it does not.
    """
    from rpa.demo import run_demo

    raise typer.Exit(run_demo(headed=headed, keep_open=keep_open, out_dir=out_dir, with_console=with_console))
