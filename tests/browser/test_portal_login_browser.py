"""A real headless Chromium logs into the mock portal through its pages, as the robot will."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from mock_portal.seed_demo import DEMO_PASSWORD, DEMO_TC, WORKPLACES

pytestmark = pytest.mark.browser
W1 = WORKPLACES[0]
LATE = next(w for w in WORKPLACES if not w.visible)


def log_in(page: Page, live_portal) -> None:
    page.goto(live_portal.url + "/")
    expect(page.get_by_role("heading", name="İSG-KATİP")).to_be_visible()
    page.get_by_role("link", name="e-Devlet Giriş").click()
    expect(page.get_by_role("heading", name="e-Devlet Kapısı Kimlik Doğrulama")).to_be_visible()
    page.get_by_label("T.C. Kimlik No").fill(DEMO_TC)
    page.get_by_label("e-Devlet Şifresi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Giriş Yap").click()
    expect(page.get_by_role("heading", name="İki Aşamalı Doğrulama")).to_be_visible()
    code = live_portal.dev(f"sms?tc={DEMO_TC}")["code"]
    page.get_by_role("textbox", name="Doğrulama Kodu").fill(code)
    page.get_by_role("button", name="Onayla").click()
    expect(page.get_by_role("button", name="Kurumsal")).to_be_visible()


def test_person_logs_in_chooses_a_workplace_and_opens_the_contracts_menu(page: Page, live_portal):
    log_in(page, live_portal)
    expect(page.get_by_role("button", name="Bireysel")).to_be_visible()
    page.get_by_role("button", name="Kurumsal").click()
    expect(page.get_by_role("heading", name="E-Bildirge Kullanıcısı Olduğunuz İşyerleri")).to_be_visible()
    for header in ("SGK Sicil No", "İşyeri Unvanı", "Tehlike Sınıfı"):
        expect(page.get_by_role("columnheader", name=header)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=W1.sicil)
    row.get_by_role("button", name="Seç").click()
    expect(page.get_by_text(W1.unvan).first).to_be_visible()
    menu = page.get_by_role("navigation", name="Ana Menü")
    expect(menu.get_by_role("link", name="İSG Hizmet Sözleşmeleri")).to_be_hidden()
    menu.get_by_role("button", name="Süreç Yönetimi").click()
    expect(menu.get_by_role("button", name="Süreç Yönetimi")).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="İSG Hizmet Sözleşmeleri")).to_be_visible()


def test_refresh_button_brings_the_late_workplace_into_the_list(page: Page, live_portal):
    log_in(page, live_portal)
    page.get_by_role("button", name="Kurumsal").click()
    expect(page.get_by_role("row").filter(has_text=LATE.sicil)).to_have_count(0)
    page.get_by_role("button", name="E-Bildirge Kullanıcısı Olduğum İş Yerlerini Getir").click()
    expect(page.get_by_role("status")).to_have_text("Talebiniz alındı. İşyeri listeniz güncelleniyor.")
    expect(page.get_by_role("row").filter(has_text=LATE.sicil)).to_have_count(1)


def test_wrong_password_is_reported_on_the_e_devlet_page(page: Page, live_portal):
    page.goto(live_portal.url + "/giris")
    page.get_by_label("T.C. Kimlik No").fill(DEMO_TC)
    page.get_by_label("e-Devlet Şifresi").fill("yanlış")
    page.get_by_role("button", name="Giriş Yap").click()
    expect(page.get_by_role("alert")).to_have_text("T.C. Kimlik No veya şifre hatalı.")


def test_logout_returns_to_the_start_page(page: Page, live_portal):
    log_in(page, live_portal)
    page.get_by_role("button", name="Çıkış").click()
    expect(page.get_by_role("heading", name="İSG-KATİP")).to_be_visible()
    page.goto(live_portal.url + "/isyerleri")
    expect(page).to_have_url(re.compile(r"/$"))
