"""`katip runs resume`: which runs it finishes, and with which request (the app entry is stubbed: no portal)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from rpa.app import runs
from rpa.app.requests import ApproveRun, RosterSyncRun
from rpa.cli import _register_commands, app
from rpa.journal import Journal
from rpa.settings import Settings
from tests.scheduling.conftest import AppRun

RUN = "20250301-070000-abcd"
WHERE = {"portal_url": "http://127.0.0.1:5000/", "accounts_file": "/osgb/accounts.yaml", "out_dir": "/osgb/out"}


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Settings:
    state = tmp_path / "state"
    monkeypatch.setenv("KATIP_STATE_DIR", str(state))
    monkeypatch.setenv("KATIP_OUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("KATIP_PORTAL_URL", "http://127.0.0.1:9/")
    return Settings()


def journalled(settings: Settings, request, job: str | None = None, **where: str) -> None:
    Journal(settings.private_state_dir()).start_run(RUN, request.flow, "katip ...", request.model_dump(mode="json"),
                                                    {**WHERE, **where}, job)


def test_a_killed_roster_sync_is_finished_by_the_same_request_continuing_its_journal(settings, tmp_path):
    roster = tmp_path / "work" / "personel.xlsx"
    journalled(settings, RosterSyncRun(files=[roster], workplaces=["11320010112345670341542000"], bulk_allowed=False))

    resumed_settings, request = runs.resume_request(settings, RUN[:8])

    assert isinstance(request, RosterSyncRun) and (request.resume, request.trigger) == (RUN, "resume")
    assert request.files == [roster] and request.workplaces == ["11320010112345670341542000"]
    assert request.bulk_allowed is False
    assert str(resumed_settings.accounts_file) == "/osgb/accounts.yaml"
    assert resumed_settings.portal_url == "http://127.0.0.1:5000/" and str(resumed_settings.out_dir) == "/osgb/out"


def test_runs_resume_runs_the_killed_approval_again_in_this_process(settings, tmp_path, monkeypatch):
    journalled(settings, ApproveRun(workplaces=["11320010112345670341542000"]), out_dir=str(tmp_path / "out"))
    fake = AppRun({"approved": 1})
    monkeypatch.setattr("rpa.app.runs.start", fake)
    _register_commands()

    result = CliRunner().invoke(app, ["runs", "resume", RUN[:8]])

    assert result.exit_code == 0, result.output
    assert f"resuming run {RUN}" in result.output
    [request] = fake.requests
    assert (request.flow, request.resume, request.workplaces) == ("approve", RUN, ["11320010112345670341542000"])


@pytest.mark.parametrize(("flow", "job", "message"), [
    ("refresh", None, "cannot be resumed"),
    ("approve", "morning-approvals", "katip schedule run-now morning-approvals"),
])
def test_a_run_that_changes_nothing_or_belongs_to_a_job_is_not_resumed_here(settings, monkeypatch, flow, job,
                                                                            message):
    from rpa.app.requests import REQUEST_TYPES

    journalled(settings, REQUEST_TYPES[flow](), job)
    fake = AppRun()
    monkeypatch.setattr("rpa.app.runs.start", fake)
    _register_commands()

    result = CliRunner().invoke(app, ["runs", "resume", RUN])

    assert result.exit_code == 2 and message in " ".join(result.output.split()) and not fake.requests


def test_an_unknown_run_exits_2_naming_it(settings):
    Path(settings.private_state_dir())
    _register_commands()
    result = CliRunner().invoke(app, ["runs", "resume", "19990101"])
    assert result.exit_code == 2 and "19990101" in result.output
