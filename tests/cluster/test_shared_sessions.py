"""Saved sessions shared between machines through PostgreSQL, encrypted with a key derived from
KATIP_SECRET_KEY: another machine opens them, another passphrase does not, the database shows nothing."""

from __future__ import annotations

import stat

from sqlalchemy import create_engine, text

from rpa.settings import Settings
from rpa.store.sessions import SharedSessions

TC = "10000000146"
STATE = {"cookies": [{"name": "JSESSIONID", "value": "gizli-oturum-degeri", "domain": "127.0.0.1", "path": "/"}],
         "origins": []}
PORTAL = "http://127.0.0.1:5000/"


def test_a_session_saved_on_one_machine_opens_on_another_with_the_same_passphrase(postgres_url):
    SharedSessions(postgres_url, "ortak parola", PORTAL).save(TC, STATE)
    assert SharedSessions(postgres_url, "ortak parola", PORTAL).load(TC) == STATE
    assert SharedSessions(postgres_url, "başka parola", PORTAL).load(TC) is None  # refused, not garbage
    assert SharedSessions(postgres_url, "ortak parola", "http://127.0.0.1:6000/").load(TC) is None  # other portal
    SharedSessions(postgres_url, "ortak parola", PORTAL).forget(TC)
    assert SharedSessions(postgres_url, "ortak parola", PORTAL).load(TC) is None


def test_the_database_holds_neither_the_passphrase_the_key_the_tc_nor_the_cookie(postgres_url):
    SharedSessions(postgres_url, "ortak parola", PORTAL).save(TC, STATE)
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        dump = " ".join(str(row) for table in ("katip_sessions", "katip_sessions_meta")
                        for row in conn.execute(text(f"SELECT * FROM {table}")))
    engine.dispose()
    for secret in ("ortak parola", TC, "gizli-oturum-degeri", "JSESSIONID"):
        assert secret not in dump


def test_a_worker_takes_the_shared_session_into_a_private_file(postgres_url, tmp_path):
    from rpa.accounts import parse_account
    from rpa.session import BrowserSession

    settings = Settings(state_dir=tmp_path / "state", database_url=postgres_url, secret_key="ortak parola",
                        portal_url=PORTAL)
    assert settings.shares_sessions()
    assert not Settings(state_dir=tmp_path / "s", secret_key="x").shares_sessions()  # one machine: its own files
    assert not Settings(state_dir=tmp_path / "s", database_url=postgres_url).shares_sessions()  # no key: not shared
    SharedSessions(postgres_url, "ortak parola", PORTAL).save(TC, STATE)
    account = parse_account({"name": "firma", "tc": TC, "password": "env:X", "code": "mock"}, "test")
    path = settings.sessions_dir() / "firma.json"

    BrowserSession(settings)._take_shared_session(account, path)

    import json

    assert json.loads(path.read_text()) == STATE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
