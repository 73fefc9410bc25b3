"""Reading what the portal shows without relying on its markup: tables by header text, values by label.

A table is found by one of its column headers and read by header *text* (the column order may differ
from portal to portal); a labelled value ("Sözleşme No", "Aktif Çalışan Sayısı: 12") is read from the
page's visible text, which looks the same whether the markup is a definition list, a table or a
sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TypeVar

from playwright.sync_api import Locator, Page

from rpa.domain.text import tr_fold
from rpa.errors import PortalError

_SEPARATORS = ":\t "
_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
_EMPTY = {"", "-", "—", "–"}
E = TypeVar("E", bound=StrEnum)


def labelled_values(text: str, label: str) -> list[str]:
    """Every value shown for `label`: on the same line after ':' or a tab, else on the next line."""
    key = tr_fold(label)
    lines = [line.strip() for line in text.splitlines()]
    found: list[str] = []
    for i, line in enumerate(lines):
        if tr_fold(line) == key:
            following = next((nxt for nxt in lines[i + 1 :] if nxt), None)
            if following is not None:
                found.append(following)
        elif len(line) > len(label) and line[len(label)] in _SEPARATORS and tr_fold(line[: len(label)]) == key:
            value = line[len(label) :].strip(_SEPARATORS)
            if value:
                found.append(value)
    return found


def labelled_value(text: str, labels: tuple[str, ...] | list[str]) -> str | None:
    """The first value shown for any of `labels` (tried in order), or None."""
    for label in labels:
        values = labelled_values(text, label)
        if values:
            return values[0]
    return None


def parse_date(text: str | None) -> date | None:
    """A portal date (dd.mm.yyyy, or ISO) as a date; None for an empty cell or a dash."""
    if text is None or text.strip() in _EMPTY:
        return None
    head = text.strip().split()[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(head, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r}")


def parse_int(text: str) -> int:
    """An integer shown with optional thousands separators ("1.250", "1 250")."""
    digits = re.sub(r"[\s.,\u00a0]", "", text)
    if not digits.isdigit():
        raise ValueError(f"not a whole number: {text!r}")
    return int(digits)


def as_choice(choices: type[E], text: str, what: str) -> E:
    """The member of a StrEnum whose value is shown, matched without regard to case or Turkish letters."""
    for member in choices:
        if tr_fold(member.value) == tr_fold(text):
            return member
    raise PortalError(f"Unknown {what} on the page: {text!r}")


def parse_yes_no(text: str | None) -> bool | None:
    """Map "Evet" to True, "Hayır" to False, anything else to None."""
    folded = tr_fold(text or "")
    return {"evet": True, "hayir": False}.get(folded)


@dataclass
class Table:
    """A table read by header text: `rows[i][column('X')]` is the cell under header X."""

    locator: Locator
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    row_positions: list[int] = field(default_factory=list)  # index among the table's role=row elements

    def column(self, *names: str) -> int | None:
        """Index of the first header matching one of `names` (case and Turkish letters folded)."""
        folded = [tr_fold(h) for h in self.headers]
        for name in names:
            if tr_fold(name) in folded:
                return folded.index(tr_fold(name))
        return None

    def cell(self, row: list[str], *names: str) -> str | None:
        """The cell under the first matching header, or None when the table has no such column."""
        index = self.column(*names)
        return row[index] if index is not None else None

    def row_locator(self, i: int) -> Locator:
        """The i-th data row (as in `rows`) on the page."""
        return self.locator.get_by_role("row").nth(self.row_positions[i])


def cells(row: Locator) -> Locator:
    """The cells of a table row, whatever their role (cell, gridcell, rowheader), in page order."""
    return row.get_by_role("cell").or_(row.get_by_role("gridcell")).or_(row.get_by_role("rowheader"))


def find_table(page: Page | Locator, header: str) -> Table | None:
    """The visible table that has a column header `header`, read whole; None if there is none."""
    tables = page.get_by_role("table").or_(page.get_by_role("grid")).filter(visible=True)
    for table in tables.all():
        rows = table.get_by_role("row")
        # One round trip for the whole table: a table row's innerText separates its cells with tabs.
        texts = rows.all_inner_texts()
        # The header row read from those texts saves a round trip for the column headers (a few ms, twice
        # per approved contract). Grids whose rows are not table rows are asked for their headers.
        headers = _header_row(texts, header)
        if headers is None:
            headers = [h.strip() for h in table.get_by_role("columnheader").all_inner_texts()]
            if tr_fold(header) not in [tr_fold(h) for h in headers]:
                continue
        return _read(table, headers, rows, texts)
    return None


def _header_row(texts: list[str], header: str) -> list[str] | None:
    """The cells of the first row that holds `header` among several tab-separated cells (a title row
    above it is passed over); None when no row does."""
    for text in texts:
        parts = [p.strip() for p in text.split("\t")]
        if len(parts) > 1 and tr_fold(header) in [tr_fold(p) for p in parts]:
            return parts
    return None


def _read(table: Locator, headers: list[str], rows: Locator, texts: list[str]) -> Table:
    result = Table(locator=table, headers=headers)
    folded_headers = [tr_fold(h) for h in headers]
    split = [[p.strip() for p in text.split("\t")] for text in texts]
    if any(len(parts) != len(headers) for parts in split):
        split = _split_by_cells(table, rows, len(texts), len(headers)) or split
    for position, parts in enumerate(split):
        if len(parts) != len(headers):
            parts = [p.strip() for p in cells(rows.nth(position)).all_inner_texts()]
        if len(parts) != len(headers) or [tr_fold(p) for p in parts] == folded_headers:
            continue  # a header row, or a "no records" row spanning the table
        result.rows.append(parts)
        result.row_positions.append(position)
    return result


def _split_by_cells(table: Locator, rows: Locator, row_count: int, width: int) -> list[list[str]] | None:
    """For grids whose rows are not table rows: all cells in one round trip, cut into rows of `width`.

    Only when every data row has exactly `width` cells (else None, and rows are read one by one)."""
    all_cells = [c.strip() for c in cells(table).all_inner_texts()]
    header_rows = rows.filter(has=table.page.get_by_role("columnheader")).count()
    data_rows = row_count - header_rows
    if data_rows < 0 or len(all_cells) != data_rows * width:
        return None
    chunks = [all_cells[i : i + width] for i in range(0, len(all_cells), width)]
    return [[] for _ in range(header_rows)] + chunks
