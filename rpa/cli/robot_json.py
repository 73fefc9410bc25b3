"""The robot commands' `--json` documents: one per run, per-workplace results, no full TC number or name."""

from __future__ import annotations

from typing import Any

from rpa.flows.results import ApproveResult, Outcome
from rpa.logs import mask_numbers
from rpa.report import RunReport


def approve_json(report: RunReport) -> dict[str, Any]:
    """The approve command's one JSON document (documented shape, plus skipped / dry-run extras)."""
    workplaces = [_workplace_json(report, result, wp) for result in report.approve for wp in result.workplaces]
    summary = report.approve_summary()
    document: dict[str, Any] = {
        "run_id": report.run_id,
        "workplaces": workplaces,
        "summary": {
            "approved": summary.approved,
            "held": summary.held,
            "failed": summary.failed,
            "skipped": summary.skipped,
        },
    }
    if report.dry_run:
        document["dry_run"] = True
        document["summary"]["would_approve"] = summary.would_approve
    return _with_accounts(document, report)


def _workplace_json(report: RunReport, result: ApproveResult, wp: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "sicil": wp.sicil,
        "account": result.account,
        "approved": [
            {
                "contract_no": c.contract_no,
                "professional": report.shown_name(c.professional),
                "pdf": str(c.pdf) if c.pdf else None,
            }
            | ({"pdf_error": c.pdf_error} if c.pdf_error else {})
            for c in wp.with_outcome(Outcome.DONE)
        ],
        "held": [
            {"contract_no": c.contract_no, "reason": mask_numbers(c.reason)}
            for c in wp.with_outcome(Outcome.HELD)
        ],
        "failed": [
            {"contract_no": c.contract_no, "error": mask_numbers(c.reason)}
            for c in wp.with_outcome(Outcome.FAILED)
        ],
        "skipped": [
            {"contract_no": c.contract_no, "reason": c.reason} for c in wp.with_outcome(Outcome.SKIPPED)
        ],
    }
    if wp.error:
        entry["failed"].insert(0, {"contract_no": None, "error": mask_numbers(wp.error)})
    if result.dry_run:
        entry["would_approve"] = [
            {"contract_no": c.contract_no, "professional": report.shown_name(c.professional)}
            for c in wp.with_outcome(Outcome.WOULD_DO)
        ]
    return entry


def workplaces_json(report: RunReport) -> dict[str, Any]:
    """The workplaces command's JSON: each account's list, new ones marked."""
    accounts = [
        {
            "account": r.account,
            "workplaces": [
                {"sicil": w.sicil, "unvan": w.unvan, "hazard_class": str(w.hazard_class), "new": w.new}
                for w in r.workplaces
            ],
            "refresh_message": r.message,
            "timed_out": r.timed_out,
            "error": r.error,
        }
        for r in report.refresh
    ]
    return _with_accounts({"run_id": report.run_id, "accounts": accounts}, report)


def contact_json(report: RunReport) -> dict[str, Any]:
    """The contact command's JSON: one entry per workplace, and counts."""
    items = [
        {
            "sicil": i.sicil,
            "account": r.account,
            "outcome": i.outcome.value,
            "changes": {k: list(v) for k, v in i.changes.items()},
            "message": i.message,
            "errors": [mask_numbers(e) for e in i.errors],
        }
        for r in report.contact
        for i in r.items
    ]
    counts = {o.value: sum(1 for i in items if i["outcome"] == o.value) for o in Outcome}
    return _with_accounts({"run_id": report.run_id, "workplaces": items, "summary": counts}, report)


def _with_accounts(document: dict[str, Any], report: RunReport) -> dict[str, Any]:
    stopped = {
        r.account: r.login_needed
        for r in report.account_results()
        if r.login_needed
    }
    stopped.update({name: report.account_errors[name] for name in report.logins_needed})
    errors = {name: why for name, why in report.account_errors.items() if name not in stopped}
    errors.update({r.account: r.error for r in report.account_results() if r.error})
    if stopped:
        document["login_needed"] = stopped
    if errors:
        document["account_errors"] = errors
    return document
