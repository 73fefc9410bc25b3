"""`katip worker`: a Celery worker taking accounts of distributed runs from the broker (KATIP_BROKER_URL)."""

from __future__ import annotations

import logging
import os
import socket
from typing import Annotated

import typer

from rpa.cli import app
from rpa.cli.common import settings_for, usage_error

BROWSER_MB = 400  # one account at a time takes about this much (its Chromium, driver and Python)


def default_concurrency() -> int:
    """Accounts at once on this machine: one per core, fewer if the free memory is short."""
    cores = os.cpu_count() or 1
    try:
        free_mb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_AVPHYS_PAGES") // (1024 * 1024)
    except (ValueError, OSError):
        return cores
    return max(1, min(cores, free_mb // BROWSER_MB))


@app.command()
def worker(
    concurrency: Annotated[
        int | None,
        typer.Option("--concurrency", "-c", min=1, max=64, metavar="N",
                     help="Accounts worked on at once, each in its own browser (default: from cores and memory)."),
    ] = None,
    loglevel: Annotated[str, typer.Option("--loglevel", metavar="LEVEL", help="Celery's log level.")] = "INFO",
) -> None:
    """Work on the accounts of distributed runs (`--distributed`) sent through KATIP_BROKER_URL.

    Every worker, on every machine, points at the same broker (KATIP_BROKER_URL) and database
    (KATIP_DATABASE_URL), and writes to the same out folder; each keeps its own KATIP_STATE_DIR.
    """
    from rpa.errors import ConfigError
    from rpa.logs import configure_service_logging
    from rpa.workers.celery_app import QUEUE, make_app

    settings = settings_for(False)
    try:
        celery = make_app(settings)
        if not settings.database_url or settings.database_url.startswith("sqlite"):
            raise ConfigError("a worker needs the shared database: set KATIP_DATABASE_URL=postgresql+psycopg://…")
        state_dir = settings.private_state_dir()
    except ConfigError as exc:
        usage_error(str(exc), False)
    configure_service_logging(state_dir, console_level=loglevel.upper())
    for chatty in ("httpx", "httpcore"):  # their request lines carry query strings (a TC number in the mock's)
        logging.getLogger(chatty).setLevel(logging.WARNING)
    name = f"katip-{os.getpid()}@{socket.gethostname()}"
    celery.worker_main(["worker", f"--concurrency={concurrency or default_concurrency()}",
                        f"--loglevel={loglevel}", "-Q", QUEUE, "-n", name, "--without-gossip", "--without-mingle",
                        "--pool=prefork"])
