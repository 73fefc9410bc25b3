"""Where an account's password and two-step code come from; never from accounts.yaml itself.

`password:` is a reference (`env:VAR`, `keyring:<service>`, `store` — the console's encrypted store in the
state dir, `rpa.secret_store` — or `prompt`); `code:` says how the 6-digit
code arrives (`prompt`, `mock`, `command:<shell command>`). Resolving returns a `SecretStr`, so a
password printed by mistake shows as `**********`.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, SecretStr

from rpa.errors import ConfigError, LoginFailed

CODE_PATTERN = re.compile(r"(?<!\d)(\d{6})(?!\d)")
COMMAND_TIMEOUT_S = 120


class Prompter(Protocol):
    """Asks a person on the terminal (the CLI passes one; unattended runs pass none)."""

    def password(self, question: str) -> str: ...

    def code(self, question: str) -> str: ...


class SecretRef(BaseModel):
    """`env:VAR`, `keyring:<service>`, `store` or `prompt`, parsed from accounts.yaml."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["env", "keyring", "store", "prompt"]
    target: str = ""

    @classmethod
    def parse(cls, value: object, where: str) -> SecretRef:
        """Parse a `password:` value; anything else (above all a password itself) is refused."""
        text = value.strip() if isinstance(value, str) else ""
        if text in ("prompt", "store"):
            return cls(kind=text)
        for kind in ("env", "keyring"):
            if text.startswith(f"{kind}:"):
                target = text[len(kind) + 1 :].strip()
                if not target:
                    what = "değişken adı / variable name" if kind == "env" else "servis adı / service name"
                    raise ConfigError(f"{where}: '{kind}:' sonrasında {what} yok / '{kind}:' needs a name after it, "
                                      f"e.g. {kind}:{'KATIP_FIRMA_SIFRE' if kind == 'env' else 'isgkatip'}.")
                return cls(kind=kind, target=target)
        # Never echo the value: it may be the password itself.
        raise ConfigError(
            f"{where}: a password written in the file is refused. Use env:VARIABLE, keyring:SERVICE, store "
            "(the console keeps it encrypted) or prompt."
        )

    def __str__(self) -> str:
        return f"{self.kind}:{self.target}" if self.target else self.kind

    def lookup(self, username: str, state_dir: Path | None = None) -> tuple[SecretStr | None, str]:
        """The secret if it can be had without asking anyone, else None and why not.

        `state_dir`: where the encrypted store is (`store`); by default KATIP_STATE_DIR's."""
        if self.kind == "store":
            from rpa.secret_store import SecretStore

            if state_dir is None:
                from rpa.settings import default_state_dir

                state_dir = Path(os.environ.get("KATIP_STATE_DIR") or default_state_dir()).expanduser()
            stored = SecretStore(state_dir).get(username)
            if not stored:
                return None, (f"no password kept for '{username}' in the console's store: set it in the console "
                              "(Hesaplar / Accounts)")
            return SecretStr(stored), ""
        if self.kind == "env":
            value = os.environ.get(self.target)
            return (SecretStr(value), "") if value else (None, f"environment variable {self.target} is not set")
        if self.kind == "keyring":
            try:
                import keyring  # lazily: loading backends is slow and may touch D-Bus

                value = keyring.get_password(self.target, username)
            except Exception as exc:  # no backend, locked store, D-Bus down: all mean "not available"
                return None, (f"anahtarlık kullanılamıyor / the keyring is not usable ({type(exc).__name__}); "
                              "bu makinede env:DEĞİŞKEN ya da prompt kullanın / on this machine use env:VARIABLE "
                              "or prompt instead")
            if not value:
                return None, f"no keyring entry for service '{self.target}', user '{username}'"
            return SecretStr(value), ""
        return None, "its password is 'prompt'"

    def resolve(self, username: str, prompter: Prompter | None, question: str,
                state_dir: Path | None = None) -> SecretStr:
        """The secret, asking the prompter only for `prompt`; ConfigError if it cannot be had."""
        if self.kind == "prompt":
            if prompter is None:
                raise ConfigError(f"{question}: the password is 'prompt', but nobody is here to type it.")
            return SecretStr(prompter.password(question))
        value, reason = self.lookup(username, state_dir)
        if value is None:
            raise ConfigError(f"{question}: {reason}.")
        return value


class CodeSource(BaseModel):
    """How the two-step code arrives: `prompt`, `mock` (the mock's `/_dev/sms`), `command:<cmd>`."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["prompt", "mock", "command"]
    command: str = ""

    @classmethod
    def parse(cls, value: object, where: str) -> CodeSource:
        """Parse a `code:` value."""
        text = value.strip() if isinstance(value, str) else ""
        if text in ("prompt", "mock"):
            return cls(kind=text)
        if text.startswith("command:") and text[len("command:") :].strip():
            return cls(kind="command", command=text[len("command:") :].strip())
        raise ConfigError(f"{where}: use prompt, mock or command:<shell command that prints the code>.")

    def __str__(self) -> str:
        return f"command:{self.command}" if self.kind == "command" else self.kind

    @property
    def unattended(self) -> bool:
        """Whether the code can be had without a person."""
        return self.kind in ("mock", "command")


def code_from_command(command: str, env: dict[str, str], run: Callable = subprocess.run) -> str:
    """Run the user's command (from their own accounts.yaml) and take the first 6-digit number it prints."""
    try:
        done = run(
            command,
            shell=True,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT_S,
            env={**os.environ, **env},
        )
    except subprocess.TimeoutExpired as exc:
        raise LoginFailed(f"The code command did not finish within {COMMAND_TIMEOUT_S} s.") from exc
    match = CODE_PATTERN.search(done.stdout or "")
    if done.returncode != 0 or not match:
        raise LoginFailed(f"The code command printed no 6-digit code (exit status {done.returncode}).")
    return match.group(1)


def code_from_mock(portal_url: str, tc: str, timeout_s: float) -> str:
    """Read the last code the mock portal "sent" to this person (GET /_dev/sms)."""
    import httpx

    from rpa.settings import is_loopback_url

    if not is_loopback_url(portal_url):
        raise ConfigError("code: mock only works with the bundled mock portal on this machine.")
    try:
        answer = httpx.get(httpx.URL(portal_url).join("/_dev/sms"), params={"tc": tc}, timeout=timeout_s)
        answer.raise_for_status()
        code = str(answer.json().get("code") or "")
    except (httpx.HTTPError, ValueError) as exc:
        raise LoginFailed(f"The mock portal gave no two-step code ({type(exc).__name__}).") from exc
    if not CODE_PATTERN.fullmatch(code):
        raise LoginFailed("The mock portal gave no two-step code.")
    return code
