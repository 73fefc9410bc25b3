"""The scheduler with a shared database and a broker: its job store in PostgreSQL, its approvals sent to
the workers (a dispatcher installed), recorded once in the shared history."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from rpa.app import distributed
from rpa.history import RunHistory
from rpa.scheduling.jobs import run_job
from rpa.settings import Settings
from tests.scheduling.conftest import AppRun, schedule_of


@pytest.fixture
def shared(tmp_path, postgres_url) -> Settings:
    return Settings(state_dir=tmp_path / "state", out_dir=tmp_path / "out", portal_url="http://127.0.0.1:9",
                    database_url=postgres_url, broker_url="redis://127.0.0.1:9/0")


class NoWorkers:
    """A dispatcher with nothing to send (the stand-in run has no accounts)."""

    def run(self, settings, parts, progress, stop):  # noqa: ANN001, ANN201 - the Dispatcher protocol
        return []


@pytest.fixture
def dispatcher() -> Iterator[NoWorkers]:
    found = NoWorkers()
    distributed.use(found)
    yield found
    distributed.use(None)


def test_the_scheduler_keeps_its_jobs_in_the_shared_database(shared):
    from rpa.scheduling.scheduler import SchedulerService

    schedule = schedule_of({"id": "morning-approvals", "flow": "approve_contracts", "cron": "30 7 * * 1-5"})
    service = SchedulerService(schedule, shared)
    service.start()
    try:
        engine = create_engine(shared.database_url or "")
        with engine.connect() as conn:
            jobs = conn.execute(text("SELECT id FROM katip_scheduler_jobs")).scalars().all()
        engine.dispose()
    finally:
        service.stop()
    assert "morning-approvals" in jobs
    assert not (shared.state_dir / "scheduler.sqlite").exists()


def test_with_a_broker_a_scheduled_approval_goes_to_the_workers_and_is_recorded_once(shared, dispatcher):
    schedule = schedule_of({"id": "morning-approvals", "flow": "approve_contracts", "cron": "30 7 * * 1-5"})
    start = AppRun({"approved": 2})

    record = run_job(schedule.jobs[0], shared, stop_event=threading.Event(), schedule=schedule, start=start)

    assert [r.distributed for r in start.requests] == [True]
    assert [(r.id, r.job) for r in RunHistory(shared.state_dir, shared.database_url).recent()] == [
        (record.id, "morning-approvals")]


def test_without_a_dispatcher_a_scheduled_approval_stays_local(shared):
    schedule = schedule_of({"id": "morning-approvals", "flow": "approve_contracts", "cron": "30 7 * * 1-5"})
    start = AppRun({"approved": 2})
    run_job(schedule.jobs[0], shared, stop_event=threading.Event(), schedule=schedule, start=start)
    assert [r.distributed for r in start.requests] == [False]


def test_a_distributed_run_without_a_shared_database_or_broker_stops_before_it_starts(tmp_path, dispatcher):
    from rpa.app.batch import Batch
    from rpa.app.requests import ApproveRun
    from rpa.errors import ConfigError

    local = Settings(state_dir=tmp_path / "state", out_dir=tmp_path / "out", portal_url="http://127.0.0.1:9",
                     broker_url="redis://127.0.0.1:9/0")
    with pytest.raises(ConfigError, match="KATIP_DATABASE_URL"):
        Batch.open(local, ApproveRun(distributed=True), accounts=[])
    with pytest.raises(ConfigError, match="KATIP_BROKER_URL"):
        Batch.open(local.model_copy(update={"broker_url": None}), ApproveRun(distributed=True), accounts=[])
    assert not (tmp_path / "out" / "runs").exists()
