"""The flows' one retry policy: a few attempts with growing, jittered waits, for portal faults only.

A portal fault (500, 503, a timeout, a navigation error; `rpa.resilience.is_portal_fault`) is worth
another try; after a `SessionExpired` the next try logs in at once; a data fault (`BusinessError`: the
data is wrong, access denied) never is. `LoginNeeded` always goes up: it stops the account. The loop is
tenacity's; the run's `rpa.resilience.PortalGuard` adds the circuit breaker (faults met while it is open
cost no item a try: every worker waits out the cool-down). The politeness gap is the page objects'
(before each action that reaches the portal), so a step of several clicks is polite throughout.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from loguru import logger
from tenacity import RetryCallState, Retrying, retry_if_exception

from rpa import resilience
from rpa.errors import SessionExpired
from rpa.resilience import PortalGuard

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a step is tried again.

    A step (approve one contract, download one PDF) is a few requests and gets `attempts` tries. The
    waits (`first_wait_s`, growing by `factor` up to `max_wait_s`) start only at the portal's second fault
    in a row (`PortalGuard.retry_wait_s`): a lone fault is tried again at once.
    Walking back to a screen after a fault starts at the start URL (the robot types no other address:
    paths differ between portals) and may include a new login: a longer chain of requests, so walks get
    `walk_attempts` tries of their own and a failed walk does not use up the step's tries.
    """

    attempts: int = 6
    walk_attempts: int = 12
    first_wait_s: float = 0.2
    factor: float = 2.0
    max_wait_s: float = 2.0


DEFAULT_POLICY = RetryPolicy()


@dataclass
class Attempts:
    """Tries of one item so far: 1 plus every retry of any of its steps (reported per item)."""

    count: int = 1


def retrying(
    step: Callable[[], T],
    *,
    what: str,
    recover: Callable[[], None],
    policy: RetryPolicy = DEFAULT_POLICY,
    sleep: Callable[[float], None] = time.sleep,
    attempts: Attempts | None = None,
    walk: bool = False,
    guard: PortalGuard | None = None,
) -> T:
    """Run `step`, retrying portal faults; `recover` makes the next try walk again (and log in if asked).

    `guard`: the run's breaker and counters (None: a guard of its own, no breaker, as in unit tests)."""
    guard = guard or PortalGuard()
    tries_allowed = policy.walk_attempts if walk else policy.attempts
    counted = [0]  # failed tries that use up the budget (not those absorbed by an open breaker)
    paused = [False]

    def attempt() -> T:
        if guard.breaker is not None:
            guard.breaker.wait_if_open(sleep)
        try:
            result = step()
        except Exception as exc:
            if resilience.is_portal_fault(exc):
                paused[0] = guard.fault(exc)
                counted[0] += 0 if paused[0] else 1
            raise
        guard.page_ok()  # the step went through: the portal answers
        return result

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        # After an idle-out the next try logs in again at once; an open breaker does its own waiting;
        # otherwise the wait grows with the portal's faults in a row, not with this step's tries: a
        # step of several requests that met one fault each time met a portal that answers.
        if isinstance(exc, SessionExpired) or paused[0]:
            return 0.0
        return guard.retry_wait_s(policy.first_wait_s, policy.factor, policy.max_wait_s)

    def before_sleep(state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        logger.info("{} failed (try {}/{}): {}; trying again", what, counted[0], tries_allowed, exc)
        guard.stats.retry()
        if attempts is not None:
            attempts.count += 1
        recover()

    retryer = Retrying(
        retry=retry_if_exception(resilience.is_portal_fault),
        stop=lambda _state: counted[0] >= tries_allowed,
        wait=wait,
        sleep=sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
    return retryer(attempt)
