"""`katip login --account NAME [--headed]`: log one account in and keep its session for unattended runs.

- The account can log in alone (password from env/keyring, code `mock` or `command:`): it does.
- `--headed`: a visible browser opens at e-Devlet with the TC number typed in; the person types the
  password and the SMS code there (the real portal's way), and the robot waits for "Bireysel/Kurumsal".
- Otherwise, from a terminal: the robot asks for what the account says to prompt for.

Exit status: 0 session saved; 2 bad input (accounts.yaml, no browser); 3 the login did not succeed.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer

from rpa.cli import app

EXIT_USAGE = 2
EXIT_LOGIN = 3


class TerminalPrompter:
    """Asks on the terminal; the password is not echoed."""

    def password(self, question: str) -> str:
        """Ask for a password without echo."""
        return getpass.getpass(f"{question}: ")

    def code(self, question: str) -> str:
        """Ask for the 6-digit code sent by SMS."""
        return typer.prompt(question)


def _fail(message: str, status: int) -> None:
    typer.secho(f"Hata / error: {message}", fg="red", err=True)
    raise typer.Exit(status)


@app.command()
def login(
    account: Annotated[str, typer.Option("--account", help="Account name in accounts.yaml.")],
    headed: Annotated[
        bool, typer.Option("--headed", help="Open a visible browser and complete the e-Devlet login in it.")
    ] = False,
    portal_url: Annotated[
        str | None, typer.Option("--portal-url", help="Portal start URL (default: KATIP_PORTAL_URL).")
    ] = None,
    accounts_file: Annotated[
        Path | None,
        typer.Option("--accounts", help="accounts.yaml (default: KATIP_ACCOUNTS or ./accounts.yaml)."),
    ] = None,
    wait: Annotated[
        float | None,
        typer.Option("--wait", min=1, help="Seconds to wait for you with --headed (default 300)."),
    ] = None,
) -> None:
    """Log an account in (by itself, at the terminal, or by you in a visible browser) and save its session."""
    from rpa.accounts import find_account, load_accounts
    from rpa.browser import BrowserNotFound
    from rpa.errors import ConfigError, KatipError, LoginFailed, LoginNeeded
    from rpa.session import BrowserSession
    from rpa.settings import Settings

    overrides = {"portal_url": portal_url, "accounts_file": accounts_file, "login_timeout_s": wait}
    try:
        settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
        if headed:
            settings = settings.model_copy(update={"headless": False})
        settings.start_url()
        chosen = find_account(load_accounts(settings.accounts_file, settings.portal_url), account)
    except (ConfigError, ValueError) as exc:
        return _fail(str(exc), EXIT_USAGE)

    prompter = None
    if not headed and chosen.unattended_blocker():
        if not sys.stdin.isatty():
            return _fail(
                f"account '{chosen.name}' needs a person ({chosen.unattended_blocker()}): run "
                f"`katip login --account {chosen.name}` in a terminal, or add --headed.",
                EXIT_LOGIN,
            )
        prompter = TerminalPrompter()

    try:
        with BrowserSession(settings) as browser, browser.account_context(chosen, prompter) as session:
            if headed:
                typer.echo(
                    f"Complete the e-Devlet login for '{chosen.name}' in the browser window "
                    f"(password, then the SMS code). Waiting up to {int(settings.login_timeout_s)} s ..."
                )
                session.wait_for_manual_login(settings.login_timeout_s)
            else:
                session.login()
            saved = session.state_file
    except BrowserNotFound as exc:
        return _fail(str(exc), EXIT_USAGE)
    except (LoginFailed, LoginNeeded) as exc:
        return _fail(f"login for '{chosen.name}' failed: {exc}", EXIT_LOGIN)
    except ConfigError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except KatipError as exc:
        return _fail(f"the portal did not let '{chosen.name}' in: {exc}", EXIT_LOGIN)
    typer.echo(
        f"Session saved for '{chosen.name}' ({chosen.masked_tc}) in {saved}. Unattended runs use it "
        "until the portal ends it; then run this command again."
    )
