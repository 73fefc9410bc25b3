"""İşyeri Kartı Bilgileri through the page objects: employees (paging, verify, bulk) and contact."""

from __future__ import annotations

import random

import pytest

from mock_portal.seed import DEMO_TC
from rpa.accounts import Account
from rpa.domain.identifiers import generate_tc
from rpa.errors import BulkUpdateTooSoon, BusinessError, FormRejected
from rpa.models import ContactInfo
from rpa.secrets import CodeSource, SecretRef
from tests.robot.conftest import demo_state

pytestmark = pytest.mark.browser


@pytest.fixture
def card(workplaces):
    """The card of the demo account's first workplace."""
    return workplaces.choose(workplaces.workplaces()[0].sicil).open_card()


def state_employees(live_portal, sicil: str) -> list[dict]:
    return [e for e in demo_state(live_portal)["employees"] if e["sicil"] == sicil]


def test_active_count_and_all_employees_match_the_portals_list(card, live_portal):
    tab = card.employees_tab()
    expected = state_employees(live_portal, card.current_sicil())
    assert tab.active_count() == sum(e["status"] == "Aktif" for e in expected)
    employees = tab.all_employees()
    assert sorted(
        (e.tc, e.name, e.hired.isoformat(), e.left.isoformat() if e.left else None, e.status) for e in employees
    ) == sorted((e["tc"], e["name"], e["hired"], e["left"], e["status"]) for e in expected)


def test_all_employees_walks_every_page_of_a_big_workplace(robot, live_portal, monkeypatch):
    live_portal.dev("reset", json={"accounts": 1, "workplaces_per_account": 1, "employees_per_workplace": 1100})
    state = demo_state(live_portal)
    owner = next(a for a in state["accounts"] if a["tc"] != DEMO_TC and a["workplaces"])
    sicil = owner["workplaces"][0]
    monkeypatch.setenv("KATIP_TEST_BIG_PASSWORD", owner["password"])
    account = Account(
        name="big",
        tc=owner["tc"],
        password=SecretRef(kind="env", target="KATIP_TEST_BIG_PASSWORD"),
        code=CodeSource(kind="mock"),
    )
    with robot.account_context(account) as session:
        tab = session.ensure_logged_in().choose(sicil).open_card().employees_tab()
        employees = tab.all_employees()
    expected = [e for e in state["employees"] if e["sicil"] == sicil]
    assert len(expected) > 1000  # more than two pages of 500
    assert sorted(e.tc for e in employees) == sorted(e["tc"] for e in expected)


def test_verify_updates_one_employee_and_refuses_bad_or_unknown_numbers(card, live_portal):
    tab = card.employees_tab()
    sicil = card.current_sicil()
    newcomer = generate_tc(random.Random(99))
    live_portal.dev("sgk/hire", json={"sicil": sicil, "tc": newcomer, "name": "Yeni Çalışan"})
    before = tab.active_count()
    assert tab.verify(newcomer) == "Çalışan bilgisi güncellendi."
    assert tab.active_count() == before + 1
    with pytest.raises(BusinessError, match="Geçersiz TC Kimlik No."):
        tab.verify("12345678901")
    with pytest.raises(BusinessError, match="SGK kaydı bulunamadı."):
        tab.verify(generate_tc(random.Random(100)))


def test_bulk_update_is_confirmed_and_a_second_one_is_too_soon(card, live_portal):
    tab = card.employees_tab()
    assert tab.bulk_status() != "İşleniyor"
    assert tab.request_bulk_update() == "Toplu güncelleme talebiniz alındı."
    assert tab.bulk_status().startswith(("İşleniyor", "Tamamlandı"))
    with pytest.raises(BulkUpdateTooSoon):
        tab.request_bulk_update()
    audit = [a for a in demo_state(live_portal)["audit"] if a["action"] == "bulk_update"]
    assert len(audit) == 1


def test_contact_field_errors_are_reported_and_nothing_is_saved(card, live_portal):
    tab = card.contact_tab()
    wanted = ContactInfo(
        phone="12",
        email="yanlis@",
        address="Atatürk Cad. No:1",
        il="Ankara",
        ilce="Çankaya",
        auto_update=True,
    )
    with pytest.raises(FormRejected) as caught:
        tab.submit(wanted)
    assert set(caught.value.field_errors) == {
        "Geçerli bir telefon numarası giriniz.",
        "Geçerli bir e-posta adresi giriniz.",
    }
    stored = next(w for w in demo_state(live_portal)["workplaces"] if w["sicil"] == card.current_sicil())
    assert stored["contact"] is None or stored["contact"]["phone"] != "12"


def test_contact_is_saved_with_districts_loaded_for_the_chosen_province(card, live_portal):
    tab = card.contact_tab()
    wanted = ContactInfo(
        phone="0312 555 12 34",
        email="isg@anadolu.com.tr",
        address="Atatürk Bulvarı No:1",
        il="ankara",
        ilce="çankaya",
        auto_update=True,
    )
    assert tab.submit(wanted) == "Bilgileriniz kaydedildi."
    stored = next(w for w in demo_state(live_portal)["workplaces"] if w["sicil"] == card.current_sicil())
    assert (stored["contact"]["il"], stored["contact"]["ilce"], stored["auto_update"]) == (
        "Ankara",
        "Çankaya",
        True,
    )
    shown = card.open_card().contact_tab().current()
    assert (shown.il, shown.ilce, shown.email, shown.auto_update) == (
        "Ankara",
        "Çankaya",
        "isg@anadolu.com.tr",
        True,
    )
    # Changing the province reloads the districts: the old İlçe must not be kept by accident.
    assert tab.submit(wanted.model_copy(update={"il": "İzmir", "ilce": "Konak", "auto_update": False})) == (
        "Bilgileriniz kaydedildi."
    )
    stored = next(w for w in demo_state(live_portal)["workplaces"] if w["sicil"] == card.current_sicil())
    assert (stored["contact"]["il"], stored["contact"]["ilce"], stored["auto_update"]) == (
        "İzmir",
        "Konak",
        False,
    )
