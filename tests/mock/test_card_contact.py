"""Kurumsal İletişim ve İzin İşlemleri: field validation, il → ilçe, saving and the EVET/HAYIR choice."""

from __future__ import annotations

import re

import pytest

from tests.mock import factories as f

TAB = "/isyeri-karti/?tab=iletisim"
SAVE = "/isyeri-karti/iletisim"
GOOD = {
    "telefon": "0312 123 45 67",
    "eposta": "ik@ornek.com.tr",
    "adres": "Kızılay Mah. Atatürk Bulvarı No: 5",
    "il": "Ankara",
    "ilce": "Çankaya",
    "otomatik": "evet",
    "islem": "tamamla",
}


@pytest.fixture
def shop(empty_app) -> f.Shop:
    return f.open_shop(empty_app)


def errors_of(html: str) -> dict[str, str]:
    """Field id → its error text, only where the field points at the error (aria-describedby)."""
    described = dict(re.findall(r'id="(\w+)"[^>]*aria-invalid="true" aria-describedby="(\w+-hata)"', html))
    texts = dict(re.findall(r'<p id="(\w+-hata)" class="field-error">([^<]*)</p>', html))
    return {field: texts[ref] for field, ref in described.items()}


def saved(shop: f.Shop) -> dict:
    return dict(f.query(shop.app, "SELECT * FROM workplaces WHERE sicil = ?", (shop.sicil,))[0])


@pytest.mark.parametrize(
    "phone",
    ["03121234567", "0312 123 45 67", "+90 532 123 45 67", "(0216) 444-5566", "5321234567",
     "+90(212)1234567"],
)
def test_turkish_phone_numbers_are_accepted(shop, phone):
    answer = shop.post(SAVE, {**GOOD, "telefon": phone}, page=TAB)
    assert answer.status_code == 302
    assert saved(shop)["phone"] == phone


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("telefon", "", "Geçerli bir telefon numarası giriniz."),
        ("telefon", "0612 123 45 67", "Geçerli bir telefon numarası giriniz."),
        ("telefon", "0312 123 45 6", "Geçerli bir telefon numarası giriniz."),
        ("telefon", "0312 123 45 678", "Geçerli bir telefon numarası giriniz."),
        ("telefon", "+1 312 123 4567", "Geçerli bir telefon numarası giriniz."),
        ("telefon", "0312/1234567", "Geçerli bir telefon numarası giriniz."),
        ("telefon", "telefon yok", "Geçerli bir telefon numarası giriniz."),
        ("eposta", "", "Geçerli bir e-posta adresi giriniz."),
        ("eposta", "ik.ornek.com", "Geçerli bir e-posta adresi giriniz."),
        ("eposta", "ik@ornek", "Geçerli bir e-posta adresi giriniz."),
        ("eposta", "ik@@ornek.com", "Geçerli bir e-posta adresi giriniz."),
        ("eposta", "i k@ornek.com", "Geçerli bir e-posta adresi giriniz."),
        ("il", "", "İl seçiniz."),
        ("il", "Atlantis", "İl seçiniz."),
        ("ilce", "", "İlçe seçiniz."),
        ("ilce", "Kadıköy", "İlçe seçiniz."),  # a district of İstanbul, not of Ankara
        ("adres", "x" * 501, "Adres en fazla 500 karakter olabilir."),
    ],
)
def test_a_wrong_field_is_refused_with_its_message_next_to_it(shop, field, value, message):
    answer = shop.post(SAVE, {**GOOD, field: value}, page=TAB)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert errors_of(html) == {field: message}
    assert "Formda hatalı alanlar var." in f.text_of(html)
    assert saved(shop)["phone"] is None and f.audit(shop.app) == []


def test_a_refused_form_keeps_what_was_typed(shop):
    html = shop.post(SAVE, {**GOOD, "eposta": "yanlış"}, page=TAB).get_data(as_text=True)
    assert 'value="0312 123 45 67"' in html and 'value="yanlış"' in html
    assert '<option value="Çankaya" selected>' in html


def test_without_an_il_both_il_and_ilce_are_asked_for(shop):
    html = shop.post(SAVE, {**GOOD, "il": "", "ilce": ""}, page=TAB).get_data(as_text=True)
    assert errors_of(html) == {"il": "İl seçiniz.", "ilce": "İlçe seçiniz."}


def test_a_valid_form_is_saved_audited_and_shown_again(shop):
    answer = shop.post(SAVE, GOOD, page=TAB)
    html = shop.client.get(answer.location).get_data(as_text=True)
    assert "Bilgileriniz kaydedildi." in f.text_of(html)
    row = saved(shop)
    assert (row["phone"], row["email"], row["il"], row["ilce"], row["auto_update"]) == (
        "0312 123 45 67", "ik@ornek.com.tr", "Ankara", "Çankaya", 1,
    )
    assert 'value="ik@ornek.com.tr"' in html and '<option value="Ankara" selected>' in html
    assert '<option value="Çankaya" selected>' in html and 'value="evet" checked' in html
    assert [(a["action"], a["sicil"]) for a in f.audit(shop.app)] == [("contact_update", shop.sicil)]


@pytest.mark.parametrize(("before", "after"), [(None, None), (True, 1), (False, 0)])
def test_without_a_radio_choice_the_saved_answer_stays(empty_app, before, after):
    shop = f.open_shop(empty_app, auto_update=before)
    form = {k: v for k, v in GOOD.items() if k != "otomatik"}
    assert shop.post(SAVE, form, page=TAB).status_code == 302
    assert saved(shop)["auto_update"] == after


def test_hayir_is_saved_as_no(shop):
    shop.post(SAVE, {**GOOD, "otomatik": "hayir"}, page=TAB)
    assert saved(shop)["auto_update"] == 0
    assert 'value="hayir" checked' in shop.client.get(TAB).get_data(as_text=True)


def test_the_form_has_labels_a_radio_group_and_an_empty_ilce_before_an_il(shop):
    html = shop.client.get(TAB).get_data(as_text=True)
    for field, label in [("telefon", "Telefon"), ("eposta", "E-Posta"), ("adres", "Adres"), ("il", "İl"),
                         ("ilce", "İlçe"), ("otomatik-evet", "EVET"), ("otomatik-hayir", "HAYIR")]:
        assert f'<label for="{field}">{label}</label>' in html
    assert "<legend>İSG Profesyonelleri Çalışma Süre Güncellemesi Otomatik Yapılsın mı?</legend>" in html
    ilce = html.split('<select id="ilce"', 1)[1].split("</select>", 1)[0]
    assert " disabled" in ilce and ilce.count("<option") == 1
    il = html.split('<select id="il"', 1)[1].split("</select>", 1)[0]
    assert il.count("<option") == 82  # "Seçiniz" and the 81 provinces
    assert ">TAMAMLA</button>" in html


def test_ilceleri_getir_shows_the_districts_without_saving(shop):
    form = {**GOOD, "il": "Ankara", "ilce": "", "islem": "ilceler"}
    html = shop.post(SAVE, form, page=TAB).get_data(as_text=True)
    assert '<option value="Çankaya">' in html and errors_of(html) == {}
    assert saved(shop)["il"] is None


def test_the_portal_answers_the_districts_of_a_province(shop):
    answer = shop.client.get("/isyeri-karti/ilceler?il=İzmir")
    assert answer.status_code == 200
    assert answer.json["il"] == "İzmir" and "Karşıyaka" in answer.json["ilceler"]
    assert shop.client.get("/isyeri-karti/ilceler?il=Atlantis").status_code == 404
