"""The audit's section of the HTML run report (`rpa/templates/audit_section.html`).

`audit_context` gives the partial's variables, for a run report that includes it
(`{% include "audit_section.html" %}`); `render_audit_section` renders it alone, as markup to place in a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from rpa.audit.results import WorkplaceAuditOutcome
from rpa.audit.view import failure_lines, finding_lines, profession_lines
from rpa.domain.audit import AuditReport
from rpa.privacy import mask_known_names

TEMPLATE = "audit_section.html"


def audit_context(report: AuditReport, failed: Sequence[WorkplaceAuditOutcome] = (), *,
                  show_personal_data: bool = False) -> dict[str, Any]:
    """The variables `audit_section.html` reads."""
    return {
        "audit_summary": report.summary,
        "audit_lines": profession_lines(report),
        "audit_findings": finding_lines(report, show_personal_data),
        "audit_failures": failure_lines(failed),
    }


def render_audit_section(report: AuditReport, failed: Sequence[WorkplaceAuditOutcome] = (), *,
                         show_personal_data: bool = False) -> Markup:
    """The section as HTML markup; names masked unless personal data is asked for."""
    env = Environment(loader=PackageLoader("rpa", "templates"), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    html = env.get_template(TEMPLATE).render(**audit_context(report, failed, show_personal_data=show_personal_data))
    # A name inside a portal's error text is masked too, wherever it stands.
    return Markup(html if show_personal_data else mask_known_names(html))  # autoescaped by the environment
