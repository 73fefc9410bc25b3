"""Workplaces: each account's list, after asking SGK for newly linked workplaces if asked."""

from __future__ import annotations

from rpa.accounts import Account
from rpa.app.batch import Batch
from rpa.app.control import Progress, StopToken
from rpa.app.requests import RefreshRun
from rpa.app.result import RunResult
from rpa.app.summary import account_problems, logins_needed, refresh_counts, report_status
from rpa.flows import refresh_workplaces
from rpa.flows.ports import PortalSession
from rpa.settings import Settings


def refresh(settings: Settings, request: RefreshRun, *, progress: Progress | None = None,
            stop: StopToken | None = None) -> RunResult:
    """List every chosen account's workplaces (new ones marked after a refresh request)."""
    with Batch.open(settings, request, progress, stop) as batch:
        wait_s = settings.refresh_wait_s if request.wait_s is None else request.wait_s
        batch.each_account(lambda session, account: _account(batch, session, account, wait_s))
        if request.workplaces:
            for result in batch.report.refresh:
                result.workplaces = [w for w in result.workplaces if w.sicil in request.workplaces]
        report = batch.report
        return batch.finish(report_status(report), refresh_counts(report), account_problems(report),
                            batch.wrote_report(), logins_needed(report))


def _account(batch: Batch, session: PortalSession, account: Account, wait_s: float) -> None:
    request: RefreshRun = batch.request  # type: ignore[assignment]
    flow_request = refresh_workplaces.RefreshRequest(
        account=account.name, refresh=request.refresh and not request.dry_run, wait_s=wait_s,
        evidence_dir=batch.run.evidence_dir)
    result = refresh_workplaces.run(session, flow_request)
    batch.report.refresh.append(result)
    batch.progress.workplace(account.name, len(result.workplaces), len(result.workplaces), "")
