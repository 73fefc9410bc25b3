"""Held contracts across runs: each approve run leaves `contracts.json` (every contract it read and how
it ended); a contract is held while the newest real (not dry) run that saw it held it.

The console's Bekletilenler page and `GET /api/held` read this; approving one of them anyway is an
`ApproveRun(force=True, contracts=[no], workplaces=[sicil])`.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field

from rpa.flows.results import Outcome, Reason
from rpa.history import RunRecord
from rpa.privacy import mask_name
from rpa.report import RunReport
from rpa.settings import Settings

CONTRACTS_NAME = "contracts.json"
LOOK_BACK = 200  # approve runs read for the held list


class ContractSeen(BaseModel):
    """One contract as a run left it (the professional masked: the file is outside the state dir)."""

    contract_no: str
    sicil: str
    unvan: str | None = None
    account: str
    outcome: str
    professional: str = ""
    title: str = ""
    reasons: list[Reason] = Field(default_factory=list)
    forced: bool = False
    pdf: str | None = None


class HeldContract(ContractSeen):
    """A contract left waiting for the employer, and the run that held it."""

    run_id: str
    held_at: datetime

    @property
    def reason(self) -> str:
        """All reasons, Turkish / English, on one line."""
        return "; ".join(str(r) for r in self.reasons)


def contracts_seen(report: RunReport) -> list[ContractSeen]:
    """Every contract of the run's approvals, with its outcome."""
    return [ContractSeen(contract_no=c.contract_no, sicil=wp.sicil, unvan=wp.unvan, account=result.account,
                         outcome=str(c.outcome), professional=mask_name(c.professional), title=c.title,
                         reasons=c.reasons, forced=c.forced, pdf=str(c.pdf) if c.pdf else None)
            for result in report.approve for wp in result.workplaces for c in wp.contracts if c.contract_no]


def write_contracts(report: RunReport, run_dir: Path) -> Path:
    """`<run>/contracts.json`: what the console reads for held contracts, previews and PDFs."""
    path = run_dir / CONTRACTS_NAME
    document = {"run_id": report.run_id, "dry_run": report.dry_run,
                "contracts": [c.model_dump(mode="json") for c in contracts_seen(report)]}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def read_contracts(record: RunRecord) -> tuple[bool, list[ContractSeen]] | None:
    """(dry run?, contracts) of an approve run, or None when it left no contracts.json."""
    if not record.out_dir:
        return None
    path = Path(record.out_dir) / "runs" / record.id / CONTRACTS_NAME
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return bool(document.get("dry_run")), [ContractSeen.model_validate(c) for c in document["contracts"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def held(settings: Settings) -> list[HeldContract]:
    """The contracts held by the newest real run that saw them, newest first."""
    from rpa.app.runs import recent

    latest: dict[str, tuple[ContractSeen, RunRecord]] = {}
    for record in recent(settings, LOOK_BACK):
        if record.flow != "approve" or record.outcome == "running":
            continue
        found = read_contracts(record)
        if found is None or found[0]:
            continue
        for contract in found[1]:
            latest.setdefault(contract.contract_no, (contract, record))
    return [HeldContract(**contract.model_dump(), run_id=record.id, held_at=record.started_at)
            for contract, record in latest.values() if contract.outcome == Outcome.HELD]


def find_held(settings: Settings, contract_no: str) -> HeldContract | None:
    """This contract if it is held now, else None (approved since, or never held)."""
    return next((c for c in held(settings) if c.contract_no == contract_no), None)
