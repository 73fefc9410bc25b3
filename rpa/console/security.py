"""The console's locks: its API token and password (files 0600 in the state dir), CSRF tokens, the
Origin/Host check, the login page's rate limit.

- Every state-changing request carries either the session's CSRF token (the console's own pages: a
  form field or the `X-CSRF-Token` header) or `X-Katip-Token` (a program); otherwise 403.
- A request whose `Origin` is not the console itself, or whose `Host` is not the address the console
  serves (DNS rebinding), is refused with 403.
- With a console password, every page and API call needs a logged-in session or the token.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections import defaultdict, deque
from pathlib import Path
from urllib.parse import urlsplit

TOKEN_NAME = "console-token"
PASSWORD_NAME = "console-password"
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1"}
LOGIN_ATTEMPTS = 5  # failed logins per address ...
LOGIN_WINDOW_S = 60.0  # ... within this many seconds, then 429 until the window passes


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(text)
    os.replace(tmp, path)


def api_token(state_dir: Path) -> str:
    """The API token for programs (`X-Katip-Token`), made on first use."""
    path = state_dir / TOKEN_NAME
    if path.is_file():
        token = path.read_text(encoding="utf-8").strip()
        if token:
            return token
    token = secrets.token_urlsafe(32)
    _write_private(path, token + "\n")
    return token


def set_password(state_dir: Path, password: str) -> None:
    """Keep the console password as a slow salted hash (werkzeug's scrypt)."""
    from werkzeug.security import generate_password_hash

    _write_private(state_dir / PASSWORD_NAME, generate_password_hash(password) + "\n")


def password_hash(state_dir: Path) -> str | None:
    """The console password's hash, or None when no password is set."""
    path = state_dir / PASSWORD_NAME
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8").strip() or None


def check_password(hashed: str, password: str) -> bool:
    """Whether `password` is the console password."""
    from werkzeug.security import check_password_hash

    return check_password_hash(hashed, password)


def is_loopback_host(host: str) -> bool:
    """127.0.0.0/8, ::1 or localhost."""
    import ipaddress

    if host.strip("[]").lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def same_token(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; False if either is missing."""
    return bool(given and expected) and hmac.compare_digest(str(given), str(expected))


def host_allowed(host_header: str, bound_host: str, port: int | None) -> bool:
    """Whether the request's Host is the console's own address (by name or loopback alias, and port)."""
    parts = urlsplit(f"//{host_header}")
    try:
        name, given_port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        return False
    names = {bound_host.strip("[]").lower()}
    if is_loopback_host(bound_host) or bound_host in ("0.0.0.0", "::"):
        names |= LOOPBACK_NAMES
    if bound_host in ("0.0.0.0", "::"):
        return port is None or given_port in (None, port)
    return name in names and (port is None or given_port == port)


def origin_allowed(origin: str | None, host_header: str) -> bool:
    """No Origin (a program, a same-origin GET), or exactly this console's."""
    if not origin:
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host_header.lower()


class LoginLimiter:
    """At most LOGIN_ATTEMPTS failed logins per address in LOGIN_WINDOW_S."""

    def __init__(self, attempts: int = LOGIN_ATTEMPTS, window_s: float = LOGIN_WINDOW_S) -> None:
        self.attempts, self.window_s = attempts, window_s
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def blocked(self, address: str) -> bool:
        """Whether this address must wait before trying again."""
        with self._lock:
            failures = self._failures[address]
            while failures and failures[0] < time.monotonic() - self.window_s:
                failures.popleft()
            return len(failures) >= self.attempts

    def failed(self, address: str) -> None:
        """Count a failed attempt."""
        with self._lock:
            self._failures[address].append(time.monotonic())
