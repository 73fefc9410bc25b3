"""Running one job: its request through the app layer, then the notification and `summary.json`.

The app layer records the run in the history (as every run); a job whose input cannot be used (a roster
glob matching nothing, a broken contacts file) never reaches it and is recorded here as failed. Once
called, `run_job` never raises: whatever happens ends as a run record with an outcome a person can read,
because a scheduler thread that dies silently is the worst night-time failure.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from loguru import logger

from rpa.app import distributed, runs
from rpa.app.control import Silent, StopToken
from rpa.app.requests import RunRequest
from rpa.app.result import RunResult
from rpa.errors import ConfigError
from rpa.history import RunRecord, Trigger, utcnow
from rpa.logs import mask_numbers
from rpa.notify import notify, run_summary
from rpa.run import Run
from rpa.scheduling.adapters import CAPABILITY, request_for
from rpa.scheduling.config import DEFAULT_TIMEZONE, JobSpec, ScheduleFile
from rpa.settings import Settings

# An app entry: `rpa.app.runs.start`, or a stand-in in tests.
Start = Callable[..., RunResult]


class _RunId(Silent):
    """Remembers the id of the run the app layer opened (to find its record if the run fails)."""

    run_id: str | None = None

    def started(self, run_id: str, accounts: list[str]) -> None:
        """The run has its id."""
        self.run_id = run_id


def run_job(
    job: JobSpec,
    settings: Settings,
    *,
    stop_event: threading.Event,
    schedule: ScheduleFile | None = None,
    trigger: Trigger = "run-now",
    scheduled_for: datetime | None = None,
    start: Start | None = None,
) -> RunRecord:
    """Run `job` once now (continuing its unfinished run, if any), notify; returns the run's record."""
    timezone = schedule.tz if schedule else ZoneInfo(DEFAULT_TIMEZONE)
    base_dir = schedule.base_dir if schedule else Path.cwd()
    log = logger.bind(job=job.id, flow=job.flow)
    watcher = _RunId()
    request: RunRequest | None = None
    try:
        # A killed earlier run of this job: this run continues its journal (in-progress items first).
        resumes = runs.unfinished_of_job(settings, job.id)
        if resumes:
            log.info("continuing the unfinished run {} of job {}", resumes, job.id)
        request = request_for(job, base_dir, trigger, resumes)
        if distributed.installed() and request.flow in distributed.DISTRIBUTED_FLOWS:
            request = request.model_copy(update={"distributed": True})  # a broker is set: to the workers
        stop = StopToken(stop_event, job.max_runtime)
        record = (start or runs.start)(settings, request, progress=watcher, stop=stop).record
    except Exception as error:  # the run must end as a record, whatever went wrong
        record = _failed(settings, job, trigger, watcher.run_id, request, error)
    if scheduled_for is not None and record.scheduled_for is None:
        record.scheduled_for = scheduled_for
    log.info("run {} of job {} ended: {}", record.id, job.id, record.headline())
    summary = Path(record.out_dir or settings.out_dir) / "runs" / record.id / "summary.json"
    summary.parent.mkdir(parents=True, exist_ok=True)
    record.report_path = record.report_path or str(summary)
    record.notifications = notify(record, settings, timezone)
    runs.history(settings).save(record)
    summary.write_text(json.dumps(run_summary(record, timezone), ensure_ascii=False, indent=2), "utf-8")
    return record


def _failed(settings: Settings, job: JobSpec, trigger: Trigger, run_id: str | None, request: RunRequest | None,
            error: Exception) -> RunRecord:
    """The record of a run that could not run: the app's own (it failed inside), or a new one."""
    if run_id is not None:
        try:
            return runs.history(settings).get(run_id)
        except (KeyError, ConfigError):
            pass
    problem = str(error) if isinstance(error, ConfigError) else f"{type(error).__name__}: {error}"
    if not isinstance(error, ConfigError):
        logger.opt(exception=error).error("job {} failed", job.id)
    else:
        logger.error("job {}: {}", job.id, problem)
    out_dir = settings.out_dir.resolve()
    run = Run.start(out_dir)
    record = RunRecord(id=run.id, flow=CAPABILITY.get(job.flow, job.flow), trigger=trigger, job=job.id,
                       command=request.command if request else f"katip schedule run-now {job.id}",
                       started_at=utcnow(), ended_at=utcnow(), outcome="failed", problems=[mask_numbers(problem)],
                       out_dir=str(out_dir), report_path=str(run.dir / "summary.json"))
    try:
        runs.history(settings).save(record)
    except ConfigError as unusable:  # a state dir others can read: the record goes to the log only
        logger.error("{}", unusable)
    return record
