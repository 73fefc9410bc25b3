"""İSG Hizmet Sözleşmeleri: the list, row selection, approval, rejection and exactly-once."""

from __future__ import annotations

import re
import threading

import pytest

from tests.mock import factories as f
from tests.mock.conftest import sign_in

LIST = "/sozlesmeler/"
HEADERS = [
    "Görevlendirilen Kişi", "Unvan", "Belge Sınıfı", "Hizmet Veren", "Başlangıç Tarihi",
    "Çalışma Süresi (dk/ay)", "Süreç Tipi", "Sözleşme Durumu", "Onay Durumu", "Mevzuata Uygun",
]


@pytest.fixture
def shop(empty_app) -> f.Shop:
    return f.open_shop(empty_app, hazard="Tehlikeli")


def approval_url(no: str) -> str:
    return f"/sozlesmeler/{no}/onay"


def last_token(html: str) -> str:
    """The form token of the page's last form (the approval form; the first is "Çıkış")."""
    return re.findall(r'name="csrf_token" value="([^"]+)"', html)[-1]


def rows_of(html: str) -> list[str]:
    """The body rows of the contracts table, each as its full markup."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr\b.*?</tr>", body, flags=re.S)


def test_list_has_the_spec_columns_and_no_contract_number(shop):
    no = f.add_contract(shop.app, shop.sicil, no="5550001234")
    html = shop.client.get(LIST).get_data(as_text=True)
    headers = re.findall(r'<th scope="col">([^<]+)</th>', html)
    assert "<h1>İSG Hizmet Sözleşmeleri</h1>" in html
    assert headers == HEADERS
    assert no not in f.text_of(html)  # the number is on the approval and detail pages only


def test_waiting_rows_come_first_and_are_green(shop):
    f.add_contract(shop.app, shop.sicil, professional="Eski Uzman", start_date="2024-06-01")
    f.add_pending(shop.app, shop.sicil, professional="Bekleyen Hekim", title="İşyeri Hekimi", cert_class="-",
                  start_date="2023-01-01")
    rows = rows_of(shop.client.get(LIST).get_data(as_text=True))
    assert "Bekleyen Hekim" in rows[0] and 'class="pending"' in rows[0]
    assert "Eski Uzman" in rows[1] and 'class="pending"' not in rows[1]
    assert all('aria-selected="false"' in row for row in rows)


@pytest.mark.parametrize(
    ("cert_class", "minutes", "shown"),
    [("A", 400, "Evet"), ("C", 400, "Hayır"), ("A", 399, "Hayır")],
)
def test_mevzuata_uygun_reflects_the_rules(empty_app, cert_class, minutes, shown):
    shop = f.open_shop(empty_app, hazard="Tehlikeli")
    f.add_staff(shop.app, shop.sicil, 20)  # 20 employees x 20 min = 400 min minimum for an expert
    f.add_contract(shop.app, shop.sicil, cert_class=cert_class, minutes=minutes)
    row = rows_of(shop.client.get(LIST).get_data(as_text=True))[0]
    assert f.text_of(row).endswith(shown)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("islem=surec", "Lütfen onay bekleyen bir sözleşme seçiniz."),
        ("islem=surec&id=ACTIVE", "Lütfen onay bekleyen bir sözleşme seçiniz."),
        ("islem=surec&id=999", "Lütfen onay bekleyen bir sözleşme seçiniz."),
        ("islem=detay", "Lütfen bir sözleşme seçiniz."),
    ],
)
def test_buttons_without_a_suitable_selection_explain_what_to_select(shop, query, message):
    active = f.add_contract(shop.app, shop.sicil)
    answer = shop.client.get(f"/sozlesmeler/sec?{query.replace('ACTIVE', active)}", follow_redirects=True)
    assert message in f.text_of(answer.get_data(as_text=True))


def test_surec_git_and_detay_open_the_selected_row(shop):
    pending = f.add_pending(shop.app, shop.sicil)
    to_approval = shop.client.get(f"/sozlesmeler/sec?islem=surec&id={pending}")
    to_detail = shop.client.get(f"/sozlesmeler/sec?islem=detay&id={pending}")
    assert to_approval.location.endswith(approval_url(pending))
    assert to_detail.location.endswith(f"/sozlesmeler/{pending}")


def test_approval_page_shows_the_contract_the_warning_and_the_gate(shop):
    no = f.add_pending(shop.app, shop.sicil, professional="Şule Ağaoğlu", minutes=480)
    html = shop.client.get(approval_url(no)).get_data(as_text=True)
    text = f.text_of(html)
    assert "Sözleşme Onayı" in text and f"Sözleşme No {no}" in text and "Şule Ağaoğlu" in text
    assert "Uyarı:" in text
    assert '<label for="okudum">Okudum Onaylıyorum</label>' in html
    assert '<label for="red_gerekcesi">Red Gerekçesi</label>' in html
    assert ">Tamamla</button>" in html and ">Reddet</button>" in html


def test_tamamla_without_the_tick_is_refused_and_changes_nothing(shop):
    no = f.add_pending(shop.app, shop.sicil)
    answer = shop.post(approval_url(no), {"islem": "tamamla"})
    gate = "Devam etmek için 'Okudum Onaylıyorum' kutusunu işaretleyiniz."
    assert gate in f.text_of(answer.get_data(as_text=True))
    assert f.contract(shop.app, no)["approval"] == "Onay Bekliyor"
    assert f.audit(shop.app) == []


def test_tamamla_with_the_tick_approves_a_new_contract(shop):
    no = f.add_pending(shop.app, shop.sicil)
    answer = shop.post(approval_url(no), {"islem": "tamamla", "okudum": "1"})
    assert answer.status_code == 302
    assert "Sözleşme onaylandı." in shop.text(answer.location)
    row = f.contract(shop.app, no)
    assert (row["status"], row["approval"]) == ("Aktif", "Onaylandı")
    assert row["approved_at"]
    [entry] = f.audit(shop.app)
    assert (entry["action"], entry["sicil"], entry["target"]) == ("approve", shop.sicil, no)
    assert entry["account_tc"] == shop.tc


def test_approving_a_time_update_replaces_the_contract_it_updates(shop):
    parent = f.add_contract(shop.app, shop.sicil, minutes=300)
    update = f.add_pending(
        shop.app, shop.sicil, process_type="Süre Güncelleme", parent_no=parent, minutes=420
    )
    shop.post(approval_url(update), {"islem": "tamamla", "okudum": "1"})
    assert f.contract(shop.app, parent)["status"] == "Sonlandırıldı"
    updated = f.contract(shop.app, update)
    assert (updated["status"], updated["approval"], updated["minutes"]) == ("Aktif", "Onaylandı", 420)


def test_reddet_without_a_reason_is_refused(shop):
    no = f.add_pending(shop.app, shop.sicil)
    answer = shop.post(approval_url(no), {"islem": "reddet", "red_gerekcesi": "   "})
    assert "Reddetmek için 'Red Gerekçesi' alanını doldurunuz." in f.text_of(answer.get_data(as_text=True))
    assert f.contract(shop.app, no)["approval"] == "Onay Bekliyor"


def test_reddet_with_a_reason_ends_the_contract(shop):
    no = f.add_pending(shop.app, shop.sicil)
    answer = shop.post(approval_url(no), {"islem": "reddet", "red_gerekcesi": "Süre eksik yazılmış."})
    assert "Sözleşme reddedildi." in shop.text(answer.location)
    row = f.contract(shop.app, no)
    assert (row["status"], row["approval"]) == ("Sonlandırıldı", "Reddedildi")
    assert row["reject_reason"] == "Süre eksik yazılmış."
    assert [a["action"] for a in f.audit(shop.app)] == ["reject"]


def test_a_contract_no_longer_waiting_cannot_be_approved(shop):
    no = f.add_contract(shop.app, shop.sicil)
    page = shop.client.get(approval_url(no), follow_redirects=True)
    posted = shop.post(approval_url(no), {"islem": "tamamla", "okudum": "1"}, page=LIST)
    message = "Bu sözleşme için bekleyen bir onay bulunmamaktadır."
    assert message in f.text_of(page.get_data(as_text=True))
    assert message in shop.text(posted.location)
    assert f.audit(shop.app) == []


def test_the_same_form_posted_twice_is_applied_once(shop):
    no = f.add_pending(shop.app, shop.sicil)
    html = shop.client.get(approval_url(no)).get_data(as_text=True)
    token = last_token(html)
    form = {"csrf_token": token, "islem": "tamamla", "okudum": "1"}
    first = shop.client.post(approval_url(no), data=form)
    second = shop.client.post(approval_url(no), data=form)
    assert (first.status_code, second.status_code) == (302, 400)
    assert len(f.audit(shop.app, "approve")) == 1


def test_two_open_approval_pages_approve_once(shop):
    no = f.add_pending(shop.app, shop.sicil)
    tokens = [last_token(shop.client.get(approval_url(no)).get_data(as_text=True)) for _ in range(2)]
    answers = [shop.client.post(approval_url(no), data={"csrf_token": t, "islem": "tamamla", "okudum": "1"})
               for t in tokens]
    assert "Sözleşme onaylandı." in shop.text(answers[0].location)
    assert "Bu sözleşme için bekleyen bir onay bulunmamaktadır." in shop.text(answers[1].location)
    assert len(f.audit(shop.app, "approve")) == 1


def test_concurrent_approvals_apply_exactly_once(shop):
    no = f.add_pending(shop.app, shop.sicil)
    clients = []
    for _ in range(6):
        client = shop.app.test_client()
        sign_in(shop.app, client, shop.tc, shop.sicil)
        html = client.get(approval_url(no)).get_data(as_text=True)
        clients.append((client, last_token(html)))
    start, results = threading.Barrier(len(clients)), []

    def approve(client, token):
        start.wait()
        form = {"csrf_token": token, "islem": "tamamla", "okudum": "1"}
        results.append(client.post(approval_url(no), data=form))

    threads = [threading.Thread(target=approve, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.location.split("?")[1] for r in results) == ["e=not_pending"] * 5 + ["m=approved"]
    assert len(f.audit(shop.app, "approve")) == 1


def test_detail_page_shows_the_number_and_an_unapproved_date(shop):
    no = f.add_pending(shop.app, shop.sicil)
    text = shop.text(f"/sozlesmeler/{no}")
    assert "Sözleşme Detayı" in text and f"Sözleşme No {no}" in text
    assert "Onay Tarihi Onaylanmadı" in text and "PDF İndir" in text


@pytest.mark.parametrize("suffix", ["", "/onay", "/pdf"])
def test_a_strangers_contract_is_forbidden(shop, suffix):
    other = f.add_workplace(shop.app)
    f.add_account(shop.app, other)
    no = f.add_pending(shop.app, other)
    assert shop.client.get(f"/sozlesmeler/{no}{suffix}").status_code == 403
    assert "Bu işyerine erişim yetkiniz bulunmamaktadır." in shop.text(f"/sozlesmeler/{no}{suffix}")


def test_posting_an_approval_for_a_strangers_contract_is_forbidden(shop):
    other = f.add_workplace(shop.app)
    no = f.add_pending(shop.app, other)
    answer = shop.post(approval_url(no), {"islem": "tamamla", "okudum": "1"}, page=LIST)
    assert answer.status_code == 403
    assert f.contract(shop.app, no)["approval"] == "Onay Bekliyor"


def test_the_selection_endpoint_ignores_another_workplaces_contract(shop):
    other = f.add_workplace(shop.app)
    no = f.add_pending(shop.app, other)
    answer = shop.client.get(f"/sozlesmeler/sec?islem=surec&id={no}")
    assert answer.location.endswith("e=select_pending")
