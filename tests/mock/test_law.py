"""The mock's own law (`mock_portal.law`) and the robot's (`rpa.domain.rules`) agree on every case.

Two tables written apart from the same regulations: when one of them is wrong, the robot would
otherwise be tested against its own mistake."""

from __future__ import annotations

import itertools

from mock_portal import law
from rpa.domain.rules import HazardClass, Title, cert_allows, check_contract, legal_minimum

EMPLOYEES = sorted({0, 1, 2, 9, 10, 11, 49, 50, 51, 249, 250, 251, 292, 293, 499, 500, 585, 586, 1000, 2000, 5000})
MINUTES = [-1, 0, 1, 5, 10, 99, 100, 149, 150, 1000, 2925, 2926, 5850, 11699, 11700, 11701]
CERTS = ["A", "B", "C", "a", "b", "c", "A Sınıfı", "B sınıfı İGU", "C-", "", None, "D", "AB", "Ç"]


def test_the_legal_minimum_is_the_same_for_every_profession_hazard_class_and_headcount():
    for title, hazard, employees in itertools.product(Title, HazardClass, EMPLOYEES):
        assert law.minimum_minutes(title.value, hazard.value, employees) == legal_minimum(title, hazard, employees), (
            title, hazard, employees)


def test_which_certificate_class_may_serve_which_hazard_class_is_the_same():
    for cert, hazard in itertools.product(CERTS, HazardClass):
        assert law.may_serve(cert, hazard.value) == (bool(cert) and cert_allows(cert or "", hazard)), (cert, hazard)


def test_mevzuata_uygun_is_the_same_for_every_contract():
    cases = 0
    for title, cert, minutes, hazard, employees in itertools.product(Title, CERTS, MINUTES, HazardClass, EMPLOYEES):
        portal = not law.problems(title.value, cert, minutes, hazard.value, employees)
        robot = not check_contract(title, cert, minutes, hazard, employees)
        assert portal == robot, (title, cert, minutes, hazard, employees)
        cases += 1
    assert cases > 40_000
