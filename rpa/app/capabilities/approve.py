"""Approve: the compliant contracts waiting for the employer are approved, the others held, PDFs kept."""

from __future__ import annotations

from rpa.accounts import Account
from rpa.app.batch import Batch
from rpa.app.control import Progress, StopToken
from rpa.app.held import write_contracts
from rpa.app.requests import ApproveRun
from rpa.app.result import RunResult
from rpa.app.summary import approve_counts, approve_problems, logins_needed, report_status
from rpa.flows import approve_contracts
from rpa.flows.ports import PortalSession
from rpa.flows.results import Outcome, WorkplaceApproval
from rpa.flows.targets import NO_ACCESS_TR
from rpa.settings import Settings

NOT_LISTED = f"{NO_ACCESS_TR} (none of the accounts lists this workplace)"


def approve(settings: Settings, request: ApproveRun, *, progress: Progress | None = None,
            stop: StopToken | None = None) -> RunResult:
    """Approve what is compliant in the chosen workplaces of the chosen accounts; hold back the rest."""
    with Batch.open(settings, request, progress, stop) as batch:
        if (changed := batch.portal_changed()) is not None:
            return batch.stopped_by_portal_change(changed)
        batch.each_account(lambda session, account: _account(batch, session, account))
        if request.workplaces and not batch.interrupted and batch.whole_run:
            _unclaimed_workplaces(batch, request.workplaces)
        report = batch.report
        write_contracts(report, batch.run.dir)
        return batch.finish(report_status(report), approve_counts(report), approve_problems(report),
                            batch.wrote_report(), logins_needed(report))


def _account(batch: Batch[ApproveRun], session: PortalSession, account: Account) -> None:
    request = batch.request
    several = len(batch.accounts) > 1
    flow_request = approve_contracts.ApproveRequest(
        account=account.name, workplaces=request.workplaces,
        skip_foreign=(request.workplaces is not None or request.contracts is not None) and several,
        contracts=request.contracts, force=request.force, dry_run=request.dry_run,
        contracts_dir=batch.run.contracts_dir, evidence_dir=batch.run.evidence_dir,
        should_stop=batch.stop.is_set, journal=batch.account_journal(account.name),
    )
    batch.report.approve.append(approve_contracts.run(session, flow_request, on_workplace=batch.tick(account)))


def _unclaimed_workplaces(batch: Batch[ApproveRun], requested: list[str]) -> None:
    """Named workplaces no account took: failed with the portal's access message."""
    report = batch.report
    if len(batch.accounts) < 2 or report.account_errors or not report.approve:
        return  # one account reports them itself; a stopped account might have owned them
    seen = {wp.sicil for result in report.approve for wp in result.workplaces}
    for sicil in requested:
        if sicil not in seen:
            report.approve[-1].workplaces.append(WorkplaceApproval(sicil=sicil, error=NOT_LISTED))


def held_contracts(result: RunResult) -> list[tuple[str, str, str]]:
    """(contract no, sicil, reason) of each contract this run held back."""
    return [(c.contract_no or "", wp.sicil, c.reason) for r in result.report.approve for wp in r.workplaces
            for c in wp.with_outcome(Outcome.HELD)]
