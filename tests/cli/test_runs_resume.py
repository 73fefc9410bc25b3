"""`katip runs resume`: which runs it starts again, and how (the command is stubbed: no portal here)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from rpa.cli import _register_commands, app
from rpa.journal import RESUME_ENV, Journal

RUN = "20250301-070000-abcd"


@pytest.fixture
def started(tmp_path, monkeypatch):
    """Journal a run started with `argv` in `tmp_path/work`; returns what `runs resume` then executes."""
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    monkeypatch.setenv("KATIP_STATE_DIR", str(state))
    calls: list[tuple[list[str], dict, str | None]] = []
    monkeypatch.setattr(subprocess, "call", lambda cmd, env, cwd: calls.append((cmd, env, cwd)) or 0)
    _register_commands()

    def start(argv: list[str]):
        journal = Journal(state)
        journal.start_run(RUN, "katip " + " ".join(argv[:2]), argv,
                          {"portal_url": "http://127.0.0.1:5000/", "accounts_file": "/osgb/accounts.yaml",
                           "out_dir": "/osgb/out", "cwd": str(tmp_path / "work")})
        journal.close()
        result = CliRunner().invoke(app, ["runs", "resume", RUN[:8]])
        return result, calls

    return start


def test_a_killed_roster_sync_is_started_again_as_the_same_run_with_the_same_files(started, tmp_path):
    result, calls = started(["roster", "sync", "personel.xlsx", "--workplace", "1132"])
    assert result.exit_code == 0, result.output
    [(command, env, cwd)] = calls
    assert command == [sys.executable, "-m", "rpa", "roster", "sync", "personel.xlsx", "--workplace", "1132"]
    assert env[RESUME_ENV] == RUN and env["KATIP_ACCOUNTS"] == "/osgb/accounts.yaml"
    assert cwd == str(tmp_path / "work")  # relative roster paths mean the same files


def test_a_run_of_a_command_that_changes_nothing_is_not_resumed(started):
    result, calls = started(["roster", "check", "personel.xlsx"])
    assert result.exit_code == 2 and "cannot be resumed" in result.output and not calls
