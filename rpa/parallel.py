"""Several accounts at once: worker threads, each with its own Playwright driver and Chromium.

Playwright's sync API binds a Playwright instance, and every browser and page it makes, to the thread
that started it, so threads cannot share one `Browser` object. Each worker thread opens its own browser
(lazily, when it takes its first account): with `rpa.session.BrowserSession` that is its own driver and
Chromium, or, with `shared_browser` set, its own driver connected over CDP to one Chromium all workers
share (`rpa.shared_browser`: less memory, slower). It then takes accounts from a shared queue, one at a
time, each in a fresh context with its own saved session.
Within an account the work stays sequential: the portal keeps the chosen workplace per session, so two
tabs of one session would trample each other.

Why threads and not a process pool: the work is waiting on the portal and the browser, not Python, so
the GIL costs nothing measurable, while a process per worker adds a Python interpreter with the robot
imported per worker and needs results, progress and Ctrl-C sent across processes (numbers in the
issue's notes: same wall time, more memory).

If the shared Chromium dies, every worker's account in progress fails at once, with the reason
(`browser.failure()`) instead of a bare "target closed"; each worker then opens a fresh browser for its
next account.

Stopping: `stop` is checked before each account here and between items by the flows (their
`should_stop`); a running item always finishes, so no contract is left half-approved. Ctrl-C in the
main thread sets `stop` and waits for the workers; a second Ctrl-C quits at once.
"""

from __future__ import annotations

import contextvars
import threading
from collections import deque
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Generic, Protocol, TypeVar

from loguru import logger

A = TypeVar("A")


class Stop(Protocol):
    """What the pool asks of a stop signal (`rpa.app.control.StopToken`, or a `threading.Event`)."""

    def is_set(self) -> bool:
        """Whether to start nothing new."""
        ...

    def set(self) -> None:
        """Stop after the items in hand (Ctrl-C does this)."""
        ...
JOIN_POLL_S = 0.2  # how often the main thread wakes up while waiting (Ctrl-C arrives only between waits)


class AccountPool(Generic[A]):
    """Runs `run_one(browser, account)` for every account on up to `workers` threads."""

    def __init__(
        self,
        accounts: list[A],
        workers: int,
        open_browser: Callable[[], AbstractContextManager[Any]],
        run_one: Callable[[Any, A], None],
        on_crash: Callable[[A, BaseException], None],
        stop: Stop,
    ) -> None:
        """`on_crash(account, exc)`: an unexpected error ended this account (its browser is then replaced)."""
        self._queue: deque[A] = deque(accounts)
        self._workers = max(1, min(workers, len(accounts)))
        self._open_browser = open_browser
        self._run_one = run_one
        self._on_crash = on_crash
        self.stop = stop
        self.not_started: list[A] = []
        self._lock = threading.Lock()
        self._launch_error: BaseException | None = None

    def run(self) -> list[A]:
        """Run every account (or until stopped); returns the accounts never started, in their order."""
        finished = [threading.Event() for _ in range(self._workers)]
        for n, done in enumerate(finished):
            # Each worker runs in a copy of the caller's context: the run's log sink and item logs follow it.
            context = contextvars.copy_context()
            threading.Thread(target=context.run, args=(self._worker, done), name=f"katip-worker-{n + 1}",
                             daemon=True).start()
        try:
            self._join(finished)
        except KeyboardInterrupt:
            self.stop.set()
            logger.warning("Ctrl-C: finishing the items in progress, then stopping (Ctrl-C again quits now)")
            self._join(finished)  # a second Ctrl-C propagates from here
        with self._lock:
            left = list(self._queue)
            self._queue.clear()
        if left and self._launch_error is not None and not self.stop.is_set():
            raise self._launch_error  # no browser could be started (e.g. Chromium not found)
        self.not_started = left
        return left

    @staticmethod
    def _join(finished: list[threading.Event]) -> None:
        """Wait for every worker. Not `Thread.join`: a Ctrl-C that interrupts it can leave the thread
        looking finished while it runs (CPython 3.11), and the run would end under the items in progress."""
        for done in finished:
            while not done.wait(JOIN_POLL_S):
                pass

    def _take(self) -> A | None:
        with self._lock:
            if self.stop.is_set() or not self._queue:
                return None
            return self._queue.popleft()

    def _give_back(self, account: A) -> None:
        with self._lock:
            self._queue.appendleft(account)

    def _worker(self, done: threading.Event) -> None:
        try:
            self._work()
        finally:
            done.set()

    def _work(self) -> None:
        account = self._take()
        while account is not None:
            try:
                browser_cm = self._open_browser()
                browser = browser_cm.__enter__()
            except BaseException as exc:  # noqa: BLE001 - another worker may still get a browser
                logger.error("a worker could not start its browser: {}", exc)
                self._launch_error = self._launch_error or exc
                self._give_back(account)
                return
            try:
                account = self._accounts_in(browser, account)
            finally:
                try:
                    browser_cm.__exit__(None, None, None)
                except Exception as exc:  # a crashed browser may not close cleanly
                    logger.debug("closing a worker's browser: {}", exc)

    def _accounts_in(self, browser: Any, account: A) -> A | None:
        """Run accounts in this browser until none are left, or one crashed it (then: the next account)."""
        current: A | None = account
        while current is not None:
            try:
                self._run_one(browser, current)
            except Exception as exc:  # one account's crash never stops the others
                self._on_crash(current, _explained(browser, exc))
                return self._take()  # in a fresh browser: this one may be what broke
            current = self._take()
        return None


class BrowserGone(RuntimeError):
    """The browser an account ran in died under it (e.g. the shared Chromium crashed)."""


def _explained(browser: Any, exc: Exception) -> Exception:
    """`exc`, or BrowserGone with the browser's own account of its death when it has died."""
    failure = getattr(browser, "failure", None)
    reason = failure() if callable(failure) else None
    if not reason:
        return exc
    gone = BrowserGone(reason)
    gone.__cause__ = exc
    return gone
