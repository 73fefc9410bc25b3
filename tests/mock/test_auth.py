"""Start page, e-Devlet login, two-step verification, choice screen and logout of the mock portal."""

from __future__ import annotations

import pytest

from mock_portal import create_app
from mock_portal.seed import DEMO_PASSWORD, DEMO_TC
from tests.mock.portal_steps import (
    Clock,
    account_where,
    enter_code,
    enter_password,
    log_in,
    sms_code,
    text,
    tokens,
)

WRONG_CREDENTIALS = "T.C. Kimlik No veya şifre hatalı."
NO_TWO_STEP = "İki aşamalı doğrulama aktif olmayan kullanıcılar sisteme giriş yapamaz."
TOO_MANY = "Doğrulama kodu 3 kez hatalı girildi. Lütfen tekrar giriş yapınız."
CODE_EXPIRED = "Doğrulama kodunun süresi doldu. Lütfen tekrar giriş yapınız."


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(tmp_path, clock):
    return create_app({"DATABASE": str(tmp_path / "p.sqlite"), "TEST_MODE": True, "SEED": {}, "CLOCK": clock})


@pytest.fixture
def client(app):
    return app.test_client()


def test_start_page_shows_the_portal_heading_and_the_e_devlet_link(client):
    page = client.get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<h1>İSG-KATİP</h1>" in html
    assert 'href="/giris"' in html and ">e-Devlet Giriş</a>" in html


def test_e_devlet_page_has_labelled_fields_and_the_login_button(client):
    html = client.get("/giris").get_data(as_text=True)
    assert "<h1>e-Devlet Kapısı Kimlik Doğrulama</h1>" in html
    assert '<label for="tc">T.C. Kimlik No</label>' in html and 'id="tc"' in html
    assert '<label for="password">e-Devlet Şifresi</label>' in html and 'id="password"' in html
    assert '<button type="submit">Giriş Yap</button>' in html


@pytest.mark.parametrize(
    ("tc", "password", "message"),
    [
        (DEMO_TC, "yanlis-sifre", WRONG_CREDENTIALS),
        (DEMO_TC, "", WRONG_CREDENTIALS),
        ("", DEMO_PASSWORD, WRONG_CREDENTIALS),
        ("12345678901", DEMO_PASSWORD, WRONG_CREDENTIALS),  # not even a valid number
        ("10000000146", DEMO_PASSWORD, WRONG_CREDENTIALS),  # valid number, no such account
        (DEMO_TC, DEMO_PASSWORD.upper(), WRONG_CREDENTIALS),  # passwords are case sensitive
        ("no-two-step", None, NO_TWO_STEP),
    ],
)
def test_login_errors_show_the_portals_message(app, client, tc, password, message):
    if tc == "no-two-step":
        tc, password = account_where(app, "two_step = 0")
    page = enter_password(client, tc, password)
    assert page.status_code == 200
    assert message in text(page)
    assert "İki Aşamalı Doğrulama" not in text(page)
    assert client.get(f"/_dev/sms?tc={tc}").status_code == 404  # no code was sent


def test_login_accepts_a_number_typed_with_spaces(client):
    answer = enter_password(client, "384 729 105 10", DEMO_PASSWORD)
    assert answer.status_code == 302 and answer.location.endswith("/dogrulama")


def test_right_password_sends_a_six_digit_code_and_shows_the_two_step_page(client):
    answer = enter_password(client)
    page = client.get(answer.location)
    code = sms_code(client, DEMO_TC)
    assert len(code) == 6 and code.isdigit()
    visible = text(page)
    assert "İki Aşamalı Doğrulama" in visible
    assert "Kayıtlı telefonunuza gönderilen doğrulama kodunu giriniz." in visible
    assert '<label for="code">Doğrulama Kodu</label>' in page.get_data(as_text=True)
    assert "Onayla" in visible


def test_right_code_leads_to_the_choice_between_bireysel_and_kurumsal(client):
    answer = log_in(client)
    assert answer.location.endswith("/secim")
    page = client.get("/secim")
    html = page.get_data(as_text=True)
    assert '<button type="submit">Bireysel</button>' in html
    assert '<button type="submit">Kurumsal</button>' in html
    assert client.get("/_dev/sms?tc=" + DEMO_TC).status_code == 404  # the code was used up


def test_wrong_code_says_so_and_lets_the_person_try_again(client):
    enter_password(client)
    right = sms_code(client, DEMO_TC)
    wrong = "000000" if right != "000000" else "111111"
    page = enter_code(client, wrong)
    assert "Doğrulama kodu hatalı." in text(page)
    assert enter_code(client, right).location.endswith("/secim")


def test_three_wrong_codes_send_the_person_back_to_login_and_burn_the_code(client):
    enter_password(client)
    right = sms_code(client, DEMO_TC)
    wrong = "000000" if right != "000000" else "111111"
    enter_code(client, wrong)
    enter_code(client, wrong)
    third = enter_code(client, wrong)
    assert third.status_code == 302 and "/giris" in third.location
    assert TOO_MANY in text(client.get(third.location))
    # The right code no longer helps: the two-step page is gone until the password is typed again.
    assert client.get("/dogrulama").location.endswith("/giris")
    assert client.get("/secim").status_code == 302


def test_code_expires_after_180_seconds(client, clock):
    enter_password(client)
    code = sms_code(client, DEMO_TC)
    page_before = client.get("/dogrulama")
    clock.advance(seconds=181)
    answer = client.post("/dogrulama", data={"code": code, "csrf_token": _last_token(page_before)})
    assert "/giris" in answer.location
    assert CODE_EXPIRED in text(client.get(answer.location))
    assert client.get("/secim").status_code == 302  # not logged in


def test_code_is_still_good_just_before_it_expires(client, clock):
    enter_password(client)
    code = sms_code(client, DEMO_TC)
    page_before = client.get("/dogrulama")
    clock.advance(seconds=179)
    answer = client.post("/dogrulama", data={"code": code, "csrf_token": _last_token(page_before)})
    assert answer.location.endswith("/secim")


def test_code_lifetime_follows_the_fault_settings(client, clock):
    client.post("/_dev/faults", json={"sms_ttl_s": 10})
    enter_password(client)
    code = sms_code(client, DEMO_TC)
    page_before = client.get("/dogrulama")
    clock.advance(seconds=11)
    answer = client.post("/dogrulama", data={"code": code, "csrf_token": _last_token(page_before)})
    assert CODE_EXPIRED in text(client.get(answer.location))


def test_two_step_page_without_a_password_goes_back_to_login(client):
    assert client.get("/dogrulama").location.endswith("/giris")


def test_a_logged_in_person_skips_the_e_devlet_page(client):
    log_in(client)
    assert client.get("/giris").location.endswith("/secim")


def test_logout_ends_the_session_on_the_server(client):
    log_in(client)
    page = client.get("/secim")
    answer = client.post("/cikis", data={"csrf_token": _last_token(page)})
    assert answer.location.endswith("/")
    assert client.get("/secim").status_code == 302
    assert client.get("/isyerleri").status_code == 302


def test_the_sms_sink_receives_each_code(app, client):
    sent = []
    app.config["SMS_SINK"] = lambda tc, code: sent.append((tc, code))
    enter_password(client)
    assert sent == [(DEMO_TC, sms_code(client, DEMO_TC))]


def _last_token(page) -> str:
    return tokens(page)[-1]
