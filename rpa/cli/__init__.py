"""The `katip` command: one Typer app, each area's commands in its own module.

Command modules import Playwright, pandas and Flask inside the commands, so `katip --help` stays fast.
"""

from __future__ import annotations

import typer

from rpa import __version__

app = typer.Typer(
    name="katip",
    help="İSG-KATİP robot for OSGB back offices (and its bundled mock portal).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Markdown: a docstring's paragraph reflows to the terminal instead of keeping its source line breaks.
    rich_markup_mode="markdown",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"katip {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """İSG-KATİP robot for OSGB back offices."""


def _register_commands() -> None:
    # Imported for their side effect of adding commands to `app`.
    from rpa.cli import (
        audit_cmd,  # noqa: F401
        chaos_cmd,  # noqa: F401
        cluster_cmd,  # noqa: F401
        console_cmd,  # noqa: F401
        login_cmd,  # noqa: F401
        portal_cmd,  # noqa: F401
        robot_cmd,  # noqa: F401
        roster_cmd,  # noqa: F401
        roster_sync_cmd,  # noqa: F401
        schedule_cmd,  # noqa: F401
        selfcheck_cmd,  # noqa: F401
        worker_cmd,  # noqa: F401
    )


def main() -> None:
    """Entry point of the `katip` console script."""
    _register_commands()
    app()
