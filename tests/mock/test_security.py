"""Security as on a real portal: workplace isolation, one-time form tokens, idle-out, cookies, /_dev/."""

from __future__ import annotations

import pytest

from mock_portal import create_app
from mock_portal.security import COOKIE, EXPIRED_MESSAGE, FORBIDDEN_MESSAGE, STALE_FORM_MESSAGE
from mock_portal.seed_demo import DEMO_PASSWORD, DEMO_TC, WORKPLACES
from tests.mock.portal_steps import (
    Clock,
    account_where,
    choose_workplace,
    enter_password,
    log_in,
    post_from,
    state,
    text,
    tokens,
)

MINE = WORKPLACES[0].sicil


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(tmp_path, clock):
    return create_app({"DATABASE": str(tmp_path / "p.sqlite"), "TEST_MODE": True, "SEED": {}, "CLOCK": clock})


@pytest.fixture
def client(app):
    client = app.test_client()
    log_in(client)
    return client


@pytest.fixture
def foreign_sicil(app) -> str:
    """A workplace of another seeded account, never linked to the demo account."""
    other_tc, _ = account_where(app, f"tc <> '{DEMO_TC}' AND tc IN (SELECT tc FROM account_workplaces)")
    other = next(a for a in state(app.test_client())["accounts"] if a["tc"] == other_tc)
    return other["workplaces"][0]


def refresh_requests(client) -> int:
    return sum(1 for a in state(client)["audit"] if a["action"] == "refresh" and a["target"] == "requested")


# --- one account never reaches another's workplace ------------------------------------------------


def test_typed_url_of_another_accounts_workplace_is_refused_with_403(client, foreign_sicil):
    page = client.get(f"/isyeri/{foreign_sicil}")
    assert page.status_code == 403
    assert FORBIDDEN_MESSAGE in text(page)


def test_posting_another_accounts_workplace_to_seç_is_refused_with_403(client, foreign_sicil):
    answer = choose_workplace(client, foreign_sicil)
    assert answer.status_code == 403
    assert FORBIDDEN_MESSAGE in text(answer)


@pytest.mark.parametrize("path", ["/sozlesmeler/", "/isyeri-karti/"])
def test_a_session_pointing_at_a_foreign_workplace_gets_403_on_its_pages(app, client, foreign_sicil, path):
    from mock_portal.db import connect

    conn = connect(app.config["DATABASE"])
    conn.execute("UPDATE sessions SET sicil = ? WHERE tc = ?", (foreign_sicil, DEMO_TC))
    conn.close()
    page = client.get(path)
    assert page.status_code == 403
    assert FORBIDDEN_MESSAGE in text(page)


def test_the_own_workplace_is_reachable_by_typed_url(client):
    page = client.get(f"/isyeri/{MINE}")
    assert page.status_code == 200 and WORKPLACES[0].unvan in text(page)


def test_pages_behind_login_send_a_stranger_to_the_start_page(app):
    stranger = app.test_client()
    for path in ("/secim", "/isyerleri", f"/isyeri/{MINE}", "/bireysel"):
        answer = stranger.get(path)
        assert answer.status_code == 302 and answer.location.endswith("/"), path


# --- forms: CSRF token and no double submit ----------------------------------------------------------


def test_a_form_without_token_is_refused_and_changes_nothing(client):
    answer = client.post("/isyerleri/getir", data={})
    assert answer.status_code == 400
    assert STALE_FORM_MESSAGE in text(answer)
    assert refresh_requests(client) == 0


def test_a_token_from_another_session_is_refused(app, client):
    intruder = app.test_client()
    log_in(intruder)
    foreign_token = tokens(intruder.get("/isyerleri"))[-1]
    answer = client.post("/isyerleri/getir", data={"csrf_token": foreign_token})
    assert answer.status_code == 400
    assert refresh_requests(client) == 0


def test_a_form_posted_twice_is_applied_once(client):
    token = tokens(client.get("/isyerleri"))[-1]
    first = client.post("/isyerleri/getir", data={"csrf_token": token})
    second = client.post("/isyerleri/getir", data={"csrf_token": token})
    assert first.status_code == 302
    assert second.status_code == 400 and STALE_FORM_MESSAGE in text(second)
    assert refresh_requests(client) == 1


def test_even_the_login_form_needs_its_token(app):
    stranger = app.test_client()
    stranger.get("/giris")
    answer = stranger.post("/giris", data={"tc": DEMO_TC, "password": "x"})
    assert answer.status_code == 400


# --- idle-out ---------------------------------------------------------------------------------------------


def test_an_idle_session_shows_the_start_page_with_the_idle_out_message(client, clock):
    clock.advance(minutes=31)
    page = client.get("/isyerleri")
    assert EXPIRED_MESSAGE in text(page)
    assert "<h1>İSG-KATİP</h1>" in page.get_data(as_text=True)
    assert "E-Bildirge Kullanıcısı Olduğunuz İşyerleri" not in text(page)
    assert client.get("/isyerleri").status_code == 302  # the session is gone for good


def test_activity_keeps_the_session_alive(client, clock):
    for _ in range(3):
        clock.advance(minutes=20)
        assert client.get("/isyerleri").status_code == 200


def test_idle_time_follows_the_fault_settings(client, clock):
    client.post("/_dev/faults", json={"session_ttl_s": 60})
    clock.advance(seconds=61)
    assert EXPIRED_MESSAGE in text(client.get("/secim"))


def test_a_form_posted_after_idle_out_shows_the_idle_out_page_and_changes_nothing(client, clock):
    token = tokens(client.get("/isyerleri"))[-1]
    clock.advance(minutes=31)
    answer = client.post("/isyerleri/getir", data={"csrf_token": token})
    assert EXPIRED_MESSAGE in text(answer)
    assert refresh_requests(client) == 0


def test_the_two_step_page_idles_out_too(app, clock):
    person = app.test_client()
    enter_password(person)
    clock.advance(minutes=31)
    assert EXPIRED_MESSAGE in text(person.get("/dogrulama"))


def test_after_idle_out_the_person_can_log_in_again(client, clock):
    clock.advance(minutes=31)
    client.get("/isyerleri")
    log_in(client)
    assert client.get("/isyerleri").status_code == 200


# --- cookies -----------------------------------------------------------------------------------------------


def test_session_cookie_is_http_only_and_same_site(app):
    answer = app.test_client().get("/giris")
    cookie = next(h for h in answer.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_login_issues_a_new_session_id_at_each_step(app):
    person = app.test_client()
    person.get("/giris")
    before = person.get_cookie(COOKIE).value
    enter_password(person)
    middle = person.get_cookie(COOKIE).value
    log_in(person)
    after = person.get_cookie(COOKIE).value
    assert len({before, middle, after}) == 3


# --- the test API ---------------------------------------------------------------------------------------


def test_dev_api_is_absent_unless_in_test_mode(tmp_path):
    production = create_app({"DATABASE": str(tmp_path / "prod.sqlite"), "SEED": {}})
    assert production.test_client().get("/_dev/state").status_code == 404
    assert production.test_client().get(f"/_dev/sms?tc={DEMO_TC}").status_code == 404


def test_dev_api_refuses_clients_that_are_not_on_this_machine(app):
    remote = app.test_client()
    answer = remote.get("/_dev/state", environ_base={"REMOTE_ADDR": "192.168.1.20"})
    assert answer.status_code == 403
    assert (
        remote.post(
            "/_dev/faults", json={"maintenance": True}, environ_base={"REMOTE_ADDR": "10.0.0.5"}
        ).status_code
        == 403
    )
    assert app.test_client().get("/_dev/faults").get_json()["maintenance"] is False


def test_choosing_the_own_workplace_by_post_works(client):
    answer = post_from(client, "/isyerleri", "/isyerleri/sec", {"sicil": MINE})
    assert answer.status_code == 302 and answer.location.endswith(f"/isyeri/{MINE}")


def _rows(app, table: str) -> int:
    from mock_portal.db import connect

    conn = connect(app.config["DATABASE"])
    try:
        return conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def test_sessions_and_form_tokens_abandoned_for_a_day_are_forgotten(app, client, clock):
    client.get("/isyerleri")  # a page of forms: tokens of the logged-in session
    assert _rows(app, "form_tokens") > 0
    clock.advance(days=2)
    log_in(app.test_client())  # any new session sweeps the abandoned ones
    assert client.get("/isyerleri").status_code == 302  # the old session was forgotten, not "expired"
    tokens_left = _rows(app, "form_tokens")
    log_in(app.test_client())
    assert _rows(app, "sessions") == 2  # only the two fresh log-ins
    assert tokens_left < 10


def test_a_session_idle_for_less_than_a_day_past_its_lifetime_still_gets_the_idle_out_message(app, client, clock):
    clock.advance(hours=20)
    log_in(app.test_client())
    assert EXPIRED_MESSAGE in text(client.get("/isyerleri"))


def test_anonymous_sessions_go_once_idle_and_tokens_go_with_their_session(app, clock):
    for _ in range(5):
        app.test_client().get("/giris")  # a scanner: every bare visit gets a session for the login form
    assert _rows(app, "sessions") >= 5
    clock.advance(hours=2)
    log_in(app.test_client())
    assert _rows(app, "sessions") == 1  # the visitors are gone at once, not a day later
    assert _rows(app, "form_tokens") == 0  # their tokens (and the login's spent ones) with them


def test_an_idled_out_session_cannot_post_the_login_form_without_a_token(app, client, clock):
    clock.advance(hours=2)
    answer = client.post("/giris", data={"tc": DEMO_TC, "password": DEMO_PASSWORD})  # a cross-site post
    assert answer.status_code == 401 and EXPIRED_MESSAGE in text(answer)
