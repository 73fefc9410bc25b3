"""What reading a roster produces: accepted rows, rejected rows with reasons, a report per file."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rpa.domain.identifiers import mask_tc

# Digit runs long enough to be (part of) a TC number are masked in reports.
_LONG_DIGITS = re.compile(r"\d{9,}")
_DIGITS_IN_TC_COLUMN = re.compile(r"\d{4,}")


def mask_personal(text: str, tc_column: bool = False) -> str:
    """Mask anything that may be a TC number in a cell value shown in a report."""
    pattern = _DIGITS_IN_TC_COLUMN if tc_column else _LONG_DIGITS
    return pattern.sub(lambda m: mask_tc(m.group(0)), text)


class RowRef(BaseModel):
    """Where a row was read: file, sheet, and the row number the spreadsheet program shows."""

    model_config = ConfigDict(frozen=True)

    file: str
    sheet: str
    row: int

    def __str__(self) -> str:
        return f"{self.file} › {self.sheet} › {self.row}"


class RosterRow(BaseModel):
    """One person of one workplace as the roster states it."""

    model_config = ConfigDict(frozen=True)

    sicil: str
    tc: str = Field(repr=False)
    name: str
    hired: date | None = None
    left: date | None = None
    source: RowRef
    # Other rows that said exactly the same and were merged into this one.
    duplicates: tuple[RowRef, ...] = ()

    @property
    def tc_masked(self) -> str:
        """The TC number as logs and reports may show it."""
        return mask_tc(self.tc)

    def is_active(self, today: date) -> bool:
        """Active while there is no leaving date, or it is still in the future."""
        return self.left is None or self.left > today


class RejectedRow(BaseModel):
    """A data row that was not accepted, with the cell at fault and the reason in both languages."""

    model_config = ConfigDict(frozen=True)

    source: RowRef
    column: str
    value: str = Field(repr=False)
    reason_tr: str
    reason_en: str
    tc_column: bool = False
    # The row's person and workplace when they could be read: a person whose row was rejected for a
    # typo is not "missing from the roster" (the clerk fixes the row, not asks the employer).
    tc: str | None = Field(default=None, repr=False)
    sicil: str | None = None

    @property
    def reason(self) -> str:
        """Turkish, then English."""
        return f"{self.reason_tr} / {self.reason_en}"

    def shown_value(self, show_personal_data: bool = False) -> str:
        """The cell value, with TC numbers masked unless personal data may be shown."""
        return self.value if show_personal_data else mask_personal(self.value, self.tc_column)

    def to_json(self, show_personal_data: bool = False) -> dict[str, Any]:
        """The `rejected` entry of `katip roster check --json`."""
        return {
            "sheet": self.source.sheet,
            "row": self.source.row,
            "column": self.column,
            "value": self.shown_value(show_personal_data),
            "reason": self.reason,
        }


class WorkplaceCount(BaseModel):
    """People of a workplace in a roster: still employed, or gone."""

    active: int = 0
    left: int = 0


class SheetNote(BaseModel):
    """What a sheet contributed, or why it contributed nothing."""

    name: str
    header_row: int | None = None
    ignored_columns: list[str] = []
    headers_seen: list[str] = []  # filled when no header was found


class FileReport(BaseModel):
    """The outcome of reading one file."""

    path: str
    rows_total: int = 0
    accepted: int = 0
    rejected: list[RejectedRow] = []
    workplaces: dict[str, WorkplaceCount] = {}
    sheets: list[SheetNote] = []
    merged_duplicates: int = 0
    error_kind: str | None = None
    error_tr: str | None = None
    error_en: str | None = None
    found_headers: list[str] = []

    @property
    def readable(self) -> bool:
        """False when the file could not be read at all."""
        return self.error_kind is None

    def to_json(self, show_personal_data: bool = False) -> dict[str, Any]:
        """The per-file entry of `katip roster check --json`."""
        out: dict[str, Any] = {
            "path": self.path,
            "rows_total": self.rows_total,
            "accepted": self.accepted,
            "rejected": [r.to_json(show_personal_data) for r in self.rejected],
            "workplaces": {s: c.model_dump() for s, c in self.workplaces.items()},
        }
        if not self.readable:
            out["error"] = f"{self.error_tr} / {self.error_en}"
            out["found_headers"] = self.found_headers
        return out


class Roster(BaseModel):
    """Everything read from one or more roster files: one row per person and workplace, and the reports."""

    today: date
    rows: list[RosterRow] = []
    files: list[FileReport] = []

    def by_workplace(self) -> dict[str, list[RosterRow]]:
        """The people of each workplace (sicil)."""
        grouped: dict[str, list[RosterRow]] = defaultdict(list)
        for row in self.rows:
            grouped[row.sicil].append(row)
        return dict(grouped)

    def rejected_people(self) -> dict[str, set[str]]:
        """TC numbers of rejected rows by workplace; "" holds those whose workplace is unknown (any)."""
        people: dict[str, set[str]] = defaultdict(set)
        for report in self.files:
            for row in report.rejected:
                if row.tc:
                    people[row.sicil or ""].add(row.tc)
        return dict(people)

    @property
    def all_accepted(self) -> bool:
        """True when every file was read and no row was rejected."""
        return all(f.readable and not f.rejected for f in self.files)
