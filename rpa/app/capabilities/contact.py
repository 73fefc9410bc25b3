"""Contact details: "Kurumsal İletişim ve İzin İşlemleri" set where it differs from what is asked."""

from __future__ import annotations

from pathlib import Path

from rpa.accounts import Account
from rpa.app.batch import Batch
from rpa.app.control import Progress, StopToken
from rpa.app.requests import ContactRun
from rpa.app.result import RunResult
from rpa.app.summary import contact_counts, contact_problems, logins_needed, report_status
from rpa.contact_input import ALL_WORKPLACES
from rpa.flows import update_contact
from rpa.flows.ports import PortalSession
from rpa.flows.results import ContactOutcome, ContactResult, Outcome
from rpa.flows.targets import NO_ACCESS_TR
from rpa.settings import Settings

NOT_LISTED = f"{NO_ACCESS_TR} (none of the accounts lists this workplace)"


def contact(settings: Settings, request: ContactRun, *, progress: Progress | None = None,
            stop: StopToken | None = None) -> RunResult:
    """Apply each row to its workplace, with whichever account lists it."""
    rows = [r for r in request.rows if request.workplaces is None or r.sicil in request.workplaces]
    with Batch.open(settings, request, progress, stop) as batch:
        if (changed := batch.portal_changed()) is not None:
            return batch.stopped_by_portal_change(changed)
        if rows:
            batch.each_account(lambda session, account: _account(batch, session, account, rows))
        if not batch.interrupted and batch.whole_run:
            _unclaimed(batch, [r.sicil for r in rows if r.sicil != ALL_WORKPLACES])
        if batch.whole_run:  # a worker doing one account of a distributed run leaves them to the run
            _rejected_rows(batch)
        report = batch.report
        return batch.finish(report_status(report), contact_counts(report), contact_problems(report),
                            batch.wrote_report(), logins_needed(report))


def _account(batch: Batch[ContactRun], session: PortalSession, account: Account, rows: list) -> None:
    flow_request = update_contact.ContactRequest(
        account=account.name, rows=rows, skip_foreign=len(batch.accounts) > 1, dry_run=batch.request.dry_run,
        evidence_dir=batch.run.evidence_dir, should_stop=batch.stop.is_set,
        journal=batch.account_journal(account.name))
    batch.report.contact.append(update_contact.run(session, flow_request, on_workplace=batch.tick(account)))


def _rejected_rows(batch: Batch[ContactRun]) -> None:
    """The file's bad rows, never sent to the portal, in the report as held with their reasons."""
    rejected = batch.request.rejected
    if not rejected:
        return
    items: dict[str, ContactOutcome] = {}
    for problem in rejected:
        key = problem.sicil or f"{problem.source} satır / row {problem.row}"
        item = items.setdefault(key, ContactOutcome(sicil=key, outcome=Outcome.HELD))
        item.errors.append(str(problem))
    source = batch.request.source or rejected[0].source
    batch.report.contact.append(ContactResult(account=f"dosya / file {Path(source).name}",
                                              dry_run=batch.request.dry_run, items=list(items.values())))


def _unclaimed(batch: Batch[ContactRun], sicils: list[str]) -> None:
    """Rows no account took: failed with the portal's access message."""
    report = batch.report
    if len(batch.accounts) < 2 or report.account_errors or not report.contact:
        return
    seen = {item.sicil for result in report.contact for item in result.items}
    for sicil in sicils:
        if sicil not in seen:
            report.contact[-1].items.append(ContactOutcome(sicil=sicil, outcome=Outcome.FAILED, errors=[NOT_LISTED]))
