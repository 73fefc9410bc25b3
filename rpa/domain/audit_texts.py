"""The audit's findings in words: what is wrong and what to do, in Turkish and English.

Each function returns (problem TR, problem EN, action TR, action EN). No person's name goes in: the
texts name contracts by number, so they may go into logs and JSON as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from rpa.domain.rules import FULL_TIME_MINUTES, HazardClass, cert_classes_for
from rpa.domain.text import tr_upper

Texts = tuple[str, str, str, str]

# Keyed by the profession's value ("İGU", "İH", "DSP") so that this module needs nothing from audit.py.
_NAME_TR = {"İGU": "iş güvenliği uzmanı", "İH": "işyeri hekimi", "DSP": "diğer sağlık personeli"}
_NAME_EN = {"İGU": "occupational safety expert", "İH": "workplace physician", "DSP": "other health staff"}


@dataclass(frozen=True)
class Context:
    """The profession at the workplace that a finding is about."""

    profession: StrEnum
    hazard: HazardClass
    employees: int
    required: int
    assigned: int

    @property
    def name_tr(self) -> str:
        return _NAME_TR[str(self.profession)]

    @property
    def name_tr_capital(self) -> str:
        # Turkish capitals: "iş" -> "İş", which str.capitalize() gets wrong ("Iş").
        return tr_upper(self.name_tr[:1]) + self.name_tr[1:]

    @property
    def name_en(self) -> str:
        return _NAME_EN[str(self.profession)]

    @property
    def basis_tr(self) -> str:
        return f"{self.employees} çalışan, {self.hazard.value}"

    @property
    def basis_en(self) -> str:
        return f"{self.employees} employees, '{self.hazard.value}'"


@dataclass(frozen=True)
class PendingFix:
    """Waiting contracts of the profession worth approving, and the minutes assigned once they are."""

    numbers: list[str] = field(default_factory=list)
    after_min: int = 0


def _joined(numbers: list[str]) -> str:
    return ", ".join(numbers)


def _pending_action(c: Context, fix: PendingFix, otherwise_tr: str, otherwise_en: str) -> tuple[str, str]:
    """"Would fix: approve …" when the waiting contracts are enough; else what else is needed."""
    if fix.numbers and fix.after_min >= c.required:
        return (f"Onay bekleyen sözleşmeyi onaylayın, eksik kapanır: {_joined(fix.numbers)}.",
                f"Would fix: approve {_joined(fix.numbers)}.")
    if fix.numbers:
        short = c.required - fix.after_min
        return (f"Onay bekleyen {_joined(fix.numbers)} onaylansa da {short} dk/ay eksik kalır. {otherwise_tr}",
                f"Approving {_joined(fix.numbers)} still leaves {short} min/month short. {otherwise_en}")
    return otherwise_tr, otherwise_en


def missing(c: Context, fix: PendingFix) -> Texts:
    """No counting contract of a required profession."""
    action = _pending_action(
        c, fix,
        f"En az {c.required} dk/ay {c.name_tr} sözleşmesi yapılıp onaylanmalı.",
        f"Contract at least {c.required} min/month of {c.name_en} time and approve it.",
    )
    return (
        f"{c.name_tr_capital} yok: {c.required} dk/ay gerekli ({c.basis_tr}); onaylı ve süren sözleşme yok.",
        f"No {c.name_en}: {c.required} min/month required ({c.basis_en}); no approved, running contract.",
        *action,
    )


def low(c: Context, fix: PendingFix) -> Texts:
    """Counting contracts of the profession, but too few minutes."""
    short = c.required - c.assigned
    action = _pending_action(
        c, fix,
        f"Süre Güncelleme ya da ek sözleşme ile en az {short} dk/ay eklenmeli.",
        f"Add at least {short} min/month (a 'Süre Güncelleme' or another contract).",
    )
    return (
        f"{c.name_tr_capital} süresi yetersiz: {c.assigned} dk/ay atanmış, {c.required} dk/ay gerekli "
        f"({c.basis_tr}); {short} dk/ay eksik.",
        f"Too little {c.name_en} time: {c.assigned} min/month assigned, {c.required} required "
        f"({c.basis_en}); {short} min/month short.",
        *action,
    )


def cert_mismatch(c: Context, contract_no: str, cert_class: str) -> Texts:
    """A counting expert whose certificate class may not serve the hazard class."""
    allowed = cert_classes_for(c.hazard)
    shown = cert_class.strip() or "-"
    return (
        f"{contract_no} numaralı sözleşmedeki uzmanın belge sınıfı ({shown}) {c.hazard.value} işyerinde "
        "görev almaya yetmiyor.",
        f"The expert of contract {contract_no} has certificate class '{shown}', which may not serve a "
        f"'{c.hazard.value}' workplace.",
        f"Sözleşme sonlandırılıp {' ya da '.join(allowed)} sınıfı bir uzmanla yeni sözleşme yapılmalı.",
        f"End it and contract an expert of class {' or '.join(allowed)}.",
    )


def portal_flag(c: Context, contract_no: str, fixing_update: str | None) -> Texts:
    """A counting contract the portal marks "Mevzuata Uygun: Hayır"."""
    problem = (
        f"Portal {contract_no} numaralı sözleşmeyi mevzuata uygun göstermiyor (Mevzuata Uygun: Hayır).",
        f"The portal marks contract {contract_no} as not compliant ('Mevzuata Uygun: Hayır').",
    )
    if fixing_update:
        return (*problem, f"Onay bekleyen süre güncellemesini onaylayın: {fixing_update}.",
                f"Would fix: approve {fixing_update}.")
    minimum = min(c.required, FULL_TIME_MINUTES)
    return (
        *problem,
        f"Çalışma süresi Süre Güncelleme ile en az {minimum} dk/ay yapılmalı (ya da sözleşme yenilenmeli); "
        "'Çalışma Süre Güncellemesi Otomatik: EVET' ile portal süreyi kendisi günceller.",
        f"Raise its working time to at least {minimum} min/month ('Süre Güncelleme', or a new contract); "
        "with 'Çalışma Süre Güncellemesi Otomatik: EVET' the portal does it by itself.",
    )


def full_time(c: Context, threshold: int) -> Texts:
    """The headcount reached the full-time threshold, and no counting contract is full time."""
    return (
        f"{c.basis_tr}: {threshold} çalışandan itibaren tam süreli {c.name_tr} gerekir; tam süreli "
        f"({FULL_TIME_MINUTES} dk/ay) sözleşme yok.",
        f"{c.basis_en}: from {threshold} employees on a full-time {c.name_en} is needed; no full-time "
        f"({FULL_TIME_MINUTES} min/month) contract.",
        f"Tam süreli ({FULL_TIME_MINUTES} dk/ay) bir {c.name_tr} görevlendirilmeli.",
        f"Assign a full-time ({FULL_TIME_MINUTES} min/month) {c.name_en}.",
    )
