"""The refresh and contact flows' decisions, against in-memory page objects (no browser)."""

from __future__ import annotations

from rpa.contact_input import ContactRow
from rpa.errors import FormRejected, PortalError
from rpa.flows import refresh_workplaces, update_contact
from rpa.flows.refresh_workplaces import RefreshRequest
from rpa.flows.results import Outcome
from rpa.flows.update_contact import ContactRequest
from rpa.models import ContactInfo
from tests.flows.conftest import QUICK, W1, W2, W3
from tests.flows.fakes import FakePortal, FakeSession


class FakeClock:
    """Time that moves only when the flow sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def refresh(portal: FakePortal, clock: FakeClock, wait_s: float = 30.0):
    request = RefreshRequest(account="demo", wait_s=wait_s)
    session = FakeSession(portal)
    return refresh_workplaces.run(session, request, policy=QUICK, sleep=clock.sleep, clock=lambda: clock.now)


def test_refresh_reloads_until_the_new_workplace_shows_and_marks_it_new(portal):
    portal.reloads_until_new = 3
    clock = FakeClock()

    result = refresh(portal, clock)

    assert [w.sicil for w in result.new] == [W3]
    assert {w.sicil for w in result.workplaces if not w.new} == {W1, W2}
    assert portal.calls["reload"] == 3 and not result.timed_out
    assert clock.sleeps == sorted(clock.sleeps)  # pauses grow, never shrink


def test_refresh_gives_up_at_the_limit_when_nothing_new_appears(portal):
    portal.hidden = []
    clock = FakeClock()

    result = refresh(portal, clock, wait_s=10.0)

    assert result.timed_out and result.new == []
    assert sum(clock.sleeps) == 10.0
    assert len(result.workplaces) == 2


def test_refresh_survives_a_fault_while_reloading(portal):
    portal.reloads_until_new = 1
    portal.fail("reload", PortalError("Sistem hatası."))

    result = refresh(portal, FakeClock())

    assert [w.sicil for w in result.new] == [W3] and result.error is None


def contact(portal: FakePortal, rows: list[ContactRow], **options: object):
    request = ContactRequest(account="demo", rows=rows, **options)
    return update_contact.run(FakeSession(portal), request, policy=QUICK, sleep=lambda _s: None)


ASKED = {"phone": "0212 555 12 12", "email": "ik@anadolu.com.tr", "address": "Mahmutbey Mah. 2. Sok. No:5",
         "il": "istanbul", "ilce": "BAĞCILAR", "auto_update": "EVET"}


def test_contact_is_submitted_where_it_differs_and_left_alone_where_it_is_as_asked(portal):
    portal.contact[W2] = ContactInfo(phone="02125551212", email="IK@anadolu.com.tr",
                                     address="MAHMUTBEY MAH. 2. SOK. NO:5", il="İstanbul", ilce="Bağcılar",
                                     auto_update=True)

    result = contact(portal, [ContactRow(sicil=W1, **ASKED), ContactRow(sicil=W2, **ASKED)])

    first, second = result.items
    assert first.outcome is Outcome.DONE and first.message == "Bilgileriniz kaydedildi."
    assert portal.contact[W1].il == "İstanbul" and portal.contact[W1].ilce == "Bağcılar"
    assert second.outcome is Outcome.SKIPPED
    assert portal.audit == [("contact_update", W1)]


def test_only_the_fields_asked_change_the_rest_keeps_the_portals_values(portal):
    portal.contact[W1] = ContactInfo(phone="02125551212", email="eski@firma.com", address="Adres",
                                     il="İzmir", ilce="Torbalı", auto_update=False)

    result = contact(portal, [ContactRow(sicil=W1, email="yeni@firma.com")])

    assert result.items[0].changes == {"email": ("eski@firma.com", "yeni@firma.com")}
    assert portal.contact[W1].ilce == "Torbalı" and portal.contact[W1].email == "yeni@firma.com"


def test_values_the_portal_would_refuse_are_held_before_submitting(portal):
    # A new province without a district: the old district does not belong to it.
    portal.contact[W1] = ContactInfo(phone="02125551212", email="a@b.com", il="İzmir", ilce="Torbalı")

    result = contact(portal, [ContactRow(sicil=W1, il="Ankara")])

    assert result.items[0].outcome is Outcome.HELD
    assert result.items[0].errors == ["ilce: İlçe seçiniz."]
    assert portal.calls["submit"] == 0


def test_contact_dry_run_submits_nothing(portal):
    result = contact(portal, [ContactRow(sicil=W1, **ASKED)], dry_run=True)

    assert result.items[0].outcome is Outcome.WOULD_DO and result.items[0].changes
    assert portal.calls["submit"] == 0


def test_the_portals_field_errors_are_reported(portal):
    portal.fail("submit", FormRejected("Form hatalı.", ["Geçerli bir telefon numarası giriniz."]))

    result = contact(portal, [ContactRow(sicil=W1, **ASKED), ContactRow(sicil=W2, **ASKED)])

    refused, fine = result.items
    assert refused.outcome is Outcome.FAILED and refused.errors == ["Geçerli bir telefon numarası giriniz."]
    assert fine.outcome is Outcome.DONE
