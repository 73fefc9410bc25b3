"""The run journal: every action the robot takes, written down before and after it happens.

`journal.sqlite` in the state dir (WAL, mode 0600) holds one row per run (the command and options it
was started with, so that `katip runs resume RUN_ID` can start it again) and one row per action:
approve a contract, verify a person, a bulk update, a contact update, moving
planned -> in_progress -> done | failed | held. A run killed at any point (kill -9, power loss) leaves
its unfinished actions `in_progress`; its resume checks each of them against the portal before redoing
it, so nothing is approved twice and nothing is skipped.

Personal data: a person is journalled by a salted hash of the TC number plus its masked form, never
the number itself; reasons are masked like log lines.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import sys
import threading
from contextlib import closing
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from rpa.domain.identifiers import mask_tc
from rpa.logs import mask_numbers

if TYPE_CHECKING:
    from rpa.flows.batch import Batch

JOURNAL_NAME = "journal.sqlite"
RESUME_ENV = "KATIP_RESUME_RUN"  # set by `katip runs resume`: the journal run the new process continues

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


class Kind(StrEnum):
    """What an action does on the portal."""

    APPROVE = "approve"
    VERIFY = "verify"
    BULK = "bulk"
    CONTACT = "contact"


class State(StrEnum):
    """Where an action is: only `in_progress` ones need a look at the portal after a crash."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    FAILED = "failed"
    HELD = "held"


class JournalItem(BaseModel):
    """One journalled action."""

    run_id: str
    account: str
    kind: Kind
    sicil: str
    key: str
    label: str
    detail: dict[str, Any] = Field(default_factory=dict)
    state: State
    reason: str = ""
    tries: int = 0
    updated_at: str


class JournalRun(BaseModel):
    """One journalled run: how it was started, and whether it ended."""

    run_id: str
    command: str
    argv: list[str]
    env: dict[str, str]
    job: str | None = None
    started_at: str
    finished_at: str | None = None
    resumed_by: list[str] = Field(default_factory=list)


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
        digest = hashlib.sha256(f"{self._salt}:{tc}".encode()).hexdigest()[:20]
        return f"tc-{digest}", mask_tc(tc)

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
        """How many of the run's actions are in each state."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT state, COUNT(*) n FROM actions WHERE run_id = ? GROUP BY state", (run_id,)).fetchall()
        return {r["state"]: r["n"] for r in rows}


def _run(row: sqlite3.Row) -> JournalRun:
    data = dict(row)
    data["argv"], data["env"] = json.loads(data["argv"]), json.loads(data["env"])
    data["resumed_by"] = json.loads(data["resumed_by"])
    return JournalRun(**data)


class AccountJournal:
    """One account's view of one journalled run: what flows call around each action."""

    def __init__(self, journal: Journal, run_id: str, account: str) -> None:
        self.journal, self.run_id, self.account = journal, run_id, account

    def person(self, tc: str) -> tuple[str, str]:
        """(key, label) for a person (see `Journal.person_key`)."""
        return self.journal.person_key(tc)

    def mark(self, kind: Kind, sicil: str, key: str, state: State, *, label: str = "", reason: str = "",
             detail: dict[str, Any] | None = None) -> None:
        """Record that an action moved to `state`."""
        self.journal.record(self.run_id, self.account, kind, sicil, key, state, label=label, reason=reason,
                            detail=detail)

    def state(self, kind: Kind, key: str) -> State | None:
        """Where this action is in this run (None: never journalled)."""
        found = [i for i in self.journal.items(self.run_id, account=self.account, kind=kind) if i.key == key]
        return found[0].state if found else None

    def left_in_progress(self, kind: Kind, sicil: str, *also: State) -> list[JournalItem]:
        """This workplace's actions an earlier attempt of this run started and never finished (and `also`)."""
        return self.journal.items(self.run_id, account=self.account, kind=kind, sicil=sicil,
                                  states=(State.IN_PROGRESS, *also))


class NoJournal(AccountJournal):
    """Dry runs and unit tests: journal nothing, remember nothing."""

    def __init__(self) -> None:
        self.run_id, self.account = "", ""

    def person(self, tc: str) -> tuple[str, str]:
        """A stand-in key (nothing is stored)."""
        return mask_tc(tc), mask_tc(tc)

    def mark(self, *args: Any, **kwargs: Any) -> None:
        """Nothing is recorded."""

    def state(self, kind: Kind, key: str) -> State | None:
        """Nothing is known."""
        return None

    def left_in_progress(self, kind: Kind, sicil: str, *also: State) -> list[JournalItem]:
        """Nothing is left."""
        return []


NO_JOURNAL = NoJournal()


class RunJournal:
    """The journal of the run a `Batch` carries out (a new run, or one it resumes)."""

    def __init__(self, journal: Journal, run_id: str) -> None:
        self.journal, self.run_id = journal, run_id

    def account(self, name: str) -> AccountJournal:
        """The account's view of this run."""
        return AccountJournal(self.journal, self.run_id, name)

    def finish(self) -> None:
        """The run ended by itself: no need to resume it unless actions are left in progress."""
        self.journal.finish_run(self.run_id)


# The scheduler tells the batch of a new job run which journal run it continues and which job it is.
_JOB_RUNS: dict[str, tuple[str, str | None]] = {}
_JOB_LOCK = threading.Lock()


def prepare_job_run(state_dir: Path, run_id: str, job: str) -> str | None:
    """Before a scheduled job runs: continue its oldest unfinished journal run; returns that run's id."""
    with closing_journal(state_dir) as journal:
        unfinished = journal.unfinished_runs(job=job)
    resumes = unfinished[0].run_id if unfinished else None
    with _JOB_LOCK:
        _JOB_RUNS[run_id] = (job, resumes)
    return resumes


def closing_journal(state_dir: Path) -> closing[Journal]:
    """`with closing_journal(dir) as journal:` for one-off reads and writes."""
    return closing(Journal(state_dir))


def open_for(batch: Batch) -> RunJournal | None:
    """The journal of the batch's run (None for a dry run): a new journal run, or the one it resumes."""
    if batch.report.dry_run:
        return None
    settings, run = batch.settings, batch.run
    journal = Journal(settings.private_state_dir())
    with _JOB_LOCK:
        job, resumes = _JOB_RUNS.pop(run.id, (None, None))
    resumes = resumes or os.environ.get(RESUME_ENV) or None
    if resumes:
        journal.resumed(resumes, run.id)
        return RunJournal(journal, resumes)
    argv = sys.argv[1:] if job is None else []
    env = {"portal_url": settings.portal_url or "", "accounts_file": str(settings.accounts_file.resolve()),
           "out_dir": str(settings.out_dir.resolve()), "cwd": str(Path.cwd()),
           "accounts": ",".join(a.name for a in batch.accounts)}
    journal.start_run(run.id, batch.report.command, argv, env, job)
    return RunJournal(journal, run.id)


def account_journal(batch: Batch, account: str) -> AccountJournal:
    """What a batch hands a flow: the account's view of the run's journal (NO_JOURNAL for dry runs)."""
    run_journal = getattr(batch, "journal", None)
    return run_journal.account(account) if run_journal is not None else NO_JOURNAL
