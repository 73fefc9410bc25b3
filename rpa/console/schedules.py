"""Zamanlama / Schedules: the jobs of schedules.yaml with their next runs and last outcome; run one now."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, url_for

from rpa.console.api import run_jobs, settings
from rpa.errors import ConfigError

bp = Blueprint("schedules", __name__)


def schedule_file() -> Path:
    """The schedule file the console shows (`katip console --schedule`, default ./schedules.yaml)."""
    return Path(current_app.config.get("KATIP_SCHEDULE_FILE") or "schedules.yaml")


def upcoming(limit: int = 3) -> tuple[list[dict[str, Any]], str | None]:
    """Each job with its next runs and its last run; (jobs, problem with the file or None)."""
    from rpa.app import runs
    from rpa.scheduling.config import ScheduleError, load_schedule
    from rpa.scheduling.timing import next_fire_times

    path = schedule_file()
    if not path.is_file():
        return [], f"{path} yok / not found"
    try:
        schedule = load_schedule(path)
    except ScheduleError as error:
        return [], str(error)
    from rpa.scheduling.paused import paused_jobs

    now = datetime.now(schedule.tz)
    recent = runs.recent(settings(), 200)
    paused = paused_jobs(settings().private_state_dir())
    jobs = []
    for job in schedule.jobs:
        last = next((r for r in recent if r.job == job.id), None)
        times = next_fire_times(job.trigger(schedule.tz), now, limit) if job.enabled and job.id not in paused else []
        jobs.append({"id": job.id, "flow": job.flow, "when": job.when, "enabled": job.enabled,
                     "paused": job.id in paused,
                     "accounts": job.accounts if job.accounts == "all" else ", ".join(job.accounts),
                     "next": times, "last": last})
    return jobs, None


@bp.get("/zamanlama")
def schedules() -> Any:
    """Every job: when, next runs, last outcome, run now."""
    jobs, problem = upcoming()
    return render_template("schedules.html", jobs=jobs, problem=problem, file=schedule_file())


@bp.post("/zamanlama/<job_id>/<action>")
def pause(job_id: str, action: str) -> Any:
    """Pause (`duraklat`) or resume (`surdur`) a job: the scheduler skips a paused job, across restarts."""
    from loguru import logger

    from rpa.scheduling.paused import set_paused

    if action not in ("duraklat", "surdur"):
        abort(404)
    if job_id not in {job["id"] for job in upcoming()[0]}:
        abort(404)
    set_paused(settings().private_state_dir(), job_id, action == "duraklat")
    logger.info("console: job {} {}", job_id, "paused" if action == "duraklat" else "resumed")
    return redirect(url_for("schedules.schedules"))


@bp.post("/zamanlama/<job_id>/simdi")
def run_now(job_id: str) -> Any:
    """Run a job now (as `katip schedule run-now`), with live progress in the console."""
    from rpa.app import runs
    from rpa.scheduling.adapters import request_for
    from rpa.scheduling.config import ScheduleError, load_schedule

    try:
        schedule = load_schedule(schedule_file())
        job = schedule.job(job_id)
    except (ScheduleError, KeyError):
        abort(404)
    try:
        request = request_for(job, schedule.base_dir, "run-now", runs.unfinished_of_job(settings(), job.id))
        started = run_jobs().start(request)
    except ConfigError as error:
        jobs, problem = upcoming()
        return render_template("schedules.html", jobs=jobs, problem=str(error), file=schedule_file()), 400
    return redirect(url_for("pages.run_detail", run_id=started.id))
