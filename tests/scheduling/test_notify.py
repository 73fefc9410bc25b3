"""Notifications after a run: a real SMTP server started by the test, and a command hook."""

from __future__ import annotations

import json
import shlex
import sys
import threading
from pathlib import Path

import pytest

from rpa.history import RunHistory
from rpa.scheduling.jobs import run_job
from rpa.settings import Settings
from tests.scheduling.conftest import AppRun, Inbox, free_port, schedule_of

APPROVALS = {"id": "morning-approvals", "flow": "approve_contracts", "cron": "30 7 * * 1-5"}


def with_channels(settings: Settings, **fields: object) -> Settings:
    return Settings(**{**settings.model_dump(), **fields})


def one_login_needed() -> AppRun:
    """An approvals run with a held contract and an account that needs a login."""
    return AppRun({"approved": 3, "held": 1}, login_needed=("firma-b",),
                  problems=("Sözleşme 4711 bekletildi: hekim süresi yasal asgari sürenin altında (12345678950)",))


def test_run_summary_is_e_mailed_through_a_real_smtp_server(
    settings: Settings, smtp_server: tuple[int, Inbox], monkeypatch: pytest.MonkeyPatch
) -> None:
    port, inbox = smtp_server
    monkeypatch.setattr("rpa.app.runs.start", one_login_needed())
    settings = with_channels(
        settings,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_user="katip",
        smtp_password="s3cret",
        smtp_from="katip@osgb.example",
        smtp_to="ops@osgb.example, mudur@osgb.example",
        smtp_starttls=False,
    )
    schedule = schedule_of(APPROVALS)
    record = run_job(schedule.jobs[0], settings, stop_event=threading.Event(), schedule=schedule)

    assert record.notifications == ["email: sent to ops@osgb.example, mudur@osgb.example"]
    assert RunHistory(settings.state_dir).get(record.id).notifications == record.notifications
    assert inbox.logins == [("katip", "s3cret")]
    assert inbox.envelopes[0].rcpt_tos == ["ops@osgb.example", "mudur@osgb.example"]
    message = inbox.message()
    assert message["Subject"] == (
        "[katip] morning-approvals: attention — approved 3, held 1 — giriş gerekli / login needed: firma-b")
    assert message["From"] == "katip@osgb.example"
    body = message.get_body(("plain",)).get_content()
    assert f"Run:       {record.id}" in body
    assert "katip login --account firma-b" in body
    assert f"Report: {record.report_path}" in body
    assert "123*****950" in body and "12345678950" not in body
    [attachment] = list(message.iter_attachments())
    summary = json.loads(attachment.get_content())
    assert (summary["id"], summary["outcome"], summary["next_steps"]) == (
        record.id,
        "attention",
        ["katip login --account firma-b"],
    )


def test_command_hook_receives_the_run_summary_as_json_on_stdin(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "hook.py"
    script.write_text("import sys\nopen(sys.argv[1], 'w').write(sys.stdin.read())\n")
    received = tmp_path / "received dir" / "summary.json"
    received.parent.mkdir()
    monkeypatch.setattr("rpa.app.runs.start", one_login_needed())
    command = shlex.join([sys.executable, str(script), str(received)])
    schedule = schedule_of(APPROVALS)
    record = run_job(
        schedule.jobs[0],
        with_channels(settings, notify_command=command),
        stop_event=threading.Event(),
        schedule=schedule,
    )

    assert record.notifications == ["command: ok"]
    summary = json.loads(received.read_text())
    assert summary["id"] == record.id
    assert summary["job"] == "morning-approvals"
    assert summary["outcome"] == "attention"
    assert summary["counts"] == {"approved": 3, "held": 1}
    assert summary["login_needed"] == ["firma-b"]
    assert summary["timezone"] == "Europe/Istanbul"
    assert summary["report_path"] == str(record.report_path)


def test_a_failing_channel_is_noted_on_the_run_and_never_fails_it(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("rpa.app.runs.start", AppRun({"approved": 1}))
    failing_hook = shlex.join(
        [sys.executable, "-c", "import sys; print('webhook said 502', file=sys.stderr); sys.exit(3)"]
    )
    settings = with_channels(
        settings,
        smtp_host="127.0.0.1",
        smtp_port=free_port(),
        smtp_to="ops@osgb.example",
        notify_command=failing_hook,
    )
    schedule = schedule_of(APPROVALS)
    record = run_job(schedule.jobs[0], settings, stop_event=threading.Event(), schedule=schedule)

    assert record.outcome == "ok"
    email_status, command_status = record.notifications
    assert email_status.startswith("email: failed: ")
    assert command_status == "command: failed: exit 3 webhook said 502"
