"""After SGK was asked: who now agrees with the roster (verified), what remains (exceptions), and which
contracts the new head count made non-compliant. Pure: the flow says whom SGK answered about."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from rpa.domain.rules import HazardClass, check_contract
from rpa.domain.text import tr_fold
from rpa.models import TIME_UPDATE, ContractRow, Employee
from rpa.sync import exceptions as ex
from rpa.sync.memory import AskedMemory
from rpa.sync.plan import Method, SyncPlan
from rpa.sync.reconcile import Difference
from rpa.sync.results import VerifiedItem

ENDED, REJECTED = tr_fold("Sonlandırıldı"), tr_fold("Reddedildi")


@dataclass
class Asked:
    """Whom SGK answered about in this run, and whom it could not be asked about."""

    tcs: set[str] = field(default_factory=set)
    everyone: bool = False  # a bulk update finished: SGK was asked about the whole list
    failed: dict[str, str] = field(default_factory=dict)  # tc -> why it could not be asked


def verified_item(d: Difference, record: Employee | None, method: Method, planned: bool = False) -> VerifiedItem:
    """A person whose difference was resolved (`record`: the 4A list's row now), or would be asked about."""
    return VerifiedItem(
        sicil=d.sicil, tc=d.tc, name=d.name, difference=str(d.kind), before=ex.describe_portal(d.portal),
        after="" if planned else ex.describe_portal(record), method=method, planned_only=planned,
    )


def sort_outcomes(
    plan: SyncPlan, method: Method, asked: Asked, remaining: list[Difference], records: dict[str, Employee],
    memory: AskedMemory, now: datetime,
) -> tuple[list[VerifiedItem], list[ex.ExceptionItem]]:
    """(verified, exceptions) from the differences still there after asking; remembers what SGK answered."""
    left = {d.tc for d in remaining if d.actionable}
    remembered = {d.tc: when for d, when in plan.asked_before}
    candidates = list(plan.to_verify) + ([d for d, _ in plan.asked_before] if asked.everyone else [])
    verified = [verified_item(d, records.get(d.tc), method) for d in candidates if d.tc not in left]
    exceptions: list[ex.ExceptionItem] = []
    for d in remaining:
        if not d.actionable:
            exceptions.append(ex.from_difference(d))
        elif d.tc in asked.failed:
            exceptions.append(ex.verify_failed(d, asked.failed[d.tc]))
        elif asked.everyone or d.tc in asked.tcs:
            # SGK answered and the difference stayed: a fact about the filings, not worth asking again soon.
            memory.remember(d, now)
            exceptions.append(ex.from_difference(d))
        else:
            exceptions.append(ex.from_difference(d, remembered.get(d.tc)))
    return verified, exceptions


def turned_non_compliant(
    rows: list[ContractRow], hazard: HazardClass, active_before: int
) -> list[tuple[ContractRow, bool]]:
    """Contracts now "Mevzuata Uygun: Hayır" that met the rules at the old count (so the count did it),
    each with whether a "Süre Güncelleme" waits for approval."""
    waiting = {(r.professional, r.title) for r in rows if r.pending and r.process_type == TIME_UPDATE}
    return [
        (row, (row.professional, row.title) in waiting)
        for row in rows
        if row.compliant_flag is False
        and tr_fold(row.contract_status) != ENDED
        and tr_fold(row.approval_status) != REJECTED
        and not check_contract(row.title, row.cert_class, row.minutes, hazard, active_before)
    ]
