"""One run over some accounts: what every capability shares, from opening the run to its history record.

`Batch.open` checks the settings and the accounts (ConfigError before anything starts), creates the run
folder, starts the run's log, records the run in the history as running and opens its journal (a new
one, or the unfinished one it resumes). `each_account` works the accounts `Settings.workers()` at a
time (`rpa.parallel`: a browser per worker, a context per account), each under the account's lock and a
session slot of the run's `PortalGuard`. `finish` writes the outcome into the journal and the history
and returns the `RunResult` the entry point prints.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from loguru import logger
from pydantic import BaseModel

from rpa.accounts import Account, find_account, load_accounts
from rpa.app.control import Progress, Silent, StopToken
from rpa.app.locks import AccountBusy, AccountLocks, Holder, account_locks
from rpa.app.requests import RunRequest
from rpa.app.result import RunResult, outcome_of
from rpa.app.run_log import run_log
from rpa.app.status import ExitStatus
from rpa.errors import ConfigError, KatipError, LoginNeeded
from rpa.flows.common import error_text
from rpa.history import Outcome, RunHistory, RunRecord, utcnow
from rpa.journal import NO_JOURNAL, AccountJournal, Journal, RunJournal
from rpa.logs import mask_numbers
from rpa.report import RunReport
from rpa.resilience import PortalGuard
from rpa.run import Run
from rpa.settings import Settings

if TYPE_CHECKING:
    from rpa.session import AccountSession, BrowserSession

MAX_PROBLEMS = 30  # in the history and the e-mail; the report has them all


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name) or "account"


def select_accounts(settings: Settings, names: list[str] | None) -> list[Account]:
    """The accounts of accounts.yaml a run works on (all, or these names in this order); ConfigError."""
    accounts = load_accounts(settings.accounts_file, settings.portal_url)
    return accounts if not names else [find_account(accounts, name) for name in dict.fromkeys(names)]


R = TypeVar("R", bound=RunRequest)
T = TypeVar("T", bound=BaseModel)


class Batch(Generic[R]):
    """One run over some accounts: settings, where files go, the report being filled, and its records."""

    def __init__(self, settings: Settings, request: R, accounts: list[Account], run: Run,
                 progress: Progress | None = None, stop: StopToken | None = None, look_only: bool = False) -> None:
        """`look_only`: a read that changes nothing and keeps nothing (a plain workplace listing): its
        folder is temporary, and neither the history nor the journal hears of it."""
        self.settings, self.request, self.accounts, self.run = settings, request, accounts, run
        self.look_only = look_only
        self.progress: Progress = progress or Silent()
        self.stop = stop or StopToken()
        self.guard = PortalGuard.for_settings(settings)  # one breaker, gap and cap for all the run's workers
        self.report = RunReport(run_id=run.id, command=request.command or f"katip {request.flow}",
                                started=run.started, portal_url=settings.portal_url, dry_run=request.dry_run,
                                show_personal_data=request.show_personal_data)
        self.busy: dict[str, str] = {}
        self.worker_results: list[dict[str, Any]] = []  # per-account results the workers sent (JSON)
        self.not_started: list[str] = []
        self.history = RunHistory(settings.private_state_dir(), settings.database_url)
        self.record = RunRecord(id=run.id, flow=request.flow, trigger=request.trigger, job=request.job,
                                command=mask_numbers(self.report.command), accounts=[a.name for a in accounts],
                                out_dir=str(run.out_dir), resumes=request.resume)
        self.journal: RunJournal | None = None
        self.part = request.part  # a worker's share of a distributed run: one account, no records of its own
        if self.part is not None and settings.broker_url:  # the gap and the cap hold across all workers
            from rpa.store.shared_guard import SharedPoliteness, SharedSessionSlots

            self.guard.limiter = SharedPoliteness(settings.broker_url, settings.portal_url,
                                                  settings.politeness_ms / 1000)
            self.guard.slots = SharedSessionSlots(settings.broker_url, settings.portal_url, settings.max_sessions)
        self._log = run_log(run.id, run.log_file if self.part is None
                            else run.dir / "workers" / f"{_safe(self.part.account)}.log")

    @classmethod
    def open(cls, settings: Settings, request: R, progress: Progress | None = None, stop: StopToken | None = None,
             accounts: list[Account] | None = None, look_only: bool = False) -> Batch[R]:
        """Check settings and accounts (ConfigError, nothing started), then create the run folder."""
        if request.parallel is not None:
            settings = settings.model_copy(update={"parallel": request.parallel})
        settings.check()
        accounts = accounts if accounts is not None else select_accounts(settings, request.accounts)
        if request.part is not None:  # a worker's share: the run and its folder exist already
            if request.part.account not in [a.name for a in accounts]:
                raise ConfigError(f"account '{request.part.account}' is not in {settings.accounts_file}")
            return cls(settings, request, accounts, Run.join(settings.out_dir, request.part.run_id), progress, stop)
        if request.distributed:
            from rpa.app.distributed import check_distributed

            check_distributed(settings)
        folder = Path(tempfile.mkdtemp(prefix="look-", dir=settings.private_state_dir())) if look_only \
            else settings.out_dir
        return cls(settings, request, accounts, Run.start(folder), progress, stop, look_only)

    @property
    def whole_run(self) -> bool:
        """False in a worker's share of a distributed run (one account; the run that sent it sums up)."""
        return self.part is None

    @property
    def keeps_records(self) -> bool:
        """Whether this batch writes the run's history record, report and journal ending."""
        return not self.look_only and self.part is None

    # --- the run's records -------------------------------------------------------------------------

    def __enter__(self) -> Batch[R]:
        self._log.__enter__()
        if self.keeps_records:
            self.history.save(self.record)
        if self.part is not None:
            logger.info("run {} ({}): account {} on this worker", self.run.id, self.request.flow, self.part.account)
        else:
            logger.info("run {} ({}) started: {}", self.run.id, self.request.flow, self.record.command)
        self.progress.started(self.run.id, [a.name for a in self.accounts])
        try:
            if not (self.request.dry_run or self.look_only):
                self.journal = self._open_journal()
        except BaseException as error:
            self.__exit__(type(error), error, error.__traceback__)
            raise
        return self

    def _open_journal(self) -> RunJournal:
        journal = Journal(self.settings.private_state_dir(), self.settings.database_url)
        if self.part is not None:  # the run's own journal, shared: a re-delivered task carries on from it
            return RunJournal(journal, self.request.resume or self.part.run_id)
        if self.request.resume:
            try:
                return RunJournal.resume(journal, self.request.resume, by=self.run.id)
            except KeyError:
                raise ConfigError(f"no journalled run '{self.request.resume}' to resume") from None
        where = {"portal_url": self.settings.portal_url or "",
                 "accounts_file": str(self.settings.accounts_file.resolve()),
                 "out_dir": str(self.run.out_dir)}
        return RunJournal.start(journal, self.run.id, flow=self.request.flow, command=self.record.command,
                                request=self.request.model_dump(mode="json"), settings=where, job=self.request.job)

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if error is not None and self.record.outcome == "running":
                self.record.outcome = "failed"
                self.record.problems = [mask_numbers(f"{type(error).__name__}: {error_text(error)}")]
                self.record.ended_at = utcnow()
                if self.keeps_records:
                    self.history.save(self.record)
                logger.opt(exception=error).error("run {} failed", self.run.id)
        finally:
            self._log.__exit__(kind, error, tb)
            if self.look_only:
                shutil.rmtree(self.run.out_dir, ignore_errors=True)

    def account_journal(self, account: str) -> AccountJournal:
        """What a flow is handed: the account's view of the run's journal (NO_JOURNAL for dry runs)."""
        return self.journal.account(account) if self.journal is not None else NO_JOURNAL

    def portal_changed(self) -> list[str] | None:
        """With `request.selfcheck`: the words this flow needs that the portal no longer shows (checked with
        the first account, read-only, before anything is changed); None when all are there."""
        from rpa.app.capabilities.selfcheck import check_portal, drift_problems
        from rpa.flows.selfcheck import FLOW_SCREENS

        screens = FLOW_SCREENS.get(self.request.flow)
        if self.part is not None:
            return None  # the run that sent this share checked before sending it
        if not self.request.selfcheck or not screens or not self.accounts:
            return None
        found = check_portal(self, screens)
        if found is None or found.login_needed or not any(s.missing for s in found.screens):
            return None  # a login the run itself will ask for; a portal fault the run's retries ride out
        logger.error("the portal changed; nothing was done: {}", "; ".join(drift_problems(found)))
        return drift_problems(found)

    def stopped_by_portal_change(self, problems: list[str]) -> RunResult:
        """End a run before its first change because the portal's words changed: a failed run saying which."""
        return self.finish(ExitStatus.ATTENTION, {}, problems, None, [], outcome="failed")

    def finish(self, status: ExitStatus, counts: dict[str, int], problems: list[str],
               report_path: Path | None, login_needed: list[str], outcome: Outcome | None = None) -> RunResult:
        """The run ended by itself: journal it finished, record the outcome, return the result."""
        if self.interrupted:
            status = ExitStatus.INTERRUPTED
        elif self.busy and status is ExitStatus.OK:
            status = ExitStatus.ATTENTION
        if self.journal is not None and self.part is None:
            self.journal.finish()
        problems = [mask_numbers(p) for p in problems]
        if self.interrupted and self.stop.reason:
            problems.append(f"durduruldu / stopped: {self.stop.reason}")
        shown = problems if len(problems) <= MAX_PROBLEMS else [
            *problems[:MAX_PROBLEMS], f"… ve {len(problems) - MAX_PROBLEMS} tane daha / and "
            f"{len(problems) - MAX_PROBLEMS} more in the report"]
        record = self.record
        record.outcome, record.counts, record.problems = outcome or outcome_of(status), counts, shown
        record.login_needed, record.busy = login_needed, dict(self.busy)
        record.report_path = str(report_path) if report_path else None
        record.ended_at = utcnow()
        if self.keeps_records:
            self.history.save(record)
        if self.part is not None:
            logger.info("run {}: account {} ended on this worker", self.run.id, self.part.account)
        else:
            logger.info("run {} ended: {}", self.run.id, record.headline())
        return RunResult(record=record, status=status, report=self.report, run=self.run)

    # --- the accounts ------------------------------------------------------------------------------

    @property
    def interrupted(self) -> bool:
        """Whether the run was stopped before every account was done."""
        return self.stop.is_set()

    def each_account(self, work: Callable[[AccountSession, Account], None], only: list[Account] | None = None) -> None:
        """Call `work(session, account)` for every account (or those `only`), `Settings.workers()` at a time.

        Results land in the report in account order whatever order the workers finish in."""
        from rpa.parallel import AccountPool
        from rpa.session import BrowserSession  # Playwright loads only when a run really starts

        accounts = self.accounts if only is None else only
        if self.part is not None:
            accounts = [a for a in accounts if a.name == self.part.account]
        elif self.request.distributed:
            self._send_to_workers(accounts)
            return
        locks = account_locks(self.settings)
        pool = AccountPool(
            accounts,
            self.settings.workers(len(accounts)),
            open_browser=lambda: BrowserSession(self.settings, guard=self.guard),
            run_one=lambda browser, account: self._one_account(browser, account, work, locks),
            on_crash=self._crashed,
            stop=self.stop,
        )
        left = pool.run()
        self.not_started = [a.name for a in left]
        if left:
            self.report.notes.append(
                f"Başlamadan durduruldu / stopped before these accounts started: {', '.join(self.not_started)}")
        self._in_account_order()

    def each_result(self, work: Callable[[AccountSession, Account], T], kind: type[T]) -> list[T]:
        """`work` for every account, as `each_account`; its per-account results in account order (from
        the workers, in a distributed run)."""
        results: list[T] = []
        self.each_account(lambda session, account: results.append(work(session, account)))
        results += [kind.model_validate(found) for found in self.worker_results]
        results.sort(key=self.rank)
        return results

    def part_finished(self, results: Sequence[BaseModel]) -> RunResult:
        """End a worker's share: its per-account results go back to the run that sent it, which sums up."""
        from rpa.app.distributed import to_wire

        result = self.finish(ExitStatus.OK, {}, [], None, [])
        result.extra["part_results"] = [to_wire(r) for r in results]
        return result

    def _send_to_workers(self, accounts: list[Account]) -> None:
        """One task per account for the workers (`rpa.app.distributed`); their reports merged into ours."""
        from rpa.app.distributed import send_to_workers

        left = send_to_workers(self, accounts)
        self.not_started = [a.name for a in left]
        if left:
            self.report.notes.append(
                f"Başlamadan durduruldu / stopped before these accounts started: {', '.join(self.not_started)}")
        self._in_account_order()

    def _one_account(self, browser: BrowserSession, account: Account,
                     work: Callable[[AccountSession, Account], None], locks: AccountLocks) -> None:
        self.progress.account(account.name)
        log = logger.bind(account=account.name)
        outcome = "done"
        try:
            holder = Holder(run_id=self.run.id, account=account.name)
            # The account's lock first: a busy account must not hold one of the portal's session slots.
            with (locks.hold(account.tc, holder, self.settings.lock_wait_s, self.stop.is_set),
                  self.guard.slots.slot(), browser.account_context(account) as session):
                work(session, account)
        except AccountBusy as exc:
            log.warning("{}", exc)
            self.busy[account.name] = str(exc)
            self.report.account_errors[account.name] = str(exc)
            outcome = "busy"
        except LoginNeeded as exc:
            log.warning("{}", exc)
            self.report.account_errors[account.name] = str(exc)
            self.report.logins_needed.append(account.name)
            outcome = "login_needed"
        except KatipError as exc:  # e.g. `code: mock` for a remote portal: this account only
            log.error("{}", exc)
            self.report.account_errors[account.name] = error_text(exc)
            outcome = "failed"
        self.progress.account_done(account.name, outcome)

    def _crashed(self, account: Account, exc: BaseException) -> None:
        logger.bind(account=account.name).exception("unexpected error, this account stops: {}", exc)
        self.report.account_errors[account.name] = f"beklenmeyen hata / unexpected error: {error_text(exc)}"
        self.progress.account_done(account.name, "failed")

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

    def tick(self, account: Account) -> Callable[[int, int, str], None]:
        """The flows' per-workplace progress callback for this account."""
        return lambda done, total, name: self.progress.workplace(account.name, done, total, name)

    def wrote_report(self) -> Path | None:
        """Write the HTML report (refresh, approve, contact) into the run folder; its path (None: a look)."""
        from rpa.report import write_report

        self.report.finished = datetime.now()
        return write_report(self.report, self.run.report_path) if self.keeps_records else None
