"""The mock portal's state: one SQLite file per app instance, safe under concurrent requests.

Every request opens its own connection (WAL mode, busy timeout). Writes go through `write()`, which
takes SQLite's write lock at once (BEGIN IMMEDIATE) so that check-then-change sequences are atomic.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from flask import current_app, g

SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    tc TEXT PRIMARY KEY, password TEXT NOT NULL, name TEXT NOT NULL,
    two_step INTEGER NOT NULL DEFAULT 1, phone TEXT
);
-- visible=0: the person is an E-Bildirge user there, but the portal learns it only after a refresh.
CREATE TABLE IF NOT EXISTS account_workplaces (
    tc TEXT NOT NULL, sicil TEXT NOT NULL, visible INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (tc, sicil)
);
CREATE TABLE IF NOT EXISTS refresh_requests (tc TEXT PRIMARY KEY, requested_at TEXT, due_at TEXT);
CREATE TABLE IF NOT EXISTS workplaces (
    sicil TEXT PRIMARY KEY, unvan TEXT NOT NULL, hazard_class TEXT NOT NULL, nace TEXT,
    address_seed TEXT, auto_update INTEGER, phone TEXT, email TEXT, address TEXT, il TEXT, ilce TEXT
);
-- One row per contract process. A "Süre Güncelleme" row points at the contract it updates (parent_no).
CREATE TABLE IF NOT EXISTS contracts (
    no TEXT PRIMARY KEY, sicil TEXT NOT NULL, professional TEXT NOT NULL, professional_tc TEXT,
    title TEXT NOT NULL, cert_class TEXT NOT NULL, provider TEXT NOT NULL, start_date TEXT NOT NULL,
    minutes INTEGER NOT NULL, process_type TEXT NOT NULL, status TEXT NOT NULL, approval TEXT NOT NULL,
    parent_no TEXT, approved_at TEXT, reject_reason TEXT, created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS contracts_sicil ON contracts (sicil);
-- The portal's cached SGK 4A list ...
CREATE TABLE IF NOT EXISTS employees (
    sicil TEXT NOT NULL, tc TEXT NOT NULL, name TEXT NOT NULL, hired TEXT NOT NULL, left TEXT,
    status TEXT NOT NULL, PRIMARY KEY (sicil, tc)
);
-- ... and what SGK really knows, which "Doğrula" and "Toplu Çalışan Güncelle" copy from.
CREATE TABLE IF NOT EXISTS sgk (
    sicil TEXT NOT NULL, tc TEXT NOT NULL, name TEXT NOT NULL, hired TEXT NOT NULL, left TEXT,
    PRIMARY KEY (sicil, tc)
);
CREATE TABLE IF NOT EXISTS bulk_updates (
    sicil TEXT PRIMARY KEY, requested_at TEXT NOT NULL, due_at TEXT NOT NULL, done_at TEXT
);
CREATE TABLE IF NOT EXISTS sms_codes (
    tc TEXT PRIMARY KEY, code TEXT NOT NULL, issued_at TEXT NOT NULL, tries INTEGER NOT NULL DEFAULT 0
);
-- Server-side sessions: the cookie carries only the id. stage: 'password_ok' (waiting for the
-- two-step code) or 'in'. The chosen workplace lives here, as on the real portal.
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, tc TEXT NOT NULL, stage TEXT NOT NULL, sicil TEXT,
    created_at TEXT NOT NULL, last_seen TEXT NOT NULL
);
-- One-time form tokens: CSRF protection and "a form posted twice is applied once" in one mechanism.
CREATE TABLE IF NOT EXISTS form_tokens (
    token TEXT PRIMARY KEY, session_id TEXT NOT NULL, issued_at TEXT NOT NULL, used_at TEXT
);
CREATE INDEX IF NOT EXISTS form_tokens_issued ON form_tokens (issued_at);
CREATE INDEX IF NOT EXISTS sessions_last_seen ON sessions (last_seen);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, account_tc TEXT, action TEXT NOT NULL,
    sicil TEXT, target TEXT
);
"""


def connect(path: str) -> sqlite3.Connection:
    """Open the state database with the settings every connection needs."""
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


def init_schema(path: str) -> None:
    """Create the tables if they are missing."""
    conn = connect(path)
    try:
        conn.executescript(SCHEMA)
    finally:
        conn.close()


def get_db() -> sqlite3.Connection:
    """The current request's connection (opened on first use, closed at teardown)."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    """Teardown hook: close the request's connection."""
    conn = g.pop("db", None)
    if conn is not None:
        conn.close()


@contextmanager
def write(conn: sqlite3.Connection | None = None) -> Iterator[sqlite3.Connection]:
    """A write transaction that holds the write lock from its first statement."""
    conn = conn or get_db()
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def now() -> datetime:
    """The portal's clock (tests may replace `current_app.config['CLOCK']`)."""
    clock = current_app.config.get("CLOCK")
    return clock() if clock else datetime.now()


def now_iso() -> str:
    """The portal's clock as an ISO timestamp (seconds)."""
    return now().isoformat(timespec="seconds")


def audit(
    conn: sqlite3.Connection, action: str, sicil: str | None, target: str | None, account_tc: str | None = None
) -> None:
    """Record a state change; `/_dev/state` returns the log in order."""
    if account_tc is None:
        account_tc = g.get("account_tc")
    conn.execute(
        "INSERT INTO audit (at, account_tc, action, sicil, target) VALUES (?, ?, ?, ?, ?)",
        (now_iso(), account_tc, action, sicil, target),
    )


def active_count(conn: sqlite3.Connection, sicil: str) -> int:
    """Active employees of a workplace in the portal's 4A list (drives the legal minimum)."""
    row = conn.execute("SELECT COUNT(*) FROM employees WHERE sicil = ? AND status = 'Aktif'", (sicil,)).fetchone()
    return int(row[0])
