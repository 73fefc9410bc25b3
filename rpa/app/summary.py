"""From a run's results to what its record says: counts, problems a person must look at, exit status.

One place for every capability, so that the CLI, the scheduler, the console and the workers say the
same about the same run.
"""

from __future__ import annotations

from rpa.app.status import ExitStatus
from rpa.flows.results import Outcome
from rpa.report import RunReport


def logins_needed(report: RunReport) -> list[str]:
    """Accounts a person must log in for, in account order."""
    stopped = [r.account for r in report.account_results() if r.login_needed]
    return list(dict.fromkeys([*report.logins_needed, *stopped]))


def report_status(report: RunReport) -> ExitStatus:
    """LOGIN_NEEDED if an account needs a login, else ATTENTION if anything failed or was held, else OK."""
    if logins_needed(report):
        return ExitStatus.LOGIN_NEEDED
    if report.account_errors:
        return ExitStatus.ATTENTION
    summary = report.approve_summary()
    if summary.failed or summary.held:
        return ExitStatus.ATTENTION
    if any(c.pdf_error for r in report.approve for wp in r.workplaces for c in wp.contracts):
        return ExitStatus.ATTENTION
    if any(result.error for result in report.account_results()):
        return ExitStatus.ATTENTION
    bad = (Outcome.FAILED, Outcome.HELD)
    if any(item.outcome in bad for result in report.contact for item in result.items):
        return ExitStatus.ATTENTION
    return ExitStatus.OK


def account_problems(report: RunReport) -> list[str]:
    """Accounts that stopped (other than for a login) and account-wide errors."""
    logins = set(logins_needed(report))
    problems = [f"{name}: {why}" for name, why in report.account_errors.items() if name not in logins]
    results = report.account_results()
    return problems + [f"{r.account}: {r.error}" for r in results if r.error]


def approve_counts(report: RunReport) -> dict[str, int]:
    """approved, held, failed, skipped (and would_approve in a dry run)."""
    s = report.approve_summary()
    counts = {"approved": s.approved, "held": s.held, "failed": s.failed, "skipped": s.skipped}
    if report.dry_run:
        counts["would_approve"] = s.would_approve
    return counts


def approve_problems(report: RunReport) -> list[str]:
    """Each failed workplace, held or failed contract and missing PDF, one line each."""
    problems = account_problems(report)
    for result in report.approve:
        for wp in result.workplaces:
            if wp.error:
                problems.append(f"{wp.sicil}: {wp.error}")
            for c in wp.contracts:
                if c.outcome in (Outcome.HELD, Outcome.FAILED):
                    word = "bekletildi / held" if c.outcome is Outcome.HELD else "hata / failed"
                    problems.append(f"{wp.sicil} {c.contract_no or '—'}: {word} — {c.reason}")
                elif c.pdf_error:
                    problems.append(f"{wp.sicil} {c.contract_no}: PDF yok / no PDF — {c.pdf_error}")
    return problems


def refresh_counts(report: RunReport) -> dict[str, int]:
    """workplaces listed, new ones."""
    return {"workplaces": sum(len(r.workplaces) for r in report.refresh),
            "new": sum(len(r.new) for r in report.refresh)}


def contact_counts(report: RunReport) -> dict[str, int]:
    """updated, unchanged, held (invalid), failed (and would_update in a dry run)."""
    items = [item for result in report.contact for item in result.items]
    counts = {"updated": sum(i.outcome is Outcome.DONE for i in items),
              "unchanged": sum(i.outcome is Outcome.SKIPPED for i in items),
              "held": sum(i.outcome is Outcome.HELD for i in items),
              "failed": sum(i.outcome is Outcome.FAILED for i in items)}
    if report.dry_run:
        counts["would_update"] = sum(i.outcome is Outcome.WOULD_DO for i in items)
    return counts


def contact_problems(report: RunReport) -> list[str]:
    """Each invalid or failed workplace with its reasons."""
    items = [item for result in report.contact for item in result.items]
    return account_problems(report) + [f"{i.sicil}: {i.outcome} — {'; '.join(i.errors)}" for i in items
                                       if i.outcome in (Outcome.HELD, Outcome.FAILED)]
