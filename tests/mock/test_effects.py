"""The EVET/HAYIR effect of a changed active employee count, and the compliance helpers."""

from __future__ import annotations

from contextlib import closing

import pytest

from mock_portal import compliance
from mock_portal.db import connect, write
from mock_portal.effects import apply_count_change
from tests.mock import factories as f

TAB = "/isyeri-karti/?tab=sgk4a"
LIST = "/sozlesmeler/"


def hire(shop: f.Shop, count: int) -> None:
    """SGK learns of `count` new employees and the employer verifies each of them."""
    for tc in f.add_staff(shop.app, shop.sicil, count, portal=False):
        shop.post("/isyeri-karti/dogrula", {"tc": tc}, page=TAB)


def updates_of(shop: f.Shop, parent: str) -> list:
    return f.query(shop.app, "SELECT * FROM contracts WHERE parent_no = ? ORDER BY no", (parent,))


def test_evet_raises_the_minutes_to_the_new_minimum(empty_app):
    shop = f.open_shop(empty_app, hazard="Tehlikeli", auto_update=True)
    f.add_staff(shop.app, shop.sicil, 30)
    no = f.add_contract(shop.app, shop.sicil, minutes=600)  # 30 x 20 min: exactly the minimum
    hire(shop, 2)
    assert f.contract(shop.app, no)["minutes"] == 640
    assert updates_of(shop, no) == []
    assert "Evet" in f.text_of(shop.client.get(LIST).get_data(as_text=True)).split("Mevzuata Uygun", 1)[1]


def test_evet_never_lowers_the_minutes_when_people_leave(empty_app):
    shop = f.open_shop(empty_app, hazard="Tehlikeli", auto_update=True)
    staff = f.add_staff(shop.app, shop.sicil, 10)
    no = f.add_contract(shop.app, shop.sicil, minutes=200)
    f.sgk_leave(shop.app, shop.sicil, staff[0], "2024-05-31")
    shop.post("/isyeri-karti/dogrula", {"tc": staff[0]}, page=TAB)
    assert "Aktif Çalışan Sayısı: 9" in shop.text(TAB)
    assert f.contract(shop.app, no)["minutes"] == 200


@pytest.mark.parametrize("auto_update", [False, None])
def test_hayir_or_unanswered_asks_the_employer_to_approve_a_time_update(empty_app, auto_update):
    shop = f.open_shop(empty_app, hazard="Tehlikeli", auto_update=auto_update)
    f.add_staff(shop.app, shop.sicil, 30)
    no = f.add_contract(shop.app, shop.sicil, minutes=600, professional="Gökhan Şimşek")
    hire(shop, 1)
    assert f.contract(shop.app, no)["minutes"] == 600
    [update] = updates_of(shop, no)
    assert (update["process_type"], update["status"], update["approval"], update["minutes"]) == (
        "Süre Güncelleme", "Beklemede", "Onay Bekliyor", 620,
    )
    assert update["professional"] == "Gökhan Şimşek"
    html = shop.client.get(LIST).get_data(as_text=True)
    first_row, second_row = html.split("<tbody>", 1)[1].split("</tr>")[:2]
    assert 'class="pending"' in first_row and "Süre Güncelleme" in first_row
    assert f.text_of(second_row).endswith("Hayır")  # the old contract is now below the minimum


def test_never_two_waiting_updates_for_one_contract(empty_app):
    shop = f.open_shop(empty_app, hazard="Tehlikeli", auto_update=False)
    f.add_staff(shop.app, shop.sicil, 30)
    no = f.add_contract(shop.app, shop.sicil, minutes=600)
    hire(shop, 1)
    hire(shop, 2)
    [update] = updates_of(shop, no)
    assert update["minutes"] == 660  # raised to the latest minimum while still waiting


def test_approving_the_time_update_makes_the_contract_compliant_again(empty_app):
    shop = f.open_shop(empty_app, hazard="Tehlikeli", auto_update=False)
    f.add_staff(shop.app, shop.sicil, 30)
    no = f.add_contract(shop.app, shop.sicil, minutes=600)
    hire(shop, 1)
    [update] = updates_of(shop, no)
    shop.post(f"/sozlesmeler/{update['no']}/onay", {"islem": "tamamla", "okudum": "1"}, page=LIST)
    assert f.contract(shop.app, no)["status"] == "Sonlandırıldı"
    with shop.app.app_context(), closing(connect(shop.app.config["DATABASE"])) as conn:
        assert compliance.is_compliant(conn, f.contract(shop.app, update["no"]))


@pytest.mark.parametrize(("auto_update", "waiting"), [(True, 0), (False, 1)])
def test_minutes_are_capped_at_one_full_time_professional(empty_app, auto_update, waiting):
    shop = f.open_shop(empty_app, hazard="Çok Tehlikeli", auto_update=auto_update)
    f.add_staff(shop.app, shop.sicil, 300)  # 300 x 40 min = 12000 > 11700
    no = f.add_contract(shop.app, shop.sicil, minutes=9000)
    with shop.app.app_context(), closing(connect(shop.app.config["DATABASE"])) as conn, write(conn):
        apply_count_change(conn, shop.sicil)
    updates = updates_of(shop, no)
    assert len(updates) == waiting
    assert [u["minutes"] for u in updates] == [11700] * waiting
    assert f.contract(shop.app, no)["minutes"] == (11700 if auto_update else 9000)


def test_a_rise_in_count_leaves_ended_and_waiting_contracts_alone(empty_app):
    shop = f.open_shop(empty_app, hazard="Tehlikeli", auto_update=True)
    f.add_staff(shop.app, shop.sicil, 30)
    ended = f.add_contract(shop.app, shop.sicil, minutes=100, status="Sonlandırıldı")
    waiting = f.add_pending(shop.app, shop.sicil, minutes=100)
    hire(shop, 1)
    assert [f.contract(shop.app, n)["minutes"] for n in (ended, waiting)] == [100, 100]


@pytest.mark.parametrize(
    ("value", "refused"),
    [(1, False), (11700, False), ("480", False), (0, True), (11701, True), (-5, True), ("", True),
     ("12.5", True)],
)
def test_minutes_outside_1_to_11700_are_refused(value, refused):
    expected = "1 ile 11700 arasında bir değer giriniz" if refused else None
    assert compliance.minutes_error(value) == expected


def test_contract_violations_name_the_wrong_certificate_and_short_minutes(empty_app):
    shop = f.open_shop(empty_app, hazard="Çok Tehlikeli")
    f.add_staff(shop.app, shop.sicil, 10)
    no = f.add_contract(shop.app, shop.sicil, cert_class="C", minutes=399)
    with closing(connect(shop.app.config["DATABASE"])) as conn:
        problems = compliance.contract_violations(conn, f.contract(shop.app, no))
    assert problems == ["C sınıfı uzman Çok Tehlikeli işyerinde görev alamaz.",
                        "Çalışma süresi yasal asgari sürenin altında: 399 dk < 400 dk (10 çalışan, Çok Tehlikeli)."]
