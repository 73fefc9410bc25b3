"""What the journal holds: the kinds and states of actions, and the rows it returns."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class Kind(StrEnum):
    """What an action does on the portal."""

    APPROVE = "approve"
    VERIFY = "verify"
    BULK = "bulk"
    CONTACT = "contact"
    # Not an action on the portal: a workplace whose every item ended, so a resumed run skips it
    # without reading its lists again. Left out of `Journal.counts`.
    WORKPLACE = "workplace"


class State(StrEnum):
    """Where an action is: only `in_progress` ones need a look at the portal after a crash."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    FAILED = "failed"
    HELD = "held"


class JournalItem(BaseModel):
    """One journalled action."""

    run_id: str
    account: str
    kind: Kind
    sicil: str
    key: str
    label: str
    detail: dict[str, Any] = Field(default_factory=dict)
    state: State
    reason: str = ""
    tries: int = 0
    updated_at: str


class JournalRun(BaseModel):
    """One journalled run: what it was asked to do (to resume it), and whether it ended."""

    run_id: str
    flow: str
    command: str
    request: dict[str, Any]  # the app layer's request model, as JSON
    settings: dict[str, str]  # portal URL, accounts file, out dir: where the run worked
    job: str | None = None
    started_at: str
    finished_at: str | None = None
    resumed_by: list[str] = Field(default_factory=list)
