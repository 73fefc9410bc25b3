"""Spreadsheets in and out, safely: a hostile workbook is refused before any reader builds its grid, and
every workbook the project writes stores text as text.

Reading: calamine builds the whole rectangle from A1 to the farthest cell with a value, so one cell at
XFD1048576 in a 4.7 KB file asks for 17 billion cells and the process aborts; a 3 MB zip of whitespace
inflates to gigabytes. `check_workbook` looks inside the archive first (uncompressed sizes, the real
extent of every sheet, read as a stream) and raises `SpreadsheetRejected` with the reason in Turkish and
English. It also names the files that are not workbooks at all: empty, text saved as `.xlsx`.

Writing: openpyxl takes every string starting with "=" for a formula, and a spreadsheet program takes
"+", "-" and "@" for one too: a roster cell "=HYPERLINK(…)" would come back live in our report. `put`
writes numbers as numbers and everything else as a string cell.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING
from xml.etree.ElementTree import Element, iterparse

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

ZIP_FORMATS = {".xlsx", ".xlsm", ".ods"}
# A roster of 50 000 employees with 40 columns fits ten times over; a sheet beyond this is not a list.
MAX_CELLS = 20_000_000
MAX_UNCOMPRESSED = 512 * 1024 * 1024  # all members together, as inflated
MAX_RATIO = 200  # a member inflating more than this (and past 10 MB) is a bomb, not a spreadsheet
_RATIO_FLOOR = 10 * 1024 * 1024
FORMULA_START = ("=", "+", "-", "@")
_REF = re.compile(r"([A-Z]{1,3})(\d+)$")
_SHEET_MEMBER = re.compile(r"xl/worksheets/[^/]+\.xml$")


class SpreadsheetRejected(Exception):
    """The file is not a spreadsheet we may open; the reason in Turkish and English."""

    def __init__(self, message_tr: str, message_en: str) -> None:
        super().__init__(f"{message_tr} / {message_en}")
        self.message_tr = message_tr
        self.message_en = message_en


def check_workbook(path: Path) -> None:
    """Refuse an .xlsx/.xlsm/.ods that is empty, not an archive, a zip bomb or far too large a grid."""
    suffix = path.suffix.lower()
    if suffix not in ZIP_FORMATS:
        return
    name = path.name
    with path.open("rb") as handle:
        head = handle.read(4096)
    if not head:
        raise SpreadsheetRejected(f"Dosya boş (0 bayt): {name}", f"The file is empty (0 bytes): {name}")
    if not zipfile.is_zipfile(path):
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            return  # an OLE compound file: an encrypted workbook or an .xls saved as .xlsx (the reader says)
        if _looks_like_text(head):
            raise SpreadsheetRejected(
                f"Bu bir Excel dosyası değil, düz metin ({suffix} adıyla kaydedilmiş); .csv olarak adlandırın "
                f"ya da Excel'de açıp .xlsx olarak kaydedin: {name}",
                f"This is not an Excel workbook but plain text saved as {suffix}; name it .csv, or open it in "
                f"Excel and save it as .xlsx: {name}")
        raise SpreadsheetRejected(f"Dosya bozuk ya da bir {suffix} çalışma kitabı değil: {name}",
                                  f"The file is damaged or not an {suffix} workbook: {name}")
    with zipfile.ZipFile(path) as archive:
        _check_sizes(archive, name)
        for member in archive.infolist():
            if _SHEET_MEMBER.match(member.filename):
                with archive.open(member) as stream:
                    extent = _xlsx_extent(stream)
                if extent == _RESCAN:
                    with archive.open(member) as stream:
                        extent = _xlsx_extent_exact(stream)
                _check_extent(extent, name, member.filename)
            elif member.filename == "content.xml" and suffix == ".ods":
                with archive.open(member) as stream:
                    _check_extent(_ods_extent(stream), name, "content.xml")


def _looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8", "utf-16", "cp1254"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text and sum(ch.isprintable() or ch in "\r\n\t" for ch in text) / len(text) > 0.95:
            return True
    return False


def _check_sizes(archive: zipfile.ZipFile, name: str) -> None:
    total = 0
    for member in archive.infolist():
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if total > MAX_UNCOMPRESSED or (member.file_size > _RATIO_FLOOR and ratio > MAX_RATIO):
            raise SpreadsheetRejected(
                f"Dosya reddedildi: açıldığında {_mb(member.file_size if ratio > MAX_RATIO else total)} MB "
                f"tutuyor (sıkıştırma bombası ya da bozuk dosya): {name}",
                f"File rejected: it inflates to {_mb(member.file_size if ratio > MAX_RATIO else total)} MB "
                f"(a zip bomb or a damaged file): {name}")


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f}"


def _check_extent(extent: tuple[int, int, str] | None, name: str, member: str) -> None:
    if extent is None:
        return
    rows, columns, far = extent
    if rows * columns > MAX_CELLS:
        raise SpreadsheetRejected(
            f"Dosya reddedildi: bir sayfada {far} hücresinde veri var, tablo {rows:,} satır × {columns:,} "
            f"sütuna uzanıyor; uzak hücreleri silin ya da tabloyu yeni bir dosyaya kopyalayın: {name}",
            f"File rejected: a sheet has data in cell {far}, so its table spans {rows:,} rows × {columns:,} "
            f"columns; delete the far cells or copy the table to a new file: {name} ({member})")


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _elements(stream: IO[bytes]) -> Iterator[tuple[str, Element]]:
    return iterparse(stream, events=("start", "end"))


_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"[^>]*?(/?)>')
_CHUNK = 1 << 22


def _xlsx_extent(stream: IO[bytes]) -> tuple[int, int, str] | None:
    """Rows and columns from the first to the last cell holding a value, as calamine will build them.

    A fast pass over the raw XML (regexes over 4 MB chunks: 20 000 rows × 8 columns in about 0.1 s)
    for the usual sheet, whose cells name themselves first (`<c r="B7" …>`, as Excel, LibreOffice and
    openpyxl write them); any other cell sends the sheet to the slower, exact parse. A self-closing
    cell (`<c r="A1048576" s="1"/>`, a formatted empty cell, common when a whole column was formatted)
    holds no value and does not count."""
    rows: list[int] = []
    columns: set[bytes] = set()
    carry = b""
    while True:
        chunk = stream.read(_CHUNK)
        data = carry + chunk
        end = data.rfind(b">") + 1 if chunk else len(data)  # never split a tag between two passes
        part = data[:end]
        cells = _CELL.findall(part)
        # Every cell must have been seen: one with its `r` elsewhere, without one, or with a prefix
        # (`<x:c`) would otherwise escape the count. Substring counts are C-fast; a doubt rescans.
        if len(cells) != part.count(b"<c ") + part.count(b"<c>") or b":c " in part or b":c>" in part:
            return _RESCAN
        found = [int(row) for _, row, closed in cells if not closed]
        if found:
            rows += (min(found), max(found))
            columns.update({column for column, _, closed in cells if not closed})
        carry = data[end:]
        if not chunk:
            break
    if not rows:
        return None
    numbers = [_column_number(c.decode()) for c in columns]
    right = max(numbers)
    return max(rows) - min(rows) + 1, right - min(numbers) + 1, f"{_column_letters(right)}{max(rows)}"


_RESCAN = (-1, -1, "")  # a cell without its reference: parse the sheet exactly


def _xlsx_extent_exact(stream: IO[bytes]) -> tuple[int, int, str] | None:
    """Rows and columns from the first to the last cell holding a value, as calamine will build them.

    Styled empty cells (`<c r="A1048576" s="1"/>`, common when a whole column was formatted) hold no
    value and do not count; cells without an `r` follow the one before them."""
    row = column = 0
    top = left = None
    bottom = right = 0
    for event, element in _elements(stream):
        tag = _local(element.tag)
        if event == "start":
            if tag == "row":
                reference = element.get("r")
                row = int(reference) if reference and reference.isdigit() else row + 1
                column = 0
            continue
        if tag == "c":
            match = _REF.match(element.get("r") or "")
            if match:
                column, row = _column_number(match.group(1)), int(match.group(2))
            else:
                column += 1
            if any(_local(child.tag) in {"v", "is"} for child in element):
                top = row if top is None else min(top, row)
                left = column if left is None else min(left, column)
                bottom, right = max(bottom, row), max(right, column)
            element.clear()
        elif tag == "row":
            element.clear()
    if top is None or left is None:
        return None
    return bottom - top + 1, right - left + 1, f"{_column_letters(right)}{bottom}"


_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _ods_extent(stream: IO[bytes]) -> tuple[int, int, str] | None:
    """The same for an OpenDocument sheet, whose rows and cells may say "repeated N times"."""
    row = column = bottom = right = 0
    row_has_values = False
    for event, element in _elements(stream):
        tag = _local(element.tag)
        if event == "start":
            if tag == "table":
                row = 0
            elif tag == "table-row":
                column, row_has_values = 0, False
            continue
        if tag in {"table-cell", "covered-table-cell"}:
            repeat = _repeat(element.get(f"{{{_TABLE}}}number-columns-repeated"))
            if element.get(f"{{{_OFFICE}}}value-type") is not None or len(element):
                right, row_has_values = max(right, column + repeat), True
            column += repeat
            element.clear()
        elif tag == "table-row":
            repeat = _repeat(element.get(f"{{{_TABLE}}}number-rows-repeated"))
            if row_has_values:
                bottom = row + repeat  # every copy of a repeated row holds its values
            row += repeat
            element.clear()
    if not bottom:
        return None
    return bottom, right, f"{_column_letters(right)}{bottom}"


def _repeat(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 1


def put(sheet: Worksheet, row: int, column: int, value: object) -> None:
    """Write one cell: numbers as numbers, everything else as text (never as a formula)."""
    shown = value if isinstance(value, int | float) or value is None else str(value)
    cell = sheet.cell(row, column, shown)
    if isinstance(shown, str) and shown.startswith(FORMULA_START):
        cell.data_type = "s"  # openpyxl took it for a formula; it is text


def append(sheet: Worksheet, values: list[object]) -> None:
    """`sheet.append`, with no value taken for a formula."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"
