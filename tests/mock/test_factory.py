"""The app factory: every portal instance has its own state; config decides seed and test API."""

from __future__ import annotations

import os

from mock_portal import create_app
from mock_portal.seed_demo import DEMO_TC
from tests.mock.portal_steps import log_in, post_from, state


def test_two_portals_do_not_share_state(tmp_path):
    first = create_app({"DATABASE": str(tmp_path / "a.sqlite"), "TEST_MODE": True, "SEED": {}})
    second = create_app({"DATABASE": str(tmp_path / "b.sqlite"), "TEST_MODE": True, "SEED": {}})
    one, two = first.test_client(), second.test_client()
    log_in(one)
    post_from(one, "/isyerleri", "/isyerleri/getir", {})
    first.config["FAULTS"].update(maintenance=True)
    assert [a["target"] for a in state(one)["audit"]] == ["requested"]
    assert state(two)["audit"] == []
    assert two.get("/").status_code == 200 and two.get("/isyerleri").status_code == 302


def test_without_a_database_path_each_portal_gets_its_own_temporary_file():
    first, second = create_app({"SEED": None}), create_app({"SEED": None})
    try:
        assert first.config["DATABASE"] != second.config["DATABASE"]
        assert os.path.exists(first.config["DATABASE"])
    finally:
        for app in (first, second):
            os.remove(app.config["DATABASE"])


def test_seed_none_gives_an_empty_portal_and_a_dict_a_seeded_one(tmp_path):
    empty = create_app({"DATABASE": str(tmp_path / "e.sqlite"), "TEST_MODE": True, "SEED": None})
    seeded = create_app({"DATABASE": str(tmp_path / "s.sqlite"), "TEST_MODE": True, "SEED": {"accounts": 1}})
    assert state(empty.test_client())["accounts"] == []
    assert any(a["tc"] == DEMO_TC for a in state(seeded.test_client())["accounts"])


def test_the_portal_is_not_in_test_mode_by_default(tmp_path):
    app = create_app({"DATABASE": str(tmp_path / "p.sqlite")})
    assert app.config["TEST_MODE"] is False
    assert app.test_client().get("/_dev/state").status_code == 404
    assert app.test_client().get("/").status_code == 200


def test_each_portal_has_its_own_fault_settings(tmp_path):
    first = create_app({"DATABASE": str(tmp_path / "a.sqlite"), "SEED": None})
    second = create_app({"DATABASE": str(tmp_path / "b.sqlite"), "SEED": None})
    first.config["FAULTS"].update(error_rate=1.0)
    assert first.test_client().get("/").status_code == 500
    assert second.test_client().get("/").status_code == 200


def test_static_files_may_be_cached_by_the_browser(client):
    answer = client.get("/static/portal.js")
    assert answer.status_code == 200
    assert "max-age=3600" in answer.headers["Cache-Control"]
