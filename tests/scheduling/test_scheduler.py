"""The scheduler: missed runs coalesced within their grace, graceful stop, and every run recorded.

The clock is injected through the job store: a stored next run time in the past is exactly what a
machine that was off finds on return, so no test waits for a real slot to come round.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from rpa.errors import LoginNeeded
from rpa.history import RunHistory
from rpa.scheduling.jobs import FLOW_RUNNERS, FlowOutcome, JobContext, run_job
from rpa.scheduling.scheduler import SchedulerService
from rpa.settings import Settings
from tests.scheduling.conftest import schedule_of

EVERY_5M = {"id": "approvals", "flow": "approve_contracts", "every": "5m"}


class Recorder:
    """A fake approve runner that notes each call and approves one contract."""

    def __init__(self) -> None:
        self.calls: list[JobContext] = []

    def __call__(self, context: JobContext) -> FlowOutcome:
        self.calls.append(context)
        return FlowOutcome(counts={"approved": 1})


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    fake = Recorder()
    monkeypatch.setitem(FLOW_RUNNERS, "approve_contracts", fake)
    return fake


def machine_was_off(settings: Settings, job: dict, next_run_time: datetime) -> None:
    """A first scheduler life that stored `job` due at `next_run_time`, then the machine went off."""
    first = SchedulerService(schedule_of(job), settings)
    first.start()
    first.aps.pause()
    first.aps.modify_job(job["id"], next_run_time=next_run_time)
    first.stop()


def test_missed_slots_within_grace_run_once_on_restart_not_once_per_slot(
    settings: Settings, recorder: Recorder
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

    assert len(recorder.calls) == 1
    assert [r.scheduled_for for r in runs] == [now - timedelta(minutes=2)]
    assert [(r.outcome, r.trigger, r.counts) for r in runs] == [("ok", "schedule", {"approved": 1})]


def test_a_slot_missed_beyond_its_grace_is_recorded_as_missed_and_not_run(
    settings: Settings, recorder: Recorder
) -> None:
    job = {**EVERY_5M, "misfire_grace": "1m"}
    schedule = schedule_of(job)
    now = datetime.now(schedule.tz).replace(microsecond=0)
    machine_was_off(settings, job, now - timedelta(minutes=32))

    second = SchedulerService(schedule, settings)
    second.start()
    [ended] = second.wait_for_runs(1, timeout=60)
    second.stop()

    assert recorder.calls == []
    [record] = RunHistory(settings.state_dir).recent()
    assert record == ended
    assert record.outcome == "missed"
    assert record.scheduled_for == now - timedelta(minutes=2)
    assert record.problems == ["missed: not started within its misfire grace (1m)"]


def test_a_changed_timing_does_not_inherit_the_old_pending_slot(settings: Settings, recorder: Recorder) -> None:
    schedule = schedule_of({**EVERY_5M, "misfire_grace": "1h"})
    machine_was_off(settings, EVERY_5M, datetime.now(schedule.tz) - timedelta(minutes=3))
    changed = schedule_of({**EVERY_5M, "every": "2h"})

    service = SchedulerService(changed, settings)
    service.start()
    pending = service.next_run_times()["approvals"]
    service.stop()

    assert pending is not None and pending > datetime.now(changed.tz) + timedelta(minutes=119)
    assert recorder.calls == []


def test_disabled_and_removed_jobs_leave_the_store(settings: Settings, recorder: Recorder) -> None:
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

    def slow_approvals(context: JobContext) -> FlowOutcome:
        for item in range(100):
            if context.stop.is_set():
                break
            started.set()
            context.stop.wait(30)  # one long item; the flow only looks at the signal between items
            items_done.append(item)
        return FlowOutcome(counts={"approved": len(items_done)})

    monkeypatch.setitem(FLOW_RUNNERS, "approve_contracts", slow_approvals)
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
    assert record.problems == ["stopped: the scheduler was asked to stop"]


def test_max_runtime_stops_a_run_after_its_current_item(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    def endless(context: JobContext) -> FlowOutcome:
        items = 0
        while not context.stop.wait(30):
            items += 1
        return FlowOutcome(counts={"approved": items})

    monkeypatch.setitem(FLOW_RUNNERS, "approve_contracts", endless)
    schedule = schedule_of({**EVERY_5M, "max_runtime": "1s"})
    record = run_job(schedule.jobs[0], settings, stop_event=threading.Event(), schedule=schedule)
    assert record.outcome == "stopped"
    assert record.problems == ["stopped: max_runtime 1s reached"]


def test_a_flow_not_written_yet_is_recorded_as_failed_saying_so(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(FLOW_RUNNERS, "approve_contracts")
    schedule = schedule_of(EVERY_5M)
    record = run_job(schedule.jobs[0], settings, stop_event=threading.Event(), schedule=schedule)
    assert record.outcome == "failed"
    assert record.problems == ["flow approve_contracts not available yet"]
    assert RunHistory(settings.state_dir).get(record.id).outcome == "failed"


def test_accounts_needing_a_login_are_listed_and_the_run_needs_attention(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def one_account_logged_out(context: JobContext) -> FlowOutcome:
        return FlowOutcome(counts={"approved": 2}, login_needed=["firma-b"])

    def whole_job_logged_out(context: JobContext) -> FlowOutcome:
        raise LoginNeeded("firma-a", "saved session expired")

    schedule = schedule_of(EVERY_5M)
    monkeypatch.setitem(FLOW_RUNNERS, "approve_contracts", one_account_logged_out)
    partly = run_job(schedule.jobs[0], settings, stop_event=threading.Event(), schedule=schedule)
    monkeypatch.setitem(FLOW_RUNNERS, "approve_contracts", whole_job_logged_out)
    wholly = run_job(schedule.jobs[0], settings, stop_event=threading.Event(), schedule=schedule)

    assert (partly.outcome, partly.login_needed, partly.counts) == ("attention", ["firma-b"], {"approved": 2})
    assert (wholly.outcome, wholly.login_needed) == ("attention", ["firma-a"])


def test_a_crashing_flow_ends_as_a_failed_run_with_its_own_log(settings: Settings, monkeypatch) -> None:
    def crash(context: JobContext) -> FlowOutcome:
        from loguru import logger

        logger.info("working on 12345678950")
        raise RuntimeError("portal answered nonsense")

    monkeypatch.setitem(FLOW_RUNNERS, "approve_contracts", crash)
    schedule = schedule_of(EVERY_5M)
    record = run_job(schedule.jobs[0], settings, stop_event=threading.Event(), schedule=schedule)
    assert record.outcome == "failed"
    assert record.problems == ["RuntimeError: portal answered nonsense"]
    run_dir = settings.out_dir.resolve() / "runs" / record.id
    assert "portal answered nonsense" in (run_dir / "run.log").read_text()
    assert (run_dir / "summary.json").exists()
    assert record.report_path == str(run_dir / "summary.json")
