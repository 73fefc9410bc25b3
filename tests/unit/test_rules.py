"""Legal minimum working time, certificate classes and contract checks."""

from __future__ import annotations

import pytest

from rpa.domain.rules import (
    MAX_MINUTES,
    HazardClass,
    Title,
    cert_allows,
    check_contract,
    legal_minimum,
)

AZ, TEH, COK = HazardClass.AZ, HazardClass.TEHLIKELI, HazardClass.COK


@pytest.mark.parametrize(
    ("title", "hazard", "per_employee"),
    [
        (Title.UZMAN, AZ, 10), (Title.UZMAN, TEH, 20), (Title.UZMAN, COK, 40),
        (Title.HEKIM, AZ, 5), (Title.HEKIM, TEH, 10), (Title.HEKIM, COK, 15),
    ],
)  # fmt: skip
def test_legal_minimum_is_minutes_per_employee_times_active_count(
    title: Title, hazard: HazardClass, per_employee: int
) -> None:
    assert legal_minimum(title, hazard, 1) == per_employee
    assert legal_minimum(title, hazard, 37) == per_employee * 37


@pytest.mark.parametrize(
    ("hazard", "count", "minimum"),
    [
        (COK, 9, 0), (COK, 10, 100), (COK, 49, 490), (COK, 50, 750), (COK, 249, 249 * 15),
        (COK, 250, 5000), (TEH, 300, 0), (AZ, 300, 0),
    ],
)  # fmt: skip
def test_other_health_staff_is_required_only_in_very_hazardous_workplaces_from_ten_employees(
    hazard: HazardClass, count: int, minimum: int
) -> None:
    assert legal_minimum(Title.DSP, hazard, count) == minimum


def test_no_employees_means_no_minimum() -> None:
    assert legal_minimum(Title.UZMAN, COK, 0) == 0


def test_titles_and_hazards_are_accepted_as_the_portals_text() -> None:
    assert legal_minimum("İş Güvenliği Uzmanı", "Çok Tehlikeli", 2) == 80


@pytest.mark.parametrize(
    ("cert", "hazard", "allowed"),
    [
        ("A", AZ, True), ("A", TEH, True), ("A", COK, True),
        ("B", AZ, True), ("B", TEH, True), ("B", COK, False),
        ("C", AZ, True), ("C", TEH, False), ("C", COK, False),
        ("b sınıfı", TEH, True), ("", AZ, False), ("D", AZ, False), ("Ahmet", AZ, False),
    ],
)  # fmt: skip
def test_certificate_class_limits_the_hazard_classes_an_expert_may_serve(
    cert: str, hazard: HazardClass, allowed: bool
) -> None:
    assert cert_allows(cert, hazard) is allowed


def test_class_c_expert_in_a_very_hazardous_workplace_is_a_violation_in_both_languages() -> None:
    violations = check_contract(Title.UZMAN, "C", 400, COK, 10)
    assert [v.code for v in violations] == ["cert_class_not_allowed"]
    assert violations[0].message_tr == "C sınıfı uzman Çok Tehlikeli işyerinde görev alamaz."
    assert violations[0].message_en == "A class C expert may not serve a 'Çok Tehlikeli' workplace."


def test_contract_at_the_minimum_is_compliant_and_one_minute_less_is_not() -> None:
    assert check_contract(Title.HEKIM, None, 150, TEH, 15) == []
    assert [v.code for v in check_contract(Title.HEKIM, None, 149, TEH, 15)] == ["below_legal_minimum"]


@pytest.mark.parametrize("minutes", [0, -5, MAX_MINUTES + 1])
def test_minutes_outside_1_to_11700_are_refused_with_the_portals_message(minutes: int) -> None:
    violations = check_contract(Title.UZMAN, "A", minutes, AZ, 1)
    assert violations[0].code == "minutes_out_of_range"
    assert violations[0].message_tr == "1 ile 11700 arasında bir değer giriniz"


def test_a_full_time_contract_is_compliant_even_when_the_minimum_exceeds_one_person() -> None:
    # 400 employees × 40 min = 16000 min: more than one contract can hold, so 11700 is enough here.
    assert legal_minimum(Title.UZMAN, COK, 400) == 16000
    assert check_contract(Title.UZMAN, "A", MAX_MINUTES, COK, 400) == []
    assert check_contract(Title.UZMAN, "A", MAX_MINUTES - 1, COK, 400)[0].code == "below_legal_minimum"


def test_expert_without_a_recognisable_class_is_flagged() -> None:
    assert [v.code for v in check_contract(Title.UZMAN, "", 100, AZ, 1)] == ["unknown_cert_class"]


def test_physician_and_health_staff_need_no_certificate_class() -> None:
    assert check_contract(Title.DSP, "", 100, COK, 10) == []
    assert check_contract(Title.DSP, None, 1, AZ, 500) == []
