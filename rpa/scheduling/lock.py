"""One scheduler per state dir: an exclusive `flock` on `scheduler.lock`, holding who took it and when.

`flock` is released by the kernel when the process ends, however it ends, so a crash never leaves a
stale lock behind; the PID and time in the file are only there to tell people who holds it.
"""

from __future__ import annotations

import fcntl
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO

LOCK_NAME = "scheduler.lock"


class SchedulerAlreadyRunning(RuntimeError):
    """Another process holds the scheduler lock of this state dir."""

    def __init__(self, pid: int | None, since: str | None, path: Path) -> None:
        self.pid = pid
        self.since = since
        self.path = path
        who = f"pid {pid}, since {since}" if pid else f"see {path}"
        super().__init__(f"scheduler already running ({who})")


class SchedulerLock:
    """Context manager that holds the state dir's scheduler lock or raises SchedulerAlreadyRunning."""

    def __init__(self, state_dir: Path) -> None:
        self.path = state_dir / LOCK_NAME
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock now, or raise SchedulerAlreadyRunning naming the holder."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # "a+" so that opening never truncates the holder's PID before we know the lock is ours.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        handle = open(fd, "a+", encoding="utf-8")  # noqa: SIM115 - kept open while locked
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = _read_holder(handle.read())
            handle.close()
            raise SchedulerAlreadyRunning(holder.get("pid"), holder.get("since"), self.path) from None
        since = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "since": since}))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        """Let go of the lock (emptying the file, so nobody reads a stale PID)."""
        if self._file is None:
            return
        self._file.truncate(0)
        fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
        self._file.close()
        self._file = None

    def __enter__(self) -> SchedulerLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def _read_holder(text: str) -> dict:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
