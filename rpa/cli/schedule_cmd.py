"""`katip schedule list|check|run|run-now`, and mounting `katip runs` (rpa.cli.runs_cmd) beside it."""

from __future__ import annotations

import glob
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from rpa.cli import app
from rpa.cli.runs_cmd import (
    EXIT_ATTENTION,
    EXIT_LOGIN,
    EXIT_OK,
    EXIT_USAGE,
    FILE_OPTION,
    err,
    history,
    load_settings,
    local_time,
    out,
    runs_app,
    show_run,
)

if TYPE_CHECKING:
    from rpa.history import RunRecord
    from rpa.scheduling.config import ScheduleFile

schedule_app = typer.Typer(help="Scheduled runs from schedules.yaml (APScheduler).", no_args_is_help=True)
app.add_typer(schedule_app, name="schedule")
app.add_typer(runs_app, name="runs")

PORTAL_OPTION = typer.Option(None, "--portal-url", help="Portal start URL (default: KATIP_PORTAL_URL).")
FROM_OPTION = typer.Option(None, "--from", help="Show the runs after this moment (default: now).")
LOG_JSON_OPTION = typer.Option(False, "--log-json", help="Console logs as JSON lines (for log collectors).")


def _schedule(path: Path) -> ScheduleFile:
    # Imports stay inside the functions so that `katip --help` stays fast.
    from rpa.scheduling.config import ScheduleError, load_schedule

    try:
        return load_schedule(path)
    except ScheduleError as error:
        err().print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None


@schedule_app.command("list")
def schedule_list(
    file: Path = FILE_OPTION,
    start: datetime | None = FROM_OPTION,
) -> None:
    """Every job with its next 3 run times, in the schedule's time zone."""
    from rpa.scheduling.timing import next_fire_times

    schedule = _schedule(file)
    now = datetime.now(schedule.tz) if start is None else start
    now = now.replace(tzinfo=schedule.tz) if now.tzinfo is None else now
    out().print(f"{file}: saatler / times in {schedule.timezone}", highlight=False)
    table = Table()
    table.add_column("İş / job", overflow="fold")
    table.add_column("Akış, zaman / flow, when", overflow="fold")
    table.add_column("Hesaplar / accounts", overflow="fold")
    table.add_column("Sonraki / next runs", no_wrap=True)
    for job in schedule.jobs:
        times = next_fire_times(job.trigger(schedule.tz), now, 3) if job.enabled else []
        upcoming = "\n".join(local_time(t, schedule.tz) for t in times) if job.enabled else (
            "[dim]kapalı / disabled[/dim]")
        accounts = job.accounts if job.accounts == "all" else ", ".join(job.accounts)
        table.add_row(job.id, f"{job.flow}\n{job.when}", accounts, upcoming)
    out().print(table)


@schedule_app.command("check")
def schedule_check(file: Path = FILE_OPTION) -> None:
    """Validate the schedule file (and the account names it uses); exit 0 valid, 2 not."""
    schedule = _schedule(file)
    warnings, errors = _input_warnings(schedule), _unknown_accounts(schedule)
    for warning in warnings:
        err().print(f"[yellow]{warning}[/yellow]", highlight=False)
    if errors:
        err().print(f"[red]{file}: {len(errors)} sorun / problem(s)[/red]", highlight=False)
        for problem in errors:
            err().print(f"[red]  - {problem}[/red]", highlight=False)
        raise typer.Exit(EXIT_USAGE)
    enabled = sum(1 for job in schedule.jobs if job.enabled)
    out().print(
        f"{file}: geçerli / valid — {len(schedule.jobs)} job(s), {enabled} enabled (iş, açık), saatler / times in "
        f"{schedule.timezone}",
        highlight=False,
    )


def _input_warnings(schedule: ScheduleFile) -> list[str]:
    """Roster and contact files a job names that are not there (yet): worth a word, not an error."""
    found = []
    for job in schedule.jobs:
        for key, pattern in (("rosters", job.rosters), ("contacts", job.contacts)):
            if pattern and not glob.glob(str(schedule.resolve(pattern))):
                found.append(f"iş / job '{job.id}': {key} '{pattern}' henüz hiçbir dosyaya uymuyor / "
                             "matches no file yet")
    return found


def _unknown_accounts(schedule: ScheduleFile) -> list[str]:
    """Account names in the schedule that accounts.yaml does not have (nothing to say if it is missing)."""
    from rpa.accounts import load_accounts
    from rpa.errors import ConfigError
    from rpa.settings import Settings

    named = [job for job in schedule.jobs if job.accounts != "all"]
    if not named:
        return []
    path = Settings().accounts_file
    try:
        known = [account.name for account in load_accounts(path)]
    except ConfigError as error:
        err().print(f"[yellow]hesap adları denetlenmedi / account names not checked: {error}[/yellow]", highlight=False)
        return []
    return [
        f"iş / job '{job.id}': hesap yok / account '{name}' is not in {path} (known: {', '.join(known)})"
        for job in named
        for name in job.accounts
        if name not in known
    ]


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """SIGINT/SIGTERM set `stop` (flows finish their current item) instead of killing the process."""

    def handler(signum: int, frame: FrameType | None) -> None:
        err().print(f"{signal.Signals(signum).name}: elindeki iş bitince duruyor / stopping after the current item…")
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@schedule_app.command("run")
def schedule_run(
    file: Path = FILE_OPTION, portal_url: str | None = PORTAL_OPTION, log_json: bool = LOG_JSON_OPTION
) -> None:
    """Run the scheduler in the foreground (for systemd or a terminal) until SIGINT/SIGTERM."""
    from loguru import logger

    from rpa.logs import configure_service_logging
    from rpa.scheduling.lock import SchedulerAlreadyRunning, SchedulerLock
    from rpa.scheduling.scheduler import SchedulerService

    schedule = _schedule(file)
    settings = load_settings(portal_url, for_runs=True)
    log_file = configure_service_logging(settings.state_dir, json_lines=log_json)
    if settings.broker_url:  # approvals and contact updates go to the workers (`katip worker`)
        from rpa.workers.client import install

        install(settings)
    lock = SchedulerLock(settings.state_dir)
    try:
        lock.acquire()
    except SchedulerAlreadyRunning as error:
        err().print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    stop = threading.Event()
    service = SchedulerService(schedule, settings)
    with _stop_on_signals(stop):
        try:
            service.start()
            for job_id, moment in service.next_run_times().items():
                logger.info("job {}: next run {}", job_id, local_time(moment, schedule.tz))
            logger.info("scheduler running (lock {}, log {}); Ctrl-C or SIGTERM to stop", lock.path, log_file)
            stop.wait()
            logger.info("stopping: the running job finishes its current item first")
        finally:
            service.stop()
            lock.release()
    logger.info("scheduler stopped")


@schedule_app.command("run-now")
def schedule_run_now(
    job_id: str = typer.Argument(..., help="The job's id in the schedule file."),
    file: Path = FILE_OPTION,
    portal_url: str | None = PORTAL_OPTION,
    log_json: bool = LOG_JSON_OPTION,
) -> None:
    """Run one job now, in the foreground (even if it is disabled); exit 0 ok, 1 attention, 3 login needed."""
    from rpa.logs import configure_service_logging
    from rpa.scheduling.jobs import run_job

    schedule = _schedule(file)
    try:
        job = schedule.job(job_id)
    except KeyError as error:
        err().print(f"[red]{error.args[0]}[/red]", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    settings = load_settings(portal_url, for_runs=True)
    # Two runs of one job would drive the same accounts in two browsers at once.
    busy = history().running(job.id)
    if busy:
        err().print(f"[red]iş şu an çalışıyor / job '{job.id}' is running now (run {busy[0].id}, "
                    f"pid {busy[0].pid})[/red]")
        raise typer.Exit(EXIT_USAGE)
    configure_service_logging(settings.state_dir, json_lines=log_json)
    stop = threading.Event()
    records: list[RunRecord] = []

    def work() -> None:
        records.append(run_job(job, settings, stop_event=stop, schedule=schedule, trigger="run-now"))

    # The job runs in a worker thread so that the main thread stays free to receive signals.
    worker = threading.Thread(target=work, name=f"run-now-{job_id}")
    with _stop_on_signals(stop):
        worker.start()
        worker.join()
    if not records:
        raise typer.Exit(EXIT_ATTENTION)
    show_run(records[0], schedule.tz)
    if records[0].login_needed:
        raise typer.Exit(EXIT_LOGIN)
    raise typer.Exit(EXIT_OK if records[0].outcome == "ok" else EXIT_ATTENTION)
