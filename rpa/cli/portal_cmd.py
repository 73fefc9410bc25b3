"""`katip portal`: run the bundled mock İSG-KATİP portal."""

from __future__ import annotations

import contextlib
import ipaddress
from pathlib import Path
from typing import Annotated

import typer

from rpa.cli import app

SIZE_NOTE = "Giving any size or --seed re-seeds the portal."


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _default_db() -> Path:
    from rpa.settings import Settings

    state_dir = Settings().state_dir
    state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return state_dir / "mock-portal.sqlite"


def accounts_yaml(portal_app) -> str:  # noqa: ANN001 - a Flask app
    """accounts.yaml for every seeded account of this mock, the passwords in environment variables.

    The mock's own test passwords, printed because the tester asked; a real account's password never
    goes into a file (the file says where it is, not what it is)."""
    from mock_portal.db import connect

    conn = connect(portal_app.config["DATABASE"])
    try:
        rows = conn.execute("SELECT tc, password, name, two_step FROM accounts ORDER BY rowid").fetchall()
    finally:
        conn.close()
    exports = ["# Parolalar ortam değişkenlerinde / the passwords go in environment variables:"]
    lines = ["accounts:"]
    for index, row in enumerate(rows, start=1):
        variable = f"KATIP_MOCK_PASSWORD_{index}"
        exports.append(f"#   export {variable}='{row['password']}'")
        note = "" if row["two_step"] else "  # iki adımlı doğrulama kapalı / two-step verification off"
        lines += [f"  - name: hesap-{index:02d}{note}", f'    tc: "{row["tc"]}"', f"    password: env:{variable}",
                  "    code: mock"]
    return "\n".join([*exports, *lines]) + "\n"


def _renames(pairs: list[str]) -> dict[str, str]:
    renamed = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise typer.BadParameter(f"{pair!r}: ESKİ=YENİ bekleniyor / OLD=NEW expected", param_hint="--rename")
        renamed[old.strip()] = new.strip()
    return renamed


@app.command()
def portal(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port; 0 picks a free one.")] = 0,
    test_mode: Annotated[
        bool, typer.Option("--test-mode", help="Enable the /_dev/ test API (answers loopback clients only).")
    ] = False,
    db: Annotated[
        Path | None, typer.Option(help="SQLite file of the portal's state (default: state dir).")
    ] = None,
    accounts: Annotated[
        int | None, typer.Option(min=0, help=f"Generated employer accounts. {SIZE_NOTE}")
    ] = None,
    workplaces: Annotated[
        int | None, typer.Option(min=1, help=f"Workplaces per account. {SIZE_NOTE}")
    ] = None,
    employees: Annotated[
        int | None, typer.Option(min=0, help=f"Employees per workplace. {SIZE_NOTE}")
    ] = None,
    seed: Annotated[int | None, typer.Option(help=f"Random seed of the generated data. {SIZE_NOTE}")] = None,
    fresh: Annotated[bool, typer.Option("--fresh", help="Forget the saved state and seed again.")] = False,
    threads: Annotated[int, typer.Option(min=1, max=64, help="Worker threads of the WSGI server.")] = 8,
    print_accounts_yaml: Annotated[
        bool,
        typer.Option("--print-accounts-yaml",
                     help="Print an accounts.yaml for the seeded accounts (passwords as env: names, with "
                          "their export lines) and stop."),
    ] = False,
    rename: Annotated[
        list[str] | None,
        typer.Option(help="OLD=NEW: show NEW wherever the portal shows OLD (a portal change; repeatable)."),
    ] = None,
) -> None:
    """Run the mock portal until Ctrl-C; prints its URL and the demo account."""
    # Flask and the portal load only for this command, so that `katip --help` stays fast.
    from mock_portal import create_app
    from mock_portal import seed as seeding
    from mock_portal.server import serve
    from rpa.domain.identifiers import mask_tc

    sizes = {"accounts": accounts, "workplaces": workplaces, "employees": employees, "seed": seed}
    chosen = {key: value for key, value in sizes.items() if value is not None}
    try:
        options = seeding.SeedOptions.from_mapping(chosen)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    renamed = _renames(rename or [])
    path = db or _default_db()
    reseed = bool(chosen) or fresh
    # SEED None: the factory leaves the database alone when we are about to re-seed it anyway.
    portal_app = create_app({"DATABASE": str(path), "TEST_MODE": test_mode, "SEED": None if reseed else {},
                             "RENAMED_TEXTS": renamed})
    portal_app.config["SEED"] = seeding.options_as_dict(options)  # what `/_dev/reset` goes back to
    if reseed:
        typer.echo("Seeding the portal ...")
        seeding.reset(portal_app, options)

    if print_accounts_yaml:
        typer.echo(accounts_yaml(portal_app), nl=False)
        return

    def print_sms(tc: str, code: str) -> None:
        typer.echo(f"SMS to {mask_tc(tc)}: İSG-KATİP doğrulama kodunuz {code}")

    portal_app.config["SMS_SINK"] = print_sms  # the console is the mock's phone
    if not _is_loopback(host):
        typer.secho(
            f"Warning: listening on {host} makes the mock reachable from other machines.", fg="yellow"
        )

    def announce(url: str) -> None:
        typer.echo(f"Mock İSG-KATİP portal: {url}/")
        typer.echo(
            f"  Demo account: T.C. Kimlik No {seeding.DEMO_TC}, e-Devlet Şifresi {seeding.DEMO_PASSWORD}"
        )
        typer.echo("  The two-step code is printed here when it is sent.")
        for old, new in renamed.items():
            typer.echo(f"  Renamed: {old!r} -> {new!r}")
        if test_mode:
            typer.echo(f"  Test API: {url}/_dev/state, {url}/_dev/sms?tc=<TC>, {url}/_dev/texts")
        typer.echo(f"  State: {path}")
        typer.echo("Press Ctrl-C to stop.")

    with contextlib.suppress(KeyboardInterrupt):
        serve(portal_app, host=host, port=port, threads=threads, on_ready=announce)
    typer.echo("Portal stopped.")
