"""SIGTERM to `katip schedule run` in the middle of a job: the item in hand finishes, then it exits."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from rpa.history import RunHistory
from rpa.scheduling.scheduler import SchedulerService
from rpa.settings import Settings
from tests.scheduling.conftest import schedule_of, write_schedule

JOB = {"id": "morning-approvals", "flow": "approve_contracts", "cron": "0 3 1 1 *", "misfire_grace": "1h"}
# `katip schedule run` with a fake approve runner: one long item that ends only when asked to stop.
SCHEDULER_WITH_SLOW_FLOW = """
import sys
from rpa.app import runs
from tests.scheduling.conftest import AppRun

def slow(batch):
    print("item started", flush=True)
    batch.stop.wait(120)
    print("item finished", flush=True)
    return {"approved": 1}

runs.start = AppRun(work=slow)
from rpa.cli import app, schedule_cmd
app(["schedule", "run", "--file", sys.argv[1]])
"""


def test_sigterm_mid_job_finishes_the_item_records_the_run_as_stopped_and_exits_0(
    tmp_path: Path, settings: Settings, katip_env: dict[str, str]
) -> None:
    schedule = schedule_of(JOB)
    # The job's 03:00 slot passed ten minutes ago while no scheduler ran: it is due at start.
    first = SchedulerService(schedule, settings)
    first.start()
    first.aps.pause()
    first.aps.modify_job(JOB["id"], next_run_time=datetime.now(schedule.tz) - timedelta(minutes=10))
    first.stop()
    path = write_schedule(tmp_path / "schedules.yaml", JOB)

    scheduler = subprocess.Popen(
        [sys.executable, "-c", SCHEDULER_WITH_SLOW_FLOW, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert scheduler.stdout is not None
        assert scheduler.stdout.readline().strip() == "item started"
        scheduler.send_signal(signal.SIGTERM)
        out, err = scheduler.communicate(timeout=60)
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
            scheduler.wait()

    assert scheduler.returncode == 0, err
    assert out.strip() == "item finished"
    assert "SIGTERM: elindeki iş bitince duruyor / stopping after the current item" in err
    [record] = RunHistory(settings.state_dir).recent()
    assert (record.outcome, record.counts, record.trigger) == ("stopped", {"approved": 1}, "schedule")
    assert record.problems == ["durduruldu / stopped: the scheduler was asked to stop"]
    log = (settings.state_dir / "logs" / "katip.log").read_text(encoding="utf-8")
    assert "Scheduler started" in log  # APScheduler's own lines reach the rotating log file too
    assert "scheduler stopped" in log
