"""Fixtures for scheduling tests: private settings per test, schedules from dicts, the CLI in-process."""

from __future__ import annotations

import email
import socket
import sys
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope
from typer.testing import CliRunner

from rpa.app.batch import Batch
from rpa.app.result import RunResult
from rpa.app.status import ExitStatus
from rpa.scheduling.config import ScheduleFile, parse_schedule
from rpa.settings import Settings

# `katip` without the other command modules, so these tests only need the scheduling code.
KATIP = [sys.executable, "-c", "from rpa.cli import app; import rpa.cli.schedule_cmd; app()"]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings with a fresh state dir and out dir, no notification channel."""
    return Settings(state_dir=tmp_path / "state", out_dir=tmp_path / "out", portal_url="http://127.0.0.1:9")


@pytest.fixture
def katip_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Environment that points `katip` (in-process or a subprocess) at the test's settings."""
    env = {
        "KATIP_STATE_DIR": str(settings.state_dir),
        "KATIP_OUT_DIR": str(settings.out_dir),
        "KATIP_PORTAL_URL": settings.portal_url or "",
        "COLUMNS": "200",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def cli(katip_env: dict[str, str]) -> Iterator[Any]:
    """Invoke `katip …` in-process; returns the click Result."""
    from rpa.cli import app, schedule_cmd  # noqa: F401 - schedule_cmd registers its commands

    runner = CliRunner()
    yield lambda *args: runner.invoke(app, list(args), catch_exceptions=False)


class AppRun:
    """A stand-in for the app layer's entry (`rpa.app.runs.start`): a real run — folder, history record,
    journal — over no account, whose work is `work(batch)` and whose results are the ones given."""

    def __init__(self, counts: dict[str, int] | None = None, *, login_needed: tuple[str, ...] = (),
                 problems: tuple[str, ...] = (), status: ExitStatus | None = None, work: Any = None) -> None:
        self.counts, self.login_needed, self.problems = counts or {}, list(login_needed), list(problems)
        self.status = status or (ExitStatus.LOGIN_NEEDED if login_needed else
                                 ExitStatus.ATTENTION if problems else ExitStatus.OK)
        self.work = work
        self.requests: list[Any] = []

    def __call__(self, settings: Settings, request: Any, *, progress: Any = None, stop: Any = None) -> RunResult:
        self.requests.append(request)
        with Batch.open(settings, request, progress, stop, accounts=[]) as batch:
            counts = self.work(batch) if self.work else self.counts
            return batch.finish(self.status, counts or self.counts, self.problems, None, self.login_needed)


def schedule_of(*jobs: dict[str, Any], timezone: str = "Europe/Istanbul") -> ScheduleFile:
    """A validated schedule made of these jobs."""
    return parse_schedule({"timezone": timezone, "jobs": list(jobs)})


def write_schedule(path: Path, *jobs: dict[str, Any], timezone: str = "Europe/Istanbul") -> Path:
    """A schedule file on disk with these jobs."""
    path.write_text(yaml.safe_dump({"timezone": timezone, "jobs": list(jobs)}), encoding="utf-8")
    return path


class Inbox:
    """aiosmtpd handler keeping every message it accepts, and the logins it saw."""

    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"s3cret")

    def message(self, index: int = 0) -> EmailMessage:
        return email.message_from_bytes(self.envelopes[index].original_content, policy=default_policy)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    """A real SMTP server on a loopback port with AUTH (plain text: it is loopback only)."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, authenticator=inbox.authenticate, auth_require_tls=False
    )
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()
