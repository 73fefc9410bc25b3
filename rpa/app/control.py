"""How an entry point follows and steers a run: progress events in, a stop token out."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from typing import Protocol


class Progress(Protocol):
    """What a progress display is told (the CLI draws rich bars, the console streams events)."""

    def started(self, run_id: str, accounts: list[str]) -> None:
        """The run has its id and folder; these accounts will be worked on."""

    def account(self, name: str) -> None:
        """An account starts (log in, read its workplaces)."""

    def workplace(self, account: str, done: int, total: int, name: str) -> None:
        """`done` of `total` workplaces of `account` finished; `name` is the next one ("" at the end)."""

    def account_done(self, name: str, outcome: str) -> None:
        """An account ended: "done", "login_needed", "busy" or "failed"."""


class Silent:
    """No progress display (`--json`, scheduled runs, tests)."""

    def started(self, run_id: str, accounts: list[str]) -> None:
        """Ignored."""

    def account(self, name: str) -> None:
        """Ignored."""

    def workplace(self, account: str, done: int, total: int, name: str) -> None:
        """Ignored."""

    def account_done(self, name: str, outcome: str) -> None:
        """Ignored."""


class StopToken:
    """Asked between accounts and items: once set (Ctrl-C, a stop button, shutdown, max_runtime), the item
    in hand finishes and nothing new starts; what is left waits for the next run (or a resume)."""

    def __init__(self, parent: StopToken | threading.Event | None = None,
                 max_runtime: timedelta | None = None) -> None:
        self._event = threading.Event()
        self._parent = parent
        self._max_runtime = max_runtime
        self._deadline = time.monotonic() + max_runtime.total_seconds() if max_runtime else None
        self._reason: str | None = None

    def set(self, reason: str = "durdurma istendi / a stop was asked for") -> None:
        """Ask the run to stop after the items in hand."""
        self._reason = self._reason or reason
        self._event.set()

    def is_set(self) -> bool:
        """True once the run should stop after its current item."""
        return self._event.is_set() or self._parent_set() or self._past_deadline()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the run should stop or `timeout` seconds pass; returns `is_set()`."""
        end = None if timeout is None else time.monotonic() + timeout
        while not self.is_set():
            left = [t for t in (None if end is None else end - time.monotonic(), self._remaining()) if t is not None]
            if left and min(left) <= 0:
                break
            self._event.wait(min([0.2, *left]))
        return self.is_set()

    @property
    def reason(self) -> str | None:
        """Why the run is asked to stop, in words for the run record (None while it is not)."""
        if self._event.is_set():
            return self._reason
        if self._parent_set():
            return getattr(self._parent, "reason", None) or "the scheduler was asked to stop"
        if self._past_deadline() and self._max_runtime:
            return f"max_runtime {_short(self._max_runtime)} reached"
        return None

    def _parent_set(self) -> bool:
        return self._parent is not None and self._parent.is_set()

    def _remaining(self) -> float | None:
        return None if self._deadline is None else max(0.0, self._deadline - time.monotonic())

    def _past_deadline(self) -> bool:
        return self._deadline is not None and time.monotonic() >= self._deadline


def _short(delta: timedelta) -> str:
    """'1d2h30m' (the schedule file's own way of writing a duration)."""
    seconds, out = int(delta.total_seconds()), ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        out += f"{count}{unit}" if count else ""
    return out or "0s"
