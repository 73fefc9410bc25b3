"""Approve the contracts waiting for the employer, hold back the non-compliant ones, keep each PDF.

For every chosen workplace: read the hazard class (workplace list) and the active employee count
("SGK 4A Çalışan Bilgileri"), then for each row "Onay Bekliyor" open "Sürece Git", read the contract,
check it with `rpa.domain.rules`, and approve ("Okudum Onaylıyorum" → "Tamamla") or hold it back.
An approved contract's PDF comes from "Detay Görüntüle" → "PDF İndir". Safe to run again: what is
approved is no longer waiting, and a valid PDF already on disk is not fetched twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from loguru import logger
from pydantic import BaseModel, ConfigDict, Field

from rpa.domain.rules import check_contract
from rpa.errors import BusinessError, LoginNeeded, NothingToApprove, PortalError
from rpa.flows.common import (
    ItemRunner,
    Navigator,
    Screen,
    account_work,
    each_workplace,
    error_text,
    evidence_recorder,
)
from rpa.flows.pdfcheck import ShownDetail, fetch_pdf
from rpa.flows.ports import Approval, PortalSession
from rpa.flows.results import ApproveResult, ContractOutcome, Outcome, Reason, WorkplaceApproval
from rpa.flows.retry import DEFAULT_POLICY, RetryPolicy
from rpa.flows.targets import choose_targets, workplace_error
from rpa.journal import NO_JOURNAL, AccountJournal, Kind, State
from rpa.models import Contract, ContractRow, Workplace
from rpa.privacy import mask_name
from rpa.run import pdf_path

ALREADY_DECIDED = Reason(
    tr="Bu sözleşme için bekleyen bir onay bulunmamaktadır.",
    en="Nothing waiting for approval any more (already approved).",
)
PORTAL_FLAG = Reason(
    tr="Portal bu sözleşmeyi mevzuata uygun göstermiyor (Mevzuata Uygun: Hayır).",
    en="The portal marks this contract as not compliant ('Mevzuata Uygun: Hayır').",
)


class ApproveRequest(BaseModel):
    """What to approve for one account."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    account: str
    workplaces: list[str] | None = None  # None: every workplace of the account
    skip_foreign: bool = False  # several accounts: a sicil not in this account's list belongs to another
    force: bool = False  # approve even what breaks the rules (reasons still reported)
    contracts: list[str] | None = None  # only these contract numbers; the other waiting ones are left alone
    dry_run: bool = False  # read and decide, click nothing that changes state
    contracts_dir: Path = Path("out/contracts")
    evidence_dir: Path | None = None
    # Asked between items (scheduled runs: shutdown or max_runtime); what is left waits for the next run.
    should_stop: Callable[[], bool] | None = Field(default=None, exclude=True, repr=False)
    # Where each approval is written down before and after the click (rpa.journal); resume reads it.
    journal: AccountJournal = Field(default=NO_JOURNAL, exclude=True, repr=False)


@dataclass
class _Item:
    """What one waiting contract has come to so far (a retry continues from here)."""

    row: ContractRow
    contract: Contract | None = None
    clicked: bool = False  # "Tamamla" was pressed at least once
    decided: Outcome | None = None
    reasons: tuple[Reason, ...] = ()
    forced: bool = False
    not_asked: bool = False  # its number is not among the request's `contracts`: left alone, not reported
    approval: Approval | None = None  # the approval page of the last try that pressed "Tamamla"
    pdf: ShownDetail = field(default_factory=ShownDetail)  # the detail page the last PDF try opened
    # Tells this contract's rows in the list; by default the portal's row identity with `row`
    # (professional, title and process type: the list need not show a contract number).
    same_row: Callable[[ContractRow], bool] | None = None

    def is_same(self, other: ContractRow) -> bool:
        return self.same_row(other) if self.same_row is not None else _same_row(other, self.row)


def run(
    session: PortalSession,
    request: ApproveRequest,
    *,
    policy: RetryPolicy = DEFAULT_POLICY,
    sleep: Callable[[float], None] = time.sleep,
    on_workplace: Callable[[int, int, str], None] | None = None,
) -> ApproveResult:
    """Approve (or hold back) every waiting contract of the chosen workplaces of one account.

    `on_workplace(done, total, name)` is told before each workplace and once at the end (progress bars).
    """
    log = logger.bind(flow="approve", account=request.account)
    result = ApproveResult(account=request.account, dry_run=request.dry_run)
    nav = Navigator(session, policy, sleep)
    runner = ItemRunner(nav, evidence_recorder(session, request.evidence_dir), policy, sleep)
    with account_work(runner, result, log):
        listed = runner.step("read the workplace list", lambda: nav.workplaces().workplaces())
        targets = choose_targets(listed, request.workplaces, request.skip_foreign)
        for sicil, workplace in each_workplace(nav, targets, request.should_stop, on_workplace, log):
            result.workplaces.append(_workplace(runner, request, sicil, workplace))
    return result


def _workplace(
    runner: ItemRunner, request: ApproveRequest, sicil: str, workplace: Workplace | None
) -> WorkplaceApproval:
    """One workplace: its active count, then each waiting contract as its own item."""
    nav = runner.nav
    done = WorkplaceApproval(sicil=sicil)
    if workplace is not None:
        done.unvan, done.hazard_class = workplace.unvan, str(workplace.hazard_class)
    if request.journal.state(Kind.WORKPLACE, _workplace_key(sicil)) is State.DONE:
        logger.bind(flow="approve", workplace=sicil).info("finished earlier in this run (journal): not opened")
        done.done_earlier = True
        return done
    runner.begin(f"workplace-{sicil}")
    try:
        done.active_count = runner.step(
            "read Aktif Çalışan Sayısı", lambda: nav.card(sicil).employees_tab().active_count()
        )
        rows = runner.step("read the waiting contracts", lambda: nav.contracts(sicil).pending())
        runner.succeeded()
    except (PortalError, BusinessError) as exc:
        logger.bind(workplace=sicil).warning("workplace skipped: {}", exc)
        done.error = workplace_error(exc)
        done.evidence = runner.failed(f"workplace-{sicil}")
        return done
    if workplace is None:  # only possible when the list lacked it yet choose() let us in
        return done
    done.contracts.extend(_settle_left_over(runner, request, sicil, rows))
    for row in rows:
        if request.should_stop and request.should_stop():
            return done
        outcome = _contract(runner, request, workplace, done.active_count, row)
        if outcome is not None:
            done.contracts.append(outcome)
    if not request.dry_run and all(_finished(c) for c in done.contracts):
        request.journal.mark(Kind.WORKPLACE, sicil, _workplace_key(sicil), State.DONE, label=sicil)
    return done


def _workplace_key(sicil: str) -> str:
    return f"approve:{sicil}"


def _finished(outcome: ContractOutcome) -> bool:
    """Nothing left to do for this contract in this run: decided, and its PDF on disk if approved."""
    if outcome.outcome is Outcome.DONE:
        return outcome.pdf is not None and outcome.pdf_error is None
    return outcome.outcome in (Outcome.HELD, Outcome.SKIPPED)


def _contract(
    runner: ItemRunner, request: ApproveRequest, workplace: Workplace, active_count: int, row: ContractRow
) -> ContractOutcome | None:
    """One waiting contract, ending approved, held, skipped or failed (None: not one the request names);
    never raises but LoginNeeded."""
    label = f"{workplace.sicil}-{row.describe()}"  # masked: it names files, trace chunks and log lines
    log = logger.bind(flow="approve", workplace=workplace.sicil, contract=row.describe())
    item = _Item(row)
    runner.begin(label)
    outcome = ContractOutcome(
        outcome=Outcome.FAILED, professional=row.professional, title=str(row.title),
        process_type=row.process_type, cert_class=row.cert_class, minutes=row.minutes,
    )
    try:
        runner.step(
            "approve " + row.describe(),
            lambda: _decide_and_approve(runner.nav, request, workplace, active_count, item),
        )
        if item.not_asked:
            runner.succeeded()
            return None
        outcome.outcome = item.decided or Outcome.FAILED
        _journal_end(request.journal, workplace.sicil, item, outcome.outcome, item.reasons)
        outcome.reasons, outcome.forced = list(item.reasons), item.forced
        if item.contract is not None:
            c = item.contract
            outcome.contract_no, outcome.cert_class, outcome.minutes = c.no, c.cert_class, c.minutes
        if item.decided in (Outcome.DONE, Outcome.SKIPPED) and item.contract is not None:
            _pdf(runner, request, workplace.sicil, item, outcome)  # keeps its own evidence on failure
        else:
            runner.succeeded()
    except LoginNeeded:
        raise
    except Exception as exc:  # one item's failure never stops the others
        log.warning("failed: {}", exc)
        outcome.outcome = Outcome.FAILED
        outcome.reasons = [Reason(tr=error_text(exc), en=type(exc).__name__)]
        outcome.evidence = runner.failed(label)
        _journal_end(request.journal, workplace.sicil, item, Outcome.FAILED, tuple(outcome.reasons))
    outcome.attempts = runner.attempts.count
    log.info("{} {} ({} tries){}{}", outcome.outcome, outcome.contract_no or "-", outcome.attempts,
             f": {outcome.reason}" if outcome.reasons else "", f" -> {outcome.pdf}" if outcome.pdf else "")
    return outcome


def _decide_and_approve(
    nav: Navigator, request: ApproveRequest, workplace: Workplace, active: int, item: _Item
) -> None:
    """Find the row (still waiting?), read its contract, decide, and approve if it should be."""
    again = _press_again(nav, item)
    if again is not None:
        _complete(nav, request, workplace, item, again)
        return
    item.approval = None
    contracts = nav.contracts(workplace.sicil)
    waiting = [r for r in contracts.pending() if item.is_same(r)]
    if not waiting:
        # Gone from the waiting rows: our earlier "Tamamla" went through after all (its answer was
        # lost), or someone else decided it meanwhile.
        item.decided = Outcome.DONE if item.clicked else Outcome.SKIPPED
        item.reasons = () if item.clicked else (ALREADY_DECIDED,)
        return
    # "Sözleşme Onayı" shows the workplace's menu too: the next item can walk on from here.
    approval = nav.at(contracts.open_approval(waiting[0]), Screen.SHELL, workplace.sicil)
    item.contract = approval.contract()
    if request.contracts is not None and item.contract.no not in request.contracts:
        item.not_asked = True
        return
    request.journal.mark(Kind.APPROVE, workplace.sicil, item.contract.no, State.PLANNED,
                         label=item.contract.no, detail=journal_detail(request.journal, item.row))
    reasons = _violations(item.contract, workplace, active)
    if reasons and not request.force:
        item.decided, item.reasons = Outcome.HELD, tuple(reasons)
        return
    item.reasons, item.forced = tuple(reasons), bool(reasons)
    if request.dry_run:
        item.decided = Outcome.WOULD_DO
        return
    _complete(nav, request, workplace, item, approval)


def _complete(nav: Navigator, request: ApproveRequest, workplace: Workplace, item: _Item,
              approval: Approval) -> None:
    """"Okudum Onaylıyorum" → "Tamamla", journalled before the click."""
    assert item.contract is not None
    item.clicked, item.approval = True, approval
    # Written before the click: a crash from here on leaves it in_progress, and the resume looks first.
    request.journal.mark(Kind.APPROVE, workplace.sicil, item.contract.no, State.IN_PROGRESS)
    try:
        nav.at(approval.approve(), Screen.CONTRACTS, workplace.sicil)
    except NothingToApprove:
        item.decided, item.reasons = Outcome.SKIPPED, (ALREADY_DECIDED,)
        return
    item.decided = Outcome.DONE


def _press_again(nav: Navigator, item: _Item) -> Approval | None:
    """The approval page whose "Tamamla" met a fault page at the last try, if it may simply be pressed again.

    Only when Back and a reload show that contract's approval page again, fresh from the portal (not a
    page that never changed: an answer that is late may still come), and it still offers "Tamamla": then
    the approval did not go through, as the list's "Onay Bekliyor" would say, one list and one page fewer.
    Anything else (the page says nothing waits, or leads elsewhere) goes the long way, through the list."""
    approval = item.approval
    if approval is None or item.contract is None or not nav.holds(approval) or not approval.fresh_after_fault:
        return None
    return approval if approval.offers_completion() and approval.contract().no == item.contract.no else None


def _violations(contract: Contract, workplace: Workplace, active_count: int) -> list[Reason]:
    """Our rule check, plus the portal's own "Mevzuata Uygun: Hayır" as a reason to hold back."""
    found = check_contract(
        contract.title, contract.cert_class, contract.minutes, workplace.hazard_class, active_count
    )
    reasons = [Reason(tr=v.message_tr, en=v.message_en) for v in found]
    if not reasons and contract.compliant_flag is False:
        reasons.append(PORTAL_FLAG)
    return reasons


def _same_row(a: ContractRow, b: ContractRow) -> bool:
    """A row's identity on the portal: professional, title and process type."""
    return (a.professional, a.title, a.process_type) == (b.professional, b.title, b.process_type)


def _identity(row: ContractRow) -> tuple[str, str, str]:
    return row.professional, str(row.title), row.process_type


def journal_detail(journal: AccountJournal, row: ContractRow) -> dict:
    """What the journal keeps of a contract row: the row with the professional's name masked, and a
    salted hash of its identity, enough for a resumed run to find the row again."""
    return {**row.model_dump(mode="json"), "professional": mask_name(row.professional),
            "row_key": journal.row_key(*_identity(row))}


def _journalled_row(journal: AccountJournal, detail: dict) -> tuple[ContractRow, Callable[[ContractRow], bool]]:
    """The row a journal entry describes (name masked), and how to tell it in the portal's list."""
    row = ContractRow.model_validate(detail)
    key = detail.get("row_key")
    if key is None:  # written before names were kept out of the journal: the row holds the name
        return row, lambda other: _same_row(other, row)
    return row, lambda other: journal.row_key(*_identity(other)) == key


def _pdf(
    runner: ItemRunner, request: ApproveRequest, sicil: str, item: _Item, outcome: ContractOutcome
) -> None:
    """Fetch and check the approved contract's PDF; a failure here does not undo the approval."""
    assert item.contract is not None
    number = item.contract.no
    try:
        outcome.pdf = runner.step(
            "download the PDF",
            lambda: fetch_pdf(runner.nav, request.contracts_dir, sicil, item.is_same, number, item.pdf),
        )
        runner.succeeded()
    except LoginNeeded:
        raise
    except Exception as exc:
        logger.bind(workplace=sicil).warning("approved, but no PDF: {}", exc)
        outcome.pdf_error = error_text(exc)
        outcome.evidence = runner.failed(f"{sicil}-{number}-pdf")


def _journal_end(journal: AccountJournal, sicil: str, item: _Item, outcome: Outcome,
                 reasons: tuple[Reason, ...]) -> None:
    """Write the item's end into the journal (only items whose contract number was read are journalled)."""
    if item.contract is None or outcome is Outcome.WOULD_DO:
        return
    state = {Outcome.DONE: State.DONE, Outcome.SKIPPED: State.DONE, Outcome.HELD: State.HELD}.get(
        outcome, State.FAILED)
    journal.mark(Kind.APPROVE, sicil, item.contract.no, state, reason="; ".join(r.en for r in reasons))


def _settle_left_over(
    runner: ItemRunner, request: ApproveRequest, sicil: str, waiting: list[ContractRow]
) -> list[ContractOutcome]:
    """Approvals an interrupted attempt of this run clicked without seeing the answer: look before redoing.

    Still "Onay Bekliyor": nothing happened, the contract is approved below like any waiting one. Gone
    from the waiting rows: the approval went through before the crash; it is done, and its PDF is fetched.
    An approval journalled done whose PDF never arrived (killed while downloading) gets its PDF too.
    """
    settled = []
    for left in request.journal.left_in_progress(Kind.APPROVE, sicil, State.DONE):
        row, same_row = _journalled_row(request.journal, left.detail)
        if left.state is State.DONE and pdf_path(request.contracts_dir, sicil, left.key).is_file():
            continue  # finished, PDF and all
        if any(same_row(w) for w in waiting):
            continue
        logger.bind(flow="approve", workplace=sicil).info(
            "contract {} was approved before the interruption; fetching its PDF", left.key)
        if left.state is State.IN_PROGRESS:
            request.journal.mark(Kind.APPROVE, sicil, left.key, State.DONE,
                                 reason="approved before the interruption (checked on the portal)")
        item = _Item(row, contract=Contract(no=left.key, sicil=sicil, professional=row.professional,
                                           title=row.title, cert_class=row.cert_class, minutes=row.minutes,
                                           process_type=row.process_type), clicked=True, decided=Outcome.DONE,
                     same_row=same_row)
        outcome = ContractOutcome(outcome=Outcome.DONE, professional=row.professional, title=str(row.title),
                                  process_type=row.process_type, contract_no=left.key,
                                  cert_class=row.cert_class, minutes=row.minutes)
        runner.begin(f"{sicil}-{left.key}-resume")
        _pdf(runner, request, sicil, item, outcome)
        outcome.attempts = runner.attempts.count
        settled.append(outcome)
    return settled
