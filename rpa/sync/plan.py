"""What to do about a workplace's differences: "TC Kimlik No İle Doğrula" for each, or one bulk update.

Few differences: one "Doğrula" per person (each a small, targeted question to SGK). Many (at least
`threshold`, default 20) and bulk allowed: one "Toplu Çalışan Güncelle", which refreshes the whole list
from SGK in one request. Differences SGK was asked about recently, with no change since, are not asked
again (a second run with nothing new does nothing in the portal); they go straight to the exceptions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum

from rpa.sync.reconcile import Difference

DEFAULT_BULK_THRESHOLD = 20


class Method(StrEnum):
    """How the differences are sent to SGK."""

    NONE = "none"  # nothing to ask
    VERIFY = "verify"  # "TC Kimlik No İle Doğrula", once per person
    BULK = "bulk"  # "Toplu Çalışan Güncelle"


@dataclass(frozen=True)
class SyncPlan:
    """The plan for one workplace."""

    method: Method
    to_verify: tuple[Difference, ...] = ()  # what the plan sends to SGK
    asked_before: tuple[tuple[Difference, datetime], ...] = ()  # asked recently, nothing new: not again
    report_only: tuple[Difference, ...] = ()  # nothing to ask (the roster is silent about them)
    threshold: int = DEFAULT_BULK_THRESHOLD
    notes: tuple[str, ...] = field(default=())

    @property
    def touches_portal(self) -> bool:
        """Whether carrying the plan out changes anything in the portal."""
        return self.method is not Method.NONE

    def one_by_one(self, note: str) -> SyncPlan:
        """The same differences, verified one by one (the bulk update was refused)."""
        method = Method.VERIFY if self.to_verify else Method.NONE
        return replace(self, method=method, notes=(*self.notes, note))


def make_plan(
    differences: list[Difference],
    *,
    threshold: int = DEFAULT_BULK_THRESHOLD,
    bulk_allowed: bool = True,
    asked_at: Callable[[Difference], datetime | None] = lambda _d: None,
) -> SyncPlan:
    """Choose one by one or bulk; `asked_at(d)` says when SGK was last asked about exactly this difference."""
    if threshold < 1:
        raise ValueError("the bulk threshold must be at least 1")
    to_verify: list[Difference] = []
    asked: list[tuple[Difference, datetime]] = []
    report: list[Difference] = []
    for difference in differences:
        if not difference.actionable:
            report.append(difference)
            continue
        when = asked_at(difference)
        if when is None:
            to_verify.append(difference)
        else:
            asked.append((difference, when))
    if not to_verify:
        method = Method.NONE
    elif len(to_verify) >= threshold and bulk_allowed:
        method = Method.BULK
    else:
        method = Method.VERIFY
    return SyncPlan(method, tuple(to_verify), tuple(asked), tuple(report), threshold)
