"""After each job run: tell people, by e-mail over SMTP and/or a command hook fed the summary as JSON.

Channels are configured in Settings (`KATIP_SMTP_*`, `KATIP_NOTIFY_COMMAND`); a channel that is not
configured is skipped, and a channel that fails is logged and noted in the run record, never raised:
a broken mail server must not stop the night's other jobs.
"""

from __future__ import annotations

import json
import shlex
import smtplib
import subprocess
from dataclasses import dataclass
from datetime import datetime, tzinfo
from email.message import EmailMessage
from typing import Any, Protocol

from loguru import logger
from pydantic import SecretStr

from rpa.history import OUTCOME_MEANING, RunRecord

HOOK_TIMEOUT_S = 60
SMTP_TIMEOUT_S = 30
SMTPS_PORT = 465


class NotifySettings(Protocol):
    """The Settings fields this module reads (see rpa.settings.Settings)."""

    smtp_host: str | None
    smtp_port: int
    smtp_user: str | None
    smtp_password: SecretStr | None
    smtp_from: str | None
    smtp_to: str | None
    smtp_starttls: bool
    notify_command: str | None


def run_summary(record: RunRecord, timezone: tzinfo) -> dict[str, Any]:
    """The run as one JSON-ready document: the record, what its outcome means and what to do next."""
    summary = record.model_dump(mode="json")
    summary["timezone"] = str(timezone)
    summary["message"] = record.headline()
    summary["meaning"] = OUTCOME_MEANING[record.outcome]
    summary["next_steps"] = [f"katip login --account {name}" for name in record.login_needed]
    return summary


def _local(moment: datetime | None, timezone: tzinfo) -> str:
    return moment.astimezone(timezone).strftime("%Y-%m-%d %H:%M:%S") if moment else "–"


def email_text(record: RunRecord, timezone: tzinfo) -> str:
    """The plain-text body of the run's e-mail."""
    lines = [
        f"Job:       {record.job} ({record.flow}), {record.trigger} run",
        f"Run:       {record.id}",
        f"Scheduled: {_local(record.scheduled_for, timezone)} ({timezone})",
        f"Started:   {_local(record.started_at, timezone)}",
        f"Ended:     {_local(record.ended_at, timezone)}",
        f"Outcome:   {record.outcome} — {OUTCOME_MEANING[record.outcome]}",
    ]
    if record.counts:
        lines += ["", "Counts: " + ", ".join(f"{name} {value}" for name, value in record.counts.items())]
    if record.login_needed:
        lines += ["", "Login needed: a person must log in for these accounts (the next run picks them up):"]
        lines += [f"  katip login --account {name}" for name in record.login_needed]
    if record.problems:
        lines += ["", "Problems:"] + [f"  - {problem}" for problem in record.problems]
    if record.report_path:
        lines += ["", f"Report: {record.report_path}"]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class EmailChannel:
    """SMTP delivery of the run summary; STARTTLS when asked, login when a user is set."""

    host: str
    port: int
    sender: str
    recipients: list[str]
    user: str | None = None
    password: SecretStr | None = None
    starttls: bool = True

    @classmethod
    def from_settings(cls, settings: NotifySettings) -> EmailChannel | None:
        """The channel, or None when no SMTP host and recipient are configured."""
        recipients = [a.strip() for a in (settings.smtp_to or "").split(",") if a.strip()]
        if not settings.smtp_host or not recipients:
            return None
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from or (settings.smtp_user or "katip@localhost"),
            recipients=recipients,
            user=settings.smtp_user,
            password=settings.smtp_password,
            starttls=settings.smtp_starttls,
        )

    def send(self, record: RunRecord, timezone: tzinfo) -> str:
        """Send the e-mail; returns a status line for the run record."""
        message = EmailMessage()
        message["Subject"] = f"[katip] {record.headline()}"
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        message.set_content(email_text(record, timezone))
        message.add_attachment(
            json.dumps(run_summary(record, timezone), ensure_ascii=False, indent=2).encode(),
            maintype="application",
            subtype="json",
            filename=f"run-{record.id}.json",
        )
        # Port 465 speaks TLS from the first byte (SMTPS); other ports upgrade with STARTTLS if asked.
        implicit_tls = self.port == SMTPS_PORT
        connect = smtplib.SMTP_SSL if implicit_tls else smtplib.SMTP
        with connect(self.host, self.port, timeout=SMTP_TIMEOUT_S) as smtp:
            if self.starttls and not implicit_tls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password.get_secret_value() if self.password else "")
            smtp.send_message(message)
        return f"email: sent to {', '.join(self.recipients)}"


@dataclass(frozen=True)
class CommandHook:
    """A command of the operator's choosing, fed the run summary as JSON on stdin."""

    command: str

    def send(self, record: RunRecord, timezone: tzinfo) -> str:
        """Run the hook; returns a status line, raising only if it could not run or failed."""
        payload = json.dumps(run_summary(record, timezone), ensure_ascii=False)
        # No shell: the command line is split like a shell would, but nothing in it is expanded.
        done = subprocess.run(
            shlex.split(self.command), input=payload, text=True, capture_output=True, timeout=HOOK_TIMEOUT_S
        )
        if done.returncode != 0:
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [""]
            raise RuntimeError(f"exit {done.returncode} {tail[0]}".strip())
        return "command: ok"


def channels(settings: NotifySettings) -> list[EmailChannel | CommandHook]:
    """Every configured channel."""
    found: list[EmailChannel | CommandHook] = []
    email = EmailChannel.from_settings(settings)
    if email:
        found.append(email)
    if settings.notify_command:
        found.append(CommandHook(settings.notify_command))
    return found


def notify(record: RunRecord, settings: NotifySettings, timezone: tzinfo) -> list[str]:
    """Send the run summary through every configured channel; one status line per channel."""
    statuses = []
    for channel in channels(settings):
        name = "email" if isinstance(channel, EmailChannel) else "command"
        try:
            statuses.append(channel.send(record, timezone))
        except Exception as error:  # any channel failure is reported, never fatal
            logger.bind(run=record.id).warning("notification by {} failed: {}", name, error)
            statuses.append(f"{name}: failed: {error}")
    return statuses
