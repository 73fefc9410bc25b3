"""Passwords the console was given, where no OS keyring is usable: encrypted in the state dir.

`password: store` in accounts.yaml looks the password up here under the account's name. The store is
one file of Fernet tokens (`cryptography`: AES-128-CBC with an HMAC), `secrets.enc`, and its key
`secrets.key`; both 0600 in the 0700 state dir. Whoever can read the state dir can read the saved
sessions too, so the key beside the store keeps passwords out of backups of accounts.yaml, casual
`cat`s and grep, not from the machine's own user.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

KEY_NAME = "secrets.key"
STORE_NAME = "secrets.enc"
KEYRING_SERVICE = "isgkatip"


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(data)
    os.replace(tmp, path)


class SecretStore:
    """Account name -> password, encrypted at rest in `state_dir`."""

    def __init__(self, state_dir: Path) -> None:
        self.key_file = state_dir / KEY_NAME
        self.file = state_dir / STORE_NAME

    def _fernet(self, create: bool):  # noqa: ANN202 - cryptography's Fernet, imported lazily
        from cryptography.fernet import Fernet

        if not self.key_file.is_file():
            if not create:
                return None
            self.key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            _write_private(self.key_file, Fernet.generate_key())
        return Fernet(self.key_file.read_bytes().strip())

    def _all(self) -> dict[str, str]:
        fernet = self._fernet(create=False)
        if fernet is None or not self.file.is_file():
            return {}
        from cryptography.fernet import InvalidToken

        try:
            return dict(json.loads(fernet.decrypt(self.file.read_bytes().strip())))
        except (InvalidToken, ValueError, TypeError):
            return {}

    def get(self, name: str) -> str | None:
        """The password kept for this account, or None."""
        return self._all().get(name)

    def set(self, name: str, password: str) -> None:
        """Keep (or replace) the account's password."""
        values = self._all()
        values[name] = password
        self._save(values)

    def delete(self, name: str) -> None:
        """Forget the account's password (nothing if there is none)."""
        values = self._all()
        if values.pop(name, None) is not None:
            self._save(values)

    def _save(self, values: dict[str, str]) -> None:
        fernet = self._fernet(create=True)
        _write_private(self.file, fernet.encrypt(json.dumps(values).encode()))


def keyring_usable() -> bool:
    """Whether an OS keyring with a real backend is there (not keyring's 'fail' or 'null' one)."""
    try:
        import keyring

        backend = keyring.get_keyring()
        return float(getattr(backend, "priority", 0)) > 0 and "fail" not in type(backend).__module__
    except Exception:  # no backend, D-Bus down: not usable
        return False


def keep_password(state_dir: Path, name: str, password: str, use_keyring: bool | None = None) -> str:
    """Keep an account's password where it is safest here; returns the `password:` reference to write."""
    if use_keyring is None:
        use_keyring = keyring_usable()
    if use_keyring:
        try:
            import keyring

            keyring.set_password(KEYRING_SERVICE, name, password)
            return f"keyring:{KEYRING_SERVICE}"
        except Exception:  # a locked or broken keyring: the encrypted store instead
            pass
    SecretStore(state_dir).set(name, password)
    return "store"


def forget_password(state_dir: Path, name: str) -> None:
    """Drop an account's password from the store and the keyring (whichever has it)."""
    SecretStore(state_dir).delete(name)
    try:
        import keyring

        keyring.delete_password(KEYRING_SERVICE, name)
    except Exception:  # nothing there, or no keyring
        pass
