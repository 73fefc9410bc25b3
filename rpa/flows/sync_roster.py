"""Bring the portal's SGK 4A lists in line with the roster, and say precisely what could not be.

For every workplace of the roster that the account can use: read the whole 4A list (largest page
size, every page), compare it with the roster (`rpa.sync.reconcile`), plan (`rpa.sync.plan`), then ask
SGK: "TC Kimlik No İle Doğrula" for each person, or one "Toplu Çalışan Güncelle" when there are many
(waiting for "Tamamlandı"; refused as too soon: one by one instead). Then read the list again: what
still differs becomes an exception with its reason (`rpa.sync.exceptions`), and contracts that turned
"Mevzuata Uygun: Hayır" because the count changed are listed. A dry run reads and plans only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from loguru import logger
from pydantic import BaseModel, ConfigDict, Field

from rpa.domain.text import tr_fold
from rpa.errors import AccessDenied, BulkUpdateTooSoon, BusinessError, KatipError, LoginNeeded, PortalError
from rpa.flows.common import (
    ItemRunner,
    Navigator,
    Screen,
    account_work,
    each_workplace,
    error_text,
    evidence_recorder,
)
from rpa.flows.ports import EmployeesTab, PortalSession
from rpa.flows.retry import DEFAULT_POLICY, RetryPolicy
from rpa.flows.targets import choose_targets, workplace_error
from rpa.journal import NO_JOURNAL, AccountJournal, Kind, State
from rpa.models import ContractRow, Workplace
from rpa.privacy import remember_names
from rpa.roster.models import Roster, RosterRow
from rpa.sync import exceptions as ex
from rpa.sync.memory import AskedMemory
from rpa.sync.outcome import Asked, sort_outcomes, turned_non_compliant, verified_item
from rpa.sync.plan import DEFAULT_BULK_THRESHOLD, Method, SyncPlan, make_plan
from rpa.sync.reconcile import Difference, current_records, reconcile
from rpa.sync.results import SyncResult, WorkplaceSync

PROCESSING, FINISHED = tr_fold("İşleniyor"), tr_fold("Tamamlandı")
TOO_SOON_NOTE = ("Toplu güncelleme en fazla 10 dakikada bir yapılabilir: kişiler tek tek doğrulandı. / "
                 "The bulk update was refused as too soon: people were verified one by one.")


class SyncRequest(BaseModel):
    """The roster's workplaces to sync with one account."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    account: str
    roster: dict[str, list[RosterRow]]  # sicil -> its people (duplicates already merged by the reader)
    rejected: dict[str, set[str]] = Field(default_factory=dict)  # sicil ("" any) -> TCs of rejected rows
    today: date
    skip_foreign: bool = False  # several accounts: a workplace outside this account's list is another's
    dry_run: bool = False
    bulk_threshold: int = Field(default=DEFAULT_BULK_THRESHOLD, ge=1)
    bulk_allowed: bool = True
    bulk_wait_s: float = Field(default=300.0, ge=0)  # how long to wait for "Tamamlandı"
    bulk_poll_s: float = Field(default=5.0, gt=0)
    recheck_after_h: float = Field(default=24.0, ge=0)  # ask SGK the same unchanged question again after
    memory_file: Path | None = None
    evidence_dir: Path | None = None
    # Each "Doğrula" and bulk update is written down before and after (rpa.journal).
    journal: AccountJournal = Field(default=NO_JOURNAL, exclude=True, repr=False)
    # Asked between workplaces (Ctrl-C, a scheduled run's end); what is left waits for the next run.
    should_stop: Callable[[], bool] | None = Field(default=None, exclude=True, repr=False)


def request_for(
    roster: Roster, account: str, *, workplaces: list[str] | None = None, **options: Any
) -> SyncRequest:
    """The request for one account: the roster's people grouped by workplace (only `workplaces` if given)."""
    grouped = roster.by_workplace()
    if workplaces is not None:
        grouped = {sicil: grouped[sicil] for sicil in workplaces if sicil in grouped}
    return SyncRequest(account=account, roster=grouped, today=roster.today, rejected=roster.rejected_people(),
                       **options)


@dataclass
class _Context:
    request: SyncRequest
    runner: ItemRunner
    memory: AskedMemory
    sleep: Callable[[float], None]
    monotonic: Callable[[], float]
    now: Callable[[], datetime]

    @property
    def nav(self) -> Navigator:
        return self.runner.nav


def run(
    session: PortalSession,
    request: SyncRequest,
    *,
    policy: RetryPolicy = DEFAULT_POLICY,
    sleep: Callable[[float], None] = time.sleep,
    monotonic: Callable[[], float] = time.monotonic,
    now: Callable[[], datetime] = datetime.now,
    on_workplace: Callable[[int, int, str], None] | None = None,
) -> SyncResult:
    """Sync each workplace of the roster that this account serves; one workplace's failure stops no other.

    `on_workplace(done, total, name)` is told before each workplace and once at the end (progress bars).
    """
    log = logger.bind(flow="roster-sync", account=request.account)
    # The roster's names are masked in every log line and evidence file, like those read from the portal.
    remember_names(*(row.name for rows in request.roster.values() for row in rows))
    result = SyncResult(account=request.account, dry_run=request.dry_run)
    nav = Navigator(session, policy, sleep)
    runner = ItemRunner(nav, evidence_recorder(session, request.evidence_dir), policy, sleep)
    ctx = _Context(request, runner, AskedMemory.load(request.memory_file), sleep, monotonic, now)
    try:
        with account_work(runner, result, log):
            listed = runner.step("read the workplace list", lambda: nav.workplaces().workplaces())
            targets = choose_targets(listed, list(request.roster), request.skip_foreign)
            for sicil, workplace in each_workplace(nav, targets, request.should_stop, on_workplace, log):
                result.workplaces.append(_workplace(ctx, sicil, workplace))
    finally:
        if not request.dry_run:
            ctx.memory.save(now())
    return result


def _workplace(ctx: _Context, sicil: str, workplace: Workplace | None) -> WorkplaceSync:
    """One workplace: read, compare, plan, ask SGK, read again, report; never raises but LoginNeeded."""
    request, runner = ctx.request, ctx.runner
    rows = request.roster[sicil]
    done = WorkplaceSync(sicil=sicil, unvan=workplace.unvan if workplace else None, roster_people=len(rows))
    log = logger.bind(flow="roster-sync", workplace=sicil)
    runner.begin(f"roster-{sicil}")
    try:
        before = runner.step("read the SGK 4A list", lambda: _fresh_tab(ctx.nav, sicil).all_employees())
        runner.succeeded()
    except (PortalError, BusinessError) as exc:
        return _failed(ctx, done, exc)
    rejected = request.rejected.get(sicil, set()) | request.rejected.get("", set())
    found = reconcile(sicil, rows, before, request.today, rejected)
    done.roster_active, done.active_before = found.roster_active, found.portal_active
    recheck, asked_at_run = timedelta(hours=request.recheck_after_h), ctx.now()
    plan = make_plan(
        found.differences, threshold=request.bulk_threshold, bulk_allowed=request.bulk_allowed,
        asked_at=lambda d: ctx.memory.asked_at(d, asked_at_run, recheck),
    )
    done.method = plan.method
    log.info("{} differences, {} to ask SGK about ({})", len(found.differences), len(plan.to_verify),
             plan.method)
    if request.dry_run or not plan.touches_portal:
        if request.dry_run:
            done.planned = [verified_item(d, None, plan.method, planned=True) for d in plan.to_verify]
        asked_before = {d.tc: when for d, when in plan.asked_before}
        to_ask = {d.tc for d in plan.to_verify}
        done.exceptions = [ex.from_difference(d, asked_before.get(d.tc)) for d in found.differences
                           if d.tc not in to_ask]
        done.active_after = done.active_before
        return done

    asked = _carry_out(ctx, done, plan)
    runner.begin(f"roster-{sicil}-after")
    try:
        # The page the last "Doğrula" (or status check) left was loaded after it: no reload needed.
        after = runner.step("read the SGK 4A list again", lambda: ctx.nav.card(sicil).employees_tab().all_employees())
        runner.succeeded()
    except (PortalError, BusinessError) as exc:
        return _failed(ctx, done, exc)
    remaining = reconcile(sicil, rows, after, request.today, rejected)
    done.active_after = remaining.portal_active
    done.verified, done.exceptions = sort_outcomes(
        plan, done.method, asked, remaining.differences, current_records(after), ctx.memory, ctx.now()
    )
    if done.active_after != done.active_before and workplace is not None:
        contracts = _contracts(ctx, done)
        for row, waiting in turned_non_compliant(contracts or [], workplace.hazard_class, found.portal_active):
            done.exceptions.append(
                ex.contract_not_compliant(sicil, row, found.portal_active, remaining.portal_active, waiting)
            )
    log.info("verified {}, {} exceptions, active {} -> {}", len(done.verified), len(done.exceptions),
             done.active_before, done.active_after)
    return done


def _carry_out(ctx: _Context, done: WorkplaceSync, plan: SyncPlan) -> Asked:
    """Send the plan to SGK: the bulk update (falling back to one by one), or one "Doğrula" per person."""
    asked = Asked()
    if plan.method is Method.BULK:
        journal = ctx.request.journal
        journal.mark(Kind.BULK, done.sicil, done.sicil, State.IN_PROGRESS, label=done.sicil)
        try:
            outcome, status, waited = _bulk(ctx, done.sicil)
        except (PortalError, BusinessError) as exc:
            outcome, status, waited = "failed", error_text(exc), 0.0
            ctx.runner.failed(f"bulk-{done.sicil}")
        journal.mark(Kind.BULK, done.sicil, done.sicil, State.DONE if outcome == "done" else State.FAILED,
                     reason="" if outcome == "done" else f"{outcome}: {status}")
        if outcome == "done":
            done.bulk, asked.everyone = True, True
            return asked
        if outcome == "unfinished":
            done.bulk = True
            why = f"toplu güncelleme {waited:.0f} sn içinde bitmedi ({status}) / bulk update unfinished"
            done.notes.append(f"Toplu güncelleme bekleniyor: {status} / The bulk update is still running.")
            asked.failed = {d.tc: why for d in plan.to_verify}
            return asked
        note = TOO_SOON_NOTE if outcome == "too_soon" else (
            f"Toplu güncelleme yapılamadı ({status}): kişiler tek tek doğrulandı. / "
            f"The bulk update failed ({status}): people were verified one by one.")
        plan = plan.one_by_one(note)
        done.method = plan.method
        done.notes.append(note)
    for d in plan.to_verify:
        _verify_one(ctx, done, d, asked)
    return asked


def _answered_before_the_fault(tab: Any, d: Difference) -> bool:
    """After a fault that followed "Doğrula": does the list already show SGK's answer for this person?

    A fault page after the click does not say whether the portal asked SGK. If the person's row is no
    longer what we planned from, the answer arrived and is not asked for again. (An answer that
    changed nothing cannot be told from no answer: that one question is asked again.)
    """
    shown = next((e for e in tab.all_employees() if e.tc == d.tc), None)
    return shown != d.portal


def _verify_one(ctx: _Context, done: WorkplaceSync, d: Difference, asked: Asked) -> None:
    """"TC Kimlik No İle Doğrula" for one person; SGK's "no record" is an answer, not a failure."""
    runner, nav = ctx.runner, ctx.nav
    label = f"verify-{done.sicil}-{d.tc_masked}"
    journal = ctx.request.journal
    person, masked = journal.person(d.tc)
    key = f"{done.sicil}-{person}"  # the same person may work in two of the account's workplaces
    if journal.state(Kind.VERIFY, key) is State.DONE:  # asked before the interruption: SGK's answer stands
        asked.tcs.add(d.tc)
        return
    runner.begin(label)
    journal.mark(Kind.VERIFY, done.sicil, key, State.IN_PROGRESS, label=masked)

    clicked = [False]

    def verify() -> str:
        tab = nav.card(done.sicil).employees_tab()
        nav.at(tab, Screen.CARD, done.sicil)
        if clicked[0] and _answered_before_the_fault(tab, d):
            return "answered before the fault"  # asking again would be a second request to SGK
        clicked[0] = True
        return tab.verify(d.tc)

    try:
        runner.step(f"verify {d.tc_masked}", verify)
        done.verify_calls += 1
        asked.tcs.add(d.tc)
        runner.succeeded()
        journal.mark(Kind.VERIFY, done.sicil, key, State.DONE)
    except LoginNeeded:
        raise
    except AccessDenied as exc:
        asked.failed[d.tc] = error_text(exc)
        runner.failed(label)
        journal.mark(Kind.VERIFY, done.sicil, key, State.FAILED, reason=error_text(exc))
    except BusinessError as exc:  # "SGK kaydı bulunamadı." (a data fault): never retried
        logger.bind(workplace=done.sicil).info("{}: {}", d.tc_masked, exc)
        done.verify_calls += 1
        asked.tcs.add(d.tc)
        runner.succeeded()
        journal.mark(Kind.VERIFY, done.sicil, key, State.DONE, reason=error_text(exc))
    except Exception as exc:  # one person's failure never stops the others
        asked.failed[d.tc] = error_text(exc)
        runner.failed(label)
        journal.mark(Kind.VERIFY, done.sicil, key, State.FAILED, reason=error_text(exc))


def _bulk(ctx: _Context, sicil: str) -> tuple[str, str, float]:
    """"Toplu Çalışan Güncelle", then wait for "Tamamlandı": (done|too_soon|unfinished, status, waited s)."""
    runner, nav, request = ctx.runner, ctx.nav, ctx.request
    runner.begin(f"bulk-{sicil}")
    # The list was just read from this page: its status line is current.
    before: str | None = runner.step("read the bulk status", lambda: nav.card(sicil).employees_tab().bulk_status())

    def ask() -> str:
        tab = nav.card(sicil).employees_tab()
        nav.at(tab, Screen.CARD, sicil)
        return tab.request_bulk_update()

    try:
        runner.step("request the bulk update", ask)
    except BulkUpdateTooSoon:
        # Our own request may have gone through before a fault hid the answer, or another's is running:
        # either way an update in progress is what we wait for. A finished one leaves us one by one.
        status = runner.step("read the bulk update status", lambda: _fresh_tab(nav, sicil).bulk_status())
        if PROCESSING not in tr_fold(status):
            runner.succeeded()
            return "too_soon", status, 0.0
        before = None
    started, seen_processing = ctx.monotonic(), False
    while True:
        # Each look reloads the card through the menu, the way a person would refresh it.
        status = runner.step("wait for the bulk update", lambda: _fresh_tab(nav, sicil).bulk_status())
        folded = tr_fold(status)
        if PROCESSING in folded:
            seen_processing = True
        elif FINISHED in folded and (seen_processing or status != before):
            runner.succeeded()
            return "done", status, ctx.monotonic() - started
        waited = ctx.monotonic() - started
        if waited >= request.bulk_wait_s:
            runner.succeeded()
            return "unfinished", status, waited
        ctx.sleep(min(request.bulk_poll_s, request.bulk_wait_s - waited))


def _fresh_tab(nav: Navigator, sicil: str) -> EmployeesTab:
    """"SGK 4A Çalışan Bilgileri" freshly loaded: the card opened again through the menu."""
    card = nav.at(nav.shell(sicil).open_card(), Screen.CARD, sicil)
    return card.employees_tab()


def _contracts(ctx: _Context, done: WorkplaceSync) -> list[ContractRow] | None:
    """The contract list, best effort: without it only the "Mevzuata Uygun" check is lost."""
    try:
        return ctx.runner.step("read the contracts", lambda: ctx.nav.contracts(done.sicil).rows())
    except (PortalError, BusinessError) as exc:
        done.notes.append(f"Sözleşmeler okunamadı / contracts not read: {error_text(exc)}")
        ctx.nav.lost()
        return None


def _failed(ctx: _Context, done: WorkplaceSync, exc: KatipError) -> WorkplaceSync:
    """The workplace could not be read: one exception for it, with evidence."""
    logger.bind(flow="roster-sync", workplace=done.sicil).warning("workplace skipped: {}", exc)
    done.error = workplace_error(exc)
    done.exceptions.append(ex.workplace_failed(done.sicil, done.error, isinstance(exc, AccessDenied)))
    done.evidence = ctx.runner.failed(f"roster-{done.sicil}")
    return done
