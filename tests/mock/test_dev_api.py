"""The `/_dev/` test API: sms, reset, state, SGK changes, contracts, faults."""

from __future__ import annotations

import json

import pytest

from mock_portal import create_app
from mock_portal.seed_demo import DEMO_TC, WORKPLACES
from rpa.domain.identifiers import generate_tc, is_valid_tc
from tests.mock.portal_steps import enter_password, log_in, post_from, state

W1, W2 = WORKPLACES[0], WORKPLACES[1]
STATE_KEYS = {"accounts", "workplaces", "contracts", "employees", "sgk", "audit"}


@pytest.fixture
def app(tmp_path):
    return create_app({"DATABASE": str(tmp_path / "p.sqlite"), "TEST_MODE": True, "SEED": {}})


@pytest.fixture
def client(app):
    return app.test_client()


def new_tc(n: int = 0) -> str:
    import random

    return generate_tc(random.Random(900 + n))


def test_sms_returns_the_last_code_sent_to_that_person(client):
    assert client.get(f"/_dev/sms?tc={DEMO_TC}").status_code == 404
    enter_password(client)
    answer = client.get(f"/_dev/sms?tc={DEMO_TC}").get_json()
    assert answer["tc"] == DEMO_TC and len(answer["code"]) == 6


def test_state_has_the_documented_shape(client):
    data = state(client)
    assert set(data) >= STATE_KEYS
    account = next(a for a in data["accounts"] if a["tc"] == DEMO_TC)
    assert {"tc", "password", "two_step", "workplaces", "workplaces_after_refresh"} <= set(account)
    place = next(w for w in data["workplaces"] if w["sicil"] == W1.sicil)
    assert place["active_count"] == W1.active and place["hazard_class"] == "Tehlikeli"
    assert place["auto_update"] is None and place["contact"] is None
    contract = data["contracts"][0]
    assert {
        "no",
        "sicil",
        "professional",
        "title",
        "cert_class",
        "minutes",
        "process_type",
        "status",
        "approval",
        "compliant",
    } <= set(contract)
    assert isinstance(contract["compliant"], bool)
    assert {"sicil", "tc", "name", "hired", "left", "status"} <= set(data["employees"][0])
    assert {"sicil", "tc", "name", "hired", "left"} == set(data["sgk"][0])
    assert json.loads(json.dumps(data)) == data


def test_state_lists_contact_details_once_they_exist(app, client):
    from mock_portal.db import connect

    conn = connect(app.config["DATABASE"])
    conn.execute(
        "UPDATE workplaces SET phone = '02125550000', il = 'İstanbul', auto_update = 0 WHERE sicil = ?",
        (W1.sicil,),
    )
    conn.close()
    place = next(w for w in state(client)["workplaces"] if w["sicil"] == W1.sicil)
    assert place["contact"]["phone"] == "02125550000" and place["contact"]["il"] == "İstanbul"
    assert place["auto_update"] is False


def test_state_can_be_narrowed_to_one_workplace(client):
    data = client.get(f"/_dev/state?sicil={W2.sicil}").get_json()
    assert [w["sicil"] for w in data["workplaces"]] == [W2.sicil]
    assert {c["sicil"] for c in data["contracts"]} == {W2.sicil}
    assert [a["tc"] for a in data["accounts"]] == [DEMO_TC]


def test_audit_lists_changes_in_order_with_the_acting_account(client):
    log_in(client)
    post_from(client, "/isyerleri", "/isyerleri/getir", {})
    entry = state(client)["audit"][0]
    assert entry["action"] == "refresh" and entry["account_tc"] == DEMO_TC
    assert set(entry) == {"at", "account_tc", "action", "sicil", "target"}


def test_reset_forgets_every_change_and_every_session(client):
    log_in(client)
    post_from(client, "/isyerleri", "/isyerleri/getir", {})
    client.post("/_dev/sgk/hire", json={"sicil": W1.sicil, "tc": new_tc(), "name": "Ali Veli"})
    answer = client.post("/_dev/reset", json={})
    assert answer.status_code == 200 and answer.get_json()["ok"] is True
    data = state(client)
    assert data["audit"] == []
    assert not any(s["name"] == "Ali Veli" for s in data["sgk"])
    assert client.get("/isyerleri").status_code == 302  # logged out


def test_reset_with_sizes_generates_that_many(client):
    answer = client.post(
        "/_dev/reset", json={"accounts": 2, "workplaces": 1, "employees": 7, "seed": 5}
    ).get_json()
    assert answer["ok"]
    data = state(client)
    generated = [w for w in data["workplaces"] if w["sicil"] not in {p.sicil for p in WORKPLACES}]
    assert len(generated) == 2
    per_place = {w["sicil"]: sum(1 for e in data["employees"] if e["sicil"] == w["sicil"]) for w in generated}
    assert set(per_place.values()) == {7}


def test_reset_from_a_seed_file_with_options_or_tables(client, tmp_path):
    options = tmp_path / "options.json"
    options.write_text(
        json.dumps({"options": {"accounts": 1, "workplaces": 1, "employees": 3}}), encoding="utf-8"
    )
    assert client.post("/_dev/reset", json={"file": str(options)}).status_code == 200
    tables = tmp_path / "tables.json"
    tables.write_text(
        json.dumps(
            {
                "accounts": [{"tc": DEMO_TC, "password": "p", "name": "Tek Kişi", "two_step": 1}],
                "workplaces": [
                    {"sicil": W1.sicil, "unvan": "Tek İşyeri A.Ş.", "hazard_class": "Az Tehlikeli"}
                ],
                "account_workplaces": [{"tc": DEMO_TC, "sicil": W1.sicil, "visible": 1}],
            }
        ),
        encoding="utf-8",
    )
    assert client.post("/_dev/reset", json={"file": str(tables)}).status_code == 200
    data = state(client)
    assert [a["tc"] for a in data["accounts"]] == [DEMO_TC]
    assert [w["unvan"] for w in data["workplaces"]] == ["Tek İşyeri A.Ş."]


@pytest.mark.parametrize(
    "body",
    [{"accounts": -1}, {"workplaces": 0}, {"colour": "blue"}, {"file": "/nonexistent/seed.json"}],
)
def test_reset_refuses_bad_requests_and_keeps_the_state(client, body):
    before = len(state(client)["accounts"])
    answer = client.post("/_dev/reset", json=body)
    assert answer.status_code == 400 and "error" in answer.get_json()
    assert len(state(client)["accounts"]) == before


def test_sgk_hire_changes_what_sgk_knows_but_not_the_portals_list(client):
    tc = new_tc(1)
    answer = client.post(
        "/_dev/sgk/hire", json={"sicil": W1.sicil, "tc": tc, "name": "Çiğdem Öz", "hired": "2025-02-10"}
    )
    assert answer.status_code == 200
    data = state(client)
    assert {"sicil": W1.sicil, "tc": tc, "name": "Çiğdem Öz", "hired": "2025-02-10", "left": None} in data[
        "sgk"
    ]
    assert not any(e["tc"] == tc for e in data["employees"])


def test_sgk_leave_records_the_leaving_date(client):
    person = next(e for e in state(client)["employees"] if e["sicil"] == W1.sicil and e["status"] == "Aktif")
    answer = client.post(
        "/_dev/sgk/leave", json={"sicil": W1.sicil, "tc": person["tc"], "left": "2025-02-28"}
    )
    assert answer.status_code == 200 and answer.get_json()["left"] == "2025-02-28"
    sgk = next(s for s in state(client)["sgk"] if s["tc"] == person["tc"] and s["sicil"] == W1.sicil)
    assert sgk["left"] == "2025-02-28"


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/_dev/sgk/hire", {"sicil": W1.sicil, "tc": "12345678901"}, 400),
        ("/_dev/sgk/hire", {"sicil": "1" * 26, "tc": "10000000146"}, 404),
        ("/_dev/sgk/hire", {"tc": "10000000146"}, 400),
        ("/_dev/sgk/leave", {"sicil": W1.sicil, "tc": "10000000146"}, 404),
    ],
)
def test_sgk_changes_refuse_bad_input(client, path, body, status):
    assert client.post(path, json=body).status_code == status


def test_dev_contracts_creates_a_contract_waiting_for_the_employer(client):
    answer = client.post(
        "/_dev/contracts",
        json={
            "sicil": W2.sicil,
            "professional": "Kemal Sunal",
            "title": "İş Güvenliği Uzmanı",
            "cert_class": "C",
            "minutes": 2000,
        },
    )
    assert answer.status_code == 201
    created = answer.get_json()
    assert created["no"].isdigit()
    assert (created["status"], created["approval"], created["process_type"]) == (
        "Beklemede",
        "Onay Bekliyor",
        "Yeni Sözleşme",
    )
    assert created["compliant"] is False  # class C at a "Çok Tehlikeli" workplace
    assert created in state(client)["contracts"]


def test_dev_contracts_links_a_time_update_to_the_active_contract(client):
    active = next(
        c
        for c in state(client)["contracts"]
        if c["sicil"] == W2.sicil and c["status"] == "Aktif" and c["title"] == "İşyeri Hekimi"
    )
    answer = client.post(
        "/_dev/contracts",
        json={
            "sicil": W2.sicil,
            "professional": active["professional"],
            "title": "İşyeri Hekimi",
            "minutes": 600,
            "process_type": "Süre Güncelleme",
        },
    )
    assert answer.status_code == 201
    created = answer.get_json()
    assert (
        created["parent_no"] == active["no"] and created["cert_class"] == "-" and created["compliant"] is True
    )


@pytest.mark.parametrize(
    "body",
    [
        {"sicil": W1.sicil, "minutes": 0},
        {"sicil": W1.sicil, "minutes": 11701},
        {"sicil": W1.sicil, "minutes": 100, "title": "Müdür"},
        {"sicil": W1.sicil, "minutes": 100, "process_type": "Süre Güncelleme", "professional": "Yok Böyle"},
        {"sicil": "123", "minutes": 100},
    ],
)
def test_dev_contracts_refuses_bad_contracts(client, body):
    before = len(state(client)["contracts"])
    assert client.post("/_dev/contracts", json=body).status_code == 400
    assert len(state(client)["contracts"]) == before


def test_contract_numbers_are_unique_digits(client):
    numbers = [
        client.post("/_dev/contracts", json={"sicil": W1.sicil, "minutes": 900}).get_json()["no"]
        for _ in range(3)
    ]
    assert len(set(numbers)) == 3 and all(n.isdigit() for n in numbers)
    assert set(numbers).isdisjoint(c["no"] for c in state(client)["contracts"] if c["no"] not in numbers)


def test_faults_are_read_and_changed(client):
    changed = client.post(
        "/_dev/faults", json={"error_rate": 0.1, "latency_ms": [0, 200], "seed": 7}
    ).get_json()
    assert changed["error_rate"] == 0.1 and changed["latency_ms"] == [0, 200] and changed["seed"] == 7
    assert client.get("/_dev/faults").get_json() == changed
    assert state(client)["faults"] == changed


@pytest.mark.parametrize("body", [{"error_rate": 2}, {"latency_ms": [300, 100]}, {"typo": 1}])
def test_faults_refuse_bad_values(client, body):
    assert client.post("/_dev/faults", json=body).status_code == 400
    assert client.get("/_dev/faults").get_json()["error_rate"] == 0.0


def test_every_tc_in_the_state_is_valid(client):
    data = state(client)
    people = (
        [a["tc"] for a in data["accounts"]]
        + [e["tc"] for e in data["employees"]]
        + [s["tc"] for s in data["sgk"]]
    )
    assert all(is_valid_tc(tc) for tc in people)


def test_texts_renames_a_word_on_every_page_at_once_and_an_empty_map_undoes_it(client):
    from tests.mock.portal_steps import text

    start = client.get("/")
    word = "Giriş"
    assert word in text(start)

    assert client.post("/_dev/texts", json={word: "Oturum Aç"}).get_json() == {word: "Oturum Aç"}
    renamed = text(client.get("/"))
    assert "Oturum Aç" in renamed and word not in renamed
    assert client.get("/_dev/texts").get_json() == {word: "Oturum Aç"}
    assert client.post("/_dev/texts", json={word: ""}).status_code == 400  # no empty wording

    assert client.post("/_dev/texts", json={}).get_json() == {}
    assert word in text(client.get("/"))


def test_an_error_page_shows_its_message_once_and_only_as_an_error(client):
    page = client.get("/yok-boyle-bir-sayfa").get_data(as_text=True)
    assert page.count("Aradığınız sayfa bulunamadı.") == 1 and "message success" not in page


@pytest.mark.parametrize("headers", [{"Host": "evil.example"}, {"Host": "evil.example:80"},
                                     {"Origin": "http://evil.example"}, {"Origin": "null"}])
def test_the_dev_api_refuses_a_foreign_host_or_origin(client, headers):
    """DNS rebinding sends the attacker's Host; a page of another site sends its Origin."""
    assert client.get("/_dev/state", headers=headers).status_code == 403
    assert client.post("/_dev/reset", json={}, headers=headers).status_code == 403


def test_the_dev_api_takes_json_bodies_only_so_no_html_form_can_drive_it(client):
    answer = client.post("/_dev/reset", data={"workplaces": "1"})  # what a cross-site <form> could send
    assert answer.status_code == 415
    assert client.post("/_dev/faults", data="error_rate=1", content_type="text/plain").status_code == 415
    assert client.get("/_dev/faults").get_json()["error_rate"] == 0
    assert client.get("/_dev/state", headers={"Origin": "http://127.0.0.1:5000"}).status_code == 200


def test_a_misspelt_fault_key_gets_a_clear_400_naming_the_known_ones(client):
    answer = client.post("/_dev/faults", json={"eror_rate": 0.2})
    assert answer.status_code == 400
    message = answer.get_json()["error"]
    assert message.startswith("unknown key 'eror_rate'; known: ") and "error_rate" in message


def test_the_dev_index_lists_every_endpoint_the_api_has(app, client):
    listed = client.get("/_dev/").get_json()
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/_dev/")}
    for route in routes:
        assert any(route.rstrip("/") in key.split("?")[0] for key in listed), route


def test_the_request_log_counts_the_pages_a_visitor_loaded_and_not_the_api(client):
    mark = client.get("/_dev/requests").get_json()["total"]
    client.get("/")
    client.get("/giris")
    log = client.get(f"/_dev/requests?since={mark}").get_json()
    assert [(r["method"], r["path"], r["kind"]) for r in log["requests"]] == [("GET", "/", "page"),
                                                                                ("GET", "/giris", "page")]
    assert client.get("/_dev/requests?since=x").status_code == 400
