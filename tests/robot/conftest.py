"""Robot fixtures: settings pointing at a fresh mock portal, the demo account, a logged-in session.

The Chromium is pytest-playwright's session-wide `browser` (launched via `rpa.browser`); every test
gets its own BrowserContext through `BrowserSession.account_context`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from mock_portal.seed import DEMO_PASSWORD, DEMO_TC
from rpa.accounts import Account
from rpa.secrets import CodeSource, SecretRef
from rpa.session import AccountSession, BrowserSession
from rpa.settings import Settings

PASSWORD_VARIABLE = "KATIP_TEST_DEMO_PASSWORD"


@pytest.fixture
def settings(live_portal, tmp_path) -> Settings:
    """Robot settings for this test's portal, with a private state dir under tmp_path."""
    return Settings(
        portal_url=f"{live_portal.url}/",
        state_dir=tmp_path / "state",
        out_dir=tmp_path / "out",
        timeout_ms=10_000,
        politeness_ms=0,
    )


@pytest.fixture
def demo_account(monkeypatch) -> Account:
    """The seeded demo employer, able to log in unattended (password from env, code from /_dev/sms)."""
    monkeypatch.setenv(PASSWORD_VARIABLE, DEMO_PASSWORD)
    return Account(
        name="demo",
        tc=DEMO_TC,
        password=SecretRef(kind="env", target=PASSWORD_VARIABLE),
        code=CodeSource(kind="mock"),
    )


@pytest.fixture
def robot(settings, browser) -> Iterator[BrowserSession]:
    """A BrowserSession on the shared test Chromium."""
    with BrowserSession(settings, browser=browser) as session:
        yield session


@pytest.fixture
def session(robot, demo_account) -> Iterator[AccountSession]:
    """The demo account's context (not logged in yet)."""
    with robot.account_context(demo_account) as account_session:
        yield account_session


@pytest.fixture
def workplaces(session):
    """The demo account's workplace list, logged in."""
    return session.ensure_logged_in()


def demo_state(live_portal) -> dict:
    """`/_dev/state` of the test's portal."""
    return live_portal.dev("state")


def run_sql(live_portal, sql: str, *params: object) -> None:
    """Change the portal's database behind its back (for situations the test API does not offer)."""
    conn = sqlite3.connect(live_portal.app.config["DATABASE"], timeout=30)
    try:
        with conn:
            conn.execute(sql, params)
    finally:
        conn.close()


def workplace_with_pending(live_portal) -> str:
    """A demo workplace (visible before any refresh) that has contracts waiting for approval."""
    state = demo_state(live_portal)
    mine = next(a for a in state["accounts"] if a["tc"] == DEMO_TC)["workplaces"]
    for sicil in mine:
        if any(c["sicil"] == sicil and c["approval"] == "Onay Bekliyor" for c in state["contracts"]):
            return sicil
    raise AssertionError("the demo seed has no workplace with waiting contracts")
