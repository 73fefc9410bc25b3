"""Steps a person takes in the mock portal, for Flask test-client tests: log in, choose, post forms."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from mock_portal.db import connect
from mock_portal.seed import DEMO_PASSWORD, DEMO_TC

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
_TAGS = re.compile(r"<[^>]+>")


class Clock:
    """A portal clock that tests move by hand (`create_app({"CLOCK": clock})`)."""

    def __init__(self, start: datetime = datetime(2025, 3, 3, 9, 0, 0)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        """Move the clock forward, e.g. `advance(minutes=31)`."""
        self.now += timedelta(**delta)


def text(response: TestResponse) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    return " ".join(unescape(_TAGS.sub(" ", response.get_data(as_text=True))).split())


def tokens(response: TestResponse) -> list[str]:
    """Every form token on a page, in page order."""
    return _TOKEN.findall(response.get_data(as_text=True))


def post_from(client: FlaskClient, page: str, action: str, data: dict[str, str]) -> TestResponse:
    """Open `page`, then submit a form to `action` with the page's last token (the main form's)."""
    shown = client.get(page)
    return client.post(action, data={**data, "csrf_token": tokens(shown)[-1]})


def sms_code(client: FlaskClient, tc: str) -> str:
    """The two-step code the portal "sent" (through the test API)."""
    return client.get(f"/_dev/sms?tc={tc}").get_json()["code"]


def enter_password(client: FlaskClient, tc: str = DEMO_TC, password: str = DEMO_PASSWORD) -> TestResponse:
    """The e-Devlet page: type T.C. Kimlik No and password, press "Giriş Yap"."""
    return post_from(client, "/giris", "/giris", {"tc": tc, "password": password})


def enter_code(client: FlaskClient, code: str) -> TestResponse:
    """The two-step page: type the code, press "Onayla"."""
    return post_from(client, "/dogrulama", "/dogrulama", {"code": code})


def log_in(client: FlaskClient, tc: str = DEMO_TC, password: str = DEMO_PASSWORD) -> TestResponse:
    """The whole e-Devlet login; returns the answer to the code (a redirect to the choice page)."""
    answer = enter_password(client, tc, password)
    assert answer.status_code == 302, text(answer)
    return enter_code(client, sms_code(client, tc))


def choose_workplace(client: FlaskClient, sicil: str) -> TestResponse:
    """ "Kurumsal" list: press "Seç" in the row of `sicil`."""
    return post_from(client, "/isyerleri", "/isyerleri/sec", {"sicil": sicil})


def state(client: FlaskClient) -> dict:
    """`GET /_dev/state`."""
    return client.get("/_dev/state").get_json()


def account_where(app: Flask, sql_condition: str) -> tuple[str, str]:
    """(tc, password) of the first seeded account matching an SQL condition on `accounts`."""
    conn = connect(app.config["DATABASE"])
    try:
        row = conn.execute(
            f"SELECT tc, password FROM accounts WHERE {sql_condition} ORDER BY rowid"
        ).fetchone()
    finally:
        conn.close()
    assert row is not None, f"no seeded account with {sql_condition}"
    return row["tc"], row["password"]
