"""Rendering a run's results as a self-contained HTML page a person opens in any browser.

HTML rather than XLSX: the report's job is to answer "what happened and why", and that needs links —
to each contract's PDF, to the screenshot, page HTML and Playwright trace of every failure — which a
browser follows with one click, on any machine, without Excel. Screenshots show inline. Everything is
linked by relative paths, so the `out/` folder can be zipped and sent as a whole.

Since the report may be sent on, people's names are masked ("A*** Y***") like TC numbers unless the
operator asked for personal data (`RunReport.show_personal_data`).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from pydantic import BaseModel, Field

from rpa.audit.report_html import render_audit_section
from rpa.audit.results import WorkplaceAuditOutcome
from rpa.domain.audit import AuditReport
from rpa.flows.results import ApproveResult, ContactResult, Outcome, RefreshResult, Summary
from rpa.logs import mask_numbers
from rpa.privacy import mask_known_names, mask_name

OUTCOME_LABELS = {
    "approve": {
        Outcome.DONE: "Onaylandı (approved)",
        Outcome.WOULD_DO: "Onaylanacak (would approve)",
        Outcome.HELD: "Bekletildi (held)",
        Outcome.SKIPPED: "Zaten onaylı (already approved)",
        Outcome.FAILED: "Hata (failed)",
    },
    "contact": {
        Outcome.DONE: "Güncellendi (updated)",
        Outcome.WOULD_DO: "Güncellenecek (would update)",
        Outcome.HELD: "Geçersiz (invalid input)",
        Outcome.SKIPPED: "Zaten güncel (already as asked)",
        Outcome.FAILED: "Hata (failed)",
    },
}

# What a dry run would do, in the future tense: nothing has happened yet.
DRY_RUN_LABELS = {
    "approve": {**OUTCOME_LABELS["approve"], Outcome.HELD: "Bekletilecek (would hold)"},
    "contact": {**OUTCOME_LABELS["contact"], Outcome.HELD: "Geçersiz: gönderilmeyecek (invalid: would not send)"},
}


def labels_for(dry_run: bool) -> dict[str, dict[Outcome, str]]:
    """The outcome words of a run (a dry run's say what would happen)."""
    return DRY_RUN_LABELS if dry_run else OUTCOME_LABELS


# The contact form's own labels, for the report's "before -> after" lines.
FIELD_LABELS = {"phone": "Telefon", "email": "E-Posta", "address": "Adres", "il": "İl", "ilce": "İlçe",
                "auto_update": "Çalışma süre güncellemesi otomatik"}


class RunReport(BaseModel):
    """Everything one run did, for the HTML page (and for `--json` summaries)."""

    run_id: str
    command: str
    started: datetime
    finished: datetime | None = None
    portal_url: str | None = None
    dry_run: bool = False
    refresh: list[RefreshResult] = Field(default_factory=list)
    approve: list[ApproveResult] = Field(default_factory=list)
    contact: list[ContactResult] = Field(default_factory=list)
    # Accounts that stopped before any flow ran (login needed, browser could not start ...).
    account_errors: dict[str, str] = Field(default_factory=dict)
    logins_needed: list[str] = Field(default_factory=list)  # accounts a person must log in again
    notes: list[str] = Field(default_factory=list)
    # The compliance audit's report and the workplaces it could not read (`katip audit`).
    audit: AuditReport | None = None
    audit_failed: list[WorkplaceAuditOutcome] = Field(default_factory=list)
    show_personal_data: bool = False  # full names in the report and the summaries (KVKK: only if asked)

    def shown_name(self, name: str | None) -> str:
        """A person's name as this run's outputs show it: masked unless personal data was asked for."""
        if not name:
            return ""
        return name if self.show_personal_data else mask_name(name)

    def account_results(self) -> list[RefreshResult | ApproveResult | ContactResult]:
        """Every account's result of every flow of the run (each says `login_needed` and `error`)."""
        return [*self.refresh, *self.approve, *self.contact]

    def approve_summary(self) -> Summary:
        """Counts over all accounts' approvals."""
        total = Summary()
        for result in self.approve:
            part = result.summary()
            for name in Summary.model_fields:
                setattr(total, name, getattr(total, name) + getattr(part, name))
        return total


def _environment(base: Path, show_personal_data: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("rpa", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )

    def link(path: Path | str | None) -> str:
        """A relative, URL-quoted link from the report to a file (PDF, screenshot, trace)."""
        if not path:
            return ""
        relative = os.path.relpath(Path(path).resolve(), base.resolve())
        return quote(Path(relative).as_posix())

    env.filters["link"] = link
    env.filters["mask"] = lambda text: mask_numbers(str(text)) if text is not None else ""
    env.filters["person"] = lambda name: (name or "") if show_personal_data else mask_name(name or "")
    env.filters["when"] = lambda d: d.strftime("%d.%m.%Y %H:%M:%S") if d else "—"
    return env


def write_report(report: RunReport, path: Path) -> Path:
    """Render the report to `path` (the run dir's report.html) and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    template = _environment(path.parent, report.show_personal_data).get_template("report.html")
    summary = report.approve_summary()
    audit_html = (render_audit_section(report.audit, report.audit_failed, show_personal_data=report.show_personal_data)
                  if report.audit is not None else "")
    html = template.render(r=report, summary=summary, labels=labels_for(report.dry_run), fields=FIELD_LABELS,
                           audit_html=audit_html)
    if not report.show_personal_data:
        # A name inside a portal message or an error text is masked too, wherever the template put it.
        html = mask_known_names(html)
    path.write_text(html, encoding="utf-8")
    return path
