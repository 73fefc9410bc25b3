"""Audit the chosen workplaces of one account against the law, reading only: nothing is clicked that changes
the portal.

For every chosen workplace: the hazard class (workplace list), "Aktif Çalışan Sayısı" (SGK 4A tab),
every row of "İSG Hizmet Sözleşmeleri" on every page, and the number of each contract that counts or
waits, from "Detay Görüntüle" → "Sözleşme Detayı" unless the list shows a "Sözleşme No" column. That is
one more page per such contract, so the numbers read are kept for the whole run (`ContractNumbers`).
`rpa.domain.audit` decides. Each audited workplace is journalled with what was read (names masked), so a
resumed run rebuilds its audit without opening it again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from loguru import logger
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from rpa.audit.results import AuditResult, WorkplaceAuditOutcome
from rpa.domain.audit import AuditContract, WorkplaceAudit, audit_workplace
from rpa.domain.identifiers import normalize_sicil
from rpa.domain.text import tr_fold
from rpa.errors import KatipError, LoginNeeded, PortalError, PortalErrorKind, WorkplaceNotListed
from rpa.flows.common import (
    ItemRunner,
    Navigator,
    Screen,
    account_work,
    each_workplace,
    error_text,
    evidence_recorder,
)
from rpa.flows.ports import PortalSession
from rpa.flows.retry import DEFAULT_POLICY, RetryPolicy
from rpa.flows.targets import choose_targets, workplace_error
from rpa.journal import NO_JOURNAL, AccountJournal, Kind, State
from rpa.models import Contract, ContractRow, Workplace
from rpa.privacy import mask_name


class ContractNumbers:
    """The contracts whose detail page this run has read, by workplace and row (thread-safe: the accounts
    of a run may share one)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: dict[tuple[str, ContractRow], Contract] = {}

    def get(self, sicil: str, row: ContractRow) -> Contract | None:
        """The contract read earlier for this row, if any."""
        with self._lock:
            return self._known.get((sicil, row))

    def put(self, sicil: str, row: ContractRow, contract: Contract) -> None:
        """Remember what this row's detail page showed."""
        with self._lock:
            self._known[(sicil, row)] = contract

    def __len__(self) -> int:
        with self._lock:
            return len(self._known)


class AuditRequest(BaseModel):
    """What to audit for one account."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    account: str
    workplaces: list[str] | None = None  # None: every workplace of the account
    skip_foreign: bool = False  # several accounts: a sicil not in this account's list belongs to another
    # sicil -> active employees from a roster (`--headcount-from`), used instead of SGK's count where given.
    headcount: dict[str, int] | None = None
    evidence_dir: Path | None = None
    should_stop: Callable[[], bool] | None = Field(default=None, exclude=True, repr=False)
    journal: AccountJournal = Field(default=NO_JOURNAL, exclude=True, repr=False)
    numbers: ContractNumbers = Field(default_factory=ContractNumbers, exclude=True, repr=False)

    @field_validator("headcount")
    @classmethod
    def _normalised_sicils(cls, value: dict[str, int] | None) -> dict[str, int] | None:
        return None if value is None else {normalize_sicil(sicil): count for sicil, count in value.items()}


def run(
    session: PortalSession,
    request: AuditRequest,
    *,
    policy: RetryPolicy = DEFAULT_POLICY,
    sleep: Callable[[float], None] = time.sleep,
    on_workplace: Callable[[int, int, str], None] | None = None,
) -> AuditResult:
    """Audit every chosen workplace of one account; `on_workplace(done, total, name)` feeds progress bars."""
    log = logger.bind(flow="audit", account=request.account)
    result = AuditResult(account=request.account)
    nav = Navigator(session, policy, sleep)
    runner = ItemRunner(nav, evidence_recorder(session, request.evidence_dir), policy, sleep)
    with account_work(runner, result, log):
        listed = runner.step("read the workplace list", lambda: nav.workplaces().workplaces())
        targets = choose_targets(listed, request.workplaces, request.skip_foreign)
        for sicil, workplace in each_workplace(nav, targets, request.should_stop, on_workplace, log):
            result.workplaces.append(_workplace(runner, request, sicil, workplace))
    return result


def _workplace(runner: ItemRunner, request: AuditRequest, sicil: str,
               workplace: Workplace | None) -> WorkplaceAuditOutcome:
    """One workplace: its active count and every contract, then the audit; failures keep evidence."""
    log = logger.bind(flow="audit", workplace=sicil)
    nav = runner.nav
    done = WorkplaceAuditOutcome(sicil=sicil)
    if workplace is not None:
        done.unvan, done.hazard_class = workplace.unvan, str(workplace.hazard_class)
    earlier = _journalled(request.journal, sicil)
    if earlier is not None:
        log.info("audited earlier in this run (journal): not opened")
        done.audit, done.done_earlier = earlier, True
        return done
    runner.begin(f"workplace-{sicil}")
    try:
        sgk_count = runner.step("read Aktif Çalışan Sayısı", lambda: nav.card(sicil).employees_tab().active_count())
        rows = runner.step("read every contract", lambda: nav.contracts(sicil).all_rows())
        if workplace is None:  # choose() let us in, yet the list lacks it: no hazard class to judge by
            raise WorkplaceNotListed(f"Workplace {sicil} is not in this account's list.")
        contracts = [_contract(runner, request.numbers, sicil, row) for row in rows]
        runner.succeeded()
    except LoginNeeded:
        raise
    except Exception as exc:  # one workplace's failure never stops the others
        log.warning("workplace not audited: {}", exc)
        done.error = workplace_error(exc) if isinstance(exc, KatipError) else error_text(exc)
        done.evidence = runner.failed(f"workplace-{sicil}")
        return done
    done.attempts = runner.attempts.count
    roster = request.headcount or {}
    from_roster = sicil in roster
    employees = roster.get(sicil, sgk_count)
    done.audit = audit_workplace(sicil, workplace.unvan, workplace.hazard_class, employees, contracts,
                                 sgk_employees=sgk_count if from_roster else None)
    request.journal.mark(Kind.WORKPLACE, sicil, _key(sicil), State.DONE, label=sicil,
                         detail=_journal_detail(done.audit, contracts))
    log.info("{} finding(s), {} waiting; {} employees{}", len(done.audit.findings), len(done.audit.pending),
             employees, " (roster)" if from_roster else "")
    return done


def _contract(runner: ItemRunner, numbers: ContractNumbers, sicil: str, row: ContractRow) -> AuditContract:
    """The row as the audit needs it; a contract that counts or waits gets its number (detail page)."""
    contract = _as_audit(row, None)
    if contract.no is not None or not (contract.counts or contract.pending):
        return contract
    detail = numbers.get(sicil, row)
    if detail is None:
        detail = runner.step("read the number of " + row.describe(), lambda: _read_detail(runner.nav, sicil, row))
        numbers.put(sicil, row, detail)
    return _as_audit(row, detail)


def _read_detail(nav: Navigator, sicil: str, row: ContractRow) -> Contract:
    """Open the row's "Sözleşme Detayı" (read-only) and read the contract; the next step walks on from there."""
    contracts = nav.contracts(sicil)
    contracts.turn_to(row)
    detail = nav.at(contracts.open_detail(row), Screen.SHELL, sicil)
    contract = detail.contract()
    shown = (tr_fold(contract.professional.strip()), contract.title, contract.minutes, tr_fold(contract.process_type))
    if shown != (tr_fold(row.professional.strip()), row.title, row.minutes, tr_fold(row.process_type)):
        raise PortalError(f"Sözleşme Detayı shows another contract than {row.describe()}", PortalErrorKind.UNEXPECTED)
    return contract


def _as_audit(row: ContractRow, detail: Contract | None) -> AuditContract:
    """The list's row, completed by its detail page (number, what it updates, the portal's flag)."""
    flag = row.compliant_flag if row.compliant_flag is not None or detail is None else detail.compliant_flag
    return AuditContract(
        no=row.no or (detail.no if detail else None), title=row.title, cert_class=row.cert_class,
        minutes=row.minutes, contract_status=row.contract_status, approval_status=row.approval_status,
        compliant_flag=flag, process_type=row.process_type, updates_no=detail.updates_no if detail else None,
        professional=row.professional,
    )


def _key(sicil: str) -> str:
    return f"audit:{sicil}"


def _journal_detail(audit: WorkplaceAudit, contracts: list[AuditContract]) -> dict[str, Any]:
    """What a resumed run needs to rebuild the audit: what was read, the professionals' names masked."""
    return {
        "unvan": audit.unvan, "hazard_class": audit.hazard_class.value, "employees": audit.employees,
        "sgk_employees": audit.sgk_employees,
        "contracts": [c.model_copy(update={"professional": mask_name(c.professional)}).model_dump(mode="json")
                      for c in contracts],
    }


def _journalled(journal: AccountJournal, sicil: str) -> WorkplaceAudit | None:
    """The audit an earlier attempt of this run finished for this workplace, rebuilt from the journal."""
    key = _key(sicil)
    if journal.state(Kind.WORKPLACE, key) is not State.DONE:
        return None
    # `left_in_progress` with DONE also returns the finished marks, details and all.
    for item in journal.left_in_progress(Kind.WORKPLACE, sicil, State.DONE):
        if item.key != key:
            continue
        try:
            detail = item.detail
            contracts = [AuditContract.model_validate(c) for c in detail["contracts"]]
            return audit_workplace(sicil, detail["unvan"], detail["hazard_class"], detail["employees"], contracts,
                                   sgk_employees=detail.get("sgk_employees"))
        except (KeyError, TypeError, ValueError, ValidationError):
            return None  # written by another version: audit the workplace again
    return None
