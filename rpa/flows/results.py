"""What the flows return: typed results per account, workplace and item, shared by CLI and report."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, Field

from rpa.models import Workplace
from rpa.run import Evidence


class Outcome(StrEnum):
    """How one item (a contract, a workplace's contact details) ended."""

    DONE = "done"  # approved / updated
    WOULD_DO = "would_do"  # dry run: it would have been approved / updated
    HELD = "held"  # not compliant: left waiting, with the reason
    SKIPPED = "skipped"  # nothing to do (already approved, already set as asked)
    FAILED = "failed"


class Reason(BaseModel):
    """A reason in Turkish (for the office) and English (for logs and support)."""

    tr: str
    en: str

    def __str__(self) -> str:
        return self.tr if self.tr == self.en else f"{self.tr} / {self.en}"


class ContractOutcome(BaseModel):
    """One waiting contract: read, checked, then approved, held back, skipped or failed."""

    outcome: Outcome
    professional: str
    title: str
    process_type: str
    contract_no: str | None = None
    cert_class: str | None = None
    minutes: int | None = None
    reasons: list[Reason] = Field(default_factory=list)
    forced: bool = False
    pdf: Path | None = None
    pdf_error: str | None = None
    attempts: int = 1
    evidence: Evidence | None = None

    @property
    def reason(self) -> str:
        """All reasons on one line."""
        return "; ".join(str(r) for r in self.reasons)


class WorkplaceApproval(BaseModel):
    """The approve flow's work in one workplace."""

    sicil: str
    unvan: str | None = None
    hazard_class: str | None = None
    active_count: int | None = None
    error: str | None = None  # the workplace itself could not be handled (403, portal down)
    evidence: Evidence | None = None
    contracts: list[ContractOutcome] = Field(default_factory=list)
    done_earlier: bool = False  # finished by an earlier attempt of this run (journal): not opened again

    def with_outcome(self, outcome: Outcome) -> list[ContractOutcome]:
        """The contracts that ended this way."""
        return [c for c in self.contracts if c.outcome is outcome]


class Summary(BaseModel):
    """Counts over a whole run (all accounts)."""

    approved: int = 0
    held: int = 0
    failed: int = 0
    skipped: int = 0
    would_approve: int = 0


class ApproveResult(BaseModel):
    """The approve flow's result for one account."""

    account: str
    dry_run: bool = False
    workplaces: list[WorkplaceApproval] = Field(default_factory=list)
    login_needed: str | None = None  # why this account stopped (a person must log in)
    error: str | None = None  # the account's workplace list could not be read at all
    evidence: Evidence | None = None

    def summary(self) -> Summary:
        """Counts of this account's items; a failed workplace counts as one failure."""
        s = Summary()
        for wp in self.workplaces:
            s.approved += len(wp.with_outcome(Outcome.DONE))
            s.held += len(wp.with_outcome(Outcome.HELD))
            s.failed += len(wp.with_outcome(Outcome.FAILED)) + (1 if wp.error else 0)
            s.skipped += len(wp.with_outcome(Outcome.SKIPPED))
            s.would_approve += len(wp.with_outcome(Outcome.WOULD_DO))
        s.failed += 1 if self.error else 0
        return s


class RefreshResult(BaseModel):
    """The refresh flow's result for one account: its workplaces, new ones marked."""

    account: str
    workplaces: list[Workplace] = Field(default_factory=list)
    message: str | None = None  # the portal's answer to the refresh request
    requested: bool = False
    waited_s: float = 0.0
    timed_out: bool = False  # no new rows appeared within the limit (often: there are none)
    login_needed: str | None = None
    error: str | None = None
    evidence: Evidence | None = None

    @property
    def new(self) -> list[Workplace]:
        """Workplaces that appeared after the refresh."""
        return [w for w in self.workplaces if w.new]


class ContactOutcome(BaseModel):
    """One workplace's contact details: updated, already as asked, held (invalid) or failed."""

    sicil: str
    outcome: Outcome
    changes: dict[str, tuple[str, str]] = Field(default_factory=dict)  # field -> (was, asked)
    message: str | None = None  # the portal's answer
    errors: list[str] = Field(default_factory=list)  # field errors (ours or the portal's)
    attempts: int = 1
    evidence: Evidence | None = None


class ContactResult(BaseModel):
    """The contact flow's result for one account."""

    account: str
    dry_run: bool = False
    items: list[ContactOutcome] = Field(default_factory=list)
    login_needed: str | None = None
    error: str | None = None
    evidence: Evidence | None = None

    def count(self, outcome: Outcome) -> int:
        """How many workplaces ended this way."""
        return sum(1 for i in self.items if i.outcome is outcome)
