"""Small builders for the sync tests: roster rows, 4A records, and rosters written as spreadsheets."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import openpyxl

from rpa.domain.identifiers import generate_sicil, generate_tc
from rpa.models import Employee
from rpa.roster.models import RosterRow, RowRef

TODAY = date(2025, 3, 1)
_rng = random.Random(4_2025)
SICIL = generate_sicil(_rng, il_code=34)
OTHER_SICIL = generate_sicil(_rng, il_code=6)
TCS = [generate_tc(_rng) for _ in range(80)]
HEADER = ["SGK Sicil No", "TC Kimlik No", "Ad Soyad", "İşe Giriş Tarihi", "İşten Çıkış Tarihi"]


def row(tc: str, hired: date | None = date(2020, 1, 1), left: date | None = None, *, sicil: str = SICIL,
        name: str = "Ali Veli", line: int = 2) -> RosterRow:
    """A roster row as the reader produces it."""
    return RosterRow(sicil=sicil, tc=tc, name=name, hired=hired, left=left,
                     source=RowRef(file="personel.xlsx", sheet="Sayfa1", row=line))


def record(tc: str, hired: date = date(2020, 1, 1), left: date | None = None, *, name: str = "Ali Veli",
           status: str | None = None) -> Employee:
    """A row of the portal's 4A list."""
    return Employee(tc=tc, name=name, hired=hired, left=left, status=status or ("Çıkış" if left else "Aktif"))


def write_roster(path: Path, people: Iterable[dict], title: str | None = None) -> Path:
    """An .xlsx roster with the usual header (optionally a title row above it); dates as real dates."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Personel"
    if title:
        sheet.append([title])
    sheet.append(HEADER)
    for person in people:
        sheet.append([person["sicil"], person["tc"], person["name"], _day(person.get("hired")),
                      _day(person.get("left"))])
    book.save(path)
    return path


def _day(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
