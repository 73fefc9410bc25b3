"""What a roster sync returns: per workplace what was verified, what remains, and the counts."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from rpa.domain.identifiers import mask_tc
from rpa.privacy import mask_name
from rpa.run import Evidence
from rpa.sync.exceptions import ExceptionItem, ExceptionKind
from rpa.sync.plan import Method

FAILURE_KINDS = frozenset(
    {ExceptionKind.VERIFY_FAILED, ExceptionKind.NO_ACCESS, ExceptionKind.WORKPLACE_FAILED}
)


class VerifiedItem(BaseModel):
    """A person whose 4A record now agrees with the roster (or, in a dry run, would be asked about)."""

    sicil: str
    tc: str = Field(repr=False)
    name: str = Field(default="", repr=False)
    difference: str  # the reconcile kind it resolved
    before: str  # the 4A record before
    after: str  # the 4A record after ("" in a dry run)
    method: Method
    planned_only: bool = False  # dry run: would be asked, nothing was done

    def shown_tc(self, show_personal_data: bool = False) -> str:
        """The TC number, masked unless personal data may be shown."""
        return self.tc if show_personal_data else mask_tc(self.tc)

    def shown_name(self, show_personal_data: bool = False) -> str:
        """The name, masked ("A*** Y***") unless personal data may be shown."""
        return self.name if show_personal_data else mask_name(self.name)


class WorkplaceSync(BaseModel):
    """One workplace: the plan, what it did, the head count before and after, and what remains."""

    sicil: str
    unvan: str | None = None
    roster_people: int = 0
    roster_active: int = 0
    method: Method = Method.NONE
    bulk: bool = False  # "Toplu Çalışan Güncelle" was used (and accepted)
    verify_calls: int = 0  # "TC Kimlik No İle Doğrula" clicks that SGK answered
    verified: list[VerifiedItem] = Field(default_factory=list)
    planned: list[VerifiedItem] = Field(default_factory=list)  # dry run only
    active_before: int | None = None
    active_after: int | None = None
    exceptions: list[ExceptionItem] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    error: str | None = None
    evidence: Evidence | None = None

    @property
    def failed(self) -> bool:
        """The workplace, or a step in it, failed (as opposed to data exceptions)."""
        return self.error is not None or any(e.kind in FAILURE_KINDS for e in self.exceptions)

    def to_json(self, show_personal_data: bool = False) -> dict[str, Any]:
        """The per-workplace entry of `katip roster sync --json`."""
        out: dict[str, Any] = {
            "sicil": self.sicil,
            "unvan": self.unvan,
            "verified": len(self.verified),
            "bulk": self.bulk,
            "method": str(self.method),
            "active_before": self.active_before,
            "active_after": self.active_after,
            "exceptions": [e.to_json(show_personal_data) for e in self.exceptions],
        }
        if self.planned:
            out["planned"] = [
                {"tc": p.shown_tc(show_personal_data), "difference": p.difference, "portal": p.before}
                for p in self.planned
            ]
        if self.notes:
            out["notes"] = self.notes
        if self.error:
            out["error"] = self.error
        return out


class SyncResult(BaseModel):
    """The sync flow's result for one account."""

    account: str
    dry_run: bool = False
    workplaces: list[WorkplaceSync] = Field(default_factory=list)
    login_needed: str | None = None
    error: str | None = None  # the account's workplace list could not be read
    evidence: Evidence | None = None


class SyncSummary(BaseModel):
    """Counts over a whole run."""

    workplaces: int = 0
    verified: int = 0
    planned: int = 0
    bulk: int = 0
    exceptions: int = 0
    failed: int = 0
    active_before: int = 0
    active_after: int = 0
    rejected_rows: int = 0

    @classmethod
    def of(cls, workplaces: list[WorkplaceSync], rejected_rows: int = 0) -> SyncSummary:
        """Add up the workplaces."""
        s = cls(workplaces=len(workplaces), rejected_rows=rejected_rows)
        for wp in workplaces:
            s.verified += len(wp.verified)
            s.planned += len(wp.planned)
            s.bulk += wp.bulk
            s.exceptions += len(wp.exceptions)
            s.failed += wp.failed
            s.active_before += wp.active_before or 0
            s.active_after += wp.active_after or 0
        return s
