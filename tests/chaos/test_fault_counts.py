"""The mock counts every fault it plays, by kind, so that a chaos run's figures are counted, not assumed."""

from __future__ import annotations

import pytest

from mock_portal import create_app
from rpa.chaos.portal import FAULT_KINDS
from tests.mock.portal_steps import Clock, log_in


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(tmp_path, clock):
    waited: list[float] = []
    app = create_app({"DATABASE": str(tmp_path / "p.sqlite"), "TEST_MODE": True, "SEED": {}, "CLOCK": clock,
                      "SLEEP": waited.append})
    app.config["WAITED"] = waited
    return app


def injected(client) -> dict[str, int]:
    return client.get("/_dev/faults/injected").get_json()


def test_a_healthy_portal_has_played_no_fault(app):
    client = app.test_client()
    client.get("/")
    assert not any(injected(client).get(kind) for kind in FAULT_KINDS)


def test_each_500_and_each_maintenance_answer_is_counted(app):
    client = app.test_client()
    client.post("/_dev/faults", json={"error_rate": 1.0})
    assert [client.get("/").status_code for _ in range(3)] == [500, 500, 500]
    client.post("/_dev/faults", json={"error_rate": 0.0, "maintenance": True})
    assert client.get("/").status_code == 503
    assert (injected(client)["error_500"], injected(client)["maintenance_503"]) == (3, 1)


def test_injected_latency_is_counted_with_its_total_length(app):
    client = app.test_client()
    client.post("/_dev/faults", json={"latency_ms": [40, 40]})
    client.get("/")
    client.get("/")
    assert (injected(client)["latency"], injected(client)["latency_ms"]) == (2, 80)
    assert app.config["WAITED"] == [0.04, 0.04]


def test_a_session_idled_out_is_counted_once(app, clock):
    client = app.test_client()
    log_in(client)
    client.post("/_dev/faults", json={"session_ttl_s": 20})
    clock.advance(seconds=21)
    assert client.get("/isyerleri").status_code == 401  # the idle-out page
    client.get("/isyerleri")  # the session is gone: a stranger now, not a second idle-out
    assert injected(client)["idle_out"] == 1


def test_the_dev_api_itself_is_never_a_fault(app):
    client = app.test_client()
    client.post("/_dev/faults", json={"error_rate": 1.0, "maintenance": True})
    client.get("/_dev/state")
    assert injected(client).get("error_500", 0) == injected(client).get("maintenance_503", 0) == 0
