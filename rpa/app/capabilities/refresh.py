"""Workplaces: each account's list; with a refresh, new rows asked of SGK and collected in one shared wait.

A refresh is filed for every account first, then all accounts are looked at within ONE wait window
(`wait_s` for the whole run, not per account): the real portal fills the list minutes to hours later, so
waiting per account would make a 20-account run last 20 windows. Each account's list as it was before the
request is kept (`rpa.store.workplaces`): a later listing, hours after, still marks the rows that arrived
as "yeni / new". `wait_s=0` only files the requests (the evening job); the morning job collects.
"""

from __future__ import annotations

import time

from rpa.accounts import Account
from rpa.app.batch import Batch
from rpa.app.control import Progress, StopToken
from rpa.app.requests import RefreshRun
from rpa.app.result import RunResult
from rpa.app.summary import account_problems, logins_needed, refresh_counts, report_status
from rpa.flows import refresh_workplaces
from rpa.flows.ports import PortalSession
from rpa.flows.results import RefreshResult
from rpa.settings import Settings
from rpa.store.workplaces import KnownWorkplaces


def refresh(settings: Settings, request: RefreshRun, *, progress: Progress | None = None,
            stop: StopToken | None = None) -> RunResult:
    """List every chosen account's workplaces (new ones marked); with `refresh`, ask SGK first."""
    # A plain listing changes nothing on the portal: it is a look, not a run (no folder, no history).
    look_only = not request.refresh or request.dry_run
    wait_s = settings.refresh_wait_s if request.wait_s is None else request.wait_s
    if look_only and request.distributed:
        request = request.model_copy(update={"distributed": False})  # a look needs no workers
    elif request.distributed:
        # The workers share one window: its end travels with the request, as a time on the clock.
        request = request.model_copy(update={"wait_until": time.time() + wait_s})
    with Batch.open(settings, request, progress, stop, look_only=look_only) as batch:
        if (changed := batch.portal_changed()) is not None:
            return batch.stopped_by_portal_change(changed)
        if request.distributed:
            batch.each_account(lambda _session, _account: None)  # each worker files, waits and collects
        else:
            _file_and_collect(batch, request, wait_s)
        if request.workplaces:
            for result in batch.report.refresh:
                result.workplaces = [w for w in result.workplaces if w.sicil in request.workplaces]
        report = batch.report
        return batch.finish(report_status(report), refresh_counts(report), account_problems(report),
                            batch.wrote_report(), logins_needed(report))


def _file_and_collect(batch: Batch[RefreshRun], request: RefreshRun, wait_s: float) -> None:
    """Every account's request first, then all their lists within one wait window (this process's
    accounts: all of them, or a worker's one of a distributed run, whose window ends at `wait_until`)."""
    known = KnownWorkplaces(batch.settings.private_state_dir(), batch.settings.database_url)
    filed: dict[str, RefreshResult] = {}
    if request.refresh and not request.dry_run:
        batch.each_account(lambda session, account: _file(batch, session, account, known, filed))
    if not (filed and wait_s == 0):  # with a wait of 0 the requests are all this run does
        window = wait_s if request.wait_until is None else max(0.0, request.wait_until - time.time())
        deadline = time.monotonic() + (window if filed else 0)
        stopped = set(batch.report.account_errors) | {n for n, r in filed.items() if r.error or r.login_needed}
        batch.each_account(lambda session, account: _collect(batch, session, account, known, deadline),
                           only=[a for a in batch.accounts if a.name not in stopped])
    _merge(batch, filed)


def _file(batch: Batch[RefreshRun], session: PortalSession, account: Account, known: KnownWorkplaces,
          filed: dict[str, RefreshResult]) -> None:
    flow_request = refresh_workplaces.RefreshRequest(account=account.name, evidence_dir=batch.run.evidence_dir)
    result = refresh_workplaces.file_request(session, flow_request)
    if result.requested:
        known.requested(account.tc, [w.sicil for w in result.workplaces])
    filed[account.name] = result


def _collect(batch: Batch[RefreshRun], session: PortalSession, account: Account, known: KnownWorkplaces,
             deadline: float) -> None:
    baseline = known.baseline(account.tc)
    flow_request = refresh_workplaces.CollectRequest(account=account.name, known=baseline[0] if baseline else None,
                                                     deadline=deadline, evidence_dir=batch.run.evidence_dir)
    result = refresh_workplaces.collect(session, flow_request)
    batch.report.refresh.append(result)
    batch.progress.workplace(account.name, len(result.workplaces), len(result.workplaces), "")


def _merge(batch: Batch[RefreshRun], filed: dict[str, RefreshResult]) -> None:
    """One result per account: the request's answer (or failure) with the list collected after it."""
    collected = {r.account: r for r in batch.report.refresh}
    merged = []
    for account in batch.accounts:
        first, then = filed.get(account.name), collected.get(account.name)
        if first is not None and (first.error or first.login_needed or then is None):
            merged.append(first)
        elif then is not None:
            if first is not None:
                then.message, then.requested = first.message, first.requested
            merged.append(then)
    batch.report.refresh = merged
