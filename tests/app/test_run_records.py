"""Every run is recorded the same way, whoever starts it; the state dir stays private; settings fail early."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rpa.app.batch import Batch
from rpa.app.requests import ApproveRun
from rpa.app.status import ExitStatus
from rpa.cli import _register_commands, app
from rpa.errors import ConfigError
from rpa.history import RunHistory
from rpa.scheduling.jobs import run_job
from rpa.settings import Settings, default_out_dir
from tests.scheduling.conftest import AppRun, schedule_of


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(state_dir=tmp_path / "state", out_dir=tmp_path / "out", portal_url="http://127.0.0.1:9")


def test_a_long_problem_list_keeps_thirty_lines_and_says_how_many_more_are_in_the_report(settings):
    problems = tuple(f"workplace {n}: failed" for n in range(40))
    result = AppRun({"failed": 40}, problems=problems)(settings, ApproveRun(command="katip approve"))
    assert result.record.problems[:30] == list(problems[:30])
    assert result.record.problems[30:] == ["… ve 10 tane daha / and 10 more in the report"]
    assert RunHistory(settings.state_dir).get(result.id).problems == result.record.problems


def test_every_file_the_robot_writes_under_the_state_dir_is_private_whatever_the_umask(settings, tmp_path):
    from rpa.logs import configure_service_logging

    previous = os.umask(0)
    try:
        configure_service_logging(settings.private_state_dir(), console_level="CRITICAL")
        schedule = schedule_of({"id": "morning-approvals", "flow": "approve_contracts", "cron": "30 7 * * 1-5"})
        run_job(schedule.jobs[0], settings, stop_event=threading.Event(), schedule=schedule,
                start=AppRun({"approved": 1}))
        AppRun({"approved": 2})(settings, ApproveRun(command="katip approve"))
        from rpa.scheduling.scheduler import SchedulerService

        service = SchedulerService(schedule, settings)
        service.start()
        service.stop()
    finally:
        os.umask(previous)
    found = {path: stat.S_IMODE(path.stat().st_mode) for path in settings.state_dir.rglob("*")}
    names = {path.name for path in found}
    assert {"history.sqlite", "journal.sqlite", "scheduler.sqlite", "katip.log"} <= names
    assert {p: m for p, m in found.items() if p.is_file() and m != 0o600} == {}
    assert {p: m for p, m in found.items() if p.is_dir() and m != 0o700} == {}


def test_a_manual_cli_run_and_a_scheduled_one_are_both_in_the_history_with_who_started_them(settings, monkeypatch):
    schedule = schedule_of({"id": "morning-approvals", "flow": "approve_contracts", "cron": "30 7 * * 1-5"})
    scheduled = run_job(schedule.jobs[0], settings, stop_event=threading.Event(), schedule=schedule,
                        trigger="schedule", start=AppRun({"approved": 1}))
    manual = AppRun({"approved": 10})(settings, ApproveRun(command="katip approve --json")).record
    for name, value in (("STATE_DIR", settings.state_dir), ("OUT_DIR", settings.out_dir)):
        monkeypatch.setenv(f"KATIP_{name}", str(value))
    _register_commands()

    listed = json.loads(CliRunner().invoke(app, ["runs", "list", "--json"]).stdout)

    assert [(r["id"], r["trigger"], r["flow"], r["counts"]) for r in listed] == [
        (manual.id, "manual", "approve", {"approved": 10}), (scheduled.id, "schedule", "approve", {"approved": 1})]
    assert all({"id", "trigger", "flow", "outcome", "counts", "report_path"} <= set(r) for r in listed)
    shown = CliRunner().invoke(app, ["runs", "show", manual.id])
    assert shown.exit_code == 0 and "katip approve --json" in shown.stdout


def test_the_out_dir_defaults_to_the_users_data_dir_not_the_current_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("KATIP_OUT_DIR", raising=False)
    assert default_out_dir() == tmp_path / "data" / "katip" == Settings().out_dir


@pytest.mark.parametrize("problem", ["file", "open state dir"])
def test_bad_settings_are_one_clear_line_and_exit_2_before_any_browser(tmp_path, monkeypatch, problem):
    state, out = tmp_path / "state", tmp_path / "out"
    if problem == "file":
        out.write_text("not a folder")
    else:
        state.mkdir(mode=0o755)
        state.chmod(0o755)
    (tmp_path / "accounts.yaml").write_text('accounts:\n  - {name: a, tc: "10000000146", password: prompt, '
                                           'code: prompt}\n')
    monkeypatch.setenv("KATIP_STATE_DIR", str(state))
    monkeypatch.setenv("KATIP_OUT_DIR", str(out))
    _register_commands()

    result = CliRunner().invoke(app, ["approve", "--dry-run", "--accounts", str(tmp_path / "accounts.yaml"),
                                      "--portal-url", "http://127.0.0.1:9"])

    assert result.exit_code == ExitStatus.USAGE, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Hata / error:"), result.output
    assert ("is not a folder" if problem == "file" else "open to other users") in result.output
    with pytest.raises(ConfigError):
        Batch.open(Settings(state_dir=state, out_dir=out, portal_url="http://127.0.0.1:9"), ApproveRun(),
                   accounts=[])
    assert not (Path(out) / "runs").exists() if problem != "file" else True
