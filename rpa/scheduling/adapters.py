"""From a scheduled job to the robot's flows: one runner per flow, each `JobContext -> FlowOutcome`.

The runners drive the flows the way `katip approve|workplaces|contact` do (one browser, one context
per account, an account needing a login stops alone) and write the same HTML report to
`out/runs/<run-id>/report.html`. Between accounts and between items they look at the run's stop
signal. A flow module that is not installed yet makes its runner raise FlowNotAvailable, which
`run_job` records as a failed run saying so: visible in `katip runs` and the e-mail, never silent.
"""

from __future__ import annotations

import glob
import importlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from rpa.journal import account_journal
from rpa.scheduling.config import FLOWS

if TYPE_CHECKING:
    from rpa.accounts import Account
    from rpa.flows.batch import Batch
    from rpa.scheduling.jobs import FlowOutcome, JobContext

__all__ = [
    "FLOWS",
    "run_approve_contracts",
    "run_refresh_workplaces",
    "run_sync_roster",
    "run_update_contact",
]
MAX_PROBLEMS = 30  # the rest is in the report; an e-mail with 500 lines helps nobody


def _flow_module(flow: str) -> ModuleType:
    from rpa.scheduling.jobs import FlowNotAvailable

    try:
        return importlib.import_module(f"rpa.flows.{flow}")
    except ModuleNotFoundError as error:
        if error.name and error.name.startswith("rpa.flows"):
            raise FlowNotAvailable(f"flow {flow} not available yet") from None
        raise


def _accounts(context: JobContext) -> list[Account]:
    """The job's accounts from accounts.yaml ('all', or the names the job lists)."""
    from rpa.accounts import find_account, load_accounts

    settings = context.settings
    accounts = load_accounts(settings.accounts_file, settings.start_url())
    if context.job.accounts == "all":
        return accounts
    return [find_account(accounts, name) for name in context.job.accounts]


def _batch(context: JobContext) -> Batch:
    from rpa.flows.batch import Batch
    from rpa.report import RunReport

    report = RunReport(
        run_id=context.run.id,
        command=f"katip schedule run-now {context.job.id}",
        started=context.run.started,
        portal_url=context.settings.portal_url,
    )
    return Batch(settings=context.settings, accounts=_accounts(context), run=context.run, report=report)


def _each_account(batch: Batch, context: JobContext, work: Callable[[Any, Account], None]) -> None:
    """Run `work` per account; once the stop signal is set, the remaining accounts wait for next time."""
    left: list[str] = []

    def guarded(session: Any, account: Account) -> None:
        if context.stop.is_set():
            left.append(account.name)
            return
        work(session, account)

    batch.each_account(guarded)
    if left:
        batch.report.notes.append(f"Stopped ({context.stop.reason}); not started: {', '.join(left)}")


def _finish(
    batch: Batch, context: JobContext, counts: dict[str, int], item_problems: list[str]
) -> FlowOutcome:
    """Write the HTML report and sum the run up for the history and the notification."""
    from rpa.flows.batch import exit_code
    from rpa.report import write_report
    from rpa.scheduling.jobs import FlowOutcome

    report = batch.report
    report.finished = datetime.now()
    write_report(report, context.run.report_path)
    results = [*report.refresh, *report.approve, *report.contact]
    login_needed = list(
        dict.fromkeys([*report.logins_needed, *(r.account for r in results if r.login_needed)])
    )
    problems = [
        f"{name}: {error}" for name, error in report.account_errors.items() if name not in login_needed
    ]
    problems += [f"{r.account}: {r.error}" for r in results if r.error] + item_problems
    if len(problems) > MAX_PROBLEMS:
        problems = [*problems[:MAX_PROBLEMS], f"… and {len(problems) - MAX_PROBLEMS} more in the report"]
    return FlowOutcome(
        counts=counts,
        login_needed=login_needed,
        problems=problems,
        attention=exit_code(report) != 0,
        report_path=context.run.report_path,
    )


def _wanted_workplaces(context: JobContext) -> list[str] | None:
    return None if context.job.workplaces == "all" else list(context.job.workplaces)


def run_approve_contracts(context: JobContext) -> FlowOutcome:
    """Approve what is compliant in every chosen workplace of the job's accounts; hold back the rest."""
    _flow_module("approve_contracts")
    from rpa.flows import approve_contracts
    from rpa.flows.approve_contracts import ApproveRequest
    from rpa.flows.results import Outcome

    batch, wanted = _batch(context), _wanted_workplaces(context)

    def work(session: Any, account: Account) -> None:
        request = ApproveRequest(
            account=account.name,
            workplaces=wanted,
            skip_foreign=wanted is not None and len(batch.accounts) > 1,
            contracts_dir=context.run.contracts_dir,
            evidence_dir=context.run.evidence_dir,
            should_stop=context.stop.is_set,
            journal=account_journal(batch, account.name),
        )
        batch.report.approve.append(approve_contracts.run(session, request))

    _each_account(batch, context, work)
    if wanted and not context.stop.is_set():
        batch.unclaimed_workplaces(wanted)
    summary = batch.report.approve_summary()
    problems = []
    for result in batch.report.approve:
        for wp in result.workplaces:
            if wp.error:
                problems.append(f"{wp.sicil}: {wp.error}")
            for c in wp.contracts:
                if c.outcome in (Outcome.HELD, Outcome.FAILED):
                    problems.append(f"{wp.sicil} {c.contract_no or c.professional}: {c.outcome} — {c.reason}")
    counts = {"approved": summary.approved, "held": summary.held, "failed": summary.failed}
    return _finish(batch, context, counts, problems)


def run_refresh_workplaces(context: JobContext) -> FlowOutcome:
    """Ask SGK for each account's new workplaces and wait for them to appear."""
    _flow_module("refresh_workplaces")
    from rpa.flows import refresh_workplaces
    from rpa.flows.refresh_workplaces import RefreshRequest

    batch = _batch(context)

    def work(session: Any, account: Account) -> None:
        request = RefreshRequest(
            account=account.name,
            wait_s=context.settings.refresh_wait_s,
            evidence_dir=context.run.evidence_dir,
        )
        batch.report.refresh.append(refresh_workplaces.run(session, request))

    _each_account(batch, context, work)
    results = batch.report.refresh
    counts = {"workplaces": sum(len(r.workplaces) for r in results), "new": sum(len(r.new) for r in results)}
    return _finish(batch, context, counts, [])


def run_update_contact(context: JobContext) -> FlowOutcome:
    """Set each listed workplace's contact details from the job's `contacts` file."""
    _flow_module("update_contact")
    from rpa.contact_input import ContactInputError, read_contact_file
    from rpa.errors import ConfigError
    from rpa.flows import update_contact
    from rpa.flows.results import Outcome
    from rpa.flows.update_contact import ContactRequest

    try:
        rows = read_contact_file(context.resolve(context.job.contacts or ""))
    except ContactInputError as error:
        raise ConfigError(f"job '{context.job.id}': contacts: {'; '.join(error.problems)}") from None
    wanted = _wanted_workplaces(context)
    rows = [row for row in rows if wanted is None or row.sicil in wanted]
    batch = _batch(context)

    def work(session: Any, account: Account) -> None:
        request = ContactRequest(
            account=account.name,
            rows=rows,
            skip_foreign=len(batch.accounts) > 1,
            evidence_dir=context.run.evidence_dir,
            should_stop=context.stop.is_set,
            journal=account_journal(batch, account.name),
        )
        batch.report.contact.append(update_contact.run(session, request))

    _each_account(batch, context, work)
    if not context.stop.is_set():
        batch.unclaimed_contacts(rows)
    items = [item for result in batch.report.contact for item in result.items]
    problems = [
        f"{i.sicil}: {i.outcome} — {'; '.join(i.errors)}"
        for i in items
        if i.outcome in (Outcome.HELD, Outcome.FAILED)
    ]
    counts = {
        "updated": sum(i.outcome is Outcome.DONE for i in items),
        "unchanged": sum(i.outcome is Outcome.SKIPPED for i in items),
        "held": sum(i.outcome is Outcome.HELD for i in items),
        "failed": sum(i.outcome is Outcome.FAILED for i in items),
    }
    return _finish(batch, context, counts, problems)


def run_sync_roster(context: JobContext) -> FlowOutcome:
    """Bring each workplace's SGK 4A list in line with the job's roster files (as `katip roster sync`)."""
    _flow_module("sync_roster")
    from rpa.flows import sync_roster
    from rpa.roster.reader import read_roster
    from rpa.scheduling.jobs import FlowOutcome
    from rpa.sync.report_xlsx import SyncReportData, write_sync_report
    from rpa.sync.results import SyncSummary

    roster = read_roster(_roster_files(context))
    problems = [f"{f.path}: {f.error_en}" for f in roster.files if not f.readable]
    if not roster.rows:
        raise _config_error(context, "no roster row was accepted (see `katip roster check`)", problems)
    wanted = _wanted_workplaces(context)
    batch, results = _batch(context), []
    memory_file = context.settings.private_state_dir() / "roster-sync-memory.json"  # shared with the CLI

    def work(session: Any, account: Account) -> None:
        request = sync_roster.request_for(
            roster,
            account.name,
            workplaces=wanted,
            skip_foreign=len(batch.accounts) > 1,
            memory_file=memory_file,
            evidence_dir=context.run.evidence_dir,
            journal=account_journal(batch, account.name),
            should_stop=context.stop.is_set,
        )
        results.append(sync_roster.run(session, request))

    _each_account(batch, context, work)
    results.sort(key=batch.rank)  # parallel workers finish in any order; the report lists accounts in order
    pairs = [(r.account, wp) for r in results for wp in r.workplaces]
    errors = {
        **batch.report.account_errors,
        **{r.account: r.login_needed or r.error for r in results if r.error},
    }
    data = SyncReportData(
        run_id=context.run.id,
        started=context.run.started,
        command=batch.report.command,
        dry_run=False,
        roster=roster,
        workplaces=pairs,
        account_errors={k: v for k, v in errors.items() if v},
    )
    report = write_sync_report(data, context.run.dir / "roster-sync.xlsx")
    rejected = sum(len(f.rejected) for f in roster.files)
    summary = SyncSummary.of([wp for _, wp in pairs], rejected)
    login_needed = list(
        dict.fromkeys([*batch.report.logins_needed, *(r.account for r in results if r.login_needed)])
    )
    problems += [f"{name}: {why}" for name, why in data.account_errors.items() if name not in login_needed]
    problems += [f"{wp.sicil}: {len(wp.exceptions)} exception(s)" for _, wp in pairs if wp.exceptions]
    if rejected:
        problems.append(f"{rejected} roster row(s) rejected (see the report's sheet of rejected rows)")
    counts = {
        "workplaces": summary.workplaces,
        "verified": summary.verified,
        "exceptions": summary.exceptions,
        "failed": summary.failed,
        "rejected_rows": rejected,
    }
    attention = bool(problems or login_needed or summary.exceptions or summary.failed)
    return FlowOutcome(
        counts=counts,
        login_needed=login_needed,
        problems=problems[: MAX_PROBLEMS + 1],
        attention=attention,
        report_path=report,
    )


def _roster_files(context: JobContext) -> list[Path]:
    """The files the job's `rosters` glob matches now, in a stable order; none is a failed run."""
    pattern = str(context.resolve(context.job.rosters or ""))
    files = sorted(Path(name) for name in glob.glob(pattern))
    if not files:
        raise _config_error(context, f"rosters '{context.job.rosters}' matches no file ({pattern})", [])
    return files


def _config_error(context: JobContext, message: str, details: list[str]) -> Exception:
    from rpa.errors import ConfigError

    return ConfigError("; ".join([f"job '{context.job.id}': {message}", *details]))
