"""The seed generator: valid identifiers, determinism, sizes, the special cases and the demo account."""

from __future__ import annotations

import pytest

from mock_portal import create_app, seed
from mock_portal.db import connect
from mock_portal.seed_demo import DEMO_PASSWORD, DEMO_TC, PROFESSIONALS, WORKPLACES
from rpa.domain.identifiers import is_valid_sicil, is_valid_tc
from rpa.domain.rules import HazardClass
from tests.mock.portal_steps import state

DEMO_SICILS = {w.sicil for w in WORKPLACES}
TURKISH_LETTERS = set("çğıİöşüÇĞÖŞÜ")


@pytest.fixture(scope="module")
def data() -> seed.SeedData:
    return seed.generate(seed.SeedOptions())


@pytest.fixture
def app(tmp_path):
    return create_app({"DATABASE": str(tmp_path / "p.sqlite"), "TEST_MODE": True, "SEED": {}})


@pytest.fixture
def portal_state(app) -> dict:
    return state(app.test_client())


def test_every_generated_tc_passes_the_checksum(data):
    numbers = (
        [a["tc"] for a in data.accounts] + [e["tc"] for e in data.employees] + [s["tc"] for s in data.sgk]
    )
    numbers += [c["professional_tc"] for c in data.contracts]
    assert numbers and all(is_valid_tc(tc) for tc in numbers)


def test_every_sicil_has_26_digits_and_a_real_province_code(data):
    sicils = [w["sicil"] for w in data.workplaces]
    assert all(len(s) == 26 and s.isdigit() and is_valid_sicil(s) for s in sicils)
    assert len(set(sicils)) == len(sicils)


def test_same_options_give_the_same_portal_and_another_seed_another(data):
    assert seed.generate(seed.SeedOptions()) == data
    other = seed.generate(seed.SeedOptions(seed=7))
    assert other.workplaces != data.workplaces


def test_the_demo_account_is_the_same_whatever_the_seed(data):
    other = seed.generate(
        seed.SeedOptions(accounts=1, workplaces_per_account=1, employees_per_workplace=3, seed=9)
    )

    def demo_part(d: seed.SeedData) -> tuple:
        return (
            [w for w in d.workplaces if w["sicil"] in DEMO_SICILS],
            [c for c in d.contracts if c["sicil"] in DEMO_SICILS],
            [e for e in d.employees if e["sicil"] in DEMO_SICILS],
        )

    assert demo_part(other) == demo_part(data)


def test_names_are_turkish_with_turkish_letters(data):
    names = [e["name"] for e in data.employees] + [a["name"] for a in data.accounts]
    assert any(TURKISH_LETTERS & set(name) for name in names)
    assert all(len(name.split()) >= 2 for name in names)


def test_workplaces_cover_all_three_hazard_classes_with_company_names(data):
    assert {w["hazard_class"] for w in data.workplaces} == {h.value for h in HazardClass}
    assert all(w["unvan"].endswith(("A.Ş.", "Şti.")) for w in data.workplaces)
    assert len({w["unvan"] for w in data.workplaces}) == len(data.workplaces)


def test_contracts_come_in_every_status_and_both_process_types(data):
    pairs = {(c["status"], c["approval"]) for c in data.contracts}
    assert {
        ("Beklemede", "Onay Bekliyor"),
        ("Aktif", "Onaylandı"),
        ("Sonlandırıldı", "Onaylandı"),
        ("Sonlandırıldı", "Reddedildi"),
    } <= pairs
    assert {c["process_type"] for c in data.contracts if c["approval"] == "Onay Bekliyor"} == {
        "Yeni Sözleşme",
        "Süre Güncelleme",
    }


def test_each_time_update_points_to_the_active_contract_it_updates(data):
    by_no = {c["no"]: c for c in data.contracts}
    updates = [c for c in data.contracts if c["process_type"] == "Süre Güncelleme"]
    assert updates
    for update in updates:
        parent = by_no[update["parent_no"]]
        assert parent["status"] == "Aktif" and parent["sicil"] == update["sicil"]
        assert parent["title"] == update["title"] and parent["professional_tc"] == update["professional_tc"]


def test_professionals_have_titles_and_certificate_classes_as_the_portal_shows(data):
    for contract in data.contracts:
        if contract["title"] == "İş Güvenliği Uzmanı":
            assert contract["cert_class"] in {"A", "B", "C"}
        else:
            assert contract["cert_class"] == "-"
    assert {c["title"] for c in data.contracts} == {
        "İş Güvenliği Uzmanı",
        "İşyeri Hekimi",
        "Diğer Sağlık Personeli",
    }


def test_professionals_can_log_in_and_have_contracts_for_bireysel(data):
    account_tcs = {a["tc"] for a in data.accounts}
    assert {c["professional_tc"] for c in data.contracts} <= account_tcs


def test_some_pending_contracts_are_legally_wrong_and_some_are_fine(portal_state):
    pending = [c for c in portal_state["contracts"] if c["approval"] == "Onay Bekliyor"]
    places = {w["sicil"]: w for w in portal_state["workplaces"]}
    assert any(c["compliant"] for c in pending)
    assert any(
        c["cert_class"] == "C" and places[c["sicil"]]["hazard_class"] == "Çok Tehlikeli" for c in pending
    )
    assert any(not c["compliant"] and c["cert_class"] != "C" for c in pending)  # minutes under the minimum


def test_sgk_knows_hires_and_leavers_that_the_portals_list_lacks(data):
    listed = {(e["sicil"], e["tc"]): e for e in data.employees}
    hires = [s for s in data.sgk if (s["sicil"], s["tc"]) not in listed]
    leavers = [
        s for s in data.sgk if s["left"] and listed.get((s["sicil"], s["tc"]), {}).get("status") == "Aktif"
    ]
    assert hires and leavers


def test_there_is_an_account_without_two_step_verification(portal_state):
    assert any(not a["two_step"] and a["workplaces"] for a in portal_state["accounts"])


def test_a_generated_account_gets_extra_workplaces_only_after_refresh(portal_state):
    assert any(a["workplaces_after_refresh"] for a in portal_state["accounts"] if a["tc"] != DEMO_TC)


def test_demo_account_has_its_workplaces_one_after_refresh_and_no_contact_details(portal_state):
    demo = next(a for a in portal_state["accounts"] if a["tc"] == DEMO_TC)
    assert demo["password"] == DEMO_PASSWORD and demo["two_step"] is True
    assert demo["workplaces"] == [w.sicil for w in WORKPLACES if w.visible]
    assert demo["workplaces_after_refresh"] == [w.sicil for w in WORKPLACES if not w.visible]
    for place in (w for w in portal_state["workplaces"] if w["sicil"] in DEMO_SICILS):
        assert place["contact"] is None and place["auto_update"] is None


def test_demo_workplaces_have_the_documented_head_counts(portal_state):
    counts = {w["sicil"]: w["active_count"] for w in portal_state["workplaces"]}
    assert all(counts[w.sicil] == w.active for w in WORKPLACES)


def test_demo_pending_contracts_hold_each_kind_of_case(portal_state):
    pending = [
        c for c in portal_state["contracts"] if c["sicil"] in DEMO_SICILS and c["approval"] == "Onay Bekliyor"
    ]
    per_place = {w.sicil: sum(1 for c in pending if c["sicil"] == w.sicil) for w in WORKPLACES}
    assert all(1 <= n <= 3 for n in per_place.values())
    w2 = WORKPLACES[1].sicil
    held_cert = [c for c in pending if c["sicil"] == w2 and c["cert_class"] == "C"]
    held_minutes = [c for c in pending if not c["compliant"] and c["cert_class"] != "C"]
    assert len(held_cert) == 1 and not held_cert[0]["compliant"]
    assert {c["process_type"] for c in held_minutes} == {"Yeni Sözleşme", "Süre Güncelleme"}
    assert sum(c["compliant"] for c in pending) == 5


def test_demo_professionals_share_the_demo_password(portal_state):
    accounts = {a["tc"]: a for a in portal_state["accounts"]}
    assert all(accounts[p.tc]["password"] == DEMO_PASSWORD for p in PROFESSIONALS)


def test_sizes_scale_the_generated_portal():
    options = seed.SeedOptions(accounts=6, workplaces_per_account=2, employees_per_workplace=120, seed=3)
    data = seed.generate(options)
    generated = [w for w in data.workplaces if w["sicil"] not in DEMO_SICILS]
    assert len(generated) == 6 * 2 + 2  # accounts 3 and 6 get one workplace more, after refresh
    employees = [e for e in data.employees if e["sicil"] not in DEMO_SICILS]
    assert len(employees) == len(generated) * 120


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({"accounts": -1}, "accounts"),
        ({"workplaces": 0}, "workplaces_per_account"),
        ({"employees": "many"}, "employees_per_workplace"),
        ({"typo": 1}, "unknown"),
    ],
)
def test_bad_options_are_refused_with_the_reason(options, problem):
    with pytest.raises(ValueError, match=problem):
        seed.SeedOptions.from_mapping(options)


def test_load_if_empty_keeps_an_existing_portal(app):
    conn = connect(app.config["DATABASE"])
    conn.execute("UPDATE accounts SET name = 'Değişmiş' WHERE tc = ?", (DEMO_TC,))
    conn.close()
    assert seed.load_if_empty(app) is False
    again = create_app({"DATABASE": app.config["DATABASE"], "TEST_MODE": True, "SEED": {}})
    assert next(a for a in state(again.test_client())["accounts"] if a["tc"] == DEMO_TC)["name"] == "Değişmiş"


def test_new_contract_numbers_continue_after_the_highest_and_are_digits(app):
    conn = connect(app.config["DATABASE"])
    highest = conn.execute("SELECT MAX(CAST(no AS INTEGER)) FROM contracts").fetchone()[0]
    number = seed.new_contract_no(conn)
    conn.close()
    assert number.isdigit() and int(number) == highest + 1


def test_new_contract_number_of_an_empty_portal(tmp_path):
    empty = create_app({"DATABASE": str(tmp_path / "e.sqlite"), "SEED": None})
    conn = connect(empty.config["DATABASE"])
    assert seed.new_contract_no(conn) == str(seed.CONTRACT_NO_BASE)
    conn.close()
