"""Saved sessions shared between machines: each account's browser storage state in the shared database,
encrypted, so any worker can carry on an account without a new two-step login.

The key is derived from `KATIP_SECRET_KEY` (any passphrase, the same on every machine) with scrypt and a
random salt kept in the database; the passphrase and the key are never stored, so the database alone
opens nothing. Fernet (AES-128-CBC with HMAC-SHA256) authenticates each session: one encrypted with
another passphrase, or altered, is refused and the account logs in again. Rows are keyed by a hash of
the portal and the TC number: the table names nobody.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from loguru import logger
from sqlalchemy import Column, MetaData, String, Table, Text, delete, select

from rpa.store.database import Database

METADATA = MetaData()
SESSIONS = Table(
    "katip_sessions", METADATA,
    Column("key", String(64), primary_key=True),
    Column("token", Text, nullable=False),  # Fernet token of the storage state's JSON
    Column("updated_at", String(40), nullable=False),
)
META = Table(
    "katip_sessions_meta", METADATA,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

_KEYS: dict[tuple[str, str, str], Fernet] = {}
_KEYS_LOCK = threading.Lock()


def derive_key(passphrase: str, salt: bytes) -> bytes:
    """A Fernet key from a passphrase: scrypt (n=2^15, r=8, p=1), 32 bytes, urlsafe base64."""
    raw = Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode())
    return base64.urlsafe_b64encode(raw)


class SharedSessions:
    """Encrypted storage states in a shared database (`KATIP_DATABASE_URL` + `KATIP_SECRET_KEY`)."""

    def __init__(self, url: str, passphrase: str, portal_url: str | None) -> None:
        self.db = Database(url, METADATA)
        self.portal = urlsplit(portal_url or "").netloc
        salt = self._salt()
        fingerprint = hashlib.sha256(f"{salt}:{passphrase}".encode()).hexdigest()
        with _KEYS_LOCK:  # scrypt costs ~0.1 s: once per process
            fernet = _KEYS.get((url, salt, fingerprint))
            if fernet is None:
                fernet = _KEYS[(url, salt, fingerprint)] = Fernet(derive_key(passphrase, bytes.fromhex(salt)))
        self.fernet = fernet

    def _salt(self) -> str:
        with self.db.begin() as conn:  # the first machine's salt is everyone's
            conn.execute(self.db.insert(META).values(name="kdf_salt", value=secrets.token_hex(16))
                         .on_conflict_do_nothing(index_elements=[META.c.name]))
        with self.db.connect() as conn:
            return str(conn.execute(select(META.c.value).where(META.c.name == "kdf_salt")).scalar_one())

    def key(self, tc: str) -> str:
        """The row of an account on this portal (a hash: neither the TC number nor the portal shows)."""
        return hashlib.sha256(f"katip-session:{self.portal}:{tc}".encode()).hexdigest()[:40]

    def load(self, tc: str) -> dict[str, Any] | None:
        """The account's latest saved session from any machine; None if there is none or it cannot be
        opened (another passphrase, altered)."""
        with self.db.connect() as conn:
            token = conn.execute(select(SESSIONS.c.token).where(SESSIONS.c.key == self.key(tc))).scalar()
        if token is None:
            return None
        try:
            state = json.loads(self.fernet.decrypt(token.encode()))
        except (InvalidToken, ValueError):
            logger.warning("a shared saved session could not be opened (is KATIP_SECRET_KEY the same on every "
                           "machine?); this account logs in again")
            return None
        return state if isinstance(state, dict) else None

    def save(self, tc: str, state: dict[str, Any]) -> None:
        """Share the account's session (encrypted)."""
        token = self.fernet.encrypt(json.dumps(state).encode()).decode()
        now = datetime.now(UTC).isoformat(timespec="seconds")
        statement = self.db.insert(SESSIONS).values(key=self.key(tc), token=token, updated_at=now)
        with self.db.begin() as conn:
            conn.execute(statement.on_conflict_do_update(
                index_elements=[SESSIONS.c.key], set_={"token": statement.excluded.token,
                                                       "updated_at": statement.excluded.updated_at}))

    def forget(self, tc: str) -> None:
        """Drop the account's shared session (the portal refused it)."""
        with self.db.begin() as conn:
            conn.execute(delete(SESSIONS).where(SESSIONS.c.key == self.key(tc)))
