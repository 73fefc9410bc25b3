"""The scheduler: missed runs coalesced within their grace, graceful stop, and every run recorded.

The clock is injected through the job store: a stored next run time in the past is exactly what a
machine that was off finds on return, so no test waits for a real slot to come round.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from rpa.app.batch import Batch
from rpa.history import RunHistory
from rpa.scheduling.jobs import run_job
from rpa.scheduling.scheduler import SchedulerService
from rpa.settings import Settings
from tests.scheduling.conftest import AppRun, schedule_of

EVERY_5M = {"id": "approvals", "flow": "approve_contracts", "every": "5m"}


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> AppRun:
    """The app entry every job runs through, faked: it notes each request and approves one contract."""
    fake = AppRun({"approved": 1})
    monkeypatch.setattr("rpa.app.runs.start", fake)
    return fake


def machine_was_off(settings: Settings, job: dict, next_run_time: datetime) -> None:
    """A first scheduler life that stored `job` due at `next_run_time`, then the machine went off."""
    first = SchedulerService(schedule_of(job), settings)
    first.start()
    first.aps.pause()
    first.aps.modify_job(job["id"], next_run_time=next_run_time)
    first.stop()


def test_missed_slots_within_grace_run_once_on_restart_not_once_per_slot(
    settings: Settings, recorder: AppRun
) -> None:
    job = {**EVERY_5M, "misfire_grace": "10m"}
    schedule = schedule_of(job)
    now = datetime.now(schedule.tz).replace(microsecond=0)
    # Off for 32 minutes: the slots at -32, -27, … -2 minutes all passed; only -2 is within grace.
    machine_was_off(settings, job, now - timedelta(minutes=32))

    second = SchedulerService(schedule, settings)
    second.start()
    runs = second.wait_for_runs(1, timeout=60)
    second.aps.shutdown(wait=True)  # lets any further submitted run finish, so it would be counted
    second.stop()

    assert len(recorder.requests) == 1
    assert [r.scheduled_for for r in runs] == [now - timedelta(minutes=2)]
    assert [(r.outcome, r.trigger, r.counts) for r in runs] == [("ok", "schedule", {"approved": 1})]


def test_a_slot_missed_beyond_its_grace_is_recorded_as_missed_and_not_run(
    settings: Settings, recorder: AppRun
) -> None:
    job = {**EVERY_5M, "misfire_grace": "1m"}
    schedule = schedule_of(job)
    now = datetime.now(schedule.tz).replace(microsecond=0)
    machine_was_off(settings, job, now - timedelta(minutes=32))

    second = SchedulerService(schedule, settings)
    second.start()
    [ended] = second.wait_for_runs(1, timeout=60)
    second.stop()

    assert recorder.requests == []
    [record] = RunHistory(settings.state_dir).recent()
    assert record == ended
    assert record.outcome == "missed"
    assert record.scheduled_for == now - timedelta(minutes=2)
    assert record.problems == ["missed: not started within its misfire grace (1m)"]


def test_a_changed_timing_does_not_inherit_the_old_pending_slot(settings: Settings, recorder: AppRun) -> None:
    schedule = schedule_of({**EVERY_5M, "misfire_grace": "1h"})
    machine_was_off(settings, EVERY_5M, datetime.now(schedule.tz) - timedelta(minutes=3))
    changed = schedule_of({**EVERY_5M, "every": "2h"})

    service = SchedulerService(changed, settings)
    service.start()
    pending = service.next_run_times()["approvals"]
    service.stop()

    assert pending is not None and pending > datetime.now(changed.tz) + timedelta(minutes=119)
    assert recorder.requests == []


def test_disabled_and_removed_jobs_leave_the_store(settings: Settings, recorder: AppRun) -> None:
    other = {"id": "refresh", "flow": "refresh_workplaces", "every": "1h"}
    first = SchedulerService(schedule_of(EVERY_5M, other), settings)
    first.start()
    assert set(first.next_run_times()) == {"approvals", "refresh"}
    first.stop()

    second = SchedulerService(schedule_of({**EVERY_5M, "enabled": False}), settings)
    second.start()
    assert second.next_run_times() == {}
    second.stop()


def test_graceful_stop_lets_the_current_item_finish_and_records_a_stopped_run(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, items_done = threading.Event(), []

    def slow_approvals(batch: Batch) -> dict[str, int]:
        for item in range(100):
            if batch.stop.is_set():
                break
            started.set()
            batch.stop.wait(30)  # one long item; the flow only looks at the signal between items
            items_done.append(item)
        return {"approved": len(items_done)}

    monkeypatch.setattr("rpa.app.runs.start", AppRun(work=slow_approvals))
    schedule = schedule_of(EVERY_5M)
    service = SchedulerService(schedule, settings)
    service.start()
    service.aps.modify_job("approvals", next_run_time=datetime.now(schedule.tz))
    assert started.wait(60)
    service.stop()  # what SIGINT/SIGTERM do in `katip schedule run`; returns once the job ended

    assert items_done == [0]
    [record] = RunHistory(settings.state_dir).recent()
    assert record.outcome == "stopped"
    assert record.counts == {"approved": 1}
    assert record.problems == ["durduruldu / stopped: the scheduler was asked to stop"]


def test_max_runtime_stops_a_run_after_its_current_item(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    def endless(batch: Batch) -> dict[str, int]:
        items = 0
        while not batch.stop.wait(30):
            items += 1
        return {"approved": items}

    schedule = schedule_of({**EVERY_5M, "max_runtime": "1s"})
    record = run_job(schedule.jobs[0], settings, stop_event=threading.Event(), schedule=schedule,
                     start=AppRun(work=endless))
    assert record.outcome == "stopped"
    assert record.problems == ["durduruldu / stopped: max_runtime 1s reached"]


def test_a_roster_job_whose_files_are_gone_is_recorded_as_failed_saying_so(settings: Settings) -> None:
    job = {"id": "nightly", "flow": "sync_roster", "every": "1d", "rosters": "nowhere/*.xlsx"}
    schedule = schedule_of(job)
    record = run_job(schedule.jobs[0], settings, stop_event=threading.Event(), schedule=schedule,
                     start=AppRun({"verified": 1}))
    assert (record.outcome, record.flow, record.job) == ("failed", "roster_sync", "nightly")
    assert "rosters 'nowhere/*.xlsx'" in record.problems[0] and "matches no file" in record.problems[0]
    assert RunHistory(settings.state_dir).get(record.id).outcome == "failed"


def test_accounts_needing_a_login_are_listed_and_the_run_needs_attention(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    schedule = schedule_of(EVERY_5M)
    partly = run_job(schedule.jobs[0], settings, stop_event=threading.Event(), schedule=schedule,
                     start=AppRun({"approved": 2}, login_needed=("firma-b",)))
    wholly = run_job(schedule.jobs[0], settings, stop_event=threading.Event(), schedule=schedule,
                     start=AppRun(login_needed=("firma-a", "firma-b")))

    assert (partly.outcome, partly.login_needed, partly.counts) == ("attention", ["firma-b"], {"approved": 2})
    assert (wholly.outcome, wholly.login_needed) == ("attention", ["firma-a", "firma-b"])


def test_a_crashing_flow_ends_as_a_failed_run_with_its_own_log(settings: Settings, monkeypatch) -> None:
    def crash(batch: Batch) -> dict[str, int]:
        from loguru import logger

        logger.info("working on 12345678950")
        raise RuntimeError("portal answered nonsense")

    schedule = schedule_of(EVERY_5M)
    record = run_job(schedule.jobs[0], settings, stop_event=threading.Event(), schedule=schedule,
                     start=AppRun(work=crash))
    assert record.outcome == "failed"
    assert record.problems == ["RuntimeError: portal answered nonsense"]
    run_dir = settings.out_dir.resolve() / "runs" / record.id
    log = (run_dir / "run.log").read_text()
    assert "portal answered nonsense" in log and "123*****950" in log and "12345678950" not in log
    assert (run_dir / "summary.json").exists()
    assert record.report_path == str(run_dir / "summary.json")
