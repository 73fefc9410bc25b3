"""Open a roster file (.xlsx .xls .ods .csv) and return its sheets as raw cell grids."""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rpa.roster.errors import RosterReadError
from rpa.xlsx import SpreadsheetRejected, check_workbook

Engine = Literal["calamine", "openpyxl"]
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}

# An encrypted OOXML workbook is not a zip but an OLE compound file holding an "EncryptionInfo" stream.
_CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_CSV_DELIMITERS = ";,\t|"


@dataclass
class RawSheet:
    """The non-empty area of one sheet: cells as Python values ("" when empty) and where it starts."""

    name: str
    rows: list[list[object]]
    first_row: int = 1  # spreadsheet row number (1-based) of rows[0]
    first_col: int = 0  # 0-based column index of rows[i][0]
    # Merged ranges relative to `rows`: ((row0, col0), (row1, col1)), inclusive.
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


def read_sheets(path: Path, engine: Engine = "calamine") -> list[RawSheet]:
    """Every visible worksheet of the file as a RawSheet; RosterReadError when it cannot be read."""
    if not path.exists():
        raise RosterReadError("missing", f"Dosya bulunamadı: {path}", f"File not found: {path}")
    if not path.is_file():
        raise RosterReadError("unreadable", f"Bir dosya değil: {path}", f"Not a file: {path}")
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return [_read_csv(path)]
    if suffix not in SPREADSHEET_SUFFIXES:
        raise RosterReadError(
            "unsupported",
            f"Desteklenmeyen dosya türü: {suffix or '(uzantısız)'} (.xlsx, .xls, .ods, .csv okunur)",
            f"Unsupported file type: {suffix or '(none)'} (.xlsx, .xls, .ods, .csv are read)",
        )
    _refuse_encrypted(path)
    try:
        check_workbook(path)  # before calamine builds any grid: a hostile file must not kill the process
    except SpreadsheetRejected as exc:
        raise RosterReadError("rejected", exc.message_tr, exc.message_en) from None
    if engine == "openpyxl" and suffix in {".xlsx", ".xlsm"}:
        return _read_openpyxl(path)
    return _read_calamine(path)


def _refuse_encrypted(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(len(_CFB_SIGNATURE))
        if head != _CFB_SIGNATURE:
            return
        # .xls files are compound files too; only the EncryptionInfo stream marks an encrypted workbook.
        # Its directory entry sits near the start, but scan the whole (small) file to be sure.
        content = head + handle.read()
    if _ENCRYPTION_INFO in content:
        raise _password_error(path)


def _password_error(path: Path) -> RosterReadError:
    return RosterReadError(
        "password",
        f"Dosya parola korumalı; parolasız kaydedip yeniden deneyin: {path.name}",
        f"The file is password-protected; save it without a password and try again: {path.name}",
    )


def _read_calamine(path: Path) -> list[RawSheet]:
    import python_calamine as pc

    try:
        workbook = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError as exc:
        raise _password_error(path) from exc
    except Exception as exc:  # calamine raises several unrelated types for damaged files
        raise RosterReadError(
            "unreadable",
            f"Dosya okunamadı ({type(exc).__name__}): {path.name}",
            f"Cannot read the file ({type(exc).__name__}: {exc}): {path.name}",
        ) from exc
    sheets: list[RawSheet] = []
    with workbook:
        for meta in workbook.sheets_metadata:
            if str(meta.visible) != str(pc.SheetVisibleEnum.Visible) or str(meta.typ) != str(
                pc.SheetTypeEnum.WorkSheet
            ):
                continue
            sheet = workbook.get_sheet_by_name(meta.name)
            rows: list[list[object]] = [list(row) for row in sheet.to_python()]
            start_row, start_col = sheet.start or (0, 0)
            merged = [
                ((r0 - start_row, c0 - start_col), (r1 - start_row, c1 - start_col))
                for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])
            ]
            sheets.append(RawSheet(meta.name, rows, start_row + 1, start_col, merged))
    return sheets


def _read_openpyxl(path: Path) -> list[RawSheet]:
    # Kept for the benchmark against calamine; read-only mode gives no merged ranges.
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise RosterReadError(
            "unreadable",
            f"Dosya okunamadı ({type(exc).__name__}): {path.name}",
            f"Cannot read the file ({type(exc).__name__}: {exc}): {path.name}",
        ) from exc
    try:
        sheets = []
        for worksheet in workbook.worksheets:
            if worksheet.sheet_state != "visible":
                continue
            rows = [["" if v is None else v for v in row] for row in worksheet.iter_rows(values_only=True)]
            sheets.append(RawSheet(worksheet.title, rows))
        return sheets
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    # Excel's "Unicode Text" and some exports are UTF-16, always with a BOM.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    # UTF-8 (with or without BOM) is tried strictly first: Windows-1254 text almost never decodes as UTF-8,
    # while every byte string decodes as Windows-1254.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1254")


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits most of the first lines into the same number (> 1) of fields."""
    lines = [line for line in text.splitlines()[:100] if line.strip()]
    best, best_score = ";", (0, 0)
    for delimiter in _CSV_DELIMITERS:
        counts = Counter(len(row) for row in csv.reader(lines, delimiter=delimiter) if len(row) > 1)
        if not counts:
            continue
        width, lines_with_width = counts.most_common(1)[0]
        # Title rows have fewer fields; the table's own rows agree on one width.
        score = (lines_with_width, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(path: Path) -> RawSheet:
    text = _decode(path.read_bytes())
    rows: list[list[object]] = [list(row) for row in csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(text))]
    return RawSheet(path.stem, rows)
