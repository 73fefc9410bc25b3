"""İşyeri Kartı: the tabs and "SGK 4A Çalışan Bilgileri" (paging, Doğrula, Toplu Çalışan Güncelle)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from tests.mock import factories as f

CARD = "/isyeri-karti/"
TAB = "/isyeri-karti/?tab=sgk4a"
START = datetime(2024, 6, 3, 9, 0, 0)


@pytest.fixture
def clock(empty_app) -> f.Clock:
    clock = f.Clock(START)
    empty_app.config["CLOCK"] = clock
    return clock


@pytest.fixture
def shop(empty_app, clock) -> f.Shop:
    return f.open_shop(empty_app, hazard="Az Tehlikeli")


def names_on(shop: f.Shop, path: str) -> list[str]:
    html = shop.client.get(path).get_data(as_text=True)
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [f.text_of(cells[1]) for cells in (re.findall(r"<td>(.*?)</td>", row, flags=re.S)
                                             for row in re.findall(r"<tr>.*?</tr>", body, flags=re.S))]


@pytest.mark.parametrize(
    ("query", "selected"),
    [("", "Genel Bilgiler"), ("?tab=sgk4a", "SGK 4A Çalışan Bilgileri"),
     ("?tab=iletisim", "Kurumsal İletişim ve İzin İşlemleri"), ("?tab=nope", "Genel Bilgiler")],
)
def test_the_card_has_three_tabs_and_opens_the_one_asked_for(shop, query, selected):
    html = shop.client.get(CARD + query).get_data(as_text=True)
    tabs = re.findall(r'<a role="tab"[^>]*aria-selected="(true|false)"[^>]*>([^<]+)</a>', html)
    assert "<h1>İşyeri Kartı Bilgileri</h1>" in html and 'role="tablist"' in html
    assert [name for _, name in tabs] == [
        "Genel Bilgiler", "SGK 4A Çalışan Bilgileri", "Kurumsal İletişim ve İzin İşlemleri",
    ]
    assert [name for flag, name in tabs if flag == "true"] == [selected]
    assert html.count('role="tabpanel"') == 1


def test_active_count_ignores_leavers_and_dates_are_turkish(shop):
    f.add_staff(shop.app, shop.sicil, 3)
    f.add_person(shop.app, shop.sicil, name="Ayrılan Kişi", hired="2021-04-05", left="2024-01-31")
    text = shop.text(TAB)
    assert "Aktif Çalışan Sayısı: 3" in text
    assert "Ayrılan Kişi 05.04.2021 31.01.2024 Çıkış" in text


@pytest.mark.parametrize(
    ("query", "rows", "position"),
    [
        ("", 10, "Sayfa 1 / 3"),
        ("&sayfa=2", 10, "Sayfa 2 / 3"),
        ("&sayfa=3", 3, "Sayfa 3 / 3"),
        ("&sayfa=99", 3, "Sayfa 3 / 3"),
        ("&sayfa=x", 10, "Sayfa 1 / 3"),
        ("&boyut=50", 23, "Sayfa 1 / 1"),
        ("&boyut=7", 10, "Sayfa 1 / 3"),
    ],
)
def test_the_list_is_paged(shop, query, rows, position):
    f.add_staff(shop.app, shop.sicil, 23)
    assert len(names_on(shop, TAB + query)) == rows
    assert position in shop.text(TAB + query)


def test_previous_and_next_are_disabled_at_the_ends(shop):
    f.add_staff(shop.app, shop.sicil, 11)
    first = shop.client.get(TAB).get_data(as_text=True)
    last = shop.client.get(TAB + "&sayfa=2").get_data(as_text=True)
    assert "disabled>Önceki</button>" in first and " disabled>Sonraki" not in first
    assert "disabled>Sonraki</button>" in last and " disabled>Önceki" not in last


def test_page_size_is_a_labelled_combobox_with_the_four_sizes(shop):
    html = shop.client.get(TAB + "&boyut=100").get_data(as_text=True)
    assert '<label for="boyut">Sayfa Başına</label>' in html
    assert re.findall(r'<option value="(\d+)"', html) == ["10", "50", "100", "500"]
    assert '<option value="100" selected>' in html


def test_names_are_in_turkish_alphabetical_order(shop):
    for name in ["Zeynep Ak", "Çağrı Er", "Cem Öz", "İlker Su", "Ismail Ok", "Ali Veli", "Alican Ok"]:
        f.add_person(shop.app, shop.sicil, name=name)
    assert names_on(shop, TAB) == [
        "Ali Veli", "Alican Ok", "Cem Öz", "Çağrı Er", "Ismail Ok", "İlker Su", "Zeynep Ak",
    ]


@pytest.mark.parametrize("typed", ["", "123", "12345678901", "02345678901", "abcdefghijk", "1234567890123"])
def test_doğrula_refuses_a_malformed_tc(shop, typed):
    answer = shop.post("/isyeri-karti/dogrula", {"tc": typed}, page=TAB)
    assert "Geçersiz TC Kimlik No." in shop.text(answer.location)
    assert f.audit(shop.app) == []


def test_doğrula_says_when_sgk_has_no_record(shop):
    answer = shop.post("/isyeri-karti/dogrula", {"tc": f.new_tc()}, page=TAB)
    assert "SGK kaydı bulunamadı." in shop.text(answer.location)


def test_doğrula_adds_a_hire_as_active(shop):
    tc = f.add_person(shop.app, shop.sicil, name="Yeni Gelen", hired="2024-05-20", portal=False)
    answer = shop.post("/isyeri-karti/dogrula", {"tc": f" {tc} "}, page=TAB)
    text = shop.text(answer.location)
    assert "Çalışan bilgisi güncellendi." in text
    assert f"{tc} Yeni Gelen 20.05.2024 Aktif" in text and "Aktif Çalışan Sayısı: 1" in text
    [entry] = f.audit(shop.app)
    assert (entry["action"], entry["sicil"], entry["target"]) == ("verify", shop.sicil, tc)


def test_doğrula_marks_a_leaver_with_the_exit_date(shop):
    tc = f.add_person(shop.app, shop.sicil, name="Giden Kişi", hired="2020-01-02")  # active in both
    f.sgk_leave(shop.app, shop.sicil, tc, "2024-05-31")
    answer = shop.post("/isyeri-karti/dogrula", {"tc": tc}, page=TAB)
    text = shop.text(answer.location)
    assert f"{tc} Giden Kişi 02.01.2020 31.05.2024 Çıkış" in text
    assert "Aktif Çalışan Sayısı: 0" in text


def test_bulk_update_asks_for_confirmation_first(shop):
    closed = shop.client.get(TAB).get_data(as_text=True)
    opened = shop.client.get(TAB + "&onay=toplu").get_data(as_text=True)
    question = "Tüm çalışan bilgileri SGK&#39;dan güncellenecek. Devam edilsin mi?"
    assert '<dialog id="bulk-dialog" aria-labelledby="bulk-dialog-text" >' in closed
    assert '<dialog id="bulk-dialog" aria-labelledby="bulk-dialog-text" open>' in opened
    assert question in opened and ">Evet</button>" in opened and ">Vazgeç</button>" in opened
    assert f.audit(shop.app) == []


def test_vazgec_changes_nothing(shop):
    answer = shop.post("/isyeri-karti/toplu", {"yanit": "vazgec"}, page=TAB)
    assert "Son Toplu Güncelleme: Yapılmadı" in shop.text(answer.location)
    assert f.audit(shop.app) == []


def test_bulk_update_completes_after_its_delay_and_copies_sgk(shop, clock):
    shop.app.config["FAULTS"].update(bulk_delay_s=5)
    gone = f.add_person(shop.app, shop.sicil, name="Eski Kayıt", sgk=False)
    f.add_staff(shop.app, shop.sicil, 4, portal=False)
    answer = shop.post("/isyeri-karti/toplu", {"yanit": "evet"}, page=TAB)
    first = shop.text(answer.location)
    assert "Toplu güncelleme talebiniz alındı." in first
    assert "Son Toplu Güncelleme: İşleniyor" in first and "Aktif Çalışan Sayısı: 1" in first
    clock.advance(6)
    later = shop.text(TAB)
    assert "Son Toplu Güncelleme: Tamamlandı (03.06.2024 09:00:05)" in later
    assert "Aktif Çalışan Sayısı: 4" in later and gone not in later
    assert [a["action"] for a in f.audit(shop.app)] == ["bulk_update"]


def test_bulk_update_is_limited_to_one_per_ten_minutes(shop, clock):
    shop.app.config["FAULTS"].update(bulk_delay_s=0)
    shop.post("/isyeri-karti/toplu", {"yanit": "evet"}, page=TAB)
    clock.advance(599)
    refused = shop.post("/isyeri-karti/toplu", {"yanit": "evet"}, page=TAB)
    assert "Toplu güncelleme en fazla 10 dakikada bir yapılabilir." in shop.text(refused.location)
    clock.advance(1)
    accepted = shop.post("/isyeri-karti/toplu", {"yanit": "evet"}, page=TAB)
    assert "Toplu güncelleme talebiniz alındı." in shop.text(accepted.location)
    assert len(f.audit(shop.app, "bulk_update")) == 2


def test_the_rate_limit_message_names_a_configured_interval(shop):
    shop.app.config["FAULTS"].update(bulk_interval_s=300)
    shop.post("/isyeri-karti/toplu", {"yanit": "evet"}, page=TAB)
    refused = shop.post("/isyeri-karti/toplu", {"yanit": "evet"}, page=TAB)
    assert "Toplu güncelleme en fazla 5 dakikada bir yapılabilir." in shop.text(refused.location)


def test_settling_is_exactly_once_even_when_read_twice(shop, clock):
    from mock_portal.db import connect
    from mock_portal.employees import settle_bulk_updates

    shop.app.config["FAULTS"].update(bulk_delay_s=1)
    f.add_staff(shop.app, shop.sicil, 2, portal=False)
    shop.post("/isyeri-karti/toplu", {"yanit": "evet"}, page=TAB)
    clock.advance(2)
    with shop.app.app_context():
        conn = connect(shop.app.config["DATABASE"])
        assert [settle_bulk_updates(conn), settle_bulk_updates(conn, shop.sicil)] == [1, 0]
        conn.close()
