"""Legal rules for İSG contracts: minimum working time, certificate classes, allowed minutes."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from rpa.domain.text import tr_upper

MIN_MINUTES = 1
# 195 hours a month: what one full-time professional can give. The portal refuses more in one contract.
MAX_MINUTES = 11700
MINUTES_RANGE_MESSAGE_TR = "1 ile 11700 arasında bir değer giriniz"


class HazardClass(StrEnum):
    """Tehlike sınıfı of a workplace."""

    AZ = "Az Tehlikeli"
    TEHLIKELI = "Tehlikeli"
    COK = "Çok Tehlikeli"


class Title(StrEnum):
    """Unvan of an İSG professional."""

    UZMAN = "İş Güvenliği Uzmanı"
    HEKIM = "İşyeri Hekimi"
    DSP = "Diğer Sağlık Personeli"


class Violation(BaseModel):
    """One reason a contract breaks the rules, in Turkish for the portal's users and English for logs."""

    model_config = ConfigDict(frozen=True)

    code: str
    message_tr: str
    message_en: str


# Minutes per active employee per month (İş Güvenliği Hizmetleri Yönetmeliği, İşyeri Hekimi ve Diğer
# Sağlık Personeli Yönetmeliği).
_MINUTES_PER_EMPLOYEE: dict[Title, dict[HazardClass, int]] = {
    Title.UZMAN: {HazardClass.AZ: 10, HazardClass.TEHLIKELI: 20, HazardClass.COK: 40},
    Title.HEKIM: {HazardClass.AZ: 5, HazardClass.TEHLIKELI: 10, HazardClass.COK: 15},
}
DSP_MIN_EMPLOYEES = 10
# (lowest active count of the band, minutes per employee), highest band first.
_DSP_BANDS: tuple[tuple[int, int], ...] = ((250, 20), (50, 15), (DSP_MIN_EMPLOYEES, 10))

_CERT_SERVES: dict[str, frozenset[HazardClass]] = {
    "A": frozenset(HazardClass),
    "B": frozenset({HazardClass.AZ, HazardClass.TEHLIKELI}),
    "C": frozenset({HazardClass.AZ}),
}


# From this many active employees on, the workplace needs a full-time professional (one per that many
# employees); the regulations set no such threshold for DSP.
_FULL_TIME_FROM: dict[Title, dict[HazardClass, int]] = {
    Title.UZMAN: {HazardClass.AZ: 1000, HazardClass.TEHLIKELI: 500, HazardClass.COK: 250},
    Title.HEKIM: {HazardClass.AZ: 2000, HazardClass.TEHLIKELI: 1000, HazardClass.COK: 750},
}
# A contract of the portal's largest "Çalışma Süresi" is a full-time one.
FULL_TIME_MINUTES = MAX_MINUTES


def _dsp_minutes_per_employee(hazard: HazardClass, active_count: int) -> int:
    # DSP is required only in "Çok Tehlikeli" workplaces with 10 or more employees.
    if hazard is not HazardClass.COK:
        return 0
    for lowest, minutes in _DSP_BANDS:
        if active_count >= lowest:
            return minutes
    return 0


def legal_minimum(title: Title | str, hazard: HazardClass | str, active_count: int) -> int:
    """Minutes a month the law asks of this professional for the workplace (0 when none is required)."""
    title, hazard = Title(title), HazardClass(hazard)
    if active_count <= 0:
        return 0
    if title is Title.DSP:
        per_employee = _dsp_minutes_per_employee(hazard, active_count)
    else:
        per_employee = _MINUTES_PER_EMPLOYEE[title][hazard]
    return per_employee * active_count


def full_time_threshold(title: Title | str, hazard: HazardClass | str) -> int | None:
    """The active count from which this professional must be full time (None: the law sets none)."""
    return _FULL_TIME_FROM.get(Title(title), {}).get(HazardClass(hazard))


def needs_full_time(title: Title | str, hazard: HazardClass | str, active_count: int) -> bool:
    """True when the workplace's headcount reaches the full-time threshold for this professional."""
    threshold = full_time_threshold(title, hazard)
    return threshold is not None and active_count >= threshold


def cert_classes_for(hazard: HazardClass | str) -> list[str]:
    """The certificate classes whose experts may serve this hazard class, best first ("A", "B", ...)."""
    hazard = HazardClass(hazard)
    return sorted(letter for letter, serves in _CERT_SERVES.items() if hazard in serves)


def _cert_letter(cert_class: str | None) -> str:
    # Accept "A", "a", "A Sınıfı", "A sınıfı İGU": the class is the leading letter.
    text = tr_upper((cert_class or "").strip())
    return text[:1] if text[:1] in _CERT_SERVES and (len(text) == 1 or not text[1].isalpha()) else ""


def cert_allows(cert_class: str, hazard: HazardClass | str) -> bool:
    """True when an expert with this certificate class (A/B/C) may serve a workplace of this hazard class."""
    letter = _cert_letter(cert_class)
    return bool(letter) and HazardClass(hazard) in _CERT_SERVES[letter]


def check_contract(
    title: Title | str,
    cert_class: str | None,
    minutes: int,
    hazard: HazardClass | str,
    active_count: int,
) -> list[Violation]:
    """Every rule the contract breaks; an empty list means it is compliant."""
    title, hazard = Title(title), HazardClass(hazard)
    violations: list[Violation] = []
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        violations.append(
            Violation(
                code="minutes_out_of_range",
                message_tr=MINUTES_RANGE_MESSAGE_TR,
                message_en=f"Working time must be between {MIN_MINUTES} and {MAX_MINUTES} minutes.",
            )
        )
    if title is Title.UZMAN:
        letter = _cert_letter(cert_class)
        if not letter:
            violations.append(
                Violation(
                    code="unknown_cert_class",
                    message_tr=f"Uzmanın belge sınıfı tanınmadı: {cert_class or '(boş)'}",
                    message_en=f"The expert's certificate class is not recognised: {cert_class or '(empty)'}",
                )
            )
        elif not cert_allows(letter, hazard):
            violations.append(
                Violation(
                    code="cert_class_not_allowed",
                    message_tr=f"{letter} sınıfı uzman {hazard.value} işyerinde görev alamaz.",
                    message_en=f"A class {letter} expert may not serve a '{hazard.value}' workplace.",
                )
            )
    # One contract can hold at most MAX_MINUTES, i.e. one full-time professional. Above that the law
    # asks for more people (full time per 1000/500/250 employees for experts, 2000/1000/750 for
    # physicians), which is a matter of several contracts, not of this one: a single contract is
    # compliant when it reaches min(legal minimum, MAX_MINUTES).
    required = min(legal_minimum(title, hazard, active_count), MAX_MINUTES)
    if MIN_MINUTES <= minutes < required:
        violations.append(
            Violation(
                code="below_legal_minimum",
                message_tr=(
                    f"Çalışma süresi yasal asgari sürenin altında: {minutes} dk < {required} dk "
                    f"({active_count} çalışan, {hazard.value})."
                ),
                message_en=(
                    f"Working time is below the legal minimum: {minutes} min < {required} min "
                    f"({active_count} employees, '{hazard.value}')."
                ),
            )
        )
    return violations
