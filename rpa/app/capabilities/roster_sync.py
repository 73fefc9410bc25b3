"""Roster sync: each workplace's SGK 4A list brought in line with the roster files; the rest reported."""

from __future__ import annotations

from pathlib import Path

from rpa.accounts import Account
from rpa.app.batch import Batch
from rpa.app.control import Progress, StopToken
from rpa.app.requests import RosterSyncRun
from rpa.app.result import RunResult
from rpa.app.status import ExitStatus
from rpa.app.summary import logins_needed
from rpa.errors import ConfigError
from rpa.flows import sync_roster
from rpa.flows.ports import PortalSession
from rpa.roster.models import Roster
from rpa.settings import Settings
from rpa.sync.report_xlsx import SyncReportData, write_sync_report
from rpa.sync.results import SyncResult, SyncSummary, WorkplaceSync

MEMORY_NAME = "roster-sync-memory.json"  # in the state dir: every roster sync of this machine shares it
REPORT_NAME = "roster-sync.xlsx"


def read(files: list[Path]) -> Roster:
    """The roster, or ConfigError when a file cannot be read or no row was accepted."""
    from rpa.roster.reader import read_roster

    roster = read_roster(files)
    broken = [f"{f.path}: {f.error_tr} / {f.error_en}" for f in roster.files if not f.readable]
    if broken:
        raise ConfigError("; ".join(broken))
    if not roster.rows:
        raise ConfigError("hiçbir satır kabul edilmedi / no roster row was accepted (see `katip roster check`)")
    return roster


def roster_sync(settings: Settings, request: RosterSyncRun, *, progress: Progress | None = None,
                stop: StopToken | None = None, roster: Roster | None = None) -> RunResult:
    """Compare the roster with each workplace's 4A list, ask SGK about the differences, report the rest."""
    roster = roster or read(request.files)
    missing = [s for s in request.workplaces or [] if s not in roster.by_workplace()]
    if missing:
        raise ConfigError(f"--workplace {', '.join(missing)}: bu işyeri için kabul edilen satır yok / "
                          "no accepted roster row for it")
    with Batch.open(settings, request, progress, stop) as batch:
        if (changed := batch.portal_changed()) is not None:
            return batch.stopped_by_portal_change(changed)
        memory_file = batch.settings.private_state_dir() / MEMORY_NAME
        # Workers finish in any order; the report lists accounts in order.
        results = batch.each_result(lambda session, account: _account(batch, session, account, roster, memory_file),
                                    SyncResult)
        if not batch.whole_run:
            return batch.part_finished(results)  # a worker's share: the run that sent it writes the reports
        return _finish(batch, roster, results)


def _account(batch: Batch[RosterSyncRun], session: PortalSession, account: Account, roster: Roster,
             memory_file: Path) -> SyncResult:
    request = batch.request
    flow_request = sync_roster.request_for(
        roster, account.name, workplaces=request.workplaces, skip_foreign=len(batch.accounts) > 1,
        dry_run=request.dry_run, bulk_threshold=request.bulk_threshold, bulk_allowed=request.bulk_allowed,
        recheck_after_h=request.recheck_after_h, memory_file=memory_file, evidence_dir=batch.run.evidence_dir,
        journal=batch.account_journal(account.name), should_stop=batch.stop.is_set)
    return sync_roster.run(session, flow_request, on_workplace=batch.tick(account))


def _finish(batch: Batch[RosterSyncRun], roster: Roster, results: list[SyncResult]) -> RunResult:
    request = batch.request
    pairs = [(r.account, wp) for r in results for wp in r.workplaces]
    pairs += _unclaimed(batch, roster, results, request.workplaces)
    errors = dict(batch.report.account_errors)
    errors.update({r.account: r.login_needed or r.error or "" for r in results if r.login_needed or r.error})
    data = SyncReportData(run_id=batch.run.id, started=batch.run.started, command=batch.report.command,
                          dry_run=request.dry_run, roster=roster, workplaces=pairs, account_errors=errors,
                          show_personal_data=request.show_personal_data)
    path = write_sync_report(data, batch.run.dir / REPORT_NAME)
    rejected = sum(len(f.rejected) for f in roster.files)
    summary = SyncSummary.of([wp for _, wp in pairs], rejected)
    logins = list(dict.fromkeys([*logins_needed(batch.report), *(r.account for r in results if r.login_needed)]))
    problems = [f"{f.path}: {f.error_en}" for f in roster.files if not f.readable]
    problems += [f"{name}: {why}" for name, why in errors.items() if name not in logins]
    problems += [f"{wp.sicil}: {len(wp.exceptions)} istisna / exception(s)" for _, wp in pairs if wp.exceptions]
    if rejected:
        problems.append(f"{rejected} satır reddedildi / roster row(s) rejected (see the report's sheet of "
                        "rejected rows)")
    counts = {"workplaces": summary.workplaces, "verified": summary.verified, "exceptions": summary.exceptions,
              "failed": summary.failed, "rejected_rows": rejected}
    if logins:
        status = ExitStatus.LOGIN_NEEDED
    elif errors or summary.exceptions or summary.failed or rejected:
        status = ExitStatus.ATTENTION
    else:
        status = ExitStatus.OK
    result = batch.finish(status, counts, problems, path, logins)
    result.extra.update(sync=data, summary=summary, results=results)
    return result


def _unclaimed(batch: Batch[RosterSyncRun], roster: Roster, results: list[SyncResult],
               wanted: list[str] | None) -> list[tuple[str, WorkplaceSync]]:
    """Several accounts: a roster workplace none of them lists is a failed item with the portal's words."""
    from rpa.sync.exceptions import workplace_failed

    stopped = batch.report.account_errors or any(r.login_needed or r.error for r in results)
    if len(batch.accounts) < 2 or stopped or batch.interrupted:
        return []  # one account reports them itself; a stopped account might have owned them
    seen = {wp.sicil for r in results for wp in r.workplaces}
    pairs = []
    for sicil in wanted or list(roster.by_workplace()):
        if sicil not in seen:
            item = workplace_failed(sicil, "none of the accounts lists this workplace", no_access=True)
            pairs.append(("—", WorkplaceSync(sicil=sicil, error=item.reason.tr, exceptions=[item])))
    return pairs
