"""Running one job: a run id and folder, the flow through one dispatch table, history, notification.

Once its run is recorded, `run_job` never raises: whatever happens ends as a run record with an
outcome a person can read, because a scheduler thread that dies silently is the worst night-time failure.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from loguru import logger
from pydantic import BaseModel, Field

from rpa.errors import ConfigError, LoginNeeded
from rpa.history import RunHistory, RunRecord, utcnow
from rpa.journal import prepare_job_run
from rpa.logs import FILE_FORMAT, mask_numbers
from rpa.notify import notify, run_summary
from rpa.run import Run
from rpa.scheduling.config import DEFAULT_TIMEZONE, JobSpec, ScheduleFile
from rpa.scheduling.timing import format_duration
from rpa.settings import Settings


class FlowNotAvailable(RuntimeError):
    """The job's flow is not part of this installation yet."""


class StopSignal:
    """What flows check between items: set on shutdown (SIGINT/SIGTERM) or when max_runtime passes.

    It quacks like `threading.Event` (`is_set`, `wait`), so flows can take either.
    """

    def __init__(self, shutdown: threading.Event, max_runtime: timedelta | None = None) -> None:
        self._shutdown = shutdown
        self._deadline = time.monotonic() + max_runtime.total_seconds() if max_runtime else None
        self._max_runtime = max_runtime

    def is_set(self) -> bool:
        """True once the run should stop after its current item."""
        return self._shutdown.is_set() or self._past_deadline()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the run should stop or `timeout` seconds pass; returns is_set()."""
        limits = [t for t in (timeout, self._remaining()) if t is not None]
        self._shutdown.wait(min(limits) if limits else None)
        return self.is_set()

    @property
    def reason(self) -> str | None:
        """Why the run is asked to stop, in words for the run record."""
        if self._shutdown.is_set():
            return "the scheduler was asked to stop"
        if self._past_deadline() and self._max_runtime:
            return f"max_runtime {format_duration(self._max_runtime)} reached"
        return None

    def _remaining(self) -> float | None:
        return None if self._deadline is None else max(0.0, self._deadline - time.monotonic())

    def _past_deadline(self) -> bool:
        return self._deadline is not None and time.monotonic() >= self._deadline


class FlowOutcome(BaseModel):
    """What a flow runner reports back: counts, accounts needing a login, problems, its report."""

    counts: dict[str, int] = Field(default_factory=dict)
    login_needed: list[str] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)
    attention: bool = False  # something was held back or failed, even if the counts say it all
    report_path: Path | None = None


@dataclass
class JobContext:
    """Everything a flow runner needs for one run of one job."""

    job: JobSpec
    settings: Settings
    run: Run
    stop: StopSignal
    base_dir: Path = field(default_factory=Path.cwd)

    def resolve(self, pattern: str) -> Path:
        """A path or glob from the schedule file, relative to the file's folder."""
        path = Path(pattern).expanduser()
        return path if path.is_absolute() else self.base_dir / path


FlowRunner = Callable[[JobContext], FlowOutcome]


def _unavailable(flow: str) -> FlowRunner:
    def runner(context: JobContext) -> FlowOutcome:
        raise FlowNotAvailable(f"flow {flow} not available yet")

    return runner


def _builtin_runners() -> dict[str, FlowRunner]:
    from rpa.scheduling import adapters

    return {flow: getattr(adapters, f"run_{flow}", None) or _unavailable(flow) for flow in adapters.FLOWS}


# The one dispatch table: flow name -> runner. Tests and later issues register runners here.
FLOW_RUNNERS: dict[str, FlowRunner] = _builtin_runners()


@contextmanager
def _run_log(run: Run) -> Iterator[None]:
    """Copy every log line of this run (any thread that inherits the context) into its run.log."""
    run.dir.mkdir(parents=True, exist_ok=True)
    sink = logger.add(
        run.log_file,
        level="DEBUG",
        format=FILE_FORMAT,
        filter=lambda record: record["extra"].get("run") == run.id,
        encoding="utf-8",
        backtrace=False,
        diagnose=False,
    )
    try:
        with logger.contextualize(run=run.id):
            yield
    finally:
        with suppress(ValueError):  # an entry point may have reset all sinks meanwhile
            logger.remove(sink)


def _outcome_of(result: FlowOutcome, stop: StopSignal) -> Literal["ok", "attention", "stopped"]:
    if stop.is_set():
        return "stopped"
    if result.login_needed or result.problems or result.attention:
        return "attention"
    return "ok"


def run_job(
    job: JobSpec,
    settings: Settings,
    *,
    stop_event: threading.Event,
    schedule: ScheduleFile | None = None,
    trigger: Literal["schedule", "manual"] = "manual",
    scheduled_for: datetime | None = None,
    runners: dict[str, FlowRunner] | None = None,
) -> RunRecord:
    """Run `job` once now: record it, run its flow, notify; returns the finished run record."""
    timezone = schedule.tz if schedule else ZoneInfo(DEFAULT_TIMEZONE)
    history = RunHistory(settings.private_state_dir())
    run = Run.start(settings.out_dir)
    record = RunRecord(id=run.id, job=job.id, flow=job.flow, trigger=trigger, scheduled_for=scheduled_for)
    history.save(record)
    stop = StopSignal(stop_event, job.max_runtime)
    context = JobContext(job, settings, run, stop, schedule.base_dir if schedule else Path.cwd())
    with _run_log(run):
        log = logger.bind(job=job.id, flow=job.flow)
        log.info("run {} of job {} started ({})", run.id, job.id, trigger)
        try:
            # A killed earlier run of this job: this run continues its journal (in-progress items first).
            resumes = prepare_job_run(settings.private_state_dir(), run.id, job.id)
            if resumes:
                log.info("continuing the unfinished run {} of job {}", resumes, job.id)
            runner = (FLOW_RUNNERS if runners is None else runners).get(job.flow) or _unavailable(job.flow)
            result = runner(context)
            record.counts = result.counts
            record.login_needed = result.login_needed
            record.problems = list(result.problems)
            record.report_path = str(result.report_path) if result.report_path else None
            record.outcome = _outcome_of(result, stop)
            if record.outcome == "stopped" and stop.reason:
                record.problems.append(f"stopped: {stop.reason}")
        except FlowNotAvailable as error:
            record.outcome, record.problems = "failed", [str(error)]
            log.error("{}", error)
        except LoginNeeded as error:
            record.outcome, record.login_needed = "attention", [error.account]
            record.problems = [str(error)]
            log.warning("{}", error)
        except ConfigError as error:
            record.outcome, record.problems = "failed", [str(error)]
            log.error("{}", error)
        except Exception as error:  # the run must end as a record, whatever went wrong
            record.outcome, record.problems = "failed", [f"{type(error).__name__}: {error}"]
            log.exception("run {} failed", run.id)
        # Problems come from flows and portal messages: mask TC numbers before they reach e-mails.
        record.problems = [mask_numbers(problem) for problem in record.problems]
        record.ended_at = utcnow()
        summary_path = run.dir / "summary.json"
        record.report_path = record.report_path or str(summary_path)
        log.info("run {} ended: {}", run.id, record.headline())
    history.save(record)
    record.notifications = notify(record, settings, timezone)
    history.save(record)
    summary_path.write_text(json.dumps(run_summary(record, timezone), ensure_ascii=False, indent=2), "utf-8")
    return record
