"""Logging in, reusing a saved session, and what happens when the portal says no."""

from __future__ import annotations

import stat

import pytest

from mock_portal.seed import DEMO_PASSWORD, DEMO_TC
from rpa.accounts import Account
from rpa.errors import LoginFailed, LoginNeeded, SessionExpired
from rpa.pages import StartPage
from rpa.secrets import CodeSource, SecretRef

pytestmark = pytest.mark.browser


def two_step_page(session, password: str = DEMO_PASSWORD):
    return StartPage(session.page, session.policy).open().go_to_login().login(DEMO_TC, password)


def test_unattended_login_reaches_the_workplaces_and_saves_a_private_session(session, live_portal):
    workplaces = session.ensure_logged_in()
    listed = {w.sicil for w in workplaces.workplaces()}
    mine = next(a for a in live_portal.dev("state")["accounts"] if a["tc"] == DEMO_TC)["workplaces"]
    assert listed == set(mine)
    assert stat.S_IMODE(session.state_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(session.state_file.parent.stat().st_mode) == 0o700


def test_wrong_password_is_reported_with_the_portals_words(session):
    with pytest.raises(LoginFailed, match="T.C. Kimlik No veya şifre hatalı."):
        two_step_page(session, password="yanlis-sifre")


def test_wrong_two_step_code_is_refused(session, live_portal):
    two_step = two_step_page(session)
    right = live_portal.dev(f"sms?tc={DEMO_TC}")["code"]
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    with pytest.raises(LoginFailed, match="Doğrulama kodu hatalı"):
        two_step.confirm(wrong)


def test_three_wrong_codes_lock_the_login_out(session, live_portal):
    two_step = two_step_page(session)
    right = live_portal.dev(f"sms?tc={DEMO_TC}")["code"]
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    for _ in range(2):
        with pytest.raises(LoginFailed, match="Doğrulama kodu hatalı"):
            two_step.confirm(wrong)
    with pytest.raises(LoginFailed, match="3 kez hatalı"):
        two_step.confirm(wrong)


def test_expired_two_step_code_is_refused_even_when_right(session, live_portal):
    live_portal.dev("faults", json={"sms_ttl_s": 0})
    two_step = two_step_page(session)
    right = live_portal.dev(f"sms?tc={DEMO_TC}")["code"]
    with pytest.raises(LoginFailed, match="süresi doldu"):
        two_step.confirm(right)


def test_saved_session_is_reused_by_an_account_that_could_not_log_in_alone(robot, session):
    session.ensure_logged_in()
    attended = Account(name="demo", tc=DEMO_TC, password=SecretRef(kind="prompt"), code=CodeSource(kind="prompt"))
    # A fresh context that could not log in by itself (password and code 'prompt') gets in anyway:
    # only the saved storage state can have let it in.
    with robot.account_context(attended) as second:
        assert second.page.context.cookies() != []
        assert second.ensure_logged_in().workplaces()


def test_without_a_saved_session_an_attended_account_is_told_to_run_katip_login(robot):
    attended = Account(name="elle", tc=DEMO_TC, password=SecretRef(kind="prompt"), code=CodeSource(kind="mock"))
    with robot.account_context(attended) as session, pytest.raises(LoginNeeded) as caught:
        session.ensure_logged_in()
    assert "katip login --account elle" in str(caught.value)


def test_idle_out_is_recognised_on_any_page_and_a_new_login_follows(session, live_portal):
    workplaces = session.ensure_logged_in()
    shell = workplaces.choose(workplaces.workplaces()[0].sicil)
    live_portal.dev("faults", json={"session_ttl_s": 0})
    with pytest.raises(SessionExpired, match="Oturumunuzun süresi doldu"):
        shell.open_contracts()
    live_portal.dev("faults", json={"session_ttl_s": 1800})
    again = session.ensure_logged_in()  # the account may log in unattended, so it does
    assert again.workplaces()


def test_bireysel_leads_to_the_professionals_own_read_only_list(session, live_portal):
    two_step = two_step_page(session)
    choice = two_step.confirm(live_portal.dev(f"sms?tc={DEMO_TC}")["code"])
    individual = choice.individual()
    assert individual.rows() == []  # the demo employer is no İSG professional
    assert "Görevlendirildiğim" in individual.visible_text()


def test_headed_login_types_the_number_and_gives_up_when_nobody_finishes(session):
    with pytest.raises(LoginNeeded, match="no login within 1 s"):
        session.wait_for_manual_login(timeout_s=1)
    assert session.page.get_by_label("T.C. Kimlik No").input_value() == DEMO_TC
    assert not session.state_file.exists()


def test_freeing_memory_collects_the_tabs_garbage_and_leaves_the_page_working(session):
    workplaces = session.ensure_logged_in()
    # 40 MB of arrays the page no longer holds: garbage the renderer has not collected yet.
    session.page.evaluate("() => { let junk = []; for (let i = 0; i < 40; i++) junk.push(new Array(131072).fill(i)); }")
    cdp = session.context.new_cdp_session(session.page)
    before = cdp.send("Runtime.getHeapUsage")["usedSize"]

    session.free_memory()

    after = cdp.send("Runtime.getHeapUsage")["usedSize"]
    cdp.detach()
    assert after < before - 20 * 2**20, (before, after)
    assert workplaces.workplaces()  # the page still answers



def portal_fails(live_portal, monkeypatch, fails) -> list[tuple[str, str]]:
    """From now on the portal answers a fault page where `fails(method, served)` says so (its own fault
    injection, so a redirect's target can fail too); returns the (method, path) of every page served."""
    from flask import request

    served: list[tuple[str, str]] = []

    def draw_error() -> bool:
        served.append((request.method, request.path))
        return fails(request.method, served)

    monkeypatch.setattr(live_portal.app.config["FAULTS"], "draw_error", draw_error)
    return served


def test_a_fault_page_after_the_codes_redirect_is_reloaded_not_logged_in_again(session, live_portal, monkeypatch):
    two_step = two_step_page(session)
    code = live_portal.dev(f"sms?tc={DEMO_TC}")["code"]
    # The page the accepted code leads to fails once: the code was taken, only that page is fetched again.
    served = portal_fails(live_portal, monkeypatch, lambda method, served: len(served) == 2)
    choice = two_step.confirm(code)
    assert [m for m, _ in served[:3]] == ["POST", "GET", "GET"] and served[1][1] == served[2][1]
    assert choice.corporate().workplaces()


def test_a_fault_page_that_answers_the_code_itself_is_not_reloaded_so_the_code_is_not_sent_twice(
        session, live_portal, monkeypatch):
    two_step = two_step_page(session)
    code = live_portal.dev(f"sms?tc={DEMO_TC}")["code"]
    served = portal_fails(live_portal, monkeypatch, lambda method, served: method == "POST")
    with pytest.raises(Exception, match="Sistem hatası"):
        two_step.confirm(code)
    assert served == [("POST", served[0][1])]
