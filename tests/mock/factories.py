"""Insert exactly the rows a focused test needs into a portal's database (no seed, no clicking)."""

from __future__ import annotations

import itertools
import random
import re
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import unescape

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from mock_portal.db import connect, now_iso
from rpa.domain.identifiers import generate_sicil, generate_tc

_counter = itertools.count(1)
_rng = random.Random(20240501)


def new_tc() -> str:
    """A fresh checksum-valid TC number."""
    return generate_tc(_rng)


def new_sicil(il_code: int = 34) -> str:
    """A fresh valid 26-digit sicil number."""
    return generate_sicil(_rng, il_code)


def _run(app: Flask, sql: str, params: tuple) -> None:
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.execute(sql, params)


def query(app: Flask, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
    """Rows of a read-only query against the portal's database."""
    with closing(connect(app.config["DATABASE"])) as conn:
        return conn.execute(sql, params).fetchall()


def add_account(app: Flask, *sicils: str, tc: str | None = None, password: str = "Parola.2024") -> str:
    """An e-Devlet account that is an E-Bildirge user of the given workplaces; returns its TC."""
    tc = tc or new_tc()
    _run(
        app,
        "INSERT INTO accounts (tc, password, name, two_step) VALUES (?, ?, ?, 1)",
        (tc, password, "Ayşe Işık"),
    )
    for sicil in sicils:
        _run(app, "INSERT INTO account_workplaces (tc, sicil, visible) VALUES (?, ?, 1)", (tc, sicil))
    return tc


def add_workplace(
    app: Flask,
    hazard: str = "Tehlikeli",
    auto_update: bool | None = None,
    sicil: str | None = None,
    unvan: str = "Çağlayan Döküm Sanayi A.Ş.",
) -> str:
    """A workplace; returns its sicil."""
    sicil = sicil or new_sicil()
    auto = None if auto_update is None else int(auto_update)
    _run(
        app,
        "INSERT INTO workplaces (sicil, unvan, hazard_class, nace, auto_update) VALUES (?, ?, ?, '24.51', ?)",
        (sicil, unvan, hazard, auto),
    )
    return sicil


def add_contract(app: Flask, sicil: str, **fields: object) -> str:
    """A contract (by default an active, approved expert contract of 600 min); returns its number."""
    no = str(fields.pop("no", 7_000_000 + next(_counter)))
    row = {
        "professional": "Gökhan Şimşek",
        "professional_tc": new_tc(),
        "title": "İş Güvenliği Uzmanı",
        "cert_class": "A",
        "provider": "Güven OSGB Ltd. Şti.",
        "start_date": "2024-03-01",
        "minutes": 600,
        "process_type": "Yeni Sözleşme",
        "status": "Aktif",
        "approval": "Onaylandı",
        "parent_no": None,
        "approved_at": "2024-03-02T09:30:00",
        "reject_reason": None,
        "created_at": "2024-03-01T08:00:00",
        **fields,
    }
    columns = ", ".join(["no", "sicil", *row])
    marks = ", ".join("?" * (len(row) + 2))
    _run(app, f"INSERT INTO contracts ({columns}) VALUES ({marks})", (no, sicil, *row.values()))
    return no


def add_pending(app: Flask, sicil: str, **fields: object) -> str:
    """A new contract waiting for the employer's approval."""
    waiting = {"status": "Beklemede", "approval": "Onay Bekliyor", "approved_at": None}
    return add_contract(app, sicil, **{**waiting, **fields})


def add_person(
    app: Flask,
    sicil: str,
    name: str = "Zeynep Öztürk",
    hired: str = "2022-02-01",
    left: str | None = None,
    portal: bool = True,
    sgk: bool = True,
    tc: str | None = None,
) -> str:
    """One employee in the portal's 4A list and/or in SGK's records; returns the TC."""
    tc = tc or new_tc()
    if portal:
        status = "Çıkış" if left else "Aktif"
        _run(
            app,
            'INSERT INTO employees (sicil, tc, name, hired, "left", status) VALUES (?, ?, ?, ?, ?, ?)',
            (sicil, tc, name, hired, left, status),
        )
    if sgk:
        _run(
            app,
            'INSERT INTO sgk (sicil, tc, name, hired, "left") VALUES (?, ?, ?, ?, ?)',
            (sicil, tc, name, hired, left),
        )
    return tc


def sgk_leave(app: Flask, sicil: str, tc: str, left: str) -> None:
    """SGK records that a person left the workplace (the portal's list does not know yet)."""
    _run(app, 'UPDATE sgk SET "left" = ? WHERE sicil = ? AND tc = ?', (left, sicil, tc))


def add_staff(app: Flask, sicil: str, count: int, portal: bool = True, sgk: bool = True) -> list[str]:
    """`count` active employees with distinct names, in one transaction; returns their TCs."""
    people = [(sicil, new_tc(), f"Çalışan {i:04d}", "2022-02-01") for i in range(count)]
    with closing(connect(app.config["DATABASE"])) as conn:
        conn.execute("BEGIN")
        if portal:
            conn.executemany(
                "INSERT INTO employees (sicil, tc, name, hired, status) VALUES (?, ?, ?, ?, 'Aktif')", people
            )
        if sgk:
            conn.executemany("INSERT INTO sgk (sicil, tc, name, hired) VALUES (?, ?, ?, ?)", people)
        conn.execute("COMMIT")
    return [tc for _, tc, _, _ in people]


def audit(app: Flask, action: str | None = None) -> list[sqlite3.Row]:
    """The audit log (optionally one action only), oldest first."""
    if action is None:
        return query(app, "SELECT * FROM audit ORDER BY id")
    return query(app, "SELECT * FROM audit WHERE action = ? ORDER BY id", (action,))


def contract(app: Flask, no: str) -> sqlite3.Row:
    """One contract row as the database holds it now."""
    return query(app, "SELECT * FROM contracts WHERE no = ?", (no,))[0]


@dataclass
class Shop:
    """A workplace with its E-Bildirge user signed in through a test client."""

    app: Flask
    client: FlaskClient
    sicil: str
    tc: str

    def post(self, path: str, data: dict[str, str], page: str | None = None) -> TestResponse:
        """Post a form the way a browser does: with a fresh token from a page of this session."""
        html = self.client.get(page or path).get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html)
        assert token, f"{page or path} has no form"
        return self.client.post(path, data={"csrf_token": token.group(1), **data})

    def text(self, path: str) -> str:
        """The visible text of a page, tags removed and whitespace collapsed."""
        return text_of(self.client.get(path).get_data(as_text=True))


def open_shop(app: Flask, hazard: str = "Tehlikeli", auto_update: bool | None = None) -> Shop:
    """A fresh workplace, its user, and a client signed in with that workplace chosen."""
    from tests.mock.conftest import sign_in

    sicil = add_workplace(app, hazard=hazard, auto_update=auto_update)
    tc = add_account(app, sicil)
    client = app.test_client()
    sign_in(app, client, tc, sicil)
    return Shop(app, client, sicil, tc)


def text_of(html: str) -> str:
    """Visible text of some HTML (scripts dropped, tags removed, whitespace collapsed)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


class Clock:
    """A settable clock for `app.config["CLOCK"]`."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += timedelta(seconds=seconds)


def session_for(app: Flask, tc: str, sicil: str | None = None) -> str:
    """A logged-in session row (e-Devlet skipped) with a chosen workplace; returns the cookie value."""
    sid = secrets.token_urlsafe(24)
    with app.app_context():
        stamp = now_iso()
    _run(
        app,
        "INSERT INTO sessions (id, tc, stage, sicil, created_at, last_seen) VALUES (?, ?, 'in', ?, ?, ?)",
        (sid, tc, sicil, stamp, stamp),
    )
    return sid
