"""All of the robot's settings in one place: environment variables `KATIP_*`, or the initialiser in tests."""

from __future__ import annotations

import ipaddress
import os
import stat
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from rpa.errors import ConfigError
from rpa.pages.texts import DEFAULT, Words

# Four browsers stay under 1.5 GB and keep a 2-core machine busy; more mostly queue on the CPU.
DEFAULT_PARALLEL = 4


def default_state_dir() -> Path:
    """`$XDG_STATE_HOME/katip`, else `~/.local/state/katip`: outside the work tree, so that saved
    sessions (they log anyone who has them in as the account) can never be committed by accident."""
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "katip"


def default_out_dir() -> Path:
    """`$XDG_DATA_HOME/katip`, else `~/.local/share/katip`: one place for reports and PDFs, whatever
    folder a clerk runs `katip` from (a relative default gave every folder an `out/` of its own)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "katip"


class Settings(BaseSettings):
    """The robot's configuration; every field can be set as `KATIP_<FIELD>` (e.g. `KATIP_PORTAL_URL`)."""

    model_config = SettingsConfigDict(env_prefix="KATIP_", extra="ignore", populate_by_name=True)

    # The start URL. None: the bundled mock (the demo starts it and fills this in).
    portal_url: str | None = None
    state_dir: Path = Field(default_factory=default_state_dir)
    out_dir: Path = Field(default_factory=default_out_dir)
    # One database for the journal, the run history and the account locks of many machines
    # (`postgresql+psycopg://user@host/db`). None: private SQLite files in the state dir.
    database_url: str | None = None
    # The Celery broker of `katip worker` and of `--distributed` runs (`redis://host:6379/0`).
    broker_url: str | None = None
    # A passphrase, the same on every machine: saved sessions are shared in the database encrypted with a
    # key derived from it (never stored). None: each machine keeps its own sessions.
    secret_key: SecretStr | None = None
    # How long the broker waits for a task's acknowledgement before giving it to another worker: longer
    # than the longest account of a run (a dead worker's task is handed on after this).
    visibility_timeout_s: int = Field(default=4 * 3600, ge=5)
    # The portal's current words where they differ from the robot's defaults (`rpa.pages.profile`).
    portal_profile: Path | None = None
    # A run that finds an account in use by another run waits this long for it, then skips it.
    lock_wait_s: float = Field(default=10.0, ge=0)
    headless: bool = True
    browser_path: str | None = None
    # One timeout for every wait on the portal (a locator, a navigation, a download).
    timeout_ms: int = Field(default=15_000, ge=100)
    # How long `katip login --headed` waits for a person to finish the e-Devlet login.
    login_timeout_s: float = Field(default=300.0, gt=0)
    # Gap before each action that sends something to the portal. 0 against the mock; against the
    # ministry's portal use 1000-2000 ms, as a person clicking would.
    politeness_ms: int = Field(default=0, ge=0)
    # At most this many accounts logged in to the portal at once, whatever the number of workers.
    max_sessions: int = Field(default=4, ge=1)
    # Circuit breaker (rpa.resilience): maintenance, or this many portal faults in a row, pauses every
    # worker for the cool-down (doubling while it lasts) instead of failing the remaining workplaces.
    breaker_threshold: int = Field(default=5, ge=1)
    breaker_cooldown_s: float = Field(default=30.0, ge=0)
    breaker_max_pause_s: float = Field(default=1800.0, ge=0)
    # Accounts worked on at once (one browser per worker). None: min(4, number of accounts).
    parallel: int | None = Field(default=None, ge=1, le=32)
    # Workers share one Chromium process (each with its own driver and contexts) instead of one each.
    # Less memory, but slower: over CDP every worker's driver hears every page's events (measured in
    # rpa/shared_browser.py), so it is for machines short of RAM.
    shared_browser: bool = False
    # DOM snapshots in the failed items' traces (the trace viewer then shows the page at each step).
    evidence_snapshots: bool = False
    # How long a workplace refresh keeps reloading for the new rows.
    refresh_wait_s: float = Field(default=60.0, ge=0)
    accounts_file: Path = Field(
        default=Path("accounts.yaml"),
        validation_alias=AliasChoices("accounts_file", "KATIP_ACCOUNTS", "KATIP_ACCOUNTS_FILE"),
    )
    # After each scheduled run (rpa.notify): e-mail over SMTP and/or a command fed the summary as JSON.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = None
    smtp_to: str | None = None  # comma-separated addresses
    smtp_starttls: bool = True
    notify_command: str | None = None

    @field_validator("state_dir", "out_dir", "accounts_file", "portal_profile", mode="after")
    @classmethod
    def _expand_user(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None

    @field_validator("portal_url", "browser_path", "database_url", "broker_url", "portal_profile", "secret_key",
                     mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    def start_url(self) -> str:
        """The portal's start URL, or a ConfigError saying how to set it."""
        if not self.portal_url:
            raise ConfigError(
                "No portal URL: set KATIP_PORTAL_URL (or --portal-url), or run `katip demo` / "
                "`katip portal` for the bundled mock."
            )
        return self.portal_url

    def workers(self, accounts: int) -> int:
        """How many accounts run at once: `parallel`, or min(4, accounts); never more than there are."""
        wanted = self.parallel if self.parallel is not None else DEFAULT_PARALLEL
        return max(1, min(wanted, accounts))

    def private_state_dir(self) -> Path:
        """The state dir, created 0700; refused if others can read or enter it."""
        return ensure_private_dir(self.state_dir)

    def private_out_dir(self) -> Path:
        """The out dir, created if missing; ConfigError if it is a file or cannot be written."""
        return ensure_writable_dir(self.out_dir, "KATIP_OUT_DIR")

    def check(self) -> None:
        """Everything a run needs from the settings, checked before any browser starts (ConfigError)."""
        self.start_url()
        self.private_state_dir()
        self.private_out_dir()
        self.words()

    def words(self) -> Words:
        """The portal's words: the robot's defaults, or those of the portal profile (ConfigError if bad)."""
        if self.portal_profile is None:
            return DEFAULT
        from rpa.pages.profile import load_profile

        return load_profile(self.portal_profile)

    def shares_sessions(self) -> bool:
        """Whether saved sessions are shared through the database (a shared database and KATIP_SECRET_KEY)."""
        return bool(self.secret_key and self.secret_key.get_secret_value() and self.database_url
                    and not self.database_url.startswith("sqlite"))

    def sessions_dir(self) -> Path:
        """Where saved browser sessions live (one JSON file per account), created 0700."""
        return ensure_private_dir(self.private_state_dir() / "sessions")


def is_loopback_url(url: str) -> bool:
    """True for http(s) URLs on 127.0.0.0/8, ::1 or localhost."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def ensure_private_dir(path: Path) -> Path:
    """Create `path` with mode 0700 if missing; raise ConfigError if it exists and others have access."""
    ensure_writable_dir(path, "KATIP_STATE_DIR", mode=0o700)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(
            f"{path} başka kullanıcılara açık / is open to other users (mode {mode:o}); it holds saved logins. "
            f"Run `chmod 700 {path}` or choose another KATIP_STATE_DIR."
        )
    return path


def ensure_writable_dir(path: Path, setting: str, mode: int = 0o777) -> Path:
    """Create the folder `path` if missing; ConfigError (one clear line) if it is a file or unusable."""
    try:
        path.mkdir(mode=mode, parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ConfigError(f"{setting}: {path} bir klasör değil / is not a folder (a file is in the way).") from None
    except OSError as exc:
        raise ConfigError(f"{setting}: {path} oluşturulamadı / cannot be created: {exc.strerror}.") from None
    if not path.is_dir():
        raise ConfigError(f"{setting}: {path} bir klasör değil / is not a folder.")
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(f"{setting}: {path} yazılamıyor / is not writable by this user.")
    return path
