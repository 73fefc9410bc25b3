"""Fixtures for Flask test-client tests of the mock portal: a fresh portal per test."""

from __future__ import annotations

import re
import secrets

import pytest

from mock_portal import create_app
from mock_portal.db import connect, now_iso
from mock_portal.security import COOKIE


@pytest.fixture
def app(tmp_path):
    """A seeded portal in test mode with its own database file."""
    return create_app({"DATABASE": str(tmp_path / "portal.sqlite"), "TEST_MODE": True, "SEED": {}})


@pytest.fixture
def empty_app(tmp_path):
    """A portal with no seed data, for tests that insert exactly the rows they need."""
    return create_app({"DATABASE": str(tmp_path / "portal.sqlite"), "TEST_MODE": True, "SEED": None})


@pytest.fixture
def client(app):
    return app.test_client()


def form_token(html: str) -> str:
    """The one-time token of the first form on a page."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no form token"
    return match.group(1)


def sign_in(app, client, tc: str, sicil: str | None = None) -> str:
    """Give the test client a logged-in session (skipping e-Devlet), optionally with a chosen workplace."""
    sid = secrets.token_urlsafe(24)
    conn = connect(app.config["DATABASE"])
    try:
        with app.app_context():
            stamp = now_iso()
        conn.execute(
            "INSERT INTO sessions (id, tc, stage, sicil, created_at, last_seen) VALUES (?, ?, 'in', ?, ?, ?)",
            (sid, tc, sicil, stamp, stamp),
        )
    finally:
        conn.close()
    client.set_cookie(COOKIE, sid)
    return sid
