"""The journal database: `journal.sqlite` in the state dir, its schema, and every read and write."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import threading
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rpa.domain.identifiers import mask_tc
from rpa.journal.models import JournalItem, JournalRun, Kind, State
from rpa.logs import mask_numbers

JOURNAL_NAME = "journal.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    command TEXT NOT NULL,
    argv TEXT NOT NULL,
    env TEXT NOT NULL,
    job TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    resumed_by TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS actions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    account TEXT NOT NULL,
    kind TEXT NOT NULL,
    sicil TEXT NOT NULL,
    key TEXT NOT NULL,
    label TEXT NOT NULL,
    detail TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    tries INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (run_id, account, kind, key)
);
CREATE INDEX IF NOT EXISTS actions_run ON actions (run_id, state);
"""



def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Journal:
    """The journal database of one state dir (thread-safe: every worker of a run writes to it)."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / JOURNAL_NAME
        if not self.path.exists():
            self.path.touch(mode=0o600)
        os.chmod(self.path, 0o600)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a power loss keeps committed rows
        self._conn.executescript(_SCHEMA)
        self._salt = self._get_salt()

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._conn.close()

    def _get_salt(self) -> str:
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE name = 'salt'").fetchone()
            if row is not None:
                return str(row["value"])
            salt = secrets.token_hex(16)
            self._conn.execute("INSERT OR IGNORE INTO meta VALUES ('salt', ?)", (salt,))
            return str(self._conn.execute("SELECT value FROM meta WHERE name = 'salt'").fetchone()["value"])

    def person_key(self, tc: str) -> tuple[str, str]:
        """(key, label) for a person: a salted hash of the TC number and its masked form."""
        return self.private_key("tc", tc), mask_tc(tc)

    def private_key(self, prefix: str, *parts: str) -> str:
        """A salted hash standing for personal data (a contract row's professional, title and process
        type): the same parts give the same key in this journal, and the key gives nothing away."""
        digest = hashlib.sha256(f"{self._salt}:{chr(31).join(parts)}".encode()).hexdigest()[:20]
        return f"{prefix}-{digest}"

    # --- runs -----------------------------------------------------------------------------------
    def start_run(self, run_id: str, command: str, argv: list[str], env: dict[str, str],
                  job: str | None = None) -> None:
        """Record a new run (a resumed run is not recorded again: it continues its original row)."""
        with self._lock:
            self._conn.execute(
                "INSERT OR IGNORE INTO runs (run_id, command, argv, env, job, started_at) VALUES (?,?,?,?,?,?)",
                (run_id, mask_numbers(command), json.dumps(argv), json.dumps(env), job, _now()),
            )

    def resumed(self, run_id: str, by: str) -> None:
        """Note that run `by` continues `run_id` (it is unfinished again until `by` finishes it)."""
        with self._lock:
            row = self._conn.execute("SELECT resumed_by FROM runs WHERE run_id = ?", (run_id,)).fetchone()
            if row is None:
                raise KeyError(run_id)
            chain = [*json.loads(row["resumed_by"]), by]
            self._conn.execute("UPDATE runs SET resumed_by = ?, finished_at = NULL WHERE run_id = ?",
                               (json.dumps(chain), run_id))

    def finish_run(self, run_id: str) -> None:
        """The run ended by itself (not killed)."""
        with self._lock:
            self._conn.execute("UPDATE runs SET finished_at = ? WHERE run_id = ?", (_now(), run_id))

    def get_run(self, run_id: str) -> JournalRun:
        """A run by id or unique id prefix; KeyError saying why if there is none."""
        with self._lock:
            rows = self._conn.execute("SELECT * FROM runs WHERE run_id LIKE ? ORDER BY run_id",
                                      (run_id.replace("%", "") + "%",)).fetchall()
        exact = [r for r in rows if r["run_id"] == run_id]
        if exact:
            rows = exact
        if len(rows) != 1:
            raise KeyError(f"no journalled run '{run_id}'" if not rows else f"'{run_id}' is ambiguous")
        return _run(rows[0])

    def run_ids(self) -> list[str]:
        """Every journalled run, oldest first."""
        with self._lock:
            return [r["run_id"] for r in self._conn.execute("SELECT run_id FROM runs ORDER BY run_id")]

    def unfinished_runs(self, job: str | None = None) -> list[JournalRun]:
        """Runs that were killed, or that left actions in progress or planned; oldest first."""
        with self._lock:
            rows = self._conn.execute(
                """SELECT * FROM runs r WHERE (job IS ? OR ? IS NULL) AND (finished_at IS NULL OR EXISTS
                   (SELECT 1 FROM actions a WHERE a.run_id = r.run_id AND a.state IN ('in_progress','planned')))
                   ORDER BY run_id""", (job, job)).fetchall()
        return [_run(r) for r in rows]

    # --- actions --------------------------------------------------------------------------------
    def record(self, run_id: str, account: str, kind: Kind, sicil: str, key: str, state: State, *,
               label: str = "", reason: str = "", detail: dict[str, Any] | None = None) -> None:
        """Insert or move one action (a move to in_progress counts a try)."""
        now, reason = _now(), mask_numbers(reason)[:500]
        tries = 1 if state is State.IN_PROGRESS else 0
        with self._lock:
            self._conn.execute(
                """INSERT INTO actions (run_id, account, kind, sicil, key, label, detail, state, reason,
                   tries, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
                   ON CONFLICT (run_id, account, kind, key) DO UPDATE SET state = excluded.state,
                   reason = excluded.reason, tries = tries + excluded.tries, updated_at = excluded.updated_at,
                   label = CASE excluded.label WHEN '' THEN label ELSE excluded.label END,
                   detail = CASE excluded.detail WHEN '{}' THEN detail ELSE excluded.detail END""",
                (run_id, account, str(kind), sicil, key, mask_numbers(label), json.dumps(detail or {}),
                 str(state), reason, tries, now, now),
            )

    def items(self, run_id: str, *, account: str | None = None, kind: Kind | None = None,
              sicil: str | None = None, states: tuple[State, ...] | None = None) -> list[JournalItem]:
        """The run's actions, in the order they were first journalled (filters optional)."""
        query, args = "SELECT * FROM actions WHERE run_id = ?", [run_id]
        for column, value in (("account", account), ("kind", kind), ("sicil", sicil)):
            if value is not None:
                query += f" AND {column} = ?"
                args.append(str(value))
        if states:
            query += f" AND state IN ({','.join('?' * len(states))})"
            args += [str(s) for s in states]
        with self._lock:
            rows = self._conn.execute(query + " ORDER BY id", args).fetchall()
        return [JournalItem(**{**dict(r), "detail": json.loads(r["detail"])}) for r in rows]

    def counts(self, run_id: str) -> dict[str, int]:
        """How many of the run's actions are in each state (workplace marks are not actions)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT state, COUNT(*) n FROM actions WHERE run_id = ? AND kind != ? GROUP BY state",
                (run_id, str(Kind.WORKPLACE))).fetchall()
        return {r["state"]: r["n"] for r in rows}


def _run(row: sqlite3.Row) -> JournalRun:
    data = dict(row)
    data["argv"], data["env"] = json.loads(data["argv"]), json.loads(data["env"])
    data["resumed_by"] = json.loads(data["resumed_by"])
    return JournalRun(**data)


def closing_journal(state_dir: Path) -> closing[Journal]:
    """`with closing_journal(dir) as journal:` for one-off reads and writes."""
    return closing(Journal(state_dir))
