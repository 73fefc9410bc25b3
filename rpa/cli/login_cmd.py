"""`katip login --account NAME [--headed]`: log one account in and keep its session for unattended runs.

- The account can log in alone (password from env/keyring, code `mock` or `command:`): it does.
- `--headed`: a visible browser opens at e-Devlet with the TC number typed in; the person types the
  password and the SMS code there (the real portal's way), and the robot waits for "Bireysel/Kurumsal".
- Otherwise, from a terminal: the robot asks for what the account says to prompt for.

Exit status: 0 session saved; 1 the account is busy (another run uses it); 2 bad input (accounts.yaml,
no browser, no display for --headed); 3 the login did not succeed.
"""

from __future__ import annotations

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer

from rpa.app.status import ExitStatus
from rpa.cli import app


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
    from rpa.app.locks import AccountBusy
    from rpa.app.login import account_named, log_in, needs_person
    from rpa.browser import BrowserNotFound
    from rpa.cli.common import settings_for
    from rpa.errors import ConfigError, KatipError, LoginFailed, LoginNeeded
    from rpa.logs import configure_logging

    configure_logging()  # the terminal shows warnings; the steps of the login are for the log only
    settings = settings_for(False, portal_url=portal_url, accounts_file=accounts_file)
    try:
        chosen = account_named(settings, account)
    except ConfigError as exc:
        return _fail(str(exc), ExitStatus.USAGE)
    prompter = None
    if not headed and needs_person(chosen, settings):
        if not sys.stdin.isatty():
            return _fail(
                f"account '{chosen.name}' needs a person ({needs_person(chosen, settings)}): run "
                f"`katip login --account {chosen.name}` in a terminal, add --headed on a desktop, or log in "
                "from the console (`katip console`).",
                ExitStatus.LOGIN_NEEDED,
            )
        prompter = TerminalPrompter()
    if headed:
        typer.echo(f"Complete the e-Devlet login for '{chosen.name}' in the browser window (password, then the "
                   f"SMS code). Waiting up to {int(wait or settings.login_timeout_s)} s ...")
    try:
        done = log_in(settings, chosen.name, prompter=prompter, headed=headed, wait_s=wait)
    except (BrowserNotFound, ConfigError) as exc:
        return _fail(str(exc), ExitStatus.USAGE)
    except AccountBusy as exc:
        return _fail(f"'{chosen.name}': {exc}; try again when that run ends", ExitStatus.ATTENTION)
    except (LoginFailed, LoginNeeded) as exc:
        return _fail(f"login for '{chosen.name}' failed: {exc}", ExitStatus.LOGIN_NEEDED)
    except KatipError as exc:
        return _fail(f"the portal did not let '{chosen.name}' in: {exc}", ExitStatus.LOGIN_NEEDED)
    typer.echo(
        f"Oturum kaydedildi / session saved for '{done.account}' ({done.masked_tc}) in {done.session_file}. "
        "Unattended runs use it until the portal ends it; then run this command again."
    )
