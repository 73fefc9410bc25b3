"""Run history: one row per job run in `history.sqlite` in the state dir, for `katip runs` and reports."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

HISTORY_NAME = "history.sqlite"
Outcome = Literal["running", "ok", "attention", "failed", "stopped", "missed", "interrupted"]
# What each outcome means, for people reading `katip runs` or an e-mail.
OUTCOME_MEANING: dict[str, str] = {
    "running": "still running",
    "ok": "everything done",
    "attention": "done, but some items were held, failed or need a login",
    "failed": "the job could not run",
    "stopped": "stopped before the end (shutdown or max_runtime); the rest runs next time",
    "missed": "not run: the machine was off or busy past the job's misfire grace",
    "interrupted": "the process ended while the job was running",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    job TEXT NOT NULL,
    flow TEXT NOT NULL,
    trigger TEXT NOT NULL,
    scheduled_for TEXT,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    outcome TEXT NOT NULL,
    counts TEXT NOT NULL,
    login_needed TEXT NOT NULL,
    problems TEXT NOT NULL,
    report_path TEXT,
    pid INTEGER NOT NULL,
    notifications TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_started ON runs (started_at);
"""
_JSON_COLUMNS = ("counts", "login_needed", "problems", "notifications")


def utcnow() -> datetime:
    """Now, in UTC (the history stores UTC; displays convert to the schedule's time zone)."""
    return datetime.now(UTC)


class RunRecord(BaseModel):
    """One run of a job: what ran, when, how it ended, and where its report is."""

    id: str
    job: str
    flow: str
    trigger: Literal["schedule", "manual"] = "schedule"
    scheduled_for: datetime | None = None
    started_at: datetime = Field(default_factory=utcnow)
    ended_at: datetime | None = None
    outcome: Outcome = "running"
    counts: dict[str, int] = Field(default_factory=dict)
    login_needed: list[str] = Field(default_factory=list)  # account names, never TC numbers
    problems: list[str] = Field(default_factory=list)
    report_path: str | None = None
    pid: int = Field(default_factory=os.getpid)
    notifications: list[str] = Field(default_factory=list)

    def headline(self) -> str:
        """One line for a subject or a log: job, outcome and the numbers that matter."""
        counts = ", ".join(f"{name} {value}" for name, value in self.counts.items() if value)
        parts = [f"{self.job}: {self.outcome}"]
        if counts:
            parts.append(counts)
        if self.login_needed:
            parts.append(f"login needed: {', '.join(self.login_needed)}")
        return " — ".join(parts)


class RunHistory:
    """The run history of one state dir; each call opens its own connection (jobs run in threads)."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / HISTORY_NAME
        state_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        with self._connect() as conn:
            conn.executescript(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=30)) as conn:
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            with conn:
                yield conn

    def save(self, record: RunRecord) -> None:
        """Insert or update `record` (called when a run starts and again when it ends)."""
        row = record.model_dump(mode="json")
        for column in _JSON_COLUMNS:
            row[column] = json.dumps(row[column], ensure_ascii=False)
        columns = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        with self._connect() as conn:
            conn.execute(f"INSERT OR REPLACE INTO runs ({columns}) VALUES ({marks})", row)

    def recent(self, limit: int = 20, job: str | None = None) -> list[RunRecord]:
        """The latest runs, newest first, optionally of one job."""
        query = "SELECT * FROM runs" + (" WHERE job = ?" if job else "") + " ORDER BY started_at DESC LIMIT ?"
        params: tuple = (job, limit) if job else (limit,)
        with self._connect() as conn:
            return [_record(row) for row in conn.execute(query, params)]

    def get(self, run_id: str) -> RunRecord:
        """The run with this id or an unambiguous id prefix; KeyError otherwise."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT * FROM runs WHERE id = ? OR id LIKE ? ESCAPE '\\' ORDER BY id = ? DESC LIMIT 2",
                (run_id, _like_prefix(run_id), run_id),
            ).fetchall()
        if not rows:
            raise KeyError(f"no run '{run_id}' in {self.path}")
        if rows[0]["id"] != run_id and len(rows) > 1:
            raise KeyError(f"'{run_id}' matches several runs; give more of the id")
        return _record(rows[0])

    def running(self, job: str) -> list[RunRecord]:
        """Runs of `job` that are going on now (in a process that is still alive)."""
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM runs WHERE outcome = 'running' AND job = ?", (job,)).fetchall()
        return [record for record in map(_record, rows) if _alive(record.pid)]

    def close_abandoned(self) -> int:
        """Mark 'running' rows whose process is gone as 'interrupted'; returns how many."""
        with self._connect() as conn:
            rows = conn.execute("SELECT id, pid FROM runs WHERE outcome = 'running'").fetchall()
            gone = [row["id"] for row in rows if not _alive(row["pid"])]
            stamp = utcnow().isoformat()
            conn.executemany(
                "UPDATE runs SET outcome = 'interrupted', ended_at = ? WHERE id = ?",
                [(stamp, run_id) for run_id in gone],
            )
        return len(gone)


def _record(row: sqlite3.Row) -> RunRecord:
    data = dict(row)
    for column in _JSON_COLUMNS:
        data[column] = json.loads(data[column])
    return RunRecord.model_validate(data)


def _like_prefix(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True
