"""Running the flows for several accounts in one browser: what the `katip` commands and the demo share.

One Chromium for the run, one context per account (`rpa.session`). An account that needs a person to
log in stops with LoginNeeded and the others go on; everything lands in the run's `RunReport`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from loguru import logger

from rpa.accounts import Account
from rpa.contact_input import ContactRow
from rpa.errors import KatipError, LoginNeeded
from rpa.flows import approve_contracts, refresh_workplaces, update_contact
from rpa.flows.approve_contracts import ApproveRequest
from rpa.flows.common import error_text
from rpa.flows.refresh_workplaces import RefreshRequest
from rpa.flows.results import Outcome, WorkplaceApproval
from rpa.flows.targets import NO_ACCESS_TR
from rpa.flows.update_contact import ContactRequest
from rpa.report import RunReport
from rpa.run import Run
from rpa.settings import Settings

EXIT_OK, EXIT_ITEMS, EXIT_USAGE, EXIT_LOGIN = 0, 1, 2, 3
NOT_LISTED = f"{NO_ACCESS_TR} (none of the accounts lists this workplace)"


class Progress(Protocol):
    """What a progress display is told (the CLI draws rich bars; tests and --json use `Silent`)."""

    def account(self, name: str) -> None: ...

    def workplace(self, account: str, done: int, total: int, name: str) -> None: ...


class Silent:
    """No progress display."""

    def account(self, name: str) -> None:
        """Ignored."""

    def workplace(self, account: str, done: int, total: int, name: str) -> None:
        """Ignored."""


@dataclass
class Batch:
    """One run over some accounts: settings, where files go, and the report being filled."""

    settings: Settings
    accounts: list[Account]
    run: Run
    report: RunReport
    progress: Progress = field(default_factory=Silent)

    def each_account(self, work: Callable[[Any, Account], None]) -> None:
        """Open the browser once and call `work(session, account)` for each account in turn."""
        from rpa.session import BrowserSession  # Playwright loads only when a run really starts

        with BrowserSession(self.settings) as browser:
            for account in self.accounts:
                self.progress.account(account.name)
                log = logger.bind(account=account.name)
                try:
                    with browser.account_context(account) as session:
                        work(session, account)
                except LoginNeeded as exc:
                    log.warning("{}", exc)
                    self.report.account_errors[account.name] = str(exc)
                    self.report.logins_needed.append(account.name)
                except KatipError as exc:  # e.g. `code: mock` for a remote portal: this account only
                    log.error("{}", exc)
                    self.report.account_errors[account.name] = error_text(exc)

    def _tick(self, account: Account) -> Callable[[int, int, str], None]:
        return lambda done, total, name: self.progress.workplace(account.name, done, total, name)

    def refresh(self, session: Any, account: Account, refresh: bool, wait_s: float) -> None:
        """The account's workplace list, after a refresh request if asked."""
        request = RefreshRequest(account=account.name, refresh=refresh, wait_s=wait_s,
                                 evidence_dir=self.run.evidence_dir)
        result = refresh_workplaces.run(session, request)
        self.report.refresh.append(result)
        self.progress.workplace(account.name, len(result.workplaces), len(result.workplaces), "")

    def approve(self, session: Any, account: Account, workplaces: list[str] | None, force: bool,
                dry_run: bool) -> None:
        """Approve what is compliant in the account's (chosen) workplaces."""
        request = ApproveRequest(
            account=account.name, workplaces=workplaces, skip_foreign=self._shared(workplaces), force=force,
            dry_run=dry_run, contracts_dir=self.run.contracts_dir, evidence_dir=self.run.evidence_dir,
        )
        self.report.approve.append(approve_contracts.run(session, request, on_workplace=self._tick(account)))

    def contact(self, session: Any, account: Account, rows: list[ContactRow], dry_run: bool) -> None:
        """Set the contact details of the account's workplaces named in `rows`."""
        request = ContactRequest(account=account.name, rows=rows, skip_foreign=len(self.accounts) > 1,
                                 dry_run=dry_run, evidence_dir=self.run.evidence_dir)
        self.report.contact.append(update_contact.run(session, request, on_workplace=self._tick(account)))

    def _shared(self, workplaces: list[str] | None) -> bool:
        # With several accounts, a named workplace belongs to whichever account lists it.
        return workplaces is not None and len(self.accounts) > 1

    def unclaimed_workplaces(self, requested: list[str]) -> None:
        """Named workplaces no account took: reported as failed with the portal's access message."""
        if len(self.accounts) < 2 or self.report.account_errors or not self.report.approve:
            return  # one account reports them itself; a stopped account might have owned them
        from rpa.domain.identifiers import normalize_sicil

        seen = {wp.sicil for result in self.report.approve for wp in result.workplaces}
        for sicil in dict.fromkeys(normalize_sicil(s) for s in requested):
            if sicil not in seen:
                self.report.approve[-1].workplaces.append(WorkplaceApproval(sicil=sicil, error=NOT_LISTED))

    def unclaimed_contacts(self, rows: list[ContactRow]) -> None:
        """Contact rows no account took: failed with the portal's access message."""
        if len(self.accounts) < 2 or self.report.account_errors or not self.report.contact:
            return
        from rpa.flows.results import ContactOutcome

        seen = {item.sicil for result in self.report.contact for item in result.items}
        for row in rows:
            if row.sicil not in seen:
                self.report.contact[-1].items.append(
                    ContactOutcome(sicil=row.sicil, outcome=Outcome.FAILED, errors=[NOT_LISTED])
                )


def exit_code(report: RunReport) -> int:
    """3 if an account needs a login, else 1 if any item failed or was held, else 0."""
    stopped = [r.login_needed for r in [*report.refresh, *report.approve, *report.contact] if r.login_needed]
    if stopped or report.logins_needed:
        return EXIT_LOGIN
    if report.account_errors:
        return EXIT_ITEMS
    summary = report.approve_summary()
    if summary.failed or summary.held:
        return EXIT_ITEMS
    if any(c.pdf_error for r in report.approve for wp in r.workplaces for c in wp.contracts):
        return EXIT_ITEMS
    for result in [*report.refresh, *report.contact]:
        if result.error:
            return EXIT_ITEMS
    bad = (Outcome.FAILED, Outcome.HELD)
    if any(item.outcome in bad for result in report.contact for item in result.items):
        return EXIT_ITEMS
    return EXIT_OK
