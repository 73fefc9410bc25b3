"""The flows' one retry policy: a few attempts with growing waits, for portal faults only.

A `PortalError` (500, 503, a timeout) is worth another try; after a `SessionExpired` the next try logs in;
a `BusinessError` (the data is wrong, access denied) never is. `LoginNeeded` always goes up: it
stops the account. Kept deliberately small; a later issue replaces it with tenacity and a journal.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from loguru import logger

from rpa.errors import PortalError, SessionExpired

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently a step is tried again.

    A step (approve one contract, download one PDF) is a few requests and gets `attempts` tries.
    Walking back to a screen after a fault starts at the start URL (the spec allows no other way in)
    and may include a new login: a longer chain of requests, so walks get `walk_attempts` tries of
    their own and a failed walk does not use up the step's tries.
    """

    attempts: int = 6
    walk_attempts: int = 12
    first_wait_s: float = 0.2
    factor: float = 2.0
    max_wait_s: float = 2.0

    def waits(self, attempts: int | None = None) -> Iterator[float]:
        """The waits between `attempts` tries (default: a step's), one fewer than the tries."""
        wait = self.first_wait_s
        for _ in range((attempts or self.attempts) - 1):
            yield min(wait, self.max_wait_s)
            wait *= self.factor


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
) -> T:
    """Run `step`, retrying portal faults; `recover` makes the next try walk again (and log in if asked)."""
    tries_allowed = policy.walk_attempts if walk else policy.attempts
    waits = policy.waits(tries_allowed)
    tries = 0
    while True:
        tries += 1
        try:
            return step()
        except PortalError as exc:
            wait = next(waits, None)
            if wait is None:
                raise
            logger.info("{} failed (try {}/{}): {}; trying again", what, tries, tries_allowed, exc)
            if attempts is not None:
                attempts.count += 1
            recover()
            # After an idle-out the next try logs in again at once; other faults get a pause first.
            if not isinstance(exc, SessionExpired):
                sleep(wait)
