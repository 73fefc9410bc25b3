"""The audit as the reports show it: one line per workplace × profession, one per finding, one per failure.

The workbook and the HTML section read the same lines, so they cannot disagree. People's names are
masked here unless personal data was asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rpa.audit.results import WorkplaceAuditOutcome
from rpa.domain.audit import AuditReport, ProfessionStatus
from rpa.logs import mask_numbers
from rpa.privacy import mask_name

STATUS_WORDS = {
    ProfessionStatus.MISSING: "Eksik / missing",
    ProfessionStatus.LOW: "Yetersiz / low",
    ProfessionStatus.FINE: "Uygun / fine",
}
PROFESSION_WORDS = {"İGU": "İş Güvenliği Uzmanı", "İH": "İşyeri Hekimi", "DSP": "Diğer Sağlık Personeli"}


@dataclass(frozen=True)
class ProfessionLine:
    """One workplace × profession."""

    sicil: str
    unvan: str
    hazard_class: str
    employees: int
    sgk_employees: int | None  # SGK's count when `employees` came from a roster
    profession: str
    required_min: int
    assigned_min: int
    short_by: int
    contracts: str
    pending: str
    codes: str
    status: ProfessionStatus

    @property
    def status_words(self) -> str:
        return STATUS_WORDS[self.status]


@dataclass(frozen=True)
class FindingLine:
    """One finding, with what to do."""

    sicil: str
    unvan: str
    code: str
    profession: str
    contract_no: str
    professional: str
    required_min: int
    assigned_min: int
    problem_tr: str
    problem_en: str
    action_tr: str
    action_en: str
    informational: bool


@dataclass(frozen=True)
class FailureLine:
    """A workplace that could not be audited."""

    sicil: str
    unvan: str
    error: str


def profession_lines(report: AuditReport) -> list[ProfessionLine]:
    """Every workplace × profession it needs, in the report's order."""
    lines = []
    for w in report.workplaces:
        for profession, p in w.professions.items():
            codes = [f.code.value for f in w.findings if f.profession is profession]
            lines.append(ProfessionLine(
                sicil=w.sicil, unvan=w.unvan, hazard_class=w.hazard_class.value, employees=w.employees,
                sgk_employees=w.sgk_employees, profession=profession.value, required_min=p.required_min,
                assigned_min=p.assigned_min, short_by=p.short_by, contracts=", ".join(p.contracts),
                pending=", ".join(p.pending), codes=", ".join(dict.fromkeys(codes)), status=w.status(profession)))
    return lines


def finding_lines(report: AuditReport, show_personal_data: bool = False) -> list[FindingLine]:
    """Every finding of every workplace, the professional's name masked unless asked for."""
    lines = []
    for w in report.workplaces:
        for f in w.findings:
            who = f.professional or ""
            lines.append(FindingLine(
                sicil=w.sicil, unvan=w.unvan, code=f.code.value, profession=f.profession.value,
                contract_no=f.contract_no or "", professional=who if show_personal_data else mask_name(who),
                required_min=f.required_min, assigned_min=f.assigned_min, problem_tr=f.problem.tr,
                problem_en=f.problem.en, action_tr=f.action.tr, action_en=f.action.en,
                informational=f.informational))
    return lines


def failure_lines(failed: Sequence[WorkplaceAuditOutcome]) -> list[FailureLine]:
    """The workplaces that could not be read, with why (numbers that may be personal masked)."""
    return [FailureLine(sicil=w.sicil, unvan=w.unvan or "", error=mask_numbers(w.error or ""))
            for w in failed]
