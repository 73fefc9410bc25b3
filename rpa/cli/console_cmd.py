"""`katip console [--host 127.0.0.1] [--port 0]`: the back office's local web app; `katip console
set-password`, `katip console token`.

Exit status: 0 stopped with Ctrl-C; 2 bad settings, or a --host other than loopback without a console password.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rpa.app.status import ExitStatus
from rpa.cli import app

console_app = typer.Typer(help="The back-office console (a local web app).", no_args_is_help=False)
app.add_typer(console_app, name="console")


@console_app.callback(invoke_without_command=True)
def console(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (other than loopback: needs a "
                                                     "console password).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port (0: a free one).")] = 0,
    portal_url: Annotated[
        str | None, typer.Option("--portal-url", metavar="URL", help="Portal start URL (default: KATIP_PORTAL_URL).")
    ] = None,
    accounts: Annotated[
        Path | None, typer.Option("--accounts", metavar="FILE", help="accounts.yaml (default: KATIP_ACCOUNTS).")
    ] = None,
    schedule: Annotated[
        Path, typer.Option("--schedule", metavar="FILE", help="The schedule file the Zamanlama page shows.")
    ] = Path("schedules.yaml"),
) -> None:
    """Start the console and print its URL (Ctrl-C stops it)."""
    if ctx.invoked_subcommand is not None:
        return
    from rpa.cli.common import settings_for, usage_error
    from rpa.console.server import serve
    from rpa.errors import ConfigError
    from rpa.logs import configure_service_logging

    settings = settings_for(False, portal_url=portal_url, accounts_file=accounts)
    try:
        configure_service_logging(settings.private_state_dir(), console_level="WARNING")
        if settings.broker_url:  # the console's runs go to the workers (`katip worker`), as the scheduler's
            from rpa.workers.client import install

            install(settings)
        serve(settings, host, port, config={"KATIP_SCHEDULE_FILE": str(schedule.resolve())},
              on_ready=lambda url: typer.echo(f"Konsol / console: {url}  (Ctrl-C durdurur / stops it)"))
    except ConfigError as exc:
        usage_error(str(exc), False)
    typer.echo("Konsol durdu / console stopped.")
    raise typer.Exit(ExitStatus.OK)


@console_app.command("set-password")
def set_password_cmd(
    password: Annotated[str | None, typer.Option("--password", hidden=True, help="For scripts and tests.")] = None,
) -> None:
    """Set the console password (needed for a --host other than loopback); kept as a slow hash."""
    from rpa.cli.common import settings_for
    from rpa.console.security import set_password

    settings = settings_for(False)
    if password is None:
        password = typer.prompt("Konsol şifresi / console password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        typer.secho("Hata / error: en az 8 karakter / at least 8 characters", fg="red", err=True)
        raise typer.Exit(ExitStatus.USAGE)
    set_password(settings.private_state_dir(), password)
    typer.echo("Konsol şifresi kaydedildi / console password set.")


@console_app.command("token")
def token_cmd() -> None:
    """Print the API token programs send as `X-Katip-Token`."""
    from rpa.cli.common import settings_for
    from rpa.console.security import api_token

    typer.echo(api_token(settings_for(False).private_state_dir()))
