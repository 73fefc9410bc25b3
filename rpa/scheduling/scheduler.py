"""APScheduler 3.x wiring: jobs from `schedules.yaml` in a SQLite job store in the state dir.

Jobs keep their identity across restarts: on start each job of the file replaces the stored one of
the same id, but keeps the stored next run time when its timing did not change. That is what lets
a run missed while the machine was off happen once on return (within the job's misfire grace):
APScheduler coalesces the missed slots into the latest one and checks that one against the grace.
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from apscheduler.events import (
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    JobExecutionEvent,
    JobSubmissionEvent,
)
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from loguru import logger

from rpa.history import RunHistory, RunRecord, utcnow
from rpa.notify import notify
from rpa.scheduling.adapters import CAPABILITY
from rpa.scheduling.config import JobSpec, ScheduleFile
from rpa.scheduling.jobs import Start, run_job
from rpa.settings import Settings
from rpa.store import private_sqlite_url

STORE_NAME = "scheduler.sqlite"
# The function the job store keeps a reference to; it finds the live service through _current.
FIRE_REF = "rpa.scheduling.scheduler:fire"

_current: SchedulerService | None = None


def _job_store(settings: Settings, state_dir: Path) -> SQLAlchemyJobStore:
    """The shared database's job table, else `scheduler.sqlite` in the state dir (created 0600)."""
    if settings.database_url:
        return SQLAlchemyJobStore(url=settings.database_url, tablename="katip_scheduler_jobs")
    return SQLAlchemyJobStore(url=private_sqlite_url(state_dir / STORE_NAME))


def schedule_key(job: JobSpec, schedule: ScheduleFile) -> str:
    """What decides when a job fires; a stored job with another key gets a fresh next run time."""
    return f"{job.when} @ {schedule.timezone}"


class _SlotRecordingExecutor(ThreadPoolExecutor):
    """A thread pool that remembers which scheduled slot each submitted run is for.

    APScheduler does not pass the scheduled time to the job function; with max_instances=1 there
    is at most one pending run per job, so a dict keyed by job id is enough.
    """

    def __init__(self, slots: dict[str, datetime], max_workers: int) -> None:
        super().__init__(max_workers)
        self._slots = slots

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        self._slots[job.id] = run_times[-1]
        super()._do_submit_job(job, run_times)


class _Scheduler(BackgroundScheduler):
    """BackgroundScheduler that never hands out due jobs once shutdown has begun.

    APScheduler 3.x wakes its loop once more after `shutdown()` and, the state being "stopped"
    rather than "paused", processes due jobs against executors that are already shut down: the
    submission fails and the stored next run time moves on, so the run is lost for good. Skipping
    that last pass keeps the due slot in the store for the next start.
    """

    def _process_jobs(self) -> float | None:
        if self.state != STATE_RUNNING:
            return None
        return super()._process_jobs()


def fire(job_id: str, key: str = "") -> None:
    """Job-store entry point: run `job_id` through the scheduler service of this process."""
    service = _current
    if service is None:  # only if a job fires while no service is live, e.g. during shutdown
        logger.error("job {} fired but no scheduler service is running", job_id)
        return
    service.execute(job_id)


class SchedulerService:
    """The scheduler of one state dir: start, run jobs one at a time, stop gracefully."""

    def __init__(
        self,
        schedule: ScheduleFile,
        settings: Settings,
        *,
        start: Start | None = None,
        max_workers: int = 1,
    ) -> None:
        """`start`: the app entry jobs run through (`rpa.app.runs.start`; tests pass a stand-in)."""
        self.schedule = schedule
        self.settings = settings
        self.start_run = start
        self.stop_event = threading.Event()
        state_dir = settings.private_state_dir()
        self.history = RunHistory(state_dir, settings.database_url)
        self._slots: dict[str, datetime] = {}
        self._done = threading.Condition()
        self.finished: list[RunRecord] = []
        # One worker: jobs run one after the other, so two jobs never drive the same e-Devlet
        # account at once; a job queued behind a long one still runs if it starts within its grace.
        self.aps = _Scheduler(
            jobstores={"default": _job_store(settings, state_dir)},
            executors={"default": _SlotRecordingExecutor(self._slots, max_workers)},
            job_defaults={"coalesce": True, "max_instances": 1},
            timezone=schedule.tz,
        )
        self.aps.add_listener(self._on_missed, EVENT_JOB_MISSED)
        self.aps.add_listener(self._on_busy, EVENT_JOB_MAX_INSTANCES)

    def start(self) -> None:
        """Load the jobs into the store (keeping pending run times) and start firing them."""
        global _current
        if _current is not None and _current is not self:
            raise RuntimeError("another scheduler service is running in this process")
        _current = self
        abandoned = self.history.close_abandoned()
        if abandoned:
            logger.warning("{} run(s) were cut off by an earlier shutdown; marked 'interrupted'", abandoned)
        try:
            # Paused first: due jobs must not fire before every job of the file is in place.
            self.aps.start(paused=True)
            self._sync_jobs()
            self.aps.resume()
        except BaseException:
            self.stop()
            raise

    def _sync_jobs(self) -> None:
        stored = {job.id: job for job in self.aps.get_jobs()}
        wanted = set()
        for spec in self.schedule.jobs:
            if not spec.enabled:
                continue
            wanted.add(spec.id)
            key = schedule_key(spec, self.schedule)
            old = stored.get(spec.id)
            extra: dict[str, Any] = {}
            if old is not None and old.kwargs.get("key") == key and old.next_run_time is not None:
                extra["next_run_time"] = old.next_run_time
            self.aps.add_job(
                FIRE_REF,
                trigger=spec.trigger(self.schedule.tz),
                id=spec.id,
                name=f"{spec.id} ({spec.flow})",
                kwargs={"job_id": spec.id, "key": key},
                replace_existing=True,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=int(spec.misfire_grace.total_seconds()),
                **extra,
            )
        for job_id in stored.keys() - wanted:
            self.aps.remove_job(job_id)
            logger.info("job {} is no longer in the schedule (or disabled): removed from the store", job_id)

    def next_run_times(self) -> dict[str, datetime | None]:
        """Each stored job's next run time (in the schedule's time zone)."""
        return {job.id: job.next_run_time for job in self.aps.get_jobs()}

    def execute(self, job_id: str) -> RunRecord | None:
        """Run one job now in this thread (called by the executor); returns its run record."""
        scheduled_for = self._slots.pop(job_id, None)
        if self.stop_event.is_set():
            logger.info("job {} not started: the scheduler is stopping", job_id)
            return None
        from rpa.scheduling.paused import paused_jobs

        if job_id in paused_jobs(self.settings.private_state_dir()):
            logger.info("job {} not started: duraklatıldı / paused (from the console)", job_id)
            return None
        try:
            spec = self.schedule.job(job_id)
        except KeyError as error:
            logger.error("{}", error)
            return None
        record = run_job(
            spec,
            self.settings,
            stop_event=self.stop_event,
            schedule=self.schedule,
            trigger="schedule",
            scheduled_for=scheduled_for,
            start=self.start_run,
        )
        self._finished(record)
        return record

    def _finished(self, record: RunRecord) -> None:
        with self._done:
            self.finished.append(record)
            self._done.notify_all()

    def wait_for_runs(self, count: int, timeout: float) -> list[RunRecord]:
        """Block until `count` runs (missed ones included) have ended in this service, or `timeout` passes."""
        with self._done:
            self._done.wait_for(lambda: len(self.finished) >= count, timeout)
            return list(self.finished)

    def _on_missed(self, event: JobExecutionEvent) -> None:
        """A slot passed its misfire grace: say so in the history rather than skip it silently."""
        try:
            spec = self.schedule.job(event.job_id)
        except KeyError:
            return
        record = RunRecord(
            id=f"missed-{event.job_id}-{event.scheduled_run_time:%Y%m%d-%H%M%S}",
            job=spec.id,
            flow=CAPABILITY.get(spec.flow, spec.flow),
            trigger="schedule",
            scheduled_for=event.scheduled_run_time,
            started_at=utcnow(),
            ended_at=utcnow(),
            outcome="missed",
            problems=[f"missed: not started within its misfire grace ({spec.describe_grace()})"],
        )
        logger.warning("job {} missed its {} run", spec.id, event.scheduled_run_time)
        self.history.save(record)
        record.notifications = notify(record, self.settings, self.schedule.tz)
        self.history.save(record)
        self._finished(record)

    def _on_busy(self, event: JobSubmissionEvent) -> None:
        logger.warning("job {} is still running; its next slot was skipped rather than stacked", event.job_id)

    def stop(self) -> None:
        """Ask running flows to stop after their current item, then wait for them and shut down."""
        global _current
        self.stop_event.set()
        if self.aps.running:
            self.aps.shutdown(wait=True)
        if _current is self:
            _current = None
