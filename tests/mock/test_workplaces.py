"""Kurumsal workplace list, the delayed E-Bildirge refresh, choosing a workplace, and Bireysel."""

from __future__ import annotations

import re

import pytest

from mock_portal import create_app
from mock_portal.seed_demo import DEMO_TC, PROFESSIONALS, WORKPLACES
from tests.mock.portal_steps import Clock, choose_workplace, log_in, post_from, state, text

VISIBLE = [w for w in WORKPLACES if w.visible]
HIDDEN = next(w for w in WORKPLACES if not w.visible)
REFRESH_BUTTON = "E-Bildirge Kullanıcısı Olduğum İş Yerlerini Getir"
REFRESH_MESSAGE = "Talebiniz alındı. İşyeri listeniz güncelleniyor."


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(tmp_path, clock):
    return create_app({"DATABASE": str(tmp_path / "p.sqlite"), "TEST_MODE": True, "SEED": {}, "CLOCK": clock})


@pytest.fixture
def client(app):
    client = app.test_client()
    log_in(client)
    return client


def listed_sicils(page) -> list[str]:
    return re.findall(r'name="sicil" value="(\d{26})"', page.get_data(as_text=True))


def request_refresh(client):
    return post_from(client, "/isyerleri", "/isyerleri/getir", {})


def test_kurumsal_lists_the_persons_workplaces_with_header_cells_and_a_button_per_row(client):
    page = client.get("/isyerleri")
    html = page.get_data(as_text=True)
    assert "<h1>E-Bildirge Kullanıcısı Olduğunuz İşyerleri</h1>" in html
    for header in ("SGK Sicil No", "İşyeri Unvanı", "Tehlike Sınıfı"):
        assert f'<th scope="col">{header}</th>' in html
    assert sorted(listed_sicils(page)) == sorted(w.sicil for w in VISIBLE)
    assert html.count('<button type="submit">Seç</button>') == len(VISIBLE)
    for place in VISIBLE:
        assert place.unvan in text(page) and place.hazard.value in text(page)
    assert f'<button type="submit">{REFRESH_BUTTON}</button>' in html


def test_refresh_says_the_request_was_taken_and_shows_new_workplaces_at_once_by_default(client):
    assert HIDDEN.sicil not in listed_sicils(client.get("/isyerleri"))
    answer = request_refresh(client)
    page = client.get(answer.location)
    assert REFRESH_MESSAGE in text(page)
    assert HIDDEN.sicil in listed_sicils(page)


def test_refresh_with_a_delay_shows_new_workplaces_only_after_the_delay(client, clock):
    client.post("/_dev/faults", json={"refresh_delay_s": 60})
    page = client.get(request_refresh(client).location)
    assert REFRESH_MESSAGE in text(page)
    assert HIDDEN.sicil not in listed_sicils(page)
    clock.advance(seconds=30)
    assert HIDDEN.sicil not in listed_sicils(client.get("/isyerleri"))
    clock.advance(seconds=31)
    assert HIDDEN.sicil in listed_sicils(client.get("/isyerleri"))


def test_a_second_refresh_click_does_not_postpone_the_first(client, clock):
    client.post("/_dev/faults", json={"refresh_delay_s": 60})
    request_refresh(client)
    clock.advance(seconds=50)
    request_refresh(client)
    clock.advance(seconds=11)
    assert HIDDEN.sicil in listed_sicils(client.get("/isyerleri"))


def test_refresh_is_audited_when_asked_and_when_the_workplace_is_linked(client):
    client.get(request_refresh(client).location)
    entries = [a for a in state(client)["audit"] if a["action"] == "refresh"]
    assert [(a["sicil"], a["target"]) for a in entries] == [(None, "requested"), (HIDDEN.sicil, "linked")]
    assert all(a["account_tc"] == DEMO_TC for a in entries)
    account = next(a for a in state(client)["accounts"] if a["tc"] == DEMO_TC)
    assert HIDDEN.sicil in account["workplaces"] and account["workplaces_after_refresh"] == []


def test_a_workplace_seen_only_after_refresh_cannot_be_chosen_before_it(client):
    answer = choose_workplace(client, HIDDEN.sicil)
    assert answer.status_code == 403
    assert "Bu işyerine erişim yetkiniz bulunmamaktadır." in text(answer)


def test_choosing_a_workplace_opens_its_shell_with_unvan_sicil_and_the_menu(client):
    place = VISIBLE[0]
    answer = choose_workplace(client, place.sicil)
    page = client.get(answer.location)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert place.unvan in html and place.sicil in html
    assert 'aria-label="Ana Menü"' in html
    assert "Süreç Yönetimi" in html and "Kişi/Kurum Ekipman Kartı" in html
    assert "İşyeri Değiştir" in html and ">Çıkış</button>" in html


def test_choosing_another_workplace_replaces_the_session_workplace(client, app):
    choose_workplace(client, VISIBLE[0].sicil)
    choose_workplace(client, VISIBLE[1].sicil)
    from mock_portal.db import connect

    conn = connect(app.config["DATABASE"])
    sicils = [row[0] for row in conn.execute("SELECT sicil FROM sessions WHERE tc = ?", (DEMO_TC,))]
    conn.close()
    assert sicils == [VISIBLE[1].sicil]


def test_workplace_list_has_no_shell_until_a_workplace_is_chosen(client):
    assert 'aria-label="Ana Menü"' not in client.get("/isyerleri").get_data(as_text=True)


def test_bireysel_shows_the_professionals_own_contracts_read_only(app):
    professional = next(p for p in PROFESSIONALS if p.key == "p4")  # physician in w1 and w4
    client = app.test_client()
    from mock_portal.seed_demo import DEMO_PASSWORD

    log_in(client, professional.tc, DEMO_PASSWORD)
    page = client.get("/bireysel")
    visible = text(page)
    assert "Görevlendirildiğim İSG Hizmet Sözleşmeleri" in visible
    mine = [c for c in state(client)["contracts"] if c["professional_tc"] == professional.tc]
    assert len(mine) >= 3
    for contract in mine:
        assert contract["no"] in visible
    others = [c for c in state(client)["contracts"] if c["professional_tc"] != professional.tc]
    assert not any(c["no"] in visible for c in others)
    assert page.get_data(as_text=True).count("<form") == 1  # only "Çıkış": nothing to change here


def test_bireysel_says_so_when_the_person_has_no_contracts(client):
    assert "Adınıza kayıtlı sözleşme bulunmamaktadır." in text(client.get("/bireysel"))
