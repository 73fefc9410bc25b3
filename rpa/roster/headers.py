"""Find the header row of a roster sheet and map its columns to fields, whatever the spelling."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rpa.domain.identifiers import is_valid_sicil
from rpa.domain.text import tr_fold
from rpa.privacy import mask_tcs
from rpa.roster.sources import RawSheet

# How far down a header may sit under title rows.
MAX_HEADER_SCAN = 30

TC, NAME, FIRST_NAME, LAST_NAME, HIRED, LEFT, SICIL = (
    "tc",
    "name",
    "first_name",
    "last_name",
    "hired",
    "left",
    "sicil",
)
FIELD_LABELS_EN = {
    TC: "TC number",
    NAME: "name",
    FIRST_NAME: "first name",
    LAST_NAME: "surname",
    HIRED: "hire date",
    LEFT: "leaving date",
    SICIL: "SGK sicil",
}

# Folded, space-free spellings seen in HR and payroll exports (see tr_fold: "T.C. KİMLİK NO" -> "tckimlikno").
_ALIASES: dict[str, set[str]] = {
    TC: {
        "tc", "tckn", "tcn", "tckno", "tcno", "tcnosu", "tckimlik", "tckimlikno", "tckimliknosu",
        "tckimliknumarasi", "tcnumarasi", "kimlikno", "kimliknumarasi", "tcvatandaslikno",
        "vatandaslikno", "tcvatandasliknumarasi", "sigortalitckimlikno", "sigortalitcno",
        "personeltckimlikno", "calisantckimlikno",
    },
    NAME: {
        "adsoyad", "adisoyadi", "adsoyadi", "adisoyad", "adivesoyadi", "advesoyad", "isimsoyisim",
        "isimsoyad", "adsoyisim", "personeladisoyadi", "personeladsoyad", "calisanadisoyadi",
        "calisanadsoyad", "sigortaliadisoyadi", "sigortaliadsoyad", "personel", "calisan", "sigortali",
        "personelinadisoyadi", "calisaninadisoyadi",
    },
    FIRST_NAME: {"ad", "adi", "isim", "isimi", "personeladi", "calisanadi", "sigortaliadi"},
    LAST_NAME: {
        "soyad", "soyadi", "soyisim", "soyismi", "personelsoyadi", "calisansoyadi", "sigortalisoyadi",
    },
    HIRED: {
        "isegiristarihi", "giristarihi", "isegiris", "giris", "isebaslamatarihi", "baslamatarihi",
        "isebaslama", "baslangictarihi", "istihdamtarihi", "sgkgiristarihi", "sgkisegiristarihi",
        "girtarihi", "isgiristarihi", "iseiristarihi", "giristar", "isegirtar",
    },
    LEFT: {
        "cikistarihi", "istencikistarihi", "istenayrilistarihi", "ayrilistarihi", "cikis", "ayrilis",
        "istenayrilis", "istencikis", "sgkcikistarihi", "sgkistencikistarihi", "ayrilmatarihi",
        "istenayrilmatarihi", "bitistarihi", "calismabitistarihi", "cikistar", "isecikistarihi",
    },
    SICIL: {
        "sgksicilno", "sicilno", "isyerisicilno", "sgkisyerisicilno", "isyerisgksicilno", "sicil",
        "sgksicil", "isyerisicil", "sgkisyerisicil", "sicilnumarasi", "isyerisicilnumarasi",
        "sgkisyerisicilnumarasi", "sgksicilnumarasi", "isyerisgkno", "sgkisyerino", "isyerino",
        "sgkno", "isyerisgksicil",
    },
}  # fmt: skip
_FIELD_BY_ALIAS = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
# Notes in brackets ("İşe Giriş Tarihi (gg.aa.yyyy)") say nothing about which column it is.
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# A sicil written in a title cell, grouped by hand: 26 digits with spaces, dashes or dots between.
_SICIL_IN_TEXT = re.compile(r"(?<!\d)\d(?:[ \-.\u00a0]*\d){25}(?!\d)")


def field_of(label: object) -> str | None:
    """The roster field a header cell names, or None."""
    if not isinstance(label, str) or not label.strip():
        return None
    key = tr_fold(_BRACKETED.sub(" ", label)).replace(" ", "")
    if key in _FIELD_BY_ALIAS:
        return _FIELD_BY_ALIAS[key]
    # "Sigortalının T.C. Kimlik Numarası" and the like: long prefixes before an unmistakable ending.
    if key.endswith(("tckimlikno", "tckimliknumarasi", "tckimliknosu")):
        return TC
    return None


def sicil_in_text(value: object) -> str | None:
    """A valid 26-digit sicil found in a text cell or sheet name, else None."""
    if not isinstance(value, str):
        return None
    for match in _SICIL_IN_TEXT.finditer(value):
        digits = re.sub(r"\D", "", match.group(0))
        if is_valid_sicil(digits):
            return digits
    return None


@dataclass
class Header:
    """Where the header is and which columns hold which field."""

    row_index: int  # index into RawSheet.rows of the (lower) header row
    columns: dict[str, list[int]]  # field -> column indices (a merged "Ad Soyad" may span several)
    labels: dict[int, str]  # column index -> header text as written
    ignored: list[str] = field(default_factory=list)  # headers of columns no field uses

    def label(self, field_name: str) -> str:
        """The header text of a field's (first) column."""
        return self.labels[self.columns[field_name][0]]


def _text(cell: object) -> str:
    return cell.strip() if isinstance(cell, str) else ""


def _horizontal_spans(sheet: RawSheet, row: int) -> dict[int, int]:
    """Merged ranges that start on this row: first column -> last column."""
    return {c0: c1 for (r0, c0), (_r1, c1) in sheet.merged if r0 <= row <= _r1 and c1 > c0}


def _labels(sheet: RawSheet, row: int, with_row_above: bool) -> dict[int, str]:
    cells = sheet.rows[row]
    labels = {col: _text(cell) for col, cell in enumerate(cells) if _text(cell)}
    if with_row_above and row > 0:
        # Two-row headers: a cell merged down from the row above ("TC Kimlik No" over two rows) is empty
        # in this row; the label above stands for it.
        for col, cell in enumerate(sheet.rows[row - 1]):
            if col not in labels and _text(cell):
                labels[col] = _text(cell)
    return labels


def _match(sheet: RawSheet, row: int, labels: dict[int, str]) -> Header:
    spans = _horizontal_spans(sheet, row)
    columns: dict[str, list[int]] = {}
    ignored: list[str] = []
    for col in sorted(labels):
        name = field_of(labels[col])
        if name is None or name in columns:
            ignored.append(labels[col])
            continue
        columns[name] = list(range(col, spans.get(col, col) + 1))
    return Header(row, columns, labels, ignored)


def find_header(sheet: RawSheet) -> Header | None:
    """The row (among the first MAX_HEADER_SCAN) that names the most fields, TC among them; else None."""
    best: Header | None = None
    for row in range(min(MAX_HEADER_SCAN, len(sheet.rows))):
        for with_row_above in (False, True):
            header = _match(sheet, row, _labels(sheet, row, with_row_above))
            if TC not in header.columns:
                continue
            # A two-row reading must name strictly more fields to win over the single row.
            if best is None or len(header.columns) > len(best.columns):
                best = header
    return best


def visible_headers(sheet: RawSheet) -> list[str]:
    """The texts of the row most likely meant as a header, for "no header found" messages."""
    rows = sheet.rows[:MAX_HEADER_SCAN]
    if not rows:
        return []
    densest = max(rows, key=lambda cells: sum(1 for cell in cells if _text(cell)))
    # A file without a header starts with data: its first row may be a person's TC number.
    return [mask_tcs(_text(cell)) for cell in densest if _text(cell)]


def sicil_above(sheet: RawSheet, header: Header) -> str | None:
    """A workplace sicil written in the title rows above the header."""
    for cells in sheet.rows[: header.row_index]:
        for cell in cells:
            found = sicil_in_text(cell)
            if found:
                return found
    return None
