"""The figures a chaos run reports (issue 6, "Done when"), and the fault-free yardstick they are held to."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from rpa.chaos.measure import State


@dataclass
class Reference:
    """The final state a fault-free run leaves (per workplace), and how many approvals it made."""

    state: State
    approvals: int
    # After the approvals, before the roster sync (whose new active counts may change contracts).
    approved: State = field(default_factory=dict)
    seconds: float = 0.0

    def of(self, sicils: list[str], keys: tuple[str, ...] = ("contracts", "employees"),
           approvals_only: bool = False) -> State:
        """Only these workplaces' rows (of these tables), at the end or right after the approvals."""
        state = self.approved if approvals_only else self.state
        return {k: {row for row in state[k] if row[0] in sicils} for k in keys}


@dataclass
class Figures:
    """What one part of the suite (approvals, roster sync, kill and resume) met and left behind."""

    part: str
    workplaces: int = 0
    items_attempted: int = 0  # actions in the robot's journal
    tries: int = 0  # moves to "in progress" in the journal (first tries, retries after a resume, resumes)
    failed_left: int = 0  # actions still failed in the journal at the end
    faults: dict[str, int] = field(default_factory=dict)  # played by the mock, by kind
    maintenance_windows: int = 0
    retries: int = 0  # retry lines in the robot's run logs
    resumes: int = 0  # `katip runs resume` started
    kill_points: list[float] = field(default_factory=list)  # seconds past the chosen approval, per kill
    portal_actions: int = 0  # the audit log's entries of this part's actions
    mismatches: int = -1  # rows differing from the fault-free run's final state
    differing: list[str] = field(default_factory=list)
    duplicates: int = -1  # audit entries beyond the first for one target
    missing_pdfs: int | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """Nothing lost, nothing doubled (and every approved contract's PDF saved)."""
        return self.mismatches == 0 and self.duplicates == 0 and not self.missing_pdfs

    def as_dict(self) -> dict[str, Any]:
        """Plain data for `--json` and CI logs."""
        return {**asdict(self), "ok": self.ok}

    def line(self) -> str:
        """One line for people and CI logs."""
        return ", ".join(f"{k}={v}" for k, v in self.as_dict().items() if v not in ([], None))


FAULT_ROWS = (("error_500", "faults: 500 Sistem hatası"), ("maintenance_503", "faults: 503 bakım (answers)"),
              ("latency", "faults: latency (requests)"), ("latency_ms", "faults: latency (ms, total)"),
              ("idle_out", "faults: session idle-outs"))


def table_rows(parts: list[Figures]) -> list[tuple[str, list[str]]]:
    """(label, one value per part) for a table with one column per part."""

    def each(get: Any) -> list[str]:
        return [str(get(p)) for p in parts]

    rows = [("workplaces", each(lambda p: p.workplaces)),
            ("items attempted (journal)", each(lambda p: p.items_attempted)),
            ("tries (journal)", each(lambda p: p.tries))]
    rows += [(label, each(lambda p, k=kind: p.faults.get(k, 0))) for kind, label in FAULT_ROWS]
    rows += [("maintenance windows", each(lambda p: p.maintenance_windows)),
             ("retries (run logs)", each(lambda p: p.retries)),
             ("resumes", each(lambda p: p.resumes)),
             ("kill points tried", each(lambda p: len(p.kill_points))),
             ("portal actions (audit)", each(lambda p: p.portal_actions)),
             ("failed at the end", each(lambda p: p.failed_left)),
             ("mismatches vs fault-free", each(lambda p: p.mismatches)),
             ("duplicates (audit)", each(lambda p: p.duplicates)),
             ("missing PDFs", each(lambda p: "—" if p.missing_pdfs is None else p.missing_pdfs)),
             ("seconds", each(lambda p: p.seconds))]
    return rows
