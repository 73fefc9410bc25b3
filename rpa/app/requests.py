"""What each capability is asked to do: one request model per entry, the same from every entry point.

A request holds the work (accounts, workplaces, files, options) and who started it (trigger, command
line, job). It is plain data: it is journalled as JSON, so that `katip runs resume` starts the same work
again, and a worker on another machine gets it as a task.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from rpa.contact_input import ContactProblem, ContactRow
from rpa.domain.identifiers import normalize_sicil
from rpa.history import Trigger

Flow = Literal["refresh", "approve", "contact", "roster_sync", "audit", "selfcheck"]
FLOWS: tuple[Flow, ...] = ("refresh", "approve", "contact", "roster_sync", "audit", "selfcheck")


class PartOf(BaseModel):
    """A distributed run's share for one worker: one account of run `run_id` (set by the run, never typed)."""

    model_config = ConfigDict(extra="forbid")

    run_id: str  # the run's id: its folder, its account locks (the journal's run is `resume` or this)
    account: str  # the one account of accounts.yaml this task works on


class RunRequest(BaseModel):
    """What every run shares: which accounts and workplaces, and who started it."""

    model_config = ConfigDict(extra="forbid")

    flow: Flow
    accounts: list[str] | None = None  # account names of accounts.yaml; None: all
    workplaces: list[str] | None = None  # SGK sicil numbers; None: all of each account's
    dry_run: bool = False
    parallel: int | None = Field(default=None, ge=1, le=32)  # None: the settings' (KATIP_PARALLEL)
    show_personal_data: bool = False
    trigger: Trigger = "manual"
    command: str = ""  # how a person would start it again ("katip approve --workplace …")
    job: str | None = None  # the schedule's job id (scheduled and run-now runs)
    resume: str | None = None  # the unfinished journal run this run continues
    # Before the first change: check that the portal still shows the words this flow needs (one account),
    # and stop the run, saying what changed, if it does not (scheduled runs always do).
    selfcheck: bool = False
    # Send one task per account to the workers (`katip worker`, KATIP_BROKER_URL) instead of working here.
    distributed: bool = False
    part: PartOf | None = None  # a worker's task: one account of a distributed run

    @field_validator("workplaces")
    @classmethod
    def _sicils(cls, values: list[str] | None) -> list[str] | None:
        return None if values is None else list(dict.fromkeys(normalize_sicil(v) for v in values))

    @field_validator("accounts")
    @classmethod
    def _names(cls, values: list[str] | None) -> list[str] | None:
        return None if values is None else list(dict.fromkeys(values))


class RefreshRun(RunRequest):
    """Each account's workplace list; with `refresh`, ask SGK for new ones first and wait for them."""

    flow: Literal["refresh"] = "refresh"
    refresh: bool = False
    wait_s: float | None = Field(default=None, ge=0)  # None: the settings' (KATIP_REFRESH_WAIT_S)
    # A distributed refresh: the one wait window's end (Unix time), set by the run for all its workers.
    wait_until: float | None = None


class ApproveRun(RunRequest):
    """Approve the compliant contracts waiting for the employer, hold back the others, keep the PDFs."""

    flow: Literal["approve"] = "approve"
    force: bool = False  # approve what breaks the rules too (only with `contracts`: see `check`)
    contracts: list[str] | None = None  # only these contract numbers ("Sözleşme No")


class ContactRun(RunRequest):
    """Set "Kurumsal İletişim ve İzin İşlemleri" of each row's workplace where it differs."""

    flow: Literal["contact"] = "contact"
    rows: list[ContactRow]  # a row with sicil "*" (ALL_WORKPLACES): every workplace an account lists
    source: str | None = None  # the file the rows came from, for the report
    rejected: list[ContactProblem] = Field(default_factory=list)  # the file's bad rows: listed, never applied


class RosterSyncRun(RunRequest):
    """Bring each workplace's SGK 4A list in line with the roster files; report what a person must fix."""

    flow: Literal["roster_sync"] = "roster_sync"
    files: list[Path]
    bulk_threshold: int = Field(default=20, ge=1)
    bulk_allowed: bool = True
    recheck_after_h: float = Field(default=24.0, ge=0)

    @field_validator("files")
    @classmethod
    def _absolute(cls, values: list[Path]) -> list[Path]:
        # Journalled for a resume, which may start from another folder: keep the files it meant.
        return [Path(v).expanduser().resolve() for v in values]


class AuditRun(RunRequest):
    """Which client workplaces break the law today: minutes against headcount and hazard class (read-only)."""

    flow: Literal["audit"] = "audit"
    # Rosters whose active count per workplace replaces SGK's: next month's problems before the portal's.
    headcount_from: list[Path] | None = None

    @field_validator("headcount_from")
    @classmethod
    def _absolute(cls, values: list[Path] | None) -> list[Path] | None:
        return None if values is None else [Path(v).expanduser().resolve() for v in values]


class SelfcheckRun(RunRequest):
    """A read-only walk through every screen the robot uses, with one account (the first, or `accounts[0]`)."""

    flow: Literal["selfcheck"] = "selfcheck"
    screens: list[str] | None = None  # None: every screen


AnyRun = RefreshRun | ApproveRun | ContactRun | RosterSyncRun | AuditRun | SelfcheckRun
REQUEST_TYPES: dict[str, type[RunRequest]] = {
    "refresh": RefreshRun, "approve": ApproveRun, "contact": ContactRun, "roster_sync": RosterSyncRun,
    "audit": AuditRun, "selfcheck": SelfcheckRun,
}
