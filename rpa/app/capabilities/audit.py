"""Audit: which client workplaces break the law today — every workplace, every profession, read-only.

Per workplace and profession (İGU, İH, DSP) the minutes the law asks for its headcount and hazard class
against the minutes of the contracts that count, and the findings (`rpa.domain.audit`). The portal is
only read. `headcount_from` rosters replace SGK's count, to see next month's problems first.
"""

from __future__ import annotations

from rpa.accounts import Account
from rpa.app.batch import Batch
from rpa.app.compliance import JSON_NAME, save_compliance
from rpa.app.control import Progress, StopToken
from rpa.app.requests import AuditRun
from rpa.app.result import RunResult
from rpa.app.status import ExitStatus
from rpa.app.summary import account_problems, logins_needed
from rpa.audit.headcount import active_counts
from rpa.audit.report_xlsx import write_audit_xlsx
from rpa.audit.results import AuditResult, audit_report
from rpa.errors import ConfigError
from rpa.flows import audit as audit_flow
from rpa.flows.ports import PortalSession
from rpa.settings import Settings

XLSX_NAME = "audit.xlsx"



def audit(settings: Settings, request: AuditRun, *, progress: Progress | None = None,
          stop: StopToken | None = None) -> RunResult:
    """Audit every chosen workplace of the chosen accounts; exit 0 all compliant, 1 findings, 3 login."""
    headcount = _headcount(request)
    with Batch.open(settings, request, progress, stop) as batch:
        if (changed := batch.portal_changed()) is not None:
            return batch.stopped_by_portal_change(changed)
        numbers = audit_flow.ContractNumbers()  # a contract's number is read once per run, whoever meets it
        results = batch.each_result(lambda session, account: _account(batch, session, account, headcount, numbers),
                                    AuditResult)
        if not batch.whole_run:
            return batch.part_finished(results)  # a worker's share: the run that sent it writes the reports
        return _finish(batch, results)


def _headcount(request: AuditRun) -> dict[str, int] | None:
    if not request.headcount_from:
        return None
    from rpa.app.capabilities.roster_sync import read

    try:
        return active_counts(read(request.headcount_from))
    except ConfigError as error:
        raise ConfigError(f"--headcount-from: {error}") from None


def _account(batch: Batch[AuditRun], session: PortalSession, account: Account, headcount: dict[str, int] | None,
             numbers: audit_flow.ContractNumbers) -> AuditResult:
    request = batch.request
    flow_request = audit_flow.AuditRequest(
        account=account.name, workplaces=request.workplaces,
        skip_foreign=request.workplaces is not None and len(batch.accounts) > 1, headcount=headcount,
        evidence_dir=batch.run.evidence_dir, should_stop=batch.stop.is_set,
        journal=batch.account_journal(account.name), numbers=numbers)
    return audit_flow.run(session, flow_request, on_workplace=batch.tick(account))


def _finish(batch: Batch[AuditRun], results: list[AuditResult]) -> RunResult:
    report = audit_report(results)
    failed = [w for r in results for w in r.failed()]
    shown = batch.request.show_personal_data
    write_audit_xlsx(batch.run.dir / XLSX_NAME, report, failed, show_personal_data=shown)
    save_compliance(batch.run.dir / JSON_NAME, report, show_personal_data=shown)
    batch.report.audit, batch.report.audit_failed = report, failed
    for audited in results:  # accounts whose list could not be read, or that need a login
        if audited.login_needed:
            batch.report.logins_needed.append(audited.account)
            batch.report.account_errors.setdefault(audited.account, audited.login_needed)
        elif audited.error:
            batch.report.account_errors.setdefault(audited.account, audited.error)
    logins = logins_needed(batch.report)
    problems = account_problems(batch.report) + [f"{w.sicil}: {w.error}" for w in failed]
    problems += [f"{w.sicil} {f.code}: {f.problem.tr} / {f.problem.en}" for w in report.workplaces
                 for f in w.findings if not f.informational]
    if logins:
        status = ExitStatus.LOGIN_NEEDED
    elif failed or batch.report.account_errors or not report.all_compliant:
        status = ExitStatus.ATTENTION
    else:
        status = ExitStatus.OK
    counts = {"workplaces": report.summary.workplaces, "compliant": report.summary.compliant,
              "with_findings": report.summary.with_findings, "failed": len(failed)}
    result = batch.finish(status, counts, problems, batch.wrote_report(), logins)
    result.extra.update(audit=report, audit_results=results, audit_xlsx=batch.run.dir / XLSX_NAME)
    return result
