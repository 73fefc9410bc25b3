"""`katip runs list|show` and `katip schedule run-now`: what ran, how it ended, who must log in."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from rpa.app.status import ExitStatus
from rpa.history import RunHistory, RunRecord, utcnow
from rpa.scheduling.jobs import run_job
from rpa.scheduling.scheduler import SchedulerService
from rpa.settings import Settings
from tests.scheduling.conftest import AppRun, schedule_of, write_schedule

APPROVALS = {"id": "morning-approvals", "flow": "approve_contracts", "cron": "30 7 * * 1-5"}
REFRESH = {"id": "workplace-refresh", "flow": "refresh_workplaces", "every": "2h"}


@pytest.fixture
def two_runs(settings: Settings) -> list[RunRecord]:
    """An approvals run needing a login, then a refresh run that went fine."""
    schedule = schedule_of(APPROVALS, REFRESH)
    outcomes = [AppRun({"approved": 3}, login_needed=("firma-b",)), AppRun({"new": 2})]
    return [run_job(job, settings, stop_event=threading.Event(), schedule=schedule, start=start)
            for job, start in zip(schedule.jobs, outcomes, strict=True)]


def test_runs_list_shows_the_newest_run_first(cli, two_runs: list[RunRecord]) -> None:
    approvals, refresh = two_runs
    result = cli("runs", "list")
    assert result.exit_code == 0, result.output
    assert result.output.index(refresh.id) < result.output.index(approvals.id)
    approvals_line = next(line for line in result.output.splitlines() if approvals.id in line)
    for shown in ("morning-approvals", "attention", "approved 3", "firma-b"):
        assert shown in approvals_line


def test_runs_list_of_one_job_leaves_the_others_out(cli, two_runs: list[RunRecord]) -> None:
    approvals, refresh = two_runs
    result = cli("runs", "list", "--job", "workplace-refresh", "--json")
    assert [run["id"] for run in json.loads(result.output)] == [refresh.id]


def test_runs_show_tells_who_must_log_in_and_where_the_report_is(cli, two_runs: list[RunRecord]) -> None:
    approvals, _ = two_runs
    result = cli("runs", "show", approvals.id)
    assert result.exit_code == 0, result.output
    assert "attention — bitti, bakılacaklar var / done, but some items were held, failed, busy or need a login" in (
        " ".join(result.output.split()))
    assert "→ katip login --account firma-b" in result.output
    assert str(Path(approvals.report_path or "").name) in result.output
    as_json = json.loads(cli("runs", "show", approvals.id[:-2], "--json").output)
    assert (as_json["id"], as_json["login_needed"]) == (approvals.id, ["firma-b"])


def test_runs_show_of_an_unknown_run_exits_2(cli, two_runs: list[RunRecord]) -> None:
    result = cli("runs", "show", "19990101-000000-zzzz")
    assert result.exit_code == 2
    assert "no run '19990101-000000-zzzz'" in result.output


@pytest.mark.parametrize(
    ("outcome", "exit_code"),
    [
        (AppRun({"approved": 1}), 0),
        (AppRun(problems=("held 1",)), 1),
        (AppRun(login_needed=("a",)), 3),
    ],
)
def test_run_now_runs_one_job_and_exits_with_the_robots_codes(
    cli,
    tmp_path: Path,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    outcome: AppRun,
    exit_code: int,
) -> None:
    monkeypatch.setattr("rpa.app.runs.start", outcome)
    path = write_schedule(tmp_path / "schedules.yaml", {**APPROVALS, "enabled": False})
    result = cli("schedule", "run-now", "morning-approvals", "--file", str(path))
    assert result.exit_code == exit_code, result.output
    [record] = RunHistory(settings.state_dir).recent()
    assert (record.job, record.trigger, record.flow) == ("morning-approvals", "run-now", "approve")
    assert ExitStatus(result.exit_code) is outcome.status


def test_run_now_of_an_unknown_job_names_the_jobs_there_are(cli, tmp_path: Path) -> None:
    path = write_schedule(tmp_path / "schedules.yaml", APPROVALS, REFRESH)
    result = cli("schedule", "run-now", "nightly", "--file", str(path))
    assert result.exit_code == 2
    assert "no job 'nightly' in the schedule (jobs: morning-approvals, workplace-refresh)" in result.output


def test_a_run_cut_off_by_a_dead_process_is_marked_interrupted_on_the_next_start(settings: Settings) -> None:
    history = RunHistory(settings.private_state_dir())
    dead_pid = 2**22 + 1  # above the default pid_max of 2**22: no such process
    history.save(RunRecord(id="20250101-020000-abcd", job="a", flow="approve_contracts", pid=dead_pid))
    history.save(RunRecord(id="20250101-020000-live", job="a", flow="approve_contracts"))  # ours: alive

    service = SchedulerService(schedule_of(APPROVALS), settings)
    service.start()
    service.stop()

    assert history.get("20250101-020000-abcd").outcome == "interrupted"
    assert history.get("20250101-020000-live").outcome == "running"
    ended = history.get("20250101-020000-abcd").ended_at
    assert ended is not None and abs(utcnow() - ended) < timedelta(seconds=30)


def test_run_now_refuses_a_job_that_is_running_right_now(cli, tmp_path: Path, settings: Settings) -> None:
    RunHistory(settings.private_state_dir()).save(
        RunRecord(id="20250101-073000-busy", job="morning-approvals", flow="approve_contracts")
    )
    path = write_schedule(tmp_path / "schedules.yaml", APPROVALS)
    result = cli("schedule", "run-now", "morning-approvals", "--file", str(path))
    assert result.exit_code == 2
    assert "job 'morning-approvals' is running now (run 20250101-073000-busy" in result.output
