"""What a person must act on after a sync: each remaining difference, with its reason in Turkish and English.

After SGK was asked, the 4A list shows what SGK knows; a difference that remains is a fact about the
filings, not a glitch: the employer did not file a hire or a leave, or the roster is out of date. Each
reason says what happened and what to do. ("SGK kaydı bulunamadı" is a data fault: never retried.)
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from rpa.domain.identifiers import mask_tc
from rpa.flows.results import Reason
from rpa.models import ContractRow, Employee
from rpa.privacy import mask_known_names, mask_name
from rpa.roster.models import RosterRow
from rpa.sync.reconcile import Difference, Kind

NO_ACCESS_TR = "Bu işyerine erişim yetkiniz bulunmamaktadır."


class ExceptionKind(StrEnum):
    """Why something needs a person."""

    HIRE_NOT_FILED = "hire_not_filed"  # roster: employed; SGK: no record ("SGK kaydı bulunamadı")
    LEFT_AT_SGK = "left_at_sgk"  # roster: employed; SGK: left
    LEAVE_NOT_FILED = "leave_not_filed"  # roster: left; SGK: still active
    HIRED_DATE_DIFFERS = "hired_date_differs"
    LEFT_DATE_DIFFERS = "left_date_differs"
    NOT_IN_ROSTER = "not_in_roster"  # active at SGK, missing from the roster
    VERIFY_FAILED = "verify_failed"  # the portal failed while asking: the next run asks again
    NO_ACCESS = "no_access"  # the account cannot see the workplace
    WORKPLACE_FAILED = "workplace_failed"  # the workplace's list could not be read
    CONTRACT_NOT_COMPLIANT = "contract_not_compliant"  # turned "Mevzuata Uygun: Hayır" with the count


KIND_OF = {
    Kind.NOT_IN_PORTAL: ExceptionKind.HIRE_NOT_FILED,
    Kind.LEFT_IN_PORTAL: ExceptionKind.LEFT_AT_SGK,
    Kind.STILL_ACTIVE: ExceptionKind.LEAVE_NOT_FILED,
    Kind.HIRED_DATE: ExceptionKind.HIRED_DATE_DIFFERS,
    Kind.LEFT_DATE: ExceptionKind.LEFT_DATE_DIFFERS,
    Kind.NOT_IN_ROSTER: ExceptionKind.NOT_IN_ROSTER,
}


class ExceptionItem(BaseModel):
    """One thing the robot could not put right, for a person to act on (not a Python exception)."""

    sicil: str
    kind: ExceptionKind
    reason: Reason
    tc: str | None = Field(default=None, repr=False)
    name: str = Field(default="", repr=False)
    roster_value: str = ""  # what the roster says
    portal_value: str = ""  # what the 4A list (that is, SGK) says

    def shown_tc(self, show_personal_data: bool = False) -> str:
        """The TC number, masked unless personal data may be shown."""
        if not self.tc:
            return ""
        return self.tc if show_personal_data else mask_tc(self.tc)

    def shown_name(self, show_personal_data: bool = False) -> str:
        """The person's name (a contract's label for contract items), masked unless personal data may be shown."""
        if show_personal_data:
            return self.name
        # A contract's label holds its professional's name among other words: masked as a known name.
        return mask_known_names(self.name) if self.kind is ExceptionKind.CONTRACT_NOT_COMPLIANT else mask_name(
            self.name)

    def shown_reason(self, show_personal_data: bool = False) -> Reason:
        """The reason, with the names in it (a contract's professional) masked unless personal data may be shown."""
        if show_personal_data:
            return self.reason
        return Reason(tr=mask_known_names(self.reason.tr), en=mask_known_names(self.reason.en))

    def to_json(self, show_personal_data: bool = False) -> dict[str, Any]:
        """The `exceptions` entry of `katip roster sync --json`."""
        reason = self.shown_reason(show_personal_data)
        return {
            "tc": self.shown_tc(show_personal_data) or None,
            "kind": str(self.kind),
            "reason": str(reason),
            "reason_tr": reason.tr,
            "reason_en": reason.en,
            "roster": self.roster_value,
            "portal": self.portal_value,
        }


def tr_date(day: date | None) -> str:
    """dd.mm.yyyy, as the portal and Turkish spreadsheets write dates."""
    return day.strftime("%d.%m.%Y") if day else "—"


def describe_roster(row: RosterRow | None) -> str:
    """What the roster says about a person, in a few words."""
    if row is None:
        return "listede yok / not in the roster"
    if row.left is not None:
        return f"Ayrıldı / left {tr_date(row.left)} (giriş / hired {tr_date(row.hired)})"
    return f"Çalışıyor / employed, giriş / hired {tr_date(row.hired)}"


def describe_portal(record: Employee | None) -> str:
    """What the 4A list says about a person, in a few words."""
    if record is None:
        return "kayıt yok / no record"
    if record.left is not None:
        return f"{record.status or 'Çıkış'} {tr_date(record.left)} (giriş / hired {tr_date(record.hired)})"
    return f"{record.status or 'Aktif'}, giriş / hired {tr_date(record.hired)}"


def _reason(d: Difference) -> Reason:
    roster, portal = d.roster, d.portal
    hired = tr_date(roster.hired) if roster else "—"
    left = tr_date(roster.left) if roster else "—"
    if d.kind is Kind.NOT_IN_PORTAL:
        return Reason(
            tr=f"SGK kaydı bulunamadı: personel listesine göre {hired} tarihinde işe girdi, ancak işveren "
            "işe girişi SGK'ya bildirmemiş. İşverenden işe giriş bildirgesini isteyin.",
            en=f"No SGK record: the roster says hired on {hired}, but the employer has not filed the hire "
            "with SGK. Ask the employer to file it.",
        )
    if d.kind is Kind.LEFT_IN_PORTAL:
        at = tr_date(portal.left) if portal else "—"
        return Reason(
            tr=f"Personel listesine göre çalışıyor, ancak SGK'ya göre {at} tarihinde işten ayrılmış. Listeyi "
            "düzeltin ya da yeniden işe girişi SGK'ya bildirin.",
            en=f"The roster says employed, but SGK records a leave on {at}. Correct the roster, or have the "
            "re-hire filed with SGK.",
        )
    if d.kind is Kind.STILL_ACTIVE:
        return Reason(
            tr=f"Personel listesine göre {left} tarihinde ayrıldı, ancak SGK'da hâlâ aktif: işten ayrılış "
            "SGK'ya bildirilmemiş. İşverenden işten ayrılış bildirgesini isteyin.",
            en=f"The roster says left on {left}, but SGK still shows the person active: the leave was not "
            "filed with SGK. Ask the employer to file it.",
        )
    if d.kind is Kind.HIRED_DATE:
        sgk = tr_date(portal.hired) if portal else "—"
        return Reason(
            tr=f"İşe giriş tarihi farklı: personel listesinde {hired}, SGK'da {sgk}. Doğru tarihi işverenle "
            "netleştirin (liste ya da SGK bildirgesi düzeltilmeli).",
            en=f"Hire dates differ: roster {hired}, SGK {sgk}. Settle the right date with the employer "
            "(the roster or the SGK filing needs correcting).",
        )
    if d.kind is Kind.LEFT_DATE:
        sgk = tr_date(portal.left) if portal else "—"
        return Reason(
            tr=f"İşten ayrılış tarihi farklı: personel listesinde {left}, SGK'da {sgk}. Doğru tarihi "
            "işverenle netleştirin.",
            en=f"Leaving dates differ: roster {left}, SGK {sgk}. Settle the right date with the employer.",
        )
    return Reason(
        tr="SGK'ya göre aktif çalışan, ancak personel listesinde yok. Listeye ekleyin; ayrıldıysa "
        "işverenden işten ayrılış bildirgesini isteyin.",
        en="Active according to SGK but missing from the roster. Add them to the roster; if they left, ask "
        "the employer to file the leave.",
    )


def from_difference(d: Difference, asked_before: datetime | None = None) -> ExceptionItem:
    """The exception for a difference SGK's answer did not resolve (or that was asked about before)."""
    reason = _reason(d)
    if asked_before is not None:
        when = asked_before.strftime("%d.%m.%Y %H:%M")
        reason = Reason(tr=f"{reason.tr} (SGK'ya {when} tarihinde soruldu; o zamandan beri değişiklik yok.)",
                        en=f"{reason.en} (SGK was asked on {when}; nothing has changed since.)")
    return ExceptionItem(
        sicil=d.sicil, kind=KIND_OF[d.kind], reason=reason, tc=d.tc, name=d.name,
        roster_value=describe_roster(d.roster), portal_value=describe_portal(d.portal),
    )


def verify_failed(d: Difference, error: str) -> ExceptionItem:
    """SGK could not be asked about this person (the portal kept failing); the next run asks again."""
    return ExceptionItem(
        sicil=d.sicil, kind=ExceptionKind.VERIFY_FAILED, tc=d.tc, name=d.name,
        reason=Reason(tr=f"SGK'dan doğrulanamadı (portal hatası: {error}); sonraki çalıştırmada yeniden "
                      "denenecek.",
                      en=f"Could not be verified with SGK (portal fault: {error}); the next run tries "
                      "again."),
        roster_value=describe_roster(d.roster), portal_value=describe_portal(d.portal),
    )


def workplace_failed(sicil: str, error: str, no_access: bool) -> ExceptionItem:
    """The workplace could not be synced at all (no access, or the portal kept failing)."""
    if no_access:
        said = NO_ACCESS_TR if NO_ACCESS_TR in error else f"{NO_ACCESS_TR} ({error})"
        reason = Reason(tr=f"{said} Yeni eklendiyse önce `katip workplaces --refresh` çalıştırın.",
                        en="This account cannot use this workplace (it is not in its E-Bildirge list). If it "
                        "was added recently, run `katip workplaces --refresh` first.")
        return ExceptionItem(sicil=sicil, kind=ExceptionKind.NO_ACCESS, reason=reason)
    return ExceptionItem(
        sicil=sicil, kind=ExceptionKind.WORKPLACE_FAILED,
        reason=Reason(tr=f"İşyerinin SGK 4A listesi okunamadı: {error}",
                      en=f"The workplace's SGK 4A list could not be read: {error}"),
    )


def contract_not_compliant(
    sicil: str, row: ContractRow, active_before: int, active_after: int, update_waiting: bool
) -> ExceptionItem:
    """A contract that turned "Mevzuata Uygun: Hayır" because the active count changed."""
    waiting_tr = " Süre Güncelleme onayınızı bekliyor."
    waiting_en = " A 'Süre Güncelleme' waits for approval."
    if not update_waiting:
        waiting_tr, waiting_en = " Süresi güncellenmeli.", " Its minutes need updating."
    return ExceptionItem(
        sicil=sicil, kind=ExceptionKind.CONTRACT_NOT_COMPLIANT, name=row.describe(show_personal_data=True),
        portal_value=f"{row.minutes} dk/ay, Mevzuata Uygun: Hayır",
        reason=Reason(
            tr=f"Aktif çalışan sayısı {active_before} → {active_after} oldu; "
            f"{row.professional} ({row.title}) sözleşmesinin {row.minutes} dk/ay süresi yasal asgarinin "
            f"altında kaldı.{waiting_tr}",
            en=f"The active count went from {active_before} to {active_after}; the {row.minutes} "
            f"min/month of {row.professional} ({row.title}) is now below the legal minimum.{waiting_en}",
        ),
    )
