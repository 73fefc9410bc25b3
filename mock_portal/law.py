"""The mock's own copy of the law: what "Mevzuata Uygun" means on this portal.

Written from the regulations (İş Güvenliği Hizmetleri Yönetmeliği; İşyeri Hekimi ve Diğer Sağlık
Personeli Yönetmeliği; the certificate classes' scope) and deliberately not imported from `rpa`: the
portal is the oracle the robot is tested against, so it must not share the robot's code. A test
(`tests/mock/test_law.py`) compares the two tables on every case.
"""

from __future__ import annotations

FEWEST_MINUTES, MOST_MINUTES = 1, 11700  # "1 ile 11700 arasında bir değer giriniz"
RANGE_MESSAGE = "1 ile 11700 arasında bir değer giriniz"

EXPERT, PHYSICIAN, OTHER_HEALTH = "İş Güvenliği Uzmanı", "İşyeri Hekimi", "Diğer Sağlık Personeli"
LOW, MEDIUM, HIGH = "Az Tehlikeli", "Tehlikeli", "Çok Tehlikeli"

# Minutes a month per active employee.
PER_EMPLOYEE = {
    EXPERT: {LOW: 10, MEDIUM: 20, HIGH: 40},
    PHYSICIAN: {LOW: 5, MEDIUM: 10, HIGH: 15},
}
# Other health staff: only "Çok Tehlikeli" with 10+ employees; (from this many employees, minutes each).
OTHER_HEALTH_BANDS = [(250, 20), (50, 15), (10, 10)]

# Which hazard classes an expert of each certificate class may serve.
MAY_SERVE = {"A": {LOW, MEDIUM, HIGH}, "B": {LOW, MEDIUM}, "C": {LOW}}


def minimum_minutes(title: str, hazard: str, employees: int) -> int:
    """The legal monthly minimum of this professional at this workplace (0: not required)."""
    if employees <= 0:
        return 0
    if title == OTHER_HEALTH:
        if hazard != HIGH:
            return 0
        for fewest, minutes in OTHER_HEALTH_BANDS:
            if employees >= fewest:
                return minutes * employees
        return 0
    return PER_EMPLOYEE[title][hazard] * employees


def certificate_letter(cert_class: str | None) -> str | None:
    """"A", "b", "A Sınıfı" → the class letter; None when it is not one."""
    text = (cert_class or "").strip()
    letter = text[:1].upper()
    if letter in MAY_SERVE and (len(text) == 1 or not text[1].isalpha()):
        return letter
    return None


def may_serve(cert_class: str | None, hazard: str) -> bool:
    letter = certificate_letter(cert_class)
    return letter is not None and hazard in MAY_SERVE[letter]


def problems(title: str, cert_class: str | None, minutes: int, hazard: str, employees: int) -> list[str]:
    """Why the contract is not "Mevzuata Uygun", in the portal's Turkish (empty: it is)."""
    found = []
    if not FEWEST_MINUTES <= minutes <= MOST_MINUTES:
        found.append(RANGE_MESSAGE)
    if title == EXPERT:
        letter = certificate_letter(cert_class)
        if letter is None:
            found.append(f"Uzmanın belge sınıfı tanınmadı: {cert_class or '(boş)'}")
        elif hazard not in MAY_SERVE[letter]:
            found.append(f"{letter} sınıfı uzman {hazard} işyerinde görev alamaz.")
    # One contract holds at most one full-time professional: it is enough when it reaches the smaller.
    needed = min(minimum_minutes(title, hazard, employees), MOST_MINUTES)
    if FEWEST_MINUTES <= minutes < needed:
        found.append(f"Çalışma süresi yasal asgari sürenin altında: {minutes} dk < {needed} dk "
                     f"({employees} çalışan, {hazard}).")
    return found
