"""Living with a flaky portal: which faults to retry, a circuit breaker, politeness and a session cap.

The portal fails in two ways. A *portal fault* (500 "Sistem hatası", 503 maintenance, a timeout, a
navigation error, an idle-out) says nothing about our data: try again later. A *data fault* (a held
contract, an invalid roster row, "SGK kaydı bulunamadı", no access) will fail the same way every time:
report it, never retry it. `is_portal_fault` is the one place that decides.

A run creates one `PortalGuard` (`PortalGuard.for_settings`) and hands it to its browser sessions, whose
page objects and flows use it; every worker thread of the run shares it (nothing is process-wide):
- `CircuitBreaker`: maintenance, or `threshold` portal faults in a row, pauses every worker for a
  cool-down instead of letting each remaining workplace burn its retries and fail;
- `PolitenessLimiter`: a minimum gap between two steps sent to the portal, whoever sends them;
- `SessionSlots`: at most `max_sessions` accounts logged in to the portal at once.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from loguru import logger

from rpa.errors import KatipError, PortalError, PortalErrorKind

if TYPE_CHECKING:
    from rpa.settings import Settings

Sleep = Callable[[float], None]


def is_portal_fault(exc: BaseException) -> bool:
    """True for faults of the portal (retry them), False for data faults and everything else."""
    if isinstance(exc, PortalError):
        return True
    if isinstance(exc, KatipError):  # BusinessError, AccessDenied, LoginNeeded, ConfigError
        return False
    # A Playwright timeout or navigation error that escaped a page object: the portal did not answer.
    return type(exc).__module__.startswith("playwright") and type(exc).__name__ in ("TimeoutError", "Error")


def fault_kind(exc: BaseException) -> str:
    """A short name for a portal fault, for counters and logs."""
    return str(exc.kind) if isinstance(exc, PortalError) else type(exc).__name__


@dataclass
class FaultStats:
    """What the run met: portal faults by kind, retries, breaker pauses (thread-safe counters)."""

    faults: Counter[str] = field(default_factory=Counter)
    retries: int = 0
    breaker_opened: int = 0
    paused_s: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def fault(self, kind: str) -> None:
        """Count one portal fault."""
        with self._lock:
            self.faults[kind] += 1

    def retry(self) -> None:
        """Count one retry."""
        with self._lock:
            self.retries += 1

    def as_dict(self) -> dict[str, object]:
        """The counters as plain data."""
        with self._lock:
            return {"faults": dict(self.faults), "retries": self.retries,
                    "breaker_opened": self.breaker_opened, "paused_s": round(self.paused_s, 1)}


class CircuitBreaker:
    """Opens on maintenance or `threshold` portal faults in a row; while open every worker waits.

    "In a row" means with no page of any worker answering in between: page objects report each page that
    showed what was asked (`PortalGuard.page_ok`), so a portal that fails one request in five, which makes
    many multi-request steps fail, does not look like a portal that is down. A real outage (maintenance,
    or nothing but errors for every worker) still pauses everyone.

    The cool-down is fixed: a busy portal that fails one request in five must not earn ever longer
    pauses. After `max_pause_s` of pauses without a single success the breaker stops absorbing faults,
    so the items' own retry budgets end the run rather than waiting for ever.
    """

    def __init__(self, threshold: int = 5, cooldown_s: float = 30.0, max_cooldown_s: float = 300.0,
                 max_pause_s: float = 1800.0, clock: Callable[[], float] = time.monotonic,
                 stats: FaultStats | None = None) -> None:
        self.threshold, self.cooldown_s = threshold, cooldown_s
        self.max_cooldown_s, self.max_pause_s = max_cooldown_s, max_pause_s
        self._clock = clock
        self.stats = stats or FaultStats()
        self._lock = threading.Lock()
        self._in_a_row = 0
        self._open_until: float | None = None
        self._outage_paused = 0.0

    @property
    def is_open(self) -> bool:
        """Whether workers should wait before their next try."""
        with self._lock:
            return self._open_until is not None and self._clock() < self._open_until

    def record_success(self) -> None:
        """A step went through: the outage (if any) is over."""
        with self._lock:
            self._in_a_row, self._open_until = 0, None
            self._outage_paused = 0.0

    def record_fault(self, exc: BaseException) -> bool:
        """Count a portal fault; True when the breaker is (now) open and the fault costs no item a try.

        An idle-out (SessionExpired) is no fault of the portal's health: the next try logs in again, and
        with a short idle time every worker meets one now and then. It neither counts nor pauses."""
        if _idle_out(exc):
            return self.is_open
        with self._lock:
            self._in_a_row += 1
            now = self._clock()
            if self._open_until is not None:
                if now < self._open_until:
                    return True
                # The cool-down is over (half-open): count afresh, so that one random fault of a
                # portal that is back does not re-open it; maintenance still does at once.
                self._open_until, self._in_a_row = None, 1
            maintenance = isinstance(exc, PortalError) and exc.kind is PortalErrorKind.MAINTENANCE
            if not (maintenance or self._in_a_row >= self.threshold):
                return False
            if self._outage_paused >= self.max_pause_s:
                return False  # a long outage: let the items' own budgets decide
            cooldown = min(self.cooldown_s, self.max_cooldown_s)
            self._open_until = now + cooldown
            self._outage_paused += cooldown
            self.stats.breaker_opened += 1
            self.stats.paused_s += cooldown
        logger.warning("portal {}: pausing every worker for {:.0f} s", "in maintenance" if maintenance
                       else f"failed {self._in_a_row} times in a row", cooldown)
        return True

    def wait_if_open(self, sleep: Sleep) -> None:
        """Block until the cool-down is over (returns at once when closed)."""
        with self._lock:
            left = 0.0 if self._open_until is None else self._open_until - self._clock()
        if left > 0:
            sleep(left)


class PolitenessLimiter:
    """At least `min_gap_s` between two steps sent to the portal, across all threads."""

    def __init__(self, min_gap_s: float = 0.0, clock: Callable[[], float] = time.monotonic,
                 sleep: Sleep = time.sleep) -> None:
        self.min_gap_s = min_gap_s
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._next_at = 0.0

    def wait(self) -> float:
        """Wait for this caller's turn; returns how long it waited."""
        if self.min_gap_s <= 0:
            return 0.0
        with self._lock:  # reserve a slot, then sleep outside the lock so others can queue behind
            now = self._clock()
            at = max(now, self._next_at)
            self._next_at = at + self.min_gap_s
        if at > now:
            self._sleep(at - now)
        return at - now


class SessionSlots:
    """At most `limit` accounts logged in to one portal at the same time (a bounded semaphore)."""

    def __init__(self, limit: int = 4) -> None:
        self.limit = max(1, limit)
        self._semaphore = threading.BoundedSemaphore(self.limit)
        self._lock = threading.Lock()
        self.in_use = 0
        self.peak = 0

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one session slot while an account works."""
        with self._semaphore, self._counted():
            yield

    @contextmanager
    def _counted(self) -> Iterator[None]:
        """Count a held slot (`in_use`, `peak`), however the slot itself is held."""
        with self._lock:
            self.in_use += 1
            self.peak = max(self.peak, self.in_use)
        try:
            yield
        finally:
            with self._lock:
                self.in_use -= 1


@dataclass
class PortalGuard:
    """The breaker, limiter and session slots of one portal, plus its fault counters."""

    breaker: CircuitBreaker | None = None  # None: no breaker (unit tests of single flows)
    limiter: PolitenessLimiter = field(default_factory=PolitenessLimiter)  # no gap
    slots: SessionSlots = field(default_factory=lambda: SessionSlots(1_000))  # no cap
    stats: FaultStats = field(default_factory=FaultStats)
    # Portal faults since a page last answered as asked (any worker's): the retries' waits grow with it.
    _streak: int = field(default=0, init=False, repr=False)
    _streak_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    @classmethod
    def for_settings(cls, settings: Settings) -> PortalGuard:
        """A guard for one run, shared by all its workers: the breaker, the gap and the cap of `settings`."""
        stats = FaultStats()
        breaker = CircuitBreaker(settings.breaker_threshold, settings.breaker_cooldown_s,
                                 max(settings.breaker_cooldown_s, 300.0), settings.breaker_max_pause_s, stats=stats)
        return cls(breaker=breaker, limiter=PolitenessLimiter(settings.politeness_ms / 1000),
                   slots=SessionSlots(settings.max_sessions), stats=stats)

    def fault(self, exc: BaseException) -> bool:
        """Count one portal fault, once however many layers see it; True when the breaker is (now) open
        and the fault costs no item a try (every worker waits out the cool-down instead)."""
        decided = getattr(exc, _COUNTED, None)
        if decided is not None:
            return bool(decided)  # a page object counted it already: the retry above must not again
        self.stats.fault(fault_kind(exc))
        if not _idle_out(exc):  # says nothing about the portal's health: the next try logs in again
            with self._streak_lock:
                self._streak += 1
        paused = self.breaker is not None and self.breaker.record_fault(exc)
        with suppress(AttributeError):  # an exception type that takes no attributes: counted twice at worst
            setattr(exc, _COUNTED, paused)
        return paused

    def page_fault(self, exc: PortalError) -> bool:
        """A fault a page object answers itself (a reload); False when the breaker opened on it."""
        if self.fault(exc):
            return False
        self.stats.retry()
        return True

    def page_ok(self) -> None:
        """A page showed what was asked for: the portal answers, whatever a step's other requests did."""
        with self._streak_lock:
            self._streak = 0
        if self.breaker is not None:
            self.breaker.record_success()

    def retry_wait_s(self, first_s: float, factor: float, max_s: float) -> float:
        """How long to wait before trying again after a fault.

        Nothing after a lone fault: the portal answered the page before it, and a busy portal that fails
        one request in five is answered best by trying again at once, as a person presses F5 (measured
        under the chaos settings: waits of 0.2–2 s per fault were a third of what the faults cost). When
        faults follow each other with no page answering between them (any worker's), the waits grow
        (jittered, capped), and at the breaker's threshold every worker pauses."""
        with self._streak_lock:
            streak = self._streak
        if streak <= 1:
            return 0.0
        return backoff_s(streak - 1, first_s, factor, max_s)


_COUNTED = "_katip_fault_counted"


def _idle_out(exc: BaseException) -> bool:
    return isinstance(exc, PortalError) and exc.kind is PortalErrorKind.SESSION_EXPIRED


def backoff_s(failed_tries: int, first_s: float, factor: float, max_s: float,
              rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter: about first·factor^(n-1), capped, drawn from its upper half."""
    if first_s <= 0:
        return 0.0
    base = min(max_s, first_s * factor ** max(0, failed_tries - 1))
    return base * (0.5 + (rng or random).random() / 2)
