"""The contract and İşyeri Kartı screens in headless Chromium: what only a real browser can show."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from mock_portal.security import COOKIE
from tests.mock import factories as f

pytestmark = pytest.mark.browser
GATE = "Devam etmek için 'Okudum Onaylıyorum' kutusunu işaretleyiniz."


@dataclass
class Desk:
    """A signed-in browser page at a workplace of a live portal."""

    page: Page
    url: str
    app: object
    sicil: str

    def open(self, path: str) -> Page:
        self.page.goto(self.url + path)
        return self.page


@pytest.fixture
def desk(live_portal, page: Page) -> Desk:
    sicil = f.add_workplace(live_portal.app, hazard="Tehlikeli")
    tc = f.add_account(live_portal.app, sicil)
    sid = f.session_for(live_portal.app, tc, sicil)
    page.context.add_cookies([{"name": COOKIE, "value": sid, "url": live_portal.url}])
    page.set_default_timeout(10_000)
    return Desk(page, live_portal.url, live_portal.app, sicil)


def contract_row(page: Page, professional: str):
    return page.get_by_role("row").filter(has_text=professional)


def test_a_row_is_selected_by_clicking_it_or_by_keyboard(desk):
    f.add_pending(desk.app, desk.sicil, professional="Birinci Uzman")
    f.add_contract(desk.app, desk.sicil, professional="İkinci Hekim", title="İşyeri Hekimi", cert_class="-")
    page = desk.open("/sozlesmeler/")
    first, second = contract_row(page, "Birinci Uzman"), contract_row(page, "İkinci Hekim")
    first.click()
    expect(first).to_have_attribute("aria-selected", "true")
    second.focus()
    page.keyboard.press("Space")
    expect(second).to_have_attribute("aria-selected", "true")
    expect(first).to_have_attribute("aria-selected", "false")
    page.get_by_role("button", name="Sürece Git").click()
    expect(page.get_by_role("alert")).to_have_text("Lütfen onay bekleyen bir sözleşme seçiniz.")


def test_tamamla_is_refused_until_okudum_onayliyorum_is_ticked(desk):
    no = f.add_pending(desk.app, desk.sicil, professional="Şeyma Güneş")
    page = desk.open("/sozlesmeler/")
    contract_row(page, "Şeyma Güneş").click()
    page.get_by_role("button", name="Sürece Git").click()
    expect(page.get_by_role("heading", name="Sözleşme Onayı")).to_be_visible()
    expect(page.get_by_text(no, exact=True)).to_be_visible()  # "Sözleşme No" is shown here
    page.get_by_role("button", name="Tamamla").click()
    expect(page.get_by_role("alert")).to_have_text(GATE)
    assert f.contract(desk.app, no)["approval"] == "Onay Bekliyor"
    page.get_by_label("Okudum Onaylıyorum").check()
    page.get_by_role("button", name="Tamamla").click()
    expect(page.get_by_role("status")).to_have_text("Sözleşme onaylandı.")
    expect(contract_row(page, "Şeyma Güneş")).to_contain_text("Onaylandı")
    assert len(f.audit(desk.app, "approve")) == 1


def test_reddet_asks_for_a_reason_then_rejects(desk):
    no = f.add_pending(desk.app, desk.sicil, professional="Reddedilecek Kişi")
    page = desk.open(f"/sozlesmeler/{no}/onay")
    page.get_by_role("button", name="Reddet").click()
    expect(page.get_by_role("alert")).to_have_text("Reddetmek için 'Red Gerekçesi' alanını doldurunuz.")
    page.get_by_label("Red Gerekçesi").fill("Belge sınıfı uygun değil.")
    page.get_by_role("button", name="Reddet").click()
    expect(page.get_by_role("status")).to_have_text("Sözleşme reddedildi.")


def test_pdf_indir_downloads_the_contract(desk, tmp_path: Path):
    no = f.add_contract(
        desk.app, desk.sicil, professional="Çağlar Işıkoğlu", approved_at="2024-04-01T10:00:00"
    )
    page = desk.open("/sozlesmeler/")
    contract_row(page, "Çağlar Işıkoğlu").click()
    page.get_by_role("button", name="Detay Görüntüle").click()
    expect(page.get_by_role("heading", name="Sözleşme Detayı")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="PDF İndir").click()
    download = info.value
    assert download.suggested_filename == f"sozlesme-{no}.pdf"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = PdfReader(target).pages[0].extract_text()
    assert no in text and desk.sicil in text and "Çağlar Işıkoğlu" in text


def test_bulk_update_confirms_in_a_dialog(desk):
    page = desk.open("/isyeri-karti/")
    page.get_by_role("tab", name="SGK 4A Çalışan Bilgileri").click()
    tab = page.get_by_role("tab", name="SGK 4A Çalışan Bilgileri")
    expect(tab).to_have_attribute("aria-selected", "true")
    page.get_by_role("button", name="Toplu Çalışan Güncelle").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Tüm çalışan bilgileri SGK'dan güncellenecek. Devam edilsin mi?")
    dialog.get_by_role("button", name="Vazgeç").click()
    expect(dialog).to_be_hidden()
    assert f.audit(desk.app, "bulk_update") == []
    page.get_by_role("button", name="Toplu Çalışan Güncelle").click()
    page.get_by_role("dialog").get_by_role("button", name="Evet").click()
    expect(page.get_by_role("status")).to_have_text("Toplu güncelleme talebiniz alındı.")
    expect(page.get_by_text(re.compile(r"^Son Toplu Güncelleme: (İşleniyor|Tamamlandı)"))).to_be_visible()
    assert len(f.audit(desk.app, "bulk_update")) == 1


def test_ilce_list_is_loaded_from_the_portal_after_choosing_an_il(desk):
    page = desk.open("/isyeri-karti/?tab=iletisim")
    ilce = page.get_by_label("İlçe", exact=True)
    expect(ilce).to_be_disabled()
    with page.expect_response(re.compile(r"/ilceler\?il=")) as answer:
        page.get_by_label("İl", exact=True).select_option("İzmir")
    assert answer.value.ok
    ilce.select_option("Karşıyaka")
    page.get_by_label("Telefon").fill("0232 555 12 34")
    page.get_by_label("E-Posta").fill("ik@ornek.com.tr")
    page.get_by_label("Adres").fill("Bostanlı Mah. 1. Sokak No: 3")
    page.get_by_role("group", name="İSG Profesyonelleri Çalışma Süre Güncellemesi Otomatik Yapılsın mı?") \
        .get_by_label("EVET").check()
    page.get_by_role("button", name="TAMAMLA").click()
    expect(page.get_by_role("status")).to_have_text("Bilgileriniz kaydedildi.")
    expect(page.get_by_label("İlçe", exact=True)).to_have_value("Karşıyaka")
    expect(page.get_by_label("EVET")).to_be_checked()


def test_a_wrong_phone_is_described_next_to_the_field(desk):
    page = desk.open("/isyeri-karti/?tab=iletisim")
    page.get_by_label("Telefon").fill("123")
    page.get_by_role("button", name="TAMAMLA").click()
    phone = page.get_by_label("Telefon")
    expect(phone).to_have_accessible_description("Geçerli bir telefon numarası giriniz.")
    expect(page.get_by_label("İl", exact=True)).to_have_accessible_description("İl seçiniz.")


def test_paging_follows_sayfa_basina_and_the_buttons(desk):
    f.add_staff(desk.app, desk.sicil, 23)
    page = desk.open("/isyeri-karti/?tab=sgk4a")
    table = page.get_by_role("table", name="SGK 4A Çalışan Bilgileri")
    expect(page.get_by_text("Sayfa 1 / 3")).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(11)  # header + 10
    expect(page.get_by_role("button", name="Önceki")).to_be_disabled()
    page.get_by_role("button", name="Sonraki").click()
    expect(page.get_by_text("Sayfa 2 / 3")).to_be_visible()
    page.get_by_role("combobox", name="Sayfa Başına").select_option("50")
    expect(page.get_by_text("Sayfa 1 / 1")).to_be_visible()
    expect(table.get_by_role("row")).to_have_count(24)
    expect(page.get_by_role("button", name="Sonraki")).to_be_disabled()


def test_the_screens_work_without_javascript(live_portal, browser):
    sicil = f.add_workplace(live_portal.app)
    tc = f.add_account(live_portal.app, sicil)
    no = f.add_pending(live_portal.app, sicil, professional="Betül Yazıcı")
    context = browser.new_context(java_script_enabled=False)
    sid = f.session_for(live_portal.app, tc, sicil)
    context.add_cookies([{"name": COOKIE, "value": sid, "url": live_portal.url}])
    page = context.new_page()
    try:
        page.goto(live_portal.url + "/sozlesmeler/")
        page.get_by_role("radio", name=re.compile("Betül Yazıcı")).check()
        page.get_by_role("button", name="Sürece Git").click()
        page.get_by_role("button", name="Tamamla").click()
        expect(page.get_by_role("alert")).to_have_text(GATE)
        page.get_by_label("Okudum Onaylıyorum").check()
        page.get_by_role("button", name="Tamamla").click()
        expect(page.get_by_role("status")).to_have_text("Sözleşme onaylandı.")
        assert f.contract(live_portal.app, no)["approval"] == "Onaylandı"

        page.goto(live_portal.url + "/isyeri-karti/?tab=sgk4a")
        page.get_by_role("button", name="Toplu Çalışan Güncelle").click()
        page.get_by_role("dialog").get_by_role("button", name="Evet").click()
        expect(page.get_by_role("status")).to_have_text("Toplu güncelleme talebiniz alındı.")

        page.get_by_role("tab", name="Kurumsal İletişim ve İzin İşlemleri").click()
        page.get_by_label("İl", exact=True).select_option("Ankara")
        page.get_by_role("button", name="İlçeleri Getir").click()
        page.get_by_label("İlçe", exact=True).select_option("Çankaya")
        expect(page.get_by_label("İlçe", exact=True)).to_have_value("Çankaya")
    finally:
        context.close()
