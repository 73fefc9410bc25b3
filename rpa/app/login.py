"""Logging an account in and saving its session: from a terminal, a visible browser, or the console.

The login takes the account's lock like any run, so it never fights a running batch for the two-step
code. Who answers the portal's questions (password, SMS code) is the `Prompter` the entry point passes:
the terminal, or the console's page.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pydantic import BaseModel

from rpa.accounts import Account, find_account, load_accounts
from rpa.app.locks import Holder, account_locks
from rpa.errors import ConfigError, LoginNeeded
from rpa.secrets import Prompter
from rpa.settings import Settings

NO_DISPLAY = ("görünür tarayıcı için ekran yok / no display for a visible browser (DISPLAY is not set): "
              "log in from the console instead (`katip console`, Hesaplar → Giriş yap), or run "
              "`katip login --account {name}` without --headed in a terminal")


class LoginResult(BaseModel):
    """A saved session: whose, and where."""

    account: str
    masked_tc: str
    session_file: Path


def account_named(settings: Settings, name: str) -> Account:
    """The account of accounts.yaml with this name (ConfigError listing the known ones)."""
    return find_account(load_accounts(settings.accounts_file, settings.portal_url), name)


def needs_person(account: Account, settings: Settings | None = None) -> str | None:
    """Why this account cannot log in alone (a prompt password or code), or None."""
    return account.unattended_blocker(settings.state_dir if settings is not None else None)


def log_in(settings: Settings, name: str, *, prompter: Prompter | None = None, headed: bool = False,
           wait_s: float | None = None) -> LoginResult:
    """Log the account in and save its session (LoginFailed / LoginNeeded / ConfigError say why not)."""
    settings.check()
    account = account_named(settings, name)
    if headed:
        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            raise ConfigError(NO_DISPLAY.format(name=name))
        settings = settings.model_copy(update={"headless": False})
    elif prompter is None and needs_person(account, settings):
        raise LoginNeeded(account.name, needs_person(account, settings) or "")
    from rpa.session import BrowserSession  # Playwright loads only now

    holder = Holder(run_id="login", account=account.name)
    with (account_locks(settings).hold(account.tc, holder, settings.lock_wait_s, lambda: False),
          BrowserSession(settings) as browser, browser.account_context(account, prompter) as session):
        if headed:
            session.wait_for_manual_login(wait_s or settings.login_timeout_s)
        else:
            session.login()
        return LoginResult(account=account.name, masked_tc=account.masked_tc, session_file=session.state_file)
