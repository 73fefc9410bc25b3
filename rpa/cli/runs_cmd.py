"""`katip runs list|show`: the history of job runs, and the console helpers the schedule commands share."""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from rpa.history import RunHistory, RunRecord
    from rpa.settings import Settings

runs_app = typer.Typer(help="History of job runs (scheduled and run-now).", no_args_is_help=True)

FILE_OPTION = typer.Option(Path("schedules.yaml"), "--file", "-f", help="The schedule file.")
OUTCOME_STYLE = {
    "ok": "green",
    "attention": "yellow",
    "failed": "red",
    "stopped": "magenta",
    "missed": "red",
    "interrupted": "red",
    "running": "cyan",
}
EXIT_OK, EXIT_ATTENTION, EXIT_USAGE, EXIT_LOGIN = 0, 1, 2, 3


def out() -> Console:
    """Standard output (made per call, so that it sees the terminal as it is now)."""
    return Console()


def err() -> Console:
    """Standard error."""
    return Console(stderr=True)


def load_settings(portal_url: str | None = None, *, for_runs: bool = False) -> Settings:
    """Settings from the environment (and --portal-url), with a private state dir; or exit 2 saying why.

    `for_runs`: the portal URL must be set too, so that a job does not start only to fail on it.
    """
    from rpa.errors import ConfigError
    from rpa.settings import Settings

    try:
        settings = Settings(portal_url=portal_url) if portal_url else Settings()
        settings.private_state_dir()
        if for_runs:
            settings.start_url()
    except ConfigError as error:
        err().print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    return settings


def local_time(moment: datetime | None, timezone: tzinfo) -> str:
    """A moment as people read it in the schedule's time zone: 'Mon 2025-03-31 07:30'."""
    return moment.astimezone(timezone).strftime("%a %Y-%m-%d %H:%M") if moment else "–"


def history() -> RunHistory:
    """The run history of the state dir."""
    from rpa.history import RunHistory

    return RunHistory(load_settings().private_state_dir())


def _display_zone(file: Path) -> tzinfo:
    from rpa.scheduling.config import DEFAULT_TIMEZONE, ScheduleError, load_schedule

    try:
        return load_schedule(file).tz if file.exists() else ZoneInfo(DEFAULT_TIMEZONE)
    except ScheduleError:
        return ZoneInfo(DEFAULT_TIMEZONE)


@runs_app.command("list")
def runs_list(
    job: str | None = typer.Option(None, "--job", help="Only this job's runs."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="How many runs."),
    as_json: bool = typer.Option(False, "--json", help="One JSON document instead of the table."),
    file: Path = FILE_OPTION,
) -> None:
    """The latest runs, newest first."""
    timezone = _display_zone(file)
    records = history().recent(limit, job)
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in records], ensure_ascii=False, indent=2))
        return
    out().print(f"Runs, newest first — times in {timezone}", highlight=False)
    table = Table()
    for column in ("Run", "Job", "Started", "Outcome"):
        table.add_column(column, no_wrap=True)
    table.add_column("Counts", overflow="fold")
    table.add_column("Login needed", overflow="fold")
    for r in records:
        counts = ", ".join(f"{k} {v}" for k, v in r.counts.items())
        style = OUTCOME_STYLE.get(r.outcome, "")
        started = r.started_at.astimezone(timezone).strftime("%m-%d %H:%M")
        login = ", ".join(r.login_needed)
        table.add_row(r.id, r.job, started, f"[{style}]{r.outcome}[/{style}]", counts, login)
    out().print(table if records else "No runs recorded yet.")


def show_run(record: RunRecord, timezone: tzinfo) -> None:
    """One run in full, for people."""
    from rpa.history import OUTCOME_MEANING

    style = OUTCOME_STYLE.get(record.outcome, "")
    rows = [
        ("Run", record.id),
        ("Job", f"{record.job} ({record.flow}), {record.trigger} run"),
        ("Scheduled", local_time(record.scheduled_for, timezone)),
        ("Started", local_time(record.started_at, timezone)),
        ("Ended", local_time(record.ended_at, timezone) + _took(record)),
        ("Outcome", f"[{style}]{record.outcome}[/{style}] — {OUTCOME_MEANING[record.outcome]}"),
        ("Counts", ", ".join(f"{k} {v}" for k, v in record.counts.items()) or "–"),
        ("Login needed", ", ".join(record.login_needed) or "–"),
        ("Report", record.report_path or "–"),
        ("Notified", "; ".join(record.notifications) or "–"),
    ]
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    for name, value in rows:
        table.add_row(name, value)
    out().print(table)
    for problem in record.problems:
        out().print(f"  • {problem}", highlight=False)
    for name in record.login_needed:
        out().print(f"  → katip login --account {name}", highlight=False)


def _took(record: RunRecord) -> str:
    return f" (took {(record.ended_at - record.started_at).total_seconds():.0f} s)" if record.ended_at else ""


@runs_app.command("show")
def runs_show(
    run_id: str = typer.Argument(..., help="A run id (or the start of one)."),
    as_json: bool = typer.Option(False, "--json", help="The run summary as JSON."),
    file: Path = FILE_OPTION,
) -> None:
    """One run in full: times, outcome, counts, who must log in, problems, report."""
    from rpa.notify import run_summary

    timezone = _display_zone(file)
    try:
        record = history().get(run_id)
    except KeyError as error:
        err().print(f"[red]{error.args[0]}[/red]", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    if as_json:
        typer.echo(json.dumps(run_summary(record, timezone), ensure_ascii=False, indent=2))
    else:
        show_run(record, timezone)


@runs_app.command("resume")
def runs_resume(
    run_id: str = typer.Argument(..., help="A run id from the journal (or the start of one)."),
) -> None:
    """Finish a run that was killed: done items are skipped, unfinished ones are checked on the portal first.

    Starts the run's command again with the accounts, workplaces and options it was started with.
    Exit status: that command's (0 all done, 1 items held or failed, 2 usage, 3 a login is needed).
    """
    import os
    import subprocess
    import sys

    from rpa.journal import RESUME_ENV, closing_journal

    settings = load_settings()
    with closing_journal(settings.private_state_dir()) as journal:
        try:
            run = journal.get_run(run_id)
        except KeyError as error:
            err().print(f"[red]{error.args[0]}[/red]", highlight=False)
            raise typer.Exit(EXIT_USAGE) from None
        counts = journal.counts(run.run_id)
    if run.job:
        out().print(f"Run {run.run_id} belongs to job '{run.job}': its next run continues it, or now: "
                    f"katip schedule run-now {run.job}", highlight=False)
        raise typer.Exit(EXIT_OK)
    if not run.argv or not (run.argv[0] in ("approve", "contact") or run.argv[:2] == ["roster", "sync"]):
        err().print(f"[red]Run {run.run_id} ({run.command}) cannot be resumed: only approve, contact and "
                    "roster sync runs can.[/red]", highlight=False)
        raise typer.Exit(EXIT_USAGE)
    summary = ", ".join(f"{state} {n}" for state, n in sorted(counts.items())) or "nothing journalled yet"
    out().print(f"Resuming run {run.run_id} ({run.command}); journal: {summary}", highlight=False)
    env = {**os.environ, RESUME_ENV: run.run_id, "KATIP_PORTAL_URL": run.env.get("portal_url", ""),
           "KATIP_ACCOUNTS": run.env.get("accounts_file", ""), "KATIP_OUT_DIR": run.env.get("out_dir", "out"),
           "KATIP_STATE_DIR": str(settings.state_dir)}
    # Same working folder as the first time: relative --accounts/--file paths mean the same files.
    cwd = run.env.get("cwd") or None
    code = subprocess.call([sys.executable, "-m", "rpa", *run.argv], env=env, cwd=cwd)
    raise typer.Exit(code)
