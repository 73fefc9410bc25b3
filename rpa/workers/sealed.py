"""A worker's result sealed on its way through Redis: it holds professionals' names and contract rows.

The result waits in the broker's result store until the run that sent the task collects it (at most a
day if that run died). With `KATIP_SECRET_KEY` set (the key of the shared sessions: scrypt of the
passphrase with the database's salt, never stored), it is a Fernet token only the run's machines can
open; without it the result travels as plain JSON, as before.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import InvalidToken

from rpa.errors import ConfigError
from rpa.settings import Settings

SEALED = "sealed"


def _fernet(settings: Settings) -> Any:
    from rpa.store.sessions import SharedSessions

    assert settings.database_url and settings.secret_key
    return SharedSessions(settings.database_url, settings.secret_key.get_secret_value(), settings.portal_url).fernet


def seal(settings: Settings, result: dict[str, Any]) -> dict[str, Any]:
    """The result as the broker keeps it: `{"sealed": token}` when a passphrase is set."""
    if not settings.shares_sessions():
        return result
    return {SEALED: _fernet(settings).encrypt(json.dumps(result).encode()).decode()}


def unseal(settings: Settings, kept: dict[str, Any]) -> dict[str, Any]:
    """The worker's result again; ConfigError when it cannot be opened (another passphrase)."""
    if SEALED not in kept:
        return kept
    if not settings.shares_sessions():
        raise ConfigError("a worker's result is sealed, but KATIP_SECRET_KEY is not set here (set the same as on "
                          "the workers)")
    try:
        opened = json.loads(_fernet(settings).decrypt(kept[SEALED].encode()))
    except InvalidToken:
        raise ConfigError("a worker's result cannot be opened: is KATIP_SECRET_KEY the same on every machine?") \
            from None
    if not isinstance(opened, dict):
        raise ConfigError("a worker's result is not what a worker sends")
    return opened
