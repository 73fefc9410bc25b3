"""Running the flows for several accounts: what the `katip` commands, the scheduler and the demo share.

Accounts run on `Settings.workers()` threads at once (`rpa.parallel`: one Chromium per worker, one
context per account with its saved session). An account that needs a person to log in stops with
LoginNeeded and the others go on; everything lands in the run's `RunReport`, in account order.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
from rpa.journal import account_journal
from rpa.report import RunReport
from rpa.run import Run
from rpa.settings import Settings

EXIT_OK, EXIT_ITEMS, EXIT_USAGE, EXIT_LOGIN = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl-C: the items in progress finished, the rest waits for the next run
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
    # Set by Ctrl-C (or a caller): workers start no new account, the flows no new item.
    stop: threading.Event = field(default_factory=threading.Event)
    not_started: list[str] = field(default_factory=list)
    journal: Any = None  # rpa.journal.RunJournal of this run (opened by each_account; None: dry run)

    @property
    def interrupted(self) -> bool:
        """Whether the run was stopped before every account was done."""
        return self.stop.is_set()

    def each_account(self, work: Callable[[Any, Account], None]) -> None:
        """Call `work(session, account)` for every account, `Settings.workers()` accounts at a time.

        Each worker thread has its own browser (`rpa.parallel`); results land in the report in account
        order whatever order the workers finish in.
        """
        from rpa import journal, resilience
        from rpa.parallel import AccountPool
        from rpa.session import BrowserSession  # Playwright loads only when a run really starts

        resilience.activate(self.settings)  # one breaker, politeness gap and session cap for all workers
        self.journal = self.journal or journal.open_for(self)
        pool = AccountPool(
            self.accounts,
            self.settings.workers(len(self.accounts)),
            open_browser=lambda: BrowserSession(self.settings),
            run_one=lambda browser, account: self._one_account(browser, account, work),
            on_crash=self._crashed,
            stop=self.stop,
        )
        left = pool.run()
        if self.journal is not None:
            self.journal.finish()
        self.not_started = [a.name for a in left]
        if left:
            self.report.notes.append(f"Stopped before these accounts started: {', '.join(self.not_started)}")
        self._in_account_order()

    def _one_account(self, browser: Any, account: Account, work: Callable[[Any, Account], None]) -> None:
        self.progress.account(account.name)
        log = logger.bind(account=account.name)
        try:
            with self._account_slot(account), browser.account_context(account) as session:
                work(session, account)
        except LoginNeeded as exc:
            log.warning("{}", exc)
            self.report.account_errors[account.name] = str(exc)
            self.report.logins_needed.append(account.name)
        except KatipError as exc:  # e.g. `code: mock` for a remote portal: this account only
            log.error("{}", exc)
            self.report.account_errors[account.name] = error_text(exc)

    @contextmanager
    def _account_slot(self, account: Account) -> Iterator[None]:
        """Held while an account works: where the per-portal session cap plugs in (`rpa.resilience`)."""
        from rpa import resilience

        with resilience.guard_for(self.settings).slots.slot():
            yield

    def _crashed(self, account: Account, exc: BaseException) -> None:
        logger.bind(account=account.name).exception("unexpected error, this account stops: {}", exc)
        self.report.account_errors[account.name] = f"unexpected error: {error_text(exc)}"

    def rank(self, result: Any) -> int:
        """A result's place in account order (for sorting per-account results the workers appended)."""
        order = {a.name: i for i, a in enumerate(self.accounts)}
        return order.get(getattr(result, "account", result), len(order))

    def _in_account_order(self) -> None:
        report = self.report
        for results in (report.refresh, report.approve, report.contact):
            results.sort(key=self.rank)  # stable: one account's several results keep their order
        errors = report.account_errors
        report.account_errors = {name: errors[name] for name in sorted(errors, key=self.rank)}
        report.logins_needed.sort(key=self.rank)

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
            should_stop=self.stop.is_set, journal=account_journal(self, account.name),
        )
        self.report.approve.append(approve_contracts.run(session, request, on_workplace=self._tick(account)))

    def contact(self, session: Any, account: Account, rows: list[ContactRow], dry_run: bool) -> None:
        """Set the contact details of the account's workplaces named in `rows`."""
        request = ContactRequest(account=account.name, rows=rows, skip_foreign=len(self.accounts) > 1,
                                 dry_run=dry_run, evidence_dir=self.run.evidence_dir,
                                 should_stop=self.stop.is_set, journal=account_journal(self, account.name))
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
