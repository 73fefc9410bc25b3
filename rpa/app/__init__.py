"""The application layer: the one way in for every entry point (CLI, scheduler, console, workers).

One typed entry per capability — `refresh`, `approve`, `contact`, `roster_sync`, `audit`, `selfcheck`
(and `runs.start` for any request, `runs.resume` for a killed run) — takes a request model
(`rpa.app.requests`) and returns a `RunResult`, telling a `Progress` as it goes and stopping gracefully
when its `StopToken` is set. Every run gets a run folder, a `run.log`, a history record, a journal
(unless a dry run) and the account locks; entry points only parse and print. Dependencies run one way:
entry points -> app -> flows -> pages -> domain.
"""

from rpa.app.capabilities.approve import approve
from rpa.app.capabilities.audit import audit
from rpa.app.capabilities.contact import contact
from rpa.app.capabilities.refresh import refresh
from rpa.app.capabilities.roster_sync import roster_sync
from rpa.app.capabilities.selfcheck import selfcheck
from rpa.app.control import Progress, Silent, StopToken
from rpa.app.requests import ApproveRun, AuditRun, ContactRun, RefreshRun, RosterSyncRun, RunRequest, SelfcheckRun
from rpa.app.result import RunResult
from rpa.app.status import ExitStatus

__all__ = [
    "ApproveRun",
    "AuditRun",
    "ContactRun",
    "ExitStatus",
    "Progress",
    "RefreshRun",
    "RosterSyncRun",
    "RunRequest",
    "RunResult",
    "SelfcheckRun",
    "Silent",
    "StopToken",
    "approve",
    "audit",
    "contact",
    "refresh",
    "roster_sync",
    "selfcheck",
]
