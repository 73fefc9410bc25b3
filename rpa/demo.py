"""`katip demo`: the robot's whole day against the bundled mock portal, checked against the portal's state.

Starts the mock (test mode, a temporary database, a free loopback port), writes an accounts file for
the seeded demo account (password from `KATIP_DEMO_PASSWORD`, set here; two-step code from the mock),
then, as four runs through the app layer (`rpa.app`, as the CLI and the scheduler do): refresh the
workplaces, sync the sample roster `rpa/data/ornek-personel.xlsx` with the SGK 4A lists, approve what
is compliant and hold back what is not, set the contact details from `rpa/data/demo-contact.yaml`,
print the summary and the reports' paths, and compare the summary with `/_dev/state`.

The roster sync comes before the approvals on purpose: the active count decides each contract's legal
minimum, so a back office wants contracts judged against the count SGK confirms, not a stale one. Approved
first, a contract can turn "Mevzuata Uygun: Hayır" as soon as the hires are synced; held first, a
compliant one waits for nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from rpa.contact_input import ContactRow, read_contact_file
from rpa.demo_roster import ROSTER_FILE, RosterSyncStep, compare_sync_with_portal
from rpa.flows.results import Outcome
from rpa.report import RunReport

if TYPE_CHECKING:
    from rpa.app.result import RunResult
    from rpa.settings import Settings

DEMO_ACCOUNT = "demo-firma"
PASSWORD_ENV = "KATIP_DEMO_PASSWORD"
CONTACT_FILE = Path(__file__).parent / "data" / "demo-contact.yaml"
MATCH_MESSAGE = "Portal durumu özetle uyumlu"


def run_demo(
    headed: bool = False, keep_open: bool = False, out_dir: Path | None = None, console: Console | None = None,
    with_console: bool = False,
) -> int:
    """Run the demo; 0 when the summary matches the portal's state, 1 when it does not.

    `with_console`: afterwards, leave the mock and the back-office console (`katip console`, on the demo's
    history, accounts and held contracts) running until Ctrl-C."""
    from mock_portal import create_app
    from mock_portal.seed import DEMO_PASSWORD, DEMO_TC
    from mock_portal.server import start_in_thread
    from rpa.cli.robot_output import make_console

    console = console or make_console()
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="katip-demo-"))
    try:
        console.print("İSG-KATİP demo: starting the bundled mock portal ...", highlight=False)
        portal = create_app({"DATABASE": str(workdir / "portal.sqlite"), "TEST_MODE": True, "SEED": {}})
        server = start_in_thread(portal)
        try:
            os.environ[PASSWORD_ENV] = DEMO_PASSWORD  # the accounts file refers to it, never holds it
            accounts_file = _write_accounts(workdir, DEMO_TC)
            roster = RosterSyncStep.load()
            report, results, timings = _robot_day(
                server.url, workdir, accounts_file, headed, out_dir, console, roster
            )
            state = _dev_state(server.url)
            problems = compare_with_portal(report, state, read_contact_file(CONTACT_FILE).rows)
            problems += compare_sync_with_portal(roster, state)
            _print_end(console, report, results, roster, problems, timings, time.monotonic() - started)
            if with_console:
                settings = _settings(server.url, workdir, accounts_file, headed, out_dir)
                _keep_console_open(console, settings, server.url, DEMO_TC, DEMO_PASSWORD)
            elif keep_open:
                _wait_for_ctrl_c(console, server.url, DEMO_TC, DEMO_PASSWORD)
            return 0 if not problems else 1
        finally:
            server.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _write_accounts(workdir: Path, tc: str) -> Path:
    path = workdir / "accounts.yaml"
    path.write_text(
        "accounts:\n"
        f"  - name: {DEMO_ACCOUNT}\n"
        f'    tc: "{tc}"\n'
        f"    password: env:{PASSWORD_ENV}\n"
        "    code: mock\n",
        encoding="utf-8",
    )
    return path


def _settings(url: str, workdir: Path, accounts_file: Path, headed: bool, out_dir: Path | None) -> Settings:
    from rpa.settings import Settings

    overrides: dict[str, Any] = {
        "portal_url": url,
        "accounts_file": accounts_file,
        "headless": not headed,
        "state_dir": workdir / "state",
        "refresh_wait_s": 15.0,
    }
    if out_dir is not None:
        overrides["out_dir"] = out_dir
    return Settings(**overrides)


def _robot_day(
    url: str,
    workdir: Path,
    accounts_file: Path,
    headed: bool,
    out_dir: Path | None,
    console: Console,
    roster: RosterSyncStep,
) -> tuple[RunReport, list[RunResult], dict[str, float]]:
    """Refresh, sync the roster, approve and set contacts: four runs through the app layer, as a clerk's
    four commands (or four scheduled jobs) would be; the first logs in, the others reuse its session."""
    from rpa import app
    from rpa.cli.robot_output import RichProgress
    from rpa.logs import configure_logging

    settings = _settings(url, workdir, accounts_file, headed, out_dir)
    configure_logging(console_write=lambda m: console.print(m, end="", markup=False, highlight=False))
    rows = read_contact_file(CONTACT_FILE).rows
    steps: list[tuple[str, Callable[[RichProgress], RunResult]]] = [
        ("refresh", lambda p: app.refresh(settings, app.RefreshRun(refresh=True, command="katip demo"), progress=p)),
        ("roster", lambda p: app.roster_sync(settings, app.RosterSyncRun(files=[ROSTER_FILE], command="katip demo"),
                                             progress=p, roster=roster.roster)),
        ("approve", lambda p: app.approve(settings, app.ApproveRun(command="katip demo"), progress=p)),
        ("contact", lambda p: app.contact(settings, app.ContactRun(rows=rows, command="katip demo"), progress=p)),
    ]
    console.print(f"Portal: {url}/", highlight=False)
    timings: dict[str, float] = {}
    results: list[RunResult] = []
    for step, run in steps:
        begun = time.monotonic()
        with RichProgress(console) as progress:
            results.append(run(progress))
        timings[step] = time.monotonic() - begun
    refreshed, synced, approved, contacted = results
    roster.results = synced.extra["results"]
    roster.written = (synced.extra["sync"], synced.extra["summary"], synced.report_path or Path())
    errors = {**refreshed.report.account_errors, **approved.report.account_errors, **contacted.report.account_errors}
    day = approved.report.model_copy(update={"refresh": refreshed.report.refresh,
                                             "contact": contacted.report.contact, "account_errors": errors})
    return day, results, timings


def _dev_state(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{url}/_dev/state", timeout=30) as answer:
        return json.loads(answer.read().decode("utf-8"))


def compare_with_portal(report: RunReport, state: dict[str, Any], rows: list[ContactRow]) -> list[str]:
    """Every way the robot's summary disagrees with the portal's state (empty: they agree)."""
    from rpa.contact_input import normalize_phone

    problems = [f"account {name}: {why}" for name, why in report.account_errors.items()]
    contracts = {c["no"]: c for c in state["contracts"]}
    approvals = [a["target"] for a in state["audit"] if a["action"] == "approve"]
    ours = {
        o: {c.contract_no or "" for r in report.approve for wp in r.workplaces for c in wp.with_outcome(o)}
        for o in Outcome
    }
    mine = {wp.sicil for r in report.approve for wp in r.workplaces}
    if sorted(approvals) != sorted(ours[Outcome.DONE]):
        problems.append(
            f"approved by the robot {sorted(ours[Outcome.DONE])}, by the portal's audit {sorted(approvals)}"
        )
    for number in ours[Outcome.DONE]:
        if contracts.get(number, {}).get("approval") != "Onaylandı":
            problems.append(f"contract {number}: the portal does not show it approved")
    waiting = {c["no"] for c in state["contracts"] if c["sicil"] in mine and c["approval"] == "Onay Bekliyor"}
    if waiting != ours[Outcome.HELD]:
        problems.append(
            f"held by the robot {sorted(ours[Outcome.HELD])}, still waiting on the portal {sorted(waiting)}"
        )
    for r in report.approve:
        for wp in r.workplaces:
            problems += [
                f"contract {c.contract_no}: no valid PDF"
                for c in wp.with_outcome(Outcome.DONE)
                if not (c.pdf and c.pdf.is_file())
            ]
    listed = {s for a in state["accounts"] if a["tc"] == _demo_tc() for s in a["workplaces"]}
    robot_listed = {w.sicil for r in report.refresh for w in r.workplaces}
    if listed != robot_listed:
        problems.append(f"workplaces: robot {sorted(robot_listed)}, portal {sorted(listed)}")
    portal_workplaces = {w["sicil"]: w for w in state["workplaces"]}
    for row in rows:
        got = portal_workplaces.get(row.sicil, {})
        contact = got.get("contact") or {}
        same = (
            contact.get("phone")
            and normalize_phone(contact["phone"]) == row.phone
            and contact.get("il") == row.il
            and contact.get("ilce") == row.ilce
            and (contact.get("email") or "").lower() == (row.email or "").lower()
            and got.get("auto_update") == row.auto_update
        )
        if not same:
            problems.append(f"contact of {row.sicil}: the portal shows {contact or 'nothing'}")
    return problems


def _demo_tc() -> str:
    from mock_portal.seed import DEMO_TC

    return DEMO_TC


def _print_end(
    console: Console,
    report: RunReport,
    results: list[RunResult],
    roster: RosterSyncStep,
    problems: list[str],
    timings: dict[str, float],
    wall_s: float,
) -> None:
    from rpa.cli.robot_output import print_approve, print_contact, print_next_steps, print_workplaces
    from rpa.cli.sync_output import print_sync

    print_workplaces(console, report)
    if roster.written:
        print_sync(console, *roster.written)
    print_approve(console, report)
    print_contact(console, report)
    approved = report.approve_summary().approved
    per = f", {timings.get('approve', 0) / approved:.1f} s per approved contract" if approved else ""
    console.print(
        f"Demo süresi / wall time: {wall_s:.1f} s (roster sync {timings.get('roster', 0):.1f} s, "
        f"approve step {timings.get('approve', 0):.1f} s{per})",
        highlight=False,
    )
    print_next_steps(console, report, "katip demo")
    for result in results:
        console.print(f"Çalıştırma / run {result.id} ({result.record.flow}): {result.report_path}", highlight=False)
    console.print(f"PDF'ler / PDFs: {results[0].contracts_dir}", highlight=False)
    if problems:
        console.print("[red]Portal durumu özetle uyumsuz / the portal's state does not match:[/red]")
        for problem in problems:
            console.print(f"  - {problem}", highlight=False)
    else:
        console.print(f"[green]✓ {MATCH_MESSAGE}[/green] (the summary matches /_dev/state)")


def _keep_console_open(console: Console, settings: Settings, url: str, tc: str, password: str) -> None:
    from rpa.console.server import start_in_thread

    served = start_in_thread(settings)
    try:
        console.print(f"\nKonsol / console: {served.url}  — the demo's runs, held contracts and account are there "
                      "(Bugün, Hesaplar, Çalıştır, Bekletilenler, Geçmiş).", highlight=False)
        _wait_for_ctrl_c(console, url, tc, password)
    finally:
        served.stop()


def _wait_for_ctrl_c(console: Console, url: str, tc: str, password: str) -> None:
    console.print(
        f"\nThe mock portal stays open at {url}/ — log in with T.C. Kimlik No {tc}, "
        f"e-Devlet Şifresi {password}; the two-step code is at {url}/_dev/sms?tc={tc}.",
        highlight=False,
    )
    console.print("Press Ctrl-C to stop it.")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        console.print("Portal stopped.")
