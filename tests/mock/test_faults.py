"""Injected faults: maintenance (503), system errors (500), latency, all replayable from a seed."""

from __future__ import annotations

import pytest

from mock_portal import create_app
from mock_portal.fault_messages import MAINTENANCE, SYSTEM_ERROR
from tests.mock.portal_steps import log_in, text


@pytest.fixture
def pauses() -> list[float]:
    return []


@pytest.fixture
def app(tmp_path, pauses):
    return create_app(
        {"DATABASE": str(tmp_path / "p.sqlite"), "TEST_MODE": True, "SEED": {}, "SLEEP": pauses.append}
    )


@pytest.fixture
def client(app):
    return app.test_client()


def statuses(client, count: int, path: str = "/") -> list[int]:
    return [client.get(path).status_code for _ in range(count)]


def test_maintenance_shows_the_maintenance_page_with_503_everywhere(client):
    client.post("/_dev/faults", json={"maintenance": True})
    for path in ("/", "/giris", "/isyerleri"):
        page = client.get(path)
        assert page.status_code == 503 and MAINTENANCE in text(page), path
        assert page.headers["Retry-After"] == "60"
    client.post("/_dev/faults", json={"maintenance": False})
    assert client.get("/").status_code == 200


def test_error_rate_one_fails_every_page_with_the_system_error_message(client):
    client.post("/_dev/faults", json={"error_rate": 1.0})
    page = client.get("/giris")
    assert page.status_code == 500 and SYSTEM_ERROR in text(page)
    assert "e-Devlet Kapısı Kimlik Doğrulama" not in text(page)


def test_the_test_api_and_static_files_are_never_faulted(client):
    client.post("/_dev/faults", json={"error_rate": 1.0, "maintenance": True})
    assert client.get("/_dev/state").status_code == 200
    assert client.get("/static/portal.css").status_code == 200
    assert client.post("/_dev/faults", json={"error_rate": 0, "maintenance": False}).status_code == 200
    assert client.get("/").status_code == 200


def test_random_errors_replay_the_same_way_with_the_same_seed(client):
    client.post("/_dev/faults", json={"error_rate": 0.5, "seed": 7})
    first = statuses(client, 30)
    client.post("/_dev/faults", json={"seed": 7})
    second = statuses(client, 30)
    assert first == second
    assert set(first) == {200, 500}
    client.post("/_dev/faults", json={"seed": 8})
    assert statuses(client, 30) != first


def test_latency_pauses_each_answer_within_the_range_and_replays_with_the_seed(client, pauses):
    client.post("/_dev/faults", json={"latency_ms": [100, 300], "seed": 3})
    statuses(client, 10)
    first = list(pauses)
    pauses.clear()
    client.post("/_dev/faults", json={"seed": 3})
    statuses(client, 10)
    assert pauses == first and len(first) == 10
    assert all(0.1 <= p <= 0.3 for p in first) and len(set(first)) > 1


def test_no_latency_means_no_pause(client, pauses):
    statuses(client, 5)
    assert pauses == []


def test_a_failed_form_post_can_be_sent_again_with_the_same_token(client):
    # The fault strikes before the token is spent: a robot that retries after a 500 is not refused.
    log_in(client)
    from tests.mock.portal_steps import state, tokens

    token = tokens(client.get("/isyerleri"))[-1]
    client.post("/_dev/faults", json={"error_rate": 1.0})
    assert client.post("/isyerleri/getir", data={"csrf_token": token}).status_code == 500
    client.post("/_dev/faults", json={"error_rate": 0.0})
    assert client.post("/isyerleri/getir", data={"csrf_token": token}).status_code == 302
    assert sum(a["target"] == "requested" for a in state(client)["audit"]) == 1
