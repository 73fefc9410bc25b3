"""Compare a workplace's roster with the portal's SGK 4A list: pure, dict based, no I/O.

A difference is one of:
- `not_in_portal`: the roster says employed, the 4A list has no record of the person;
- `left_in_portal`: the roster says employed, the 4A list shows "Çıkış";
- `still_active`: the roster says left, the 4A list still shows "Aktif";
- `hired_date` / `left_date`: both agree on the status but not on the date;
- `not_in_roster`: the 4A list shows "Aktif", the roster does not mention the person (reported only:
  the robot never acts on someone the roster is silent about).

The first five are resolved by asking SGK ("TC Kimlik No İle Doğrula" or "Toplu Çalışan Güncelle").
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from rpa.domain.identifiers import mask_tc
from rpa.models import Employee
from rpa.roster.models import RosterRow

ACTIVE_STATUS = "aktif"


class Kind(StrEnum):
    """How the roster and the 4A list disagree about one person."""

    STILL_ACTIVE = "still_active"
    NOT_IN_PORTAL = "not_in_portal"
    LEFT_IN_PORTAL = "left_in_portal"
    HIRED_DATE = "hired_date"
    LEFT_DATE = "left_date"
    NOT_IN_ROSTER = "not_in_roster"


# Working and reporting order: leavers first, then hires (so that the active count never rises above
# its final value on the way, which would make the portal raise contracts' minutes for nothing),
# dates after, the roster's gaps last.
KIND_ORDER = {kind: index for index, kind in enumerate(Kind)}
ACTIONABLE = frozenset(Kind) - {Kind.NOT_IN_ROSTER}


@dataclass(frozen=True, slots=True)
class Difference:
    """One person on whom the roster and the 4A list disagree."""

    sicil: str
    tc: str
    kind: Kind
    roster: RosterRow | None
    portal: Employee | None

    @property
    def actionable(self) -> bool:
        """Whether asking SGK about this person may resolve it."""
        return self.kind in ACTIONABLE

    @property
    def name(self) -> str:
        """The person's name as the roster writes it (else as the portal does)."""
        if self.roster is not None and self.roster.name:
            return self.roster.name
        return self.portal.name if self.portal is not None else ""

    @property
    def tc_masked(self) -> str:
        """The TC number as logs and reports may show it."""
        return mask_tc(self.tc)

    def __repr__(self) -> str:  # never the full TC number, even in a traceback
        return f"Difference({self.sicil}, {self.tc_masked}, {self.kind})"


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """The comparison of one workplace: its differences and the head counts on both sides."""

    sicil: str
    differences: list[Difference]
    roster_active: int
    portal_active: int
    matched: int  # people both sides agree on

    @property
    def actionable(self) -> list[Difference]:
        """The differences that asking SGK may resolve."""
        return [d for d in self.differences if d.actionable]

    def by_tc(self) -> dict[str, Difference]:
        """The differences keyed by TC number (at most one per person)."""
        return {d.tc: d for d in self.differences}


def portal_is_active(employee: Employee) -> bool:
    """"Durum: Aktif" (a row without a status counts as active while it has no leaving date)."""
    status = employee.status.strip()
    if status:
        return status.casefold() == ACTIVE_STATUS
    return employee.left is None


def roster_is_active(row: RosterRow, today: date) -> bool:
    """Employed today: hired (or no hire date given) and not yet left."""
    return row.is_active(today) and (row.hired is None or row.hired <= today)


def current_records(portal: Iterable[Employee]) -> dict[str, Employee]:
    """One record per TC: a portal may list a re-hired person twice; the active (else latest) row wins."""
    current: dict[str, Employee] = {}
    for employee in portal:
        seen = current.get(employee.tc)
        if seen is None or _newer(employee, seen):
            current[employee.tc] = employee
    return current


def _newer(a: Employee, b: Employee) -> bool:
    a_active, b_active = portal_is_active(a), portal_is_active(b)
    if a_active != b_active:
        return a_active
    return a.hired > b.hired


def reconcile(
    sicil: str, roster: Iterable[RosterRow], portal: Iterable[Employee], today: date,
    rejected: Collection[str] = (),
) -> Reconciliation:
    """Every difference between the roster's people of `sicil` and the 4A list, in reporting order.

    `rejected`: TC numbers whose roster row was rejected (a typo, a conflicting duplicate): they are in
    the list of rejected rows to fix, not "missing from the roster"."""
    records = current_records(portal)
    differences: list[Difference] = []
    seen: set[str] = set()
    roster_active = matched = 0
    for row in roster:
        if row.sicil != sicil or row.tc in seen:
            continue  # the reader merges duplicates; a stray one must not count twice
        seen.add(row.tc)
        active = roster_is_active(row, today)
        roster_active += active
        kind = _compare(row, active, records.get(row.tc))
        if kind is None:
            matched += 1
        else:
            differences.append(Difference(sicil, row.tc, kind, row, records.get(row.tc)))
    portal_active = 0
    for tc, employee in records.items():
        if portal_is_active(employee):
            portal_active += 1
            if tc not in seen and tc not in rejected:
                differences.append(Difference(sicil, tc, Kind.NOT_IN_ROSTER, None, employee))
    differences.sort(key=lambda d: (KIND_ORDER[d.kind], d.tc))
    return Reconciliation(sicil, differences, roster_active, portal_active, matched)


def _compare(row: RosterRow, active: bool, record: Employee | None) -> Kind | None:
    if record is None:
        # Someone who left and whom the 4A list never had changes nothing: no count, no contract.
        return Kind.NOT_IN_PORTAL if active else None
    portal_active = portal_is_active(record)
    if active and not portal_active:
        return Kind.LEFT_IN_PORTAL
    if not active and portal_active:
        if row.left is None:  # hired in the future: the 4A list is ahead of the roster, not behind
            return None
        return Kind.STILL_ACTIVE
    if row.hired is not None and row.hired != record.hired:
        return Kind.HIRED_DATE
    if not active and row.left is not None and record.left is not None and row.left != record.left:
        return Kind.LEFT_DATE
    return None
