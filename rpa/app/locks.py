"""One run per account at a time, across processes: a lock per e-Devlet user, held while a run works on it.

Two runs on one account would fight over its two-step code and its session (the portal keeps one chosen
workplace per session); the loser would fail with a misleading "Doğrulama kodunun süresi doldu". So a run
takes the account's lock first; one that finds it taken waits `Settings.lock_wait_s`, then skips that
account, naming the run that holds it.

The lock is keyed by the TC number (hashed: the file name gives nothing away), so two accounts files
naming the same person under different names still take turns. On one machine it is an `flock` on a file
in the state dir: the kernel releases it when the process ends, however it ends (kill -9 too). With a
shared database (`KATIP_DATABASE_URL`, PostgreSQL) it is an advisory lock held by a connection of its
own, which the server releases when that connection dies.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, Field

from rpa.settings import Settings, ensure_private_dir

POLL_S = 0.2


class Holder(BaseModel):
    """Who holds an account: the run, and where it runs."""

    run_id: str
    account: str
    pid: int = Field(default_factory=os.getpid)
    host: str = Field(default_factory=socket.gethostname)
    since: str = Field(default_factory=lambda: datetime.now(UTC).astimezone().isoformat(timespec="seconds"))


class AccountBusy(Exception):
    """Another run holds this account's lock (past the wait)."""

    def __init__(self, account: str, holder: Holder | None) -> None:
        self.account, self.holder = account, holder
        who = (f"run {holder.run_id} ({holder.host}, pid {holder.pid}, since {holder.since})" if holder
               else "another run")
        super().__init__(f"meşgul / busy: {who} is using this account")


def lock_key(tc: str) -> str:
    """A stable name for an account's lock that does not show its TC number."""
    return hashlib.sha256(f"katip-account-lock:{tc}".encode()).hexdigest()[:24]


class FileLocks:
    """Account locks of one machine: `flock` on `<state_dir>/locks/<key>.lock` (0600), holder as JSON."""

    def __init__(self, state_dir: Path) -> None:
        self.folder = ensure_private_dir(state_dir / "locks")

    @contextmanager
    def hold(self, tc: str, holder: Holder, wait_s: float, stopped: Callable[[], bool]) -> Iterator[None]:
        """Hold the account's lock for the block; AccountBusy after `wait_s` (or at once when stopped)."""
        path = self.folder / f"{lock_key(tc)}.lock"
        # O_APPEND-free, no truncation: the holder's details stay readable until we own the lock.
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            deadline = time.monotonic() + wait_s
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline or stopped():
                        raise AccountBusy(holder.account, _read_holder(fd)) from None
                    time.sleep(POLL_S)
            os.ftruncate(fd, 0)
            os.pwrite(fd, holder.model_dump_json().encode(), 0)
            try:
                yield
            finally:
                os.ftruncate(fd, 0)  # nobody reads a stale holder
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _read_holder(fd: int) -> Holder | None:
    try:
        return Holder.model_validate(json.loads(os.pread(fd, 4096, 0) or b"null"))
    except (ValueError, TypeError):
        return None


class AccountLocks(Protocol):
    """What a run asks of account locks (file locks on one machine, advisory locks in PostgreSQL)."""

    def hold(self, tc: str, holder: Holder, wait_s: float,
             stopped: Callable[[], bool]) -> AbstractContextManager[None]:
        """Hold the account's lock for a block; AccountBusy when another run keeps it past `wait_s`."""
        ...


def account_locks(settings: Settings) -> AccountLocks:
    """The account locks for these settings: the shared database's if one is set, else the state dir's."""
    if settings.database_url and not settings.database_url.startswith("sqlite"):
        from rpa.app.shared_locks import AdvisoryLocks

        return AdvisoryLocks(settings.database_url)
    return FileLocks(settings.private_state_dir())
