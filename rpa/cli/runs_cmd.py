"""`katip runs list|show|resume`: every run's history (manual, scheduled, run-now, resumed, console), and the
console helpers the schedule commands share."""

from __future__ import annotations

import json
from datetime import datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.table import Table

from rpa.app.status import ExitStatus

if TYPE_CHECKING:
    from rpa.history import RunHistory, RunRecord
    from rpa.settings import Settings

runs_app = typer.Typer(help="Every run: manual, scheduled, run-now, resumed and console runs.", no_args_is_help=True)

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
EXIT_OK, EXIT_ATTENTION, EXIT_USAGE, EXIT_LOGIN = (ExitStatus.OK, ExitStatus.ATTENTION, ExitStatus.USAGE,
                                                ExitStatus.LOGIN_NEEDED)


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
    """The run history (the state dir's, or the shared database's)."""
    from rpa.app import runs

    return runs.history(load_settings())


def _display_zone(file: Path) -> tzinfo:
    from rpa.scheduling.config import DEFAULT_TIMEZONE, ScheduleError, load_schedule

    try:
        return load_schedule(file).tz if file.exists() else ZoneInfo(DEFAULT_TIMEZONE)
    except ScheduleError:
        return ZoneInfo(DEFAULT_TIMEZONE)


@runs_app.command("list")
def runs_list(
    job: str | None = typer.Option(None, "--job", metavar="JOB", help="Only this job's runs."),
    limit: int = typer.Option(20, "--limit", "-n", min=1, metavar="N", help="How many runs."),
    as_json: bool = typer.Option(False, "--json", help="One JSON document instead of the table."),
    file: Path = FILE_OPTION,
) -> None:
    """The latest runs, newest first, with where each one's report is."""
    from rpa.app import runs

    timezone = _display_zone(file)
    records = runs.recent(load_settings(), limit, job)
    if as_json:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in records], ensure_ascii=False, indent=2))
        return
    out().print(f"Çalıştırmalar, en yenisi önce / runs, newest first — saat / times: {timezone}", highlight=False)
    table = Table()
    table.add_column("Çalıştırma / run", no_wrap=True)
    for column in ("İş / flow", "Başlatan / trigger", "Başladı / started", "Sonuç / outcome"):
        table.add_column(column, overflow="fold")
    table.add_column("Sayılar / counts", overflow="fold")
    table.add_column("Giriş gerekli / login needed", overflow="fold")
    table.add_column("Rapor / report", overflow="fold")
    for r in records:
        counts = ", ".join(f"{k} {v}" for k, v in r.counts.items())
        style = OUTCOME_STYLE.get(r.outcome, "")
        started = r.started_at.astimezone(timezone).strftime("%m-%d %H:%M")
        flow = f"{r.job} ({r.flow})" if r.job else r.flow
        login = ", ".join(r.login_needed)
        table.add_row(r.id, flow, r.trigger, started, f"[{style}]{r.outcome}[/{style}]", counts, login,
                      r.report_path or "–")
    out().print(table if records else "Henüz çalıştırma yok / no runs recorded yet.")


def show_run(record: RunRecord, timezone: tzinfo) -> None:
    """One run in full, for people."""
    from rpa.history import OUTCOME_MEANING

    style = OUTCOME_STYLE.get(record.outcome, "")
    rows = [
        ("Çalıştırma / run", record.id),
        ("İş / job", f"{record.job} ({record.flow}), {record.trigger} run" if record.job else
         f"{record.flow}, {record.trigger} run"),
        ("Komut / command", record.command or "–"),
        ("Hesaplar / accounts", ", ".join(record.accounts) or "–"),
        ("Planlanan / scheduled", local_time(record.scheduled_for, timezone)),
        ("Başladı / started", local_time(record.started_at, timezone)),
        ("Bitti / ended", local_time(record.ended_at, timezone) + _took(record)),
        ("Sonuç / outcome", f"[{style}]{record.outcome}[/{style}] — {OUTCOME_MEANING[record.outcome]}"),
        ("Sayılar / counts", ", ".join(f"{k} {v}" for k, v in record.counts.items()) or "–"),
        ("Giriş gerekli / login needed", ", ".join(record.login_needed) or "–"),
        ("Meşgul / busy", "; ".join(f"{k}: {v}" for k, v in record.busy.items()) or "–"),
        ("Rapor / report", record.report_path or "–"),
        ("Bildirim / notified", "; ".join(record.notifications) or "–"),
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
    return f" ({(record.ended_at - record.started_at).total_seconds():.0f} sn / s)" if record.ended_at else ""


@runs_app.command("show")
def runs_show(
    run_id: str = typer.Argument(..., help="A run id (or the start of one)."),
    as_json: bool = typer.Option(False, "--json", help="The run summary as JSON."),
    file: Path = FILE_OPTION,
) -> None:
    """One run in full: times, outcome, counts, who must log in, problems, report."""
    from rpa.app import runs
    from rpa.errors import ConfigError
    from rpa.notify import run_summary

    timezone = _display_zone(file)
    try:
        record = runs.get(load_settings(), run_id)
    except ConfigError as error:
        err().print(f"[red]{error}[/red]", highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    if as_json:
        typer.echo(json.dumps(run_summary(record, timezone), ensure_ascii=False, indent=2))
    else:
        show_run(record, timezone)


@runs_app.command("resume")
def runs_resume(
    run_id: str = typer.Argument(..., metavar="RUN_ID", help="A run id from the journal (or the start of one)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON document instead of tables."),
) -> None:
    """Finish a run that was killed: done items are skipped, unfinished ones are checked on the portal first.

    Runs the same request again (accounts, workplaces, files, options), as a new run that continues the
    old one's journal. Exit status: that run's (0 all done, 1 items held or failed, 2 usage, 3 a login).
    """
    from rpa.app import runs
    from rpa.cli import results
    from rpa.cli.common import execute, make_console, usage_error
    from rpa.errors import ConfigError

    try:
        settings, request = runs.resume_request(load_settings(), run_id)
    except ConfigError as error:
        usage_error(str(error), as_json)
    console = make_console(as_json)
    console.print(f"Sürdürülüyor / resuming run {request.resume} ({request.command})", highlight=False)
    result = execute(settings, request, console, as_json, runs.start)
    results.show(result, console, as_json)
