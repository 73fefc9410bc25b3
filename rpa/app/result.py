"""What an entry gets back from a run: its record (as the history keeps it), exit status and report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rpa.app.status import ExitStatus
from rpa.history import Outcome, RunRecord
from rpa.report import RunReport
from rpa.run import Run


def outcome_of(status: ExitStatus) -> Outcome:
    """The history's word for how a run ended."""
    if status is ExitStatus.OK:
        return "ok"
    if status is ExitStatus.INTERRUPTED:
        return "stopped"
    if status is ExitStatus.USAGE:
        return "failed"
    return "attention"


class RunResult(BaseModel):
    """A finished run: the history record, the exit status, and what the entry point prints from."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    record: RunRecord
    status: ExitStatus
    report: RunReport  # refresh, approve and contact results, per account
    run: Run
    # Flow-specific results the report does not hold (the roster sync's workplaces and its workbook data).
    extra: dict[str, Any] = Field(default_factory=dict)

    @property
    def id(self) -> str:
        """The run id (its folder under `<out>/runs/`)."""
        return self.record.id

    @property
    def report_path(self) -> Path | None:
        """The run's report a person opens (HTML, or the roster sync's workbook)."""
        return Path(self.record.report_path) if self.record.report_path else None

    @property
    def contracts_dir(self) -> Path:
        """Where approved contracts' PDFs are (`<out>/contracts/<sicil>/sozlesme-<no>.pdf`)."""
        return self.run.contracts_dir
