"""Personel istisnaları / roster exceptions: what the clerk must ask each employer for, from the newest
roster sync's workbook (its "İstisnalar (Exceptions)" sheet: names kept, TC numbers masked)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from rpa.history import RunRecord
from rpa.settings import Settings

SHEET = "İstisnalar (Exceptions)"


class RosterException(BaseModel):
    """One line a person must act on."""

    sicil: str
    tc: str  # masked unless the run was asked for personal data
    name: str
    kind: str
    reason_tr: str
    reason_en: str
    roster: str = ""
    portal: str = ""


def latest_sync(settings: Settings) -> RunRecord | None:
    """The newest finished roster sync run that left its workbook."""
    from rpa.app.runs import recent

    for record in recent(settings, 200):
        if record.flow == "roster_sync" and record.outcome != "running" and record.report_path and \
                Path(record.report_path).suffix == ".xlsx" and Path(record.report_path).is_file():
            return record
    return None


def exceptions_of(record: RunRecord) -> dict[str, list[RosterException]]:
    """The run's exceptions per workplace (sicil), in the workbook's order."""
    from openpyxl import load_workbook

    book = load_workbook(record.report_path or "", read_only=True)
    try:
        if SHEET not in book.sheetnames:
            return {}
        found: dict[str, list[RosterException]] = {}
        for row in book[SHEET].iter_rows(min_row=2, values_only=True):
            cells = ["" if value is None else str(value) for value in row]
            if not cells or not cells[0]:
                continue
            cells += [""] * (8 - len(cells))
            item = RosterException(sicil=cells[0], tc=cells[1], name=cells[2], kind=cells[3], reason_tr=cells[4],
                                   reason_en=cells[5], roster=cells[6], portal=cells[7])
            found.setdefault(item.sicil, []).append(item)
        return found
    finally:
        book.close()
