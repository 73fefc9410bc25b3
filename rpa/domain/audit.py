"""The compliance audit of one workplace: per profession, the minutes the law asks against those assigned.

Pure: it takes what the portal shows (hazard class, active employee count, contract rows with their
numbers) and decides. A contract *counts* when it is approved ("Onaylandı") and not ended
("Sonlandırıldı"); contracts waiting for the employer ("Onay Bekliyor") are listed apart, and a finding
says when approving them would fix it. The result serialises to the `katip audit --json` shape; the
Turkish and English texts of each finding, and the professional's name, stay out of that JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_serializer

from rpa.domain import audit_texts as texts
from rpa.domain.rules import (
    FULL_TIME_MINUTES,
    HazardClass,
    Title,
    cert_allows,
    check_contract,
    full_time_threshold,
    legal_minimum,
    needs_full_time,
)
from rpa.domain.text import tr_fold

APPROVED = "Onaylandı"
TERMINATED = "Sonlandırıldı"
PENDING_APPROVAL = "Onay Bekliyor"
NEW_CONTRACT = "Yeni Sözleşme"
TIME_UPDATE = "Süre Güncelleme"
# Rule breaks that make a waiting contract no help: approving it would add a finding, not fix one.
_DISQUALIFYING = frozenset({"minutes_out_of_range", "unknown_cert_class", "cert_class_not_allowed"})


class Profession(StrEnum):
    """The three İSG professions as the audit names them."""

    IGU = "İGU"  # İş Güvenliği Uzmanı
    IH = "İH"  # İşyeri Hekimi
    DSP = "DSP"  # Diğer Sağlık Personeli


TITLE_OF: dict[Profession, Title] = {Profession.IGU: Title.UZMAN, Profession.IH: Title.HEKIM,
                                     Profession.DSP: Title.DSP}
PROFESSION_OF: dict[Title, Profession] = {title: profession for profession, title in TITLE_OF.items()}


class FindingCode(StrEnum):
    """What is wrong at a workplace."""

    IGU_MISSING = "IGU_MISSING"
    IH_MISSING = "IH_MISSING"
    DSP_MISSING = "DSP_MISSING"
    IGU_MINUTES_LOW = "IGU_MINUTES_LOW"
    IH_MINUTES_LOW = "IH_MINUTES_LOW"
    DSP_MINUTES_LOW = "DSP_MINUTES_LOW"
    CERT_CLASS_MISMATCH = "CERT_CLASS_MISMATCH"
    PORTAL_NOT_COMPLIANT = "PORTAL_NOT_COMPLIANT"
    FULL_TIME_NEEDED = "FULL_TIME_NEEDED"


_MISSING = {Profession.IGU: FindingCode.IGU_MISSING, Profession.IH: FindingCode.IH_MISSING,
            Profession.DSP: FindingCode.DSP_MISSING}
_LOW = {Profession.IGU: FindingCode.IGU_MINUTES_LOW, Profession.IH: FindingCode.IH_MINUTES_LOW,
        Profession.DSP: FindingCode.DSP_MINUTES_LOW}
# Reported, but a workplace with only these is still compliant (the portal cannot show who works full
# time; a contract of 11700 min/month is our sign of it).
INFORMATIONAL = frozenset({FindingCode.FULL_TIME_NEEDED})


class Text(BaseModel):
    """One message in Turkish (for the office) and English (for logs and support)."""

    model_config = ConfigDict(frozen=True)

    tr: str
    en: str


class AuditContract(BaseModel):
    """A contract row as the audit needs it (its number read from the list or the detail page)."""

    model_config = ConfigDict(frozen=True)

    no: str | None = None  # needed for contracts that count or wait; others may go without
    title: Title
    cert_class: str = "-"
    minutes: int
    contract_status: str
    approval_status: str
    compliant_flag: bool | None = None  # the portal's "Mevzuata Uygun" (None: not shown)
    process_type: str = NEW_CONTRACT
    updates_no: str | None = None  # "Güncellenen Sözleşme No" of a waiting "Süre Güncelleme"
    professional: str = Field(default="", repr=False)

    @property
    def counts(self) -> bool:
        """Approved and not ended: the service runs under this contract."""
        return (tr_fold(self.approval_status) == tr_fold(APPROVED)
                and tr_fold(self.contract_status) != tr_fold(TERMINATED))

    @property
    def pending(self) -> bool:
        """Waiting for the employer's approval."""
        return tr_fold(self.approval_status) == tr_fold(PENDING_APPROVAL)

    @property
    def profession(self) -> Profession:
        """İGU, İH or DSP."""
        return PROFESSION_OF[self.title]


class ProfessionAudit(BaseModel):
    """One profession at one workplace: minutes the law asks, minutes assigned, the contracts counted."""

    required_min: int
    assigned_min: int
    contracts: list[str] = Field(default_factory=list)
    pending: list[str] = Field(default_factory=list, exclude=True)  # this profession's waiting contracts

    @property
    def short_by(self) -> int:
        """Minutes missing (0 when enough are assigned)."""
        return max(0, self.required_min - self.assigned_min)


class Finding(BaseModel):
    """One thing wrong at a workplace, with what to do about it."""

    code: FindingCode
    profession: Profession
    required_min: int
    assigned_min: int
    contract_no: str | None = None  # only on findings about one contract
    problem: Text = Field(exclude=True)
    action: Text = Field(exclude=True)
    professional: str | None = Field(default=None, exclude=True, repr=False)  # of that one contract

    @model_serializer(mode="wrap")
    def _without_empty_number(self, handler: Any) -> dict[str, Any]:
        # The JSON has "contract_no" only on per-contract findings.
        data = handler(self)
        if self.contract_no is None:
            data.pop("contract_no", None)
        return data

    @property
    def informational(self) -> bool:
        """A note (full time needed) that does not make the workplace non-compliant."""
        return self.code in INFORMATIONAL


class ProfessionStatus(StrEnum):
    """How a profession stands at a workplace (the report's colours: red, amber, green)."""

    MISSING = "missing"  # required, and no counting contract
    LOW = "low"  # too few minutes, or a counting contract that must be fixed
    FINE = "fine"


class WorkplaceAudit(BaseModel):
    """The audit of one workplace."""

    sicil: str
    unvan: str
    hazard_class: HazardClass
    employees: int
    professions: dict[Profession, ProfessionAudit]  # İGU and İH always, DSP when required
    findings: list[Finding] = Field(default_factory=list)
    pending: list[str] = Field(default_factory=list)
    # SGK's "Aktif Çalışan Sayısı" when `employees` came from a roster instead (--headcount-from).
    sgk_employees: int | None = Field(default=None, exclude=True)

    @property
    def compliant(self) -> bool:
        """No finding but informational ones."""
        return all(f.informational for f in self.findings)

    def status(self, profession: Profession) -> ProfessionStatus:
        """Missing, low or fine, from this profession's findings."""
        codes = {f.code for f in self.findings if f.profession is profession and not f.informational}
        if _MISSING[profession] in codes:
            return ProfessionStatus.MISSING
        return ProfessionStatus.LOW if codes else ProfessionStatus.FINE


class AuditSummary(BaseModel):
    """Counts over the audited workplaces (compliant + with_findings = workplaces)."""

    workplaces: int = 0
    compliant: int = 0
    with_findings: int = 0


class AuditReport(BaseModel):
    """What `katip audit --json` prints."""

    workplaces: list[WorkplaceAudit] = Field(default_factory=list)
    summary: AuditSummary = Field(default_factory=AuditSummary)

    @classmethod
    def of(cls, workplaces: Sequence[WorkplaceAudit]) -> AuditReport:
        """The report of these workplaces, with its summary."""
        compliant = sum(1 for w in workplaces if w.compliant)
        summary = AuditSummary(workplaces=len(workplaces), compliant=compliant,
                               with_findings=len(workplaces) - compliant)
        return cls(workplaces=list(workplaces), summary=summary)

    @property
    def all_compliant(self) -> bool:
        """Every workplace compliant (exit status 0)."""
        return self.summary.with_findings == 0


@dataclass(frozen=True)
class _Workplace:
    """What every decision about one workplace looks at."""

    hazard: HazardClass
    employees: int
    counting: list[AuditContract]
    pending: list[AuditContract]


def audit_workplace(
    sicil: str,
    unvan: str,
    hazard: HazardClass | str,
    employees: int,
    contracts: Sequence[AuditContract],
    *,
    sgk_employees: int | None = None,
) -> WorkplaceAudit:
    """Audit one workplace; ValueError if a contract that counts or waits has no number."""
    unnumbered = [c for c in contracts if (c.counts or c.pending) and not c.no]
    if unnumbered:
        raise ValueError(f"{len(unnumbered)} contract(s) that count or wait for approval have no number")
    place = _Workplace(HazardClass(hazard), employees, [c for c in contracts if c.counts],
                       [c for c in contracts if c.pending])
    professions: dict[Profession, ProfessionAudit] = {}
    findings: list[Finding] = []
    for profession in Profession:
        title = TITLE_OF[profession]
        mine = [c for c in place.counting if c.title is title]
        audit = ProfessionAudit(required_min=legal_minimum(title, place.hazard, employees),
                                assigned_min=sum(c.minutes for c in mine),
                                contracts=[str(c.no) for c in mine],
                                pending=[str(c.no) for c in place.pending if c.title is title])
        if profession is not Profession.DSP or audit.required_min > 0:
            professions[profession] = audit
        findings.extend(_findings(place, profession, audit, mine))
    return WorkplaceAudit(sicil=sicil, unvan=unvan, hazard_class=place.hazard, employees=employees,
                          professions=professions, findings=findings,
                          pending=[str(c.no) for c in place.pending], sgk_employees=sgk_employees)


def _findings(place: _Workplace, profession: Profession, audit: ProfessionAudit,
              mine: list[AuditContract]) -> list[Finding]:
    """Everything wrong with one profession at the workplace, in a stable order."""
    title = TITLE_OF[profession]
    required, assigned = audit.required_min, audit.assigned_min
    context = texts.Context(profession, place.hazard, place.employees, required, assigned)

    def finding(code: FindingCode, pair: tuple[str, str, str, str], contract: AuditContract | None = None) -> Finding:
        problem_tr, problem_en, action_tr, action_en = pair
        return Finding(code=code, profession=profession, required_min=required, assigned_min=assigned,
                       contract_no=contract.no if contract else None,
                       problem=Text(tr=problem_tr, en=problem_en), action=Text(tr=action_tr, en=action_en),
                       professional=contract.professional if contract else None)

    found: list[Finding] = []
    if required > 0 and not mine:
        found.append(finding(_MISSING[profession], texts.missing(context, _pending_fix(place, title, assigned))))
    elif mine and assigned < required:
        found.append(finding(_LOW[profession], texts.low(context, _pending_fix(place, title, assigned))))
    if title is Title.UZMAN:
        found.extend(finding(FindingCode.CERT_CLASS_MISMATCH, texts.cert_mismatch(context, str(c.no), c.cert_class), c)
                     for c in mine if not cert_allows(c.cert_class, place.hazard))
    for contract in mine:
        if contract.compliant_flag is False:
            update = _waiting_update(place, contract)
            fixes = update is not None and not check_contract(
                update.title, update.cert_class, update.minutes, place.hazard, place.employees)
            pair = texts.portal_flag(context, str(contract.no), update.no if update and fixes else None)
            found.append(finding(FindingCode.PORTAL_NOT_COMPLIANT, pair, contract))
    if needs_full_time(title, place.hazard, place.employees) and not any(
            c.minutes >= FULL_TIME_MINUTES for c in mine):
        threshold = full_time_threshold(title, place.hazard) or 0
        found.append(finding(FindingCode.FULL_TIME_NEEDED, texts.full_time(context, threshold)))
    return found


def _helps(place: _Workplace, contract: AuditContract) -> bool:
    """A waiting contract whose approval would not itself break a rule (class, minutes range)."""
    found = check_contract(contract.title, contract.cert_class, contract.minutes, place.hazard, place.employees)
    return not any(v.code in _DISQUALIFYING for v in found)


def _pending_fix(place: _Workplace, title: Title, assigned: int) -> texts.PendingFix:
    """The waiting contracts of this title worth approving, and the minutes once they are approved.

    A waiting "Süre Güncelleme" replaces the contract it updates (that one ends), so it adds only the
    difference."""
    numbers, after = [], assigned
    by_no = {c.no: c for c in place.counting}
    for contract in place.pending:
        if contract.title is not title or not _helps(place, contract):
            continue
        numbers.append(str(contract.no))
        replaced = _updated(place, contract, by_no)
        after += contract.minutes - (replaced.minutes if replaced else 0)
    return texts.PendingFix(numbers=numbers, after_min=after)


def _updated(place: _Workplace, update: AuditContract,
             by_no: dict[str | None, AuditContract]) -> AuditContract | None:
    """The counting contract a waiting time update would replace (None for a new contract)."""
    if tr_fold(update.process_type) != tr_fold(TIME_UPDATE):
        return None
    if update.updates_no is not None:
        return by_no.get(update.updates_no)
    # The page did not say which contract it updates: the same professional's counting one of that title.
    same = [c for c in place.counting if c.title is update.title and c.professional == update.professional
            and c.professional]
    return same[0] if len(same) == 1 else None


def _waiting_update(place: _Workplace, contract: AuditContract) -> AuditContract | None:
    """A waiting "Süre Güncelleme" of this counting contract, if there is one."""
    by_no = {c.no: c for c in place.counting}
    for waiting in place.pending:
        if _updated(place, waiting, by_no) is contract:
            return waiting
    return None
