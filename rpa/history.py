"""Run history: one row per run — manual, scheduled, run-now, resumed, console — for `katip runs` and the console.

`history.sqlite` in the state dir (WAL, 0600), or the shared database of `KATIP_DATABASE_URL`. Times are
stored in UTC; displays convert them to the schedule's time zone.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, select, update

from rpa.store import Database, like_prefix, private_sqlite_url
from rpa.store.database import LIKE_ESCAPE

HISTORY_NAME = "history.sqlite"
Outcome = Literal["running", "ok", "attention", "failed", "stopped", "missed", "interrupted"]
Trigger = Literal["manual", "schedule", "run-now", "resume", "console", "api"]
# What each outcome means, for people reading `katip runs` or an e-mail (Turkish first).
OUTCOME_MEANING: dict[str, str] = {
    "running": "sürüyor / still running",
    "ok": "hepsi tamam / everything done",
    "attention": "bitti, bakılacaklar var / done, but some items were held, failed, busy or need a login",
    "failed": "çalışamadı / the run could not run",
    "stopped": "sonuna varmadan durdu / stopped before the end (Ctrl-C, shutdown or max_runtime); "
               "the rest runs next time",
    "missed": "çalışmadı / not run: the machine was off or busy past the job's misfire grace",
    "interrupted": "süreç yarıda bitti / the process ended while the run was going on",
}
_JSON_COLUMNS = ("accounts", "counts", "login_needed", "busy", "problems", "notifications")

METADATA = MetaData()
RUNS = Table(
    "katip_history_runs", METADATA,
    Column("id", String(80), primary_key=True),
    Column("job", String(64), index=True),
    Column("flow", String(32), nullable=False),
    Column("trigger", String(16), nullable=False),
    Column("command", Text, nullable=False),
    Column("accounts", Text, nullable=False),
    Column("scheduled_for", String(40)),
    Column("started_at", String(40), nullable=False, index=True),
    Column("ended_at", String(40)),
    Column("outcome", String(16), nullable=False),
    Column("counts", Text, nullable=False),
    Column("login_needed", Text, nullable=False),
    Column("busy", Text, nullable=False),
    Column("problems", Text, nullable=False),
    Column("report_path", Text),
    Column("out_dir", Text),
    Column("resumes", String(64)),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("notifications", Text, nullable=False),
)


def utcnow() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


class RunRecord(BaseModel):
    """One run: what ran, who started it, when, how it ended, and where its report is."""

    id: str
    flow: str  # refresh | approve | contact | roster_sync | audit
    trigger: Trigger = "manual"
    job: str | None = None  # the schedule's job, for scheduled and run-now runs
    command: str = ""  # as typed (personal data masked)
    accounts: list[str] = Field(default_factory=list)  # account names, never TC numbers
    scheduled_for: datetime | None = None
    started_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None
    outcome: Outcome = "running"
    counts: dict[str, int] = Field(default_factory=dict)
    login_needed: list[str] = Field(default_factory=list)
    busy: dict[str, str] = Field(default_factory=dict)  # account -> which run was using it
    problems: list[str] = Field(default_factory=list)
    report_path: str | None = None
    out_dir: str | None = None
    resumes: str | None = None  # the journal run this run continued
    host: str = Field(default_factory=socket.gethostname)
    pid: int = Field(default_factory=os.getpid)
    notifications: list[str] = Field(default_factory=list)

    def headline(self) -> str:
        """One line for a subject or a log: job (or flow), outcome and the numbers that matter."""
        counts = ", ".join(f"{name} {value}" for name, value in self.counts.items() if value)
        parts = [f"{self.job or self.flow}: {self.outcome}"]
        if counts:
            parts.append(counts)
        if self.login_needed:
            parts.append(f"giriş gerekli / login needed: {', '.join(self.login_needed)}")
        if self.busy:
            parts.append(f"meşgul / busy: {', '.join(self.busy)}")
        return " — ".join(parts)


def history_url(state_dir: Path, database_url: str | None = None) -> str:
    """The shared database if one is configured, else `history.sqlite` in the state dir."""
    return database_url or private_sqlite_url(state_dir / HISTORY_NAME)


class RunHistory:
    """The run history of one state dir or shared database."""

    def __init__(self, state_dir: Path, database_url: str | None = None) -> None:
        self.db = Database(history_url(state_dir, database_url), METADATA)
        self.where = database_url.split("@")[-1] if database_url else str(state_dir / HISTORY_NAME)

    def save(self, record: RunRecord) -> None:
        """Insert or update `record` (called when a run starts and again when it ends)."""
        row = _row(record)
        statement = self.db.insert(RUNS).values(**row)
        statement = statement.on_conflict_do_update(
            index_elements=[RUNS.c.id], set_={k: statement.excluded[k] for k in row if k != "id"})
        with self.db.begin() as conn:
            conn.execute(statement)

    def recent(self, limit: int = 20, job: str | None = None) -> list[RunRecord]:
        """The latest runs, newest first, optionally of one job."""
        query = select(RUNS)
        if job:
            query = query.where(RUNS.c.job == job)
        with self.db.connect() as conn:
            rows = conn.execute(query.order_by(RUNS.c.started_at.desc(), RUNS.c.id.desc()).limit(limit))
            return [_record(row) for row in rows.mappings()]

    def get(self, run_id: str) -> RunRecord:
        """The run with this id or an unambiguous id prefix; KeyError otherwise."""
        query = select(RUNS).where(RUNS.c.id.like(like_prefix(run_id), escape=LIKE_ESCAPE)).limit(50)
        with self.db.connect() as conn:
            rows = [_record(r) for r in conn.execute(query).mappings()]
        exact = [r for r in rows if r.id == run_id]
        if exact:
            return exact[0]
        if not rows:
            raise KeyError(f"'{run_id}' diye bir çalıştırma yok / no run '{run_id}' in {self.where}")
        if len(rows) > 1:
            raise KeyError(f"'{run_id}' birden çok çalıştırmaya uyuyor / matches several runs; give more of the id")
        return rows[0]

    def running(self, job: str) -> list[RunRecord]:
        """Runs of `job` that are going on now (in a process that is still alive)."""
        query = select(RUNS).where(RUNS.c.outcome == "running").where(RUNS.c.job == job)
        with self.db.connect() as conn:
            records = [_record(r) for r in conn.execute(query).mappings()]
        return [record for record in records if _alive(record)]

    def close_abandoned(self) -> int:
        """Mark 'running' rows of this machine whose process is gone as 'interrupted'; returns how many."""
        with self.db.connect() as conn:
            records = [_record(r) for r in conn.execute(select(RUNS).where(RUNS.c.outcome == "running")).mappings()]
        gone = [r.id for r in records if not _alive(r)]
        if gone:
            with self.db.begin() as conn:
                conn.execute(update(RUNS).where(RUNS.c.id.in_(gone))
                             .values(outcome="interrupted", ended_at=utcnow().isoformat()))
        return len(gone)


def _row(record: RunRecord) -> dict[str, Any]:
    row = record.model_dump(mode="json")
    for column in _JSON_COLUMNS:
        row[column] = json.dumps(row[column], ensure_ascii=False)
    return row


def _record(row: Any) -> RunRecord:
    data = dict(row)
    for column in _JSON_COLUMNS:
        data[column] = json.loads(data[column])
    return RunRecord.model_validate(data)


def _alive(record: RunRecord) -> bool:
    """Whether the run's process still runs (a run of another machine is taken to be alive)."""
    if record.host != socket.gethostname() or record.pid == os.getpid():
        return True
    try:
        os.kill(record.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True
