"""The demo's roster sync: the bundled sample roster against the demo account's SGK 4A lists.

The sample roster (`rpa/data/ornek-personel.xlsx`, built by `data/make_sample_rosters.py` from the mock's
demo workplaces) holds the hires and leavers SGK knows and the 4A list lacks, which the sync verifies,
and two facts SGK does not know, which stay as exceptions. The sync runs right after the workplace
refresh, before the approvals: see `rpa.demo`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rpa.domain.identifiers import mask_tc
from rpa.logs import mask_numbers
from rpa.roster.models import Roster
from rpa.sync.exceptions import ExceptionKind
from rpa.sync.reconcile import Kind
from rpa.sync.report_xlsx import SyncReportData
from rpa.sync.results import SyncResult, SyncSummary, WorkplaceSync

ROSTER_FILE = Path(__file__).parent / "data" / "ornek-personel.xlsx"
REPORT_NAME = "roster-sync.xlsx"
MEMORY_NAME = "roster-sync-memory.json"  # the same file `katip roster sync` keeps in the state dir
# What the 4A list must show for a person the sync verified, by the difference it resolved.
STATUS_AFTER = {Kind.NOT_IN_PORTAL: "Aktif", Kind.LEFT_IN_PORTAL: "Aktif", Kind.STILL_ACTIVE: "Çıkış"}


@dataclass
class RosterSyncStep:
    """The demo's roster sync: the sample roster, and what the app layer's roster sync run gave back."""

    roster: Roster
    results: list[SyncResult] = field(default_factory=list)
    written: tuple[SyncReportData, SyncSummary, Path] | None = None  # the run's workbook data, summary, path

    @classmethod
    def load(cls, path: Path = ROSTER_FILE) -> RosterSyncStep:
        """Read the sample roster."""
        from rpa.roster.reader import read_roster

        return cls(roster=read_roster([path]))

    @property
    def workplaces(self) -> list[WorkplaceSync]:
        """Every synced workplace, in account order."""
        return [wp for result in self.results for wp in result.workplaces]


def compare_sync_with_portal(step: RosterSyncStep, state: dict[str, Any]) -> list[str]:
    """Every way the roster sync's results disagree with `/_dev/state` (empty: they agree)."""
    problems = [f"roster sync {r.account}: {mask_numbers(r.login_needed or r.error or '')}"
                for r in step.results if r.login_needed or r.error]
    synced = {wp.sicil: wp for wp in step.workplaces}
    missing = sorted(set(step.roster.by_workplace()) - set(synced))
    if missing:
        problems.append(f"roster sync: workplaces not synced {missing}")
    counts = {w["sicil"]: w["active_count"] for w in state["workplaces"]}
    statuses = {(e["sicil"], e["tc"]): e["status"] for e in state["employees"]}
    for sicil, wp in synced.items():
        if wp.error:
            problems.append(f"roster sync of {sicil}: {wp.error}")
        if wp.active_after != counts.get(sicil):
            problems.append(f"workplace {sicil}: {wp.active_after} active after the roster sync, "
                            f"the portal shows {counts.get(sicil)}")
        for item in wp.verified:
            wanted, shown = STATUS_AFTER.get(Kind(item.difference)), statuses.get((sicil, item.tc))
            if wanted and shown != wanted:
                problems.append(f"{sicil} {mask_tc(item.tc)}: verified, but the portal shows "
                                f"{shown or 'no record'} (expected {wanted})")
        for exception in wp.exceptions:
            shown = statuses.get((sicil, exception.tc or ""))
            if exception.kind is ExceptionKind.HIRE_NOT_FILED and shown == "Aktif":
                problems.append(f"{sicil} {mask_tc(exception.tc or '')}: reported as not filed, but the portal "
                                "shows the person active")
            if exception.kind is ExceptionKind.LEAVE_NOT_FILED and shown != "Aktif":
                problems.append(f"{sicil} {mask_tc(exception.tc or '')}: reported as still active, but the "
                                f"portal shows {shown or 'no record'}")
    return problems
