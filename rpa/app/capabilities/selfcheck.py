"""Selfcheck: does the portal still show every word the robot relies on? (before a batch touches anything)"""

from __future__ import annotations

import json
from pathlib import Path

from rpa.app.batch import Batch
from rpa.app.control import Progress, StopToken
from rpa.app.requests import SelfcheckRun
from rpa.app.result import RunResult
from rpa.app.status import ExitStatus
from rpa.flows import selfcheck as walk
from rpa.settings import Settings

REPORT_NAME = "selfcheck.json"


def selfcheck(settings: Settings, request: SelfcheckRun, *, progress: Progress | None = None,
              stop: StopToken | None = None) -> RunResult:
    """Walk every screen with one account, read-only; exit 0 all found, 1 something changed, 3 login needed."""
    with Batch.open(settings, request, progress, stop) as batch:
        screens = tuple(request.screens) if request.screens else walk.ALL_SCREENS
        found = check_portal(batch, screens)
        status = (ExitStatus.LOGIN_NEEDED if found is None or found.login_needed
                  else ExitStatus.OK if found.ok else ExitStatus.ATTENTION)
        problems = drift_problems(found) if found is not None else []
        report = batch.run.dir / REPORT_NAME
        if found is not None:
            report.write_text(json.dumps(document(found), ensure_ascii=False, indent=2), encoding="utf-8")
        counts = {"screens": len(found.screens) if found else 0,
                  "missing": sum(len(s.missing) for s in found.screens) if found else 0}
        logins = [batch.accounts[0].name] if status is ExitStatus.LOGIN_NEEDED else []
        result = batch.finish(status, counts, problems, report if found else None, logins)
        result.extra["selfcheck"] = found
        return result


def check_portal(batch: Batch, screens: tuple[str, ...]) -> walk.SelfcheckResult | None:
    """The walk over `screens` with the batch's first account (None: it could not even start)."""
    account = batch.accounts[0]
    found: list[walk.SelfcheckResult] = []
    workplace = batch.request.workplaces[0] if batch.request.workplaces else None

    def look(session: object, _account: object) -> None:
        request = walk.SelfcheckRequest(account=account.name, workplace=workplace, screens=screens,
                                        evidence_dir=batch.run.evidence_dir)
        found.append(walk.run(session, request))

    batch.each_account(look, only=[account])
    return found[0] if found else None


def drift_problems(found: walk.SelfcheckResult) -> list[str]:
    """One line per missing word, for the run record and the e-mail."""
    lines = []
    for screen in found.screens:
        for missing in screen.missing:
            close = f" (en yakın / closest: {', '.join(repr(c) for c in missing.candidates)})" if missing.candidates \
                else ""
            lines.append(f"portal değişti / the portal changed — {screen.name}: '{missing.expected}' "
                         f"bulunamadı / not found{close}")
    if found.error:
        lines.append(f"selfcheck: {found.error}")
    return lines


def document(found: walk.SelfcheckResult) -> dict[str, object]:
    """The `--json` shape: ok, and per screen its URL and missing words with their candidates."""
    return {
        "ok": found.ok, "account": found.account, "login_needed": found.login_needed, "error": found.error,
        "screens": [{"name": s.name, "url": s.url, "checked": s.checked, "note": s.note,
                     "screenshot": str(s.screenshot) if s.screenshot else None,
                     "missing": [{"text": m.text, "expected": m.expected, "candidates": m.candidates}
                                 for m in s.missing]} for s in found.screens],
    }


def write_draft(found: walk.SelfcheckResult, path: Path) -> Path:
    """`--write-profile FILE`: the best candidates as a profile draft, the others as comments."""
    from rpa.pages.profile import write_profile

    return write_profile(path, found.draft_profile(), found.changed())
