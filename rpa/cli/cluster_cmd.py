"""`katip cluster up`: a local Redis and PostgreSQL for trying the distributed mode on one machine."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import typer

from rpa.cli import app

cluster_app = typer.Typer(help="A local Redis and PostgreSQL for distributed runs (trying it out).",
                          no_args_is_help=True)
app.add_typer(cluster_app, name="cluster")


def cluster_folder() -> Path:
    """Where the local servers keep their data (PostgreSQL's user must reach it: not under the state dir)."""
    return Path(tempfile.gettempdir()) / f"katip-cluster-{os.getuid()}"


@cluster_app.command("up")
def up() -> None:
    """Start redis-server and PostgreSQL on free loopback ports until Ctrl-C; write their settings to
    `<state dir>/cluster.env` (0600) for `source`: KATIP_BROKER_URL, KATIP_DATABASE_URL, KATIP_SECRET_KEY.

    The database keeps its data between runs (in the temp dir); Redis starts empty each time.
    """
    import secrets
    import signal

    from rpa.cli.common import settings_for, usage_error
    from rpa.localservers import PostgresServer, RedisServer, ServerMissing
    from rpa.store.database import create_private_file

    def _stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)  # `kill`, `docker stop`, `timeout`: the servers stop too
    settings = settings_for(False)
    folder = cluster_folder()
    folder.mkdir(exist_ok=True)
    folder.chmod(0o711)  # PostgreSQL's own user must pass through to its folder; nobody may list it
    try:
        redis = RedisServer.start(folder / "redis")
    except ServerMissing as missing:
        usage_error(f"{missing} (or run `make setup` as root)", False)
    try:
        postgres = PostgresServer.start(folder / "postgres")
    except (ServerMissing, RuntimeError) as problem:
        redis.stop()
        usage_error(f"{problem} (or run `make setup` as root)", False)
    try:
        env_file = create_private_file(settings.private_state_dir() / "cluster.env")
        old = env_file.read_text(encoding="utf-8")
        key = next((line.split("=", 1)[1].strip("'\n") for line in old.splitlines()
                    if line.startswith("export KATIP_SECRET_KEY=")), secrets.token_urlsafe(24))
        env_file.write_text(f"export KATIP_BROKER_URL='{redis.url}'\n"
                            f"export KATIP_DATABASE_URL='{postgres.ensure_database('katip')}'\n"
                            f"export KATIP_SECRET_KEY='{key}'\n", encoding="utf-8")
        typer.echo(f"Redis on 127.0.0.1:{redis.port}, PostgreSQL on 127.0.0.1:{postgres.port} (data: {folder}).")
        typer.echo(f"In each terminal: source {env_file}   then: katip worker   /   katip approve --distributed")
        typer.echo("Ctrl-C stops both.")
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        typer.echo("stopping ...")
    finally:
        postgres.stop()
        redis.stop()
