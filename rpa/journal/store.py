"""The journal's tables and every read and write (SQLAlchemy Core: SQLite file or a shared database)."""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, UniqueConstraint, case, func, select, update

from rpa.domain.identifiers import mask_tc
from rpa.journal.models import JournalItem, JournalRun, Kind, State
from rpa.logs import mask_numbers
from rpa.store import Database, like_prefix, private_sqlite_url
from rpa.store.database import LIKE_ESCAPE

JOURNAL_NAME = "journal.sqlite"

METADATA = MetaData()
META = Table(
    "katip_journal_meta", METADATA,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
RUNS = Table(
    "katip_journal_runs", METADATA,
    Column("run_id", String(64), primary_key=True),
    Column("flow", String(32), nullable=False),
    Column("command", Text, nullable=False),
    # The app layer's request, as JSON: `katip runs resume` starts the same work again from it.
    Column("request", Text, nullable=False),
    # Where the run worked (portal URL, accounts file, out dir): no secret is ever among them.
    Column("settings", Text, nullable=False),
    Column("job", String(64)),
    Column("started_at", String(40), nullable=False),
    Column("finished_at", String(40)),
    Column("resumed_by", Text, nullable=False),
)
ACTIONS = Table(
    "katip_journal_actions", METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(64), nullable=False, index=True),
    Column("account", String(128), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("sicil", String(32), nullable=False),
    Column("key", String(128), nullable=False),
    Column("label", Text, nullable=False),
    Column("detail", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("reason", Text, nullable=False, default=""),
    Column("tries", Integer, nullable=False, default=0),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
    UniqueConstraint("run_id", "account", "kind", "key"),
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def journal_url(state_dir: Path, database_url: str | None = None) -> str:
    """The shared database if one is configured, else `journal.sqlite` in the state dir."""
    return database_url or private_sqlite_url(state_dir / JOURNAL_NAME)


class Journal:
    """The journal of one state dir or shared database (thread-safe: every worker of a run writes to it)."""

    def __init__(self, state_dir: Path, database_url: str | None = None) -> None:
        self.db = Database(journal_url(state_dir, database_url), METADATA)
        self._salt = self._get_salt()

    def close(self) -> None:
        """Nothing to close: connections come from the process's pool and go back after each call."""

    def _get_salt(self) -> str:
        with self.db.begin() as conn:
            found = conn.execute(select(META.c.value).where(META.c.name == "salt")).scalar()
        if found is not None:
            return str(found)
        with self.db.begin() as conn:  # if another process stored one first, theirs is kept
            conn.execute(self.db.insert(META).values(name="salt", value=secrets.token_hex(16))
                         .on_conflict_do_nothing(index_elements=[META.c.name]))
        with self.db.connect() as conn:
            return str(conn.execute(select(META.c.value).where(META.c.name == "salt")).scalar_one())

    def person_key(self, tc: str) -> tuple[str, str]:
        """(key, label) for a person: a salted hash of the TC number and its masked form."""
        return self.private_key("tc", tc), mask_tc(tc)

    def private_key(self, prefix: str, *parts: str) -> str:
        """A salted hash standing for personal data (a contract row's professional, title and process
        type): the same parts give the same key in this journal, and the key gives nothing away."""
        digest = hashlib.sha256(f"{self._salt}:{chr(31).join(parts)}".encode()).hexdigest()[:20]
        return f"{prefix}-{digest}"

    # --- runs -----------------------------------------------------------------------------------
    def start_run(self, run_id: str, flow: str, command: str, request: dict[str, Any],
                  settings: dict[str, str], job: str | None = None) -> None:
        """Record a new run (a resumed run is not recorded again: it continues its original row)."""
        row = {"run_id": run_id, "flow": flow, "command": mask_numbers(command),
               "request": json.dumps(request, ensure_ascii=False), "settings": json.dumps(settings),
               "job": job, "started_at": _now(), "resumed_by": "[]"}
        with self.db.begin() as conn:
            conn.execute(self.db.insert(RUNS).values(**row).on_conflict_do_nothing(index_elements=[RUNS.c.run_id]))

    def resumed(self, run_id: str, by: str) -> None:
        """Note that run `by` continues `run_id` (it is unfinished again until `by` finishes it)."""
        with self.db.begin() as conn:
            chain = conn.execute(select(RUNS.c.resumed_by).where(RUNS.c.run_id == run_id)).scalar()
            if chain is None:
                raise KeyError(run_id)
            conn.execute(update(RUNS).where(RUNS.c.run_id == run_id)
                         .values(resumed_by=json.dumps([*json.loads(chain), by]), finished_at=None))

    def finish_run(self, run_id: str) -> None:
        """The run ended by itself (not killed)."""
        with self.db.begin() as conn:
            conn.execute(update(RUNS).where(RUNS.c.run_id == run_id).values(finished_at=_now()))

    def get_run(self, run_id: str) -> JournalRun:
        """A run by id or unique id prefix; KeyError saying why if there is none."""
        query = select(RUNS).where(RUNS.c.run_id.like(like_prefix(run_id), escape=LIKE_ESCAPE))
        with self.db.connect() as conn:
            rows = conn.execute(query.order_by(RUNS.c.run_id)).mappings().all()
        exact = [r for r in rows if r["run_id"] == run_id]
        rows = exact or rows
        if len(rows) != 1:
            raise KeyError(f"no journalled run '{run_id}'" if not rows else f"'{run_id}' is ambiguous")
        return _run(rows[0])

    def run_ids(self) -> list[str]:
        """Every journalled run, oldest first."""
        with self.db.connect() as conn:
            return list(conn.execute(select(RUNS.c.run_id).order_by(RUNS.c.run_id)).scalars())

    def unfinished_runs(self, job: str | None = None) -> list[JournalRun]:
        """Runs that were killed, or that left actions in progress or planned; oldest first."""
        left = (select(ACTIONS.c.id).where(ACTIONS.c.run_id == RUNS.c.run_id)
                .where(ACTIONS.c.state.in_([State.IN_PROGRESS.value, State.PLANNED.value])).exists())
        query = select(RUNS).where(RUNS.c.finished_at.is_(None) | left)
        if job is not None:
            query = query.where(RUNS.c.job == job)
        with self.db.connect() as conn:
            return [_run(r) for r in conn.execute(query.order_by(RUNS.c.run_id)).mappings()]

    # --- actions --------------------------------------------------------------------------------
    def record(self, run_id: str, account: str, kind: Kind, sicil: str, key: str, state: State, *,
               label: str = "", reason: str = "", detail: dict[str, Any] | None = None) -> None:
        """Insert or move one action (a move to in_progress counts a try)."""
        now, reason = _now(), mask_numbers(reason)[:500]
        statement = self.db.insert(ACTIONS).values(
            run_id=run_id, account=account, kind=str(kind), sicil=sicil, key=key, label=mask_numbers(label),
            detail=json.dumps(detail or {}, ensure_ascii=False), state=str(state), reason=reason,
            tries=1 if state is State.IN_PROGRESS else 0, created_at=now, updated_at=now)
        new = statement.excluded
        statement = statement.on_conflict_do_update(
            index_elements=[ACTIONS.c.run_id, ACTIONS.c.account, ACTIONS.c.kind, ACTIONS.c.key],
            set_={"state": new.state, "reason": new.reason, "updated_at": new.updated_at,
                  "tries": ACTIONS.c.tries + new.tries,
                  # A move that names no label or detail keeps the ones written before.
                  "label": case((new.label == "", ACTIONS.c.label), else_=new.label),
                  "detail": case((new.detail == "{}", ACTIONS.c.detail), else_=new.detail)})
        with self.db.begin() as conn:
            conn.execute(statement)

    def items(self, run_id: str, *, account: str | None = None, kind: Kind | None = None,
              sicil: str | None = None, states: tuple[State, ...] | None = None) -> list[JournalItem]:
        """The run's actions, in the order they were first journalled (filters optional)."""
        query = select(ACTIONS).where(ACTIONS.c.run_id == run_id)
        for column, value in ((ACTIONS.c.account, account), (ACTIONS.c.kind, kind), (ACTIONS.c.sicil, sicil)):
            if value is not None:
                query = query.where(column == str(value))
        if states:
            query = query.where(ACTIONS.c.state.in_([str(s) for s in states]))
        with self.db.connect() as conn:
            rows = conn.execute(query.order_by(ACTIONS.c.id)).mappings().all()
        return [JournalItem(**{**{k: v for k, v in r.items() if k not in ("id", "created_at")},
                               "detail": json.loads(r["detail"])}) for r in rows]

    def counts(self, run_id: str) -> dict[str, int]:
        """How many of the run's actions are in each state (workplace marks are not actions)."""
        query = (select(ACTIONS.c.state, func.count()).where(ACTIONS.c.run_id == run_id)
                 .where(ACTIONS.c.kind != str(Kind.WORKPLACE)).group_by(ACTIONS.c.state))
        with self.db.connect() as conn:
            return {state: n for state, n in conn.execute(query)}


def _run(row: Any) -> JournalRun:
    data = dict(row)
    data["request"], data["settings"] = json.loads(data["request"]), json.loads(data["settings"])
    data["resumed_by"] = json.loads(data["resumed_by"])
    return JournalRun(**data)
