"""Uygunluk / compliance: the newest audit's table and findings, for the console's page.

Each audit run keeps what its report shows as data (`audit.json` in its run folder: one line per
workplace × profession, the findings with what to do, names masked as in the report); this reads the
newest finished one back.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from rpa.audit.view import FindingLine, ProfessionLine, finding_lines, profession_lines
from rpa.domain.audit import AuditReport, ProfessionStatus
from rpa.history import RunRecord
from rpa.settings import Settings

JSON_NAME = "audit.json"


class Compliance(BaseModel):
    """What the newest audit found."""

    run_id: str
    finished_at: str
    lines: list[ProfessionLine]
    findings: list[FindingLine]

    def flagged(self) -> set[str]:
        """The workplaces with a finding that makes them non-compliant."""
        return {f.sicil for f in self.findings if not f.informational}

    def only_flagged(self) -> list[ProfessionLine]:
        flagged = self.flagged()
        return [line for line in self.lines if line.sicil in flagged]


def save_compliance(path: Path, report: AuditReport, show_personal_data: bool = False) -> Path:
    """Write the run's `audit.json`, readable by its owner only."""
    document = {"lines": [asdict(line) for line in profession_lines(report)],
                "findings": [asdict(line) for line in finding_lines(report, show_personal_data)]}
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(document, handle, ensure_ascii=False, indent=1)
    return path


def _line(kind: type, data: dict[str, Any]) -> Any:
    known = {f.name for f in fields(kind)}
    values = {k: v for k, v in data.items() if k in known}
    if kind is ProfessionLine:
        values["status"] = ProfessionStatus(values["status"])
    return kind(**values)


def latest_compliance(settings: Settings) -> Compliance | None:
    """The newest finished audit run that left its `audit.json`, as its lines and findings."""
    from rpa.app.runs import recent

    for record in recent(settings, 200):
        if record.flow != "audit" or record.outcome == "running" or not record.report_path:
            continue
        try:
            data = json.loads((Path(record.report_path).parent / JSON_NAME).read_text(encoding="utf-8"))
            return Compliance(run_id=record.id, finished_at=_when(record),
                              lines=[_line(ProfessionLine, d) for d in data["lines"]],
                              findings=[_line(FindingLine, d) for d in data["findings"]])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a run from before audit.json, or a folder cleaned away
    return None


def _when(record: RunRecord) -> str:
    moment = record.ended_at or record.started_at
    return moment.astimezone().strftime("%d.%m.%Y %H:%M") if moment else ""
