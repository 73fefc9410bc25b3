"""What the audit flow returns: per account and workplace, and the `katip audit --json` report over all."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field

from rpa.domain.audit import AuditReport, WorkplaceAudit
from rpa.run import Evidence


class WorkplaceAuditOutcome(BaseModel):
    """One workplace: its audit, or why it could not be read."""

    sicil: str
    unvan: str | None = None
    hazard_class: str | None = None
    audit: WorkplaceAudit | None = None
    error: str | None = None  # the workplace could not be read (403, portal down): no audit
    evidence: Evidence | None = None
    attempts: int = 1
    done_earlier: bool = False  # audited by an earlier attempt of this run (journal): not opened again


class AuditResult(BaseModel):
    """The audit flow's result for one account."""

    account: str
    workplaces: list[WorkplaceAuditOutcome] = Field(default_factory=list)
    login_needed: str | None = None  # why this account stopped (a person must log in)
    error: str | None = None  # the account's workplace list could not be read at all
    evidence: Evidence | None = None

    def audits(self) -> list[WorkplaceAudit]:
        """The workplaces that were audited."""
        return [w.audit for w in self.workplaces if w.audit is not None]

    def failed(self) -> list[WorkplaceAuditOutcome]:
        """The workplaces that could not be audited."""
        return [w for w in self.workplaces if w.audit is None]


def audit_report(results: Iterable[AuditResult]) -> AuditReport:
    """The report over every account's audited workplaces (failures are reported apart, not here).

    A workplace two accounts serve is audited by both; the first audit is kept."""
    seen: set[str] = set()
    audits: list[WorkplaceAudit] = []
    for result in results:
        for audit in result.audits():
            if audit.sicil not in seen:
                seen.add(audit.sicil)
                audits.append(audit)
    return AuditReport.of(audits)
