"""Read roster files into accepted rows and rejected rows: every data row ends up in exactly one."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from rpa.roster import headers as h
from rpa.roster.duplicates import resolve_duplicates
from rpa.roster.errors import RosterReadError
from rpa.roster.models import FileReport, RejectedRow, Roster, RosterRow, RowRef, SheetNote, WorkplaceCount
from rpa.roster.sources import Engine, RawSheet, read_sheets
from rpa.roster.values import (
    Problem,
    blank_mask,
    clean_names,
    is_blank,
    normalize_sicil_column,
    normalize_tc_column,
    parse_date_column,
)

NO_SICIL: Problem = (
    "işyeri sicil no bulunamadı (sütun, başlık, sayfa adı veya dosya adında)",
    "no workplace sicil (column, title, sheet name or file name)",
)
LEFT_BEFORE_HIRED: Problem = (
    "çıkış tarihi işe giriş tarihinden önce",
    "leaving date is before the hire date",
)
_PROBLEM_ORDER = (h.TC, h.SICIL, h.HIRED, h.LEFT)
# Dates later than this many days from today are typing mistakes, not plans.
_FUTURE_DAYS = 2 * 366


def read_roster(
    paths: Iterable[Path],
    *,
    today: dt.date | None = None,
    default_sicil: str | None = None,
    engine: Engine = "calamine",
) -> Roster:
    """Read and validate roster files; duplicates are resolved across all of them."""
    today = today or dt.date.today()
    reports: list[FileReport] = []
    candidates: list[RosterRow] = []
    for path in dict.fromkeys(paths):  # the same file named twice is read once
        report, rows = read_file(path, today=today, default_sicil=default_sicil, engine=engine)
        reports.append(report)
        candidates.extend(rows)
    people, rejected, merged = resolve_duplicates(candidates)
    by_file = {report.path: report for report in reports}
    for rejection in rejected:
        by_file[rejection.source.file].rejected.append(rejection)
    for ref in merged:
        by_file[ref.file].merged_duplicates += 1
    _count(reports, people, today)
    return Roster(today=today, rows=people, files=reports)


def _count(reports: list[FileReport], people: list[RosterRow], today: dt.date) -> None:
    counts: Counter[tuple[str, str, bool]] = Counter()
    for person in people:
        active = person.is_active(today)
        for file in {person.source.file, *(ref.file for ref in person.duplicates)}:
            counts[(file, person.sicil, active)] += 1
    for report in reports:
        report.accepted = report.rows_total - len(report.rejected)
        report.rejected.sort(key=lambda r: (r.source.sheet, r.source.row))
    by_file = {report.path: report for report in reports}
    for (file, sicil, active), n in sorted(counts.items()):
        workplace = by_file[file].workplaces.setdefault(sicil, WorkplaceCount())
        if active:
            workplace.active += n
        else:
            workplace.left += n


def read_file(
    path: Path, *, today: dt.date, default_sicil: str | None = None, engine: Engine = "calamine"
) -> tuple[FileReport, list[RosterRow]]:
    """One file's report and its valid rows (before duplicates are resolved); never raises for bad data."""
    report = FileReport(path=str(path))
    try:
        sheets = read_sheets(path, engine)
        rows = _read_sheets(path, sheets, report, today, default_sicil)
    except RosterReadError as exc:
        report.error_kind, report.error_tr, report.error_en = exc.kind, exc.message_tr, exc.message_en
        report.found_headers = exc.found_headers
        return report, []
    return report, rows


def _read_sheets(
    path: Path, sheets: list[RawSheet], report: FileReport, today: dt.date, default_sicil: str | None
) -> list[RosterRow]:
    file_sicil = h.sicil_in_text(path.stem) or default_sicil
    rows: list[RosterRow] = []
    found_any = False
    for sheet in sheets:
        header = h.find_header(sheet)
        if header is None:
            report.sheets.append(SheetNote(name=sheet.name, headers_seen=h.visible_headers(sheet)))
            continue
        found_any = True
        header_row = sheet.first_row + header.row_index
        report.sheets.append(
            SheetNote(name=sheet.name, header_row=header_row, ignored_columns=header.ignored)
        )
        sheet_sicil = h.sicil_above(sheet, header) or h.sicil_in_text(sheet.name) or file_sicil
        rows.extend(_read_table(str(path), sheet, header, sheet_sicil, report, today))
    if not found_any:
        seen = [text for note in report.sheets for text in note.headers_seen]
        raise RosterReadError(
            "no_header",
            "Başlık satırı bulunamadı (TC Kimlik No sütunu yok). Bulunan başlıklar: "
            + (", ".join(seen) or "—"),
            "No header row found (no TC number column). Headers found: " + (", ".join(seen) or "—"),
            seen,
        )
    return rows


def _column(table: pd.DataFrame, col: int) -> pd.Series:
    if col in table.columns:
        return table[col]
    return pd.Series([None] * len(table), index=table.index, dtype=object)


def _read_table(
    file: str, sheet: RawSheet, header: h.Header, sheet_sicil: str | None, report: FileReport, today: dt.date
) -> list[RosterRow]:
    table = pd.DataFrame(sheet.rows[header.row_index + 1 :], dtype=object)
    if table.empty:
        return []
    table.index = table.index + sheet.first_row + header.row_index + 1  # row numbers as the program shows
    used = [col for cols in header.columns.values() for col in cols]
    has_data = ~pd.concat([blank_mask(_column(table, c)) for c in used], axis=1).all(axis=1)
    table = table[has_data.astype(bool)]
    report.rows_total += len(table)
    if table.empty:
        return []

    latest = today + dt.timedelta(days=_FUTURE_DAYS)
    fields = header.columns
    nothing = pd.Series([None] * len(table), index=table.index, dtype=object)
    tcs, tc_problems = normalize_tc_column(_column(table, fields[h.TC][0]))
    sicils, sicil_problems = nothing, nothing
    if h.SICIL in fields:
        sicils, sicil_problems = normalize_sicil_column(_column(table, fields[h.SICIL][0]))
    hired, hired_problems = nothing, nothing
    if h.HIRED in fields:
        hired, hired_problems = parse_date_column(_column(table, fields[h.HIRED][0]), latest)
    left, left_problems = nothing, nothing
    if h.LEFT in fields:
        left, left_problems = parse_date_column(_column(table, fields[h.LEFT][0]), latest)
    names = _names(table, fields)

    # Problems in reporting order: the first one a row has is the reason it is rejected.
    first_problems = [
        _first_problem(found)
        for found in zip(
            _values(tc_problems), _values(sicil_problems), _values(hired_problems), _values(left_problems),
            strict=True,
        )
    ]  # fmt: skip
    rows: list[RosterRow] = []
    for row_number, problem, tc, sicil, hired_on, left_on, name in zip(
        table.index, first_problems, _values(tcs), _values(sicils), _values(hired), _values(left),
        names.tolist(), strict=True,
    ):  # fmt: skip
        sicil = sicil or sheet_sicil
        if problem is None and sicil is None:
            problem = (h.SICIL, NO_SICIL)
        if problem is None and hired_on is not None and left_on is not None and left_on < hired_on:
            problem = (h.LEFT, LEFT_BEFORE_HIRED)
        # Built from values this function made itself; validating 100,000 of them would cost a second.
        ref = RowRef.model_construct(file=file, sheet=sheet.name, row=int(row_number))
        if problem is not None:
            field, (reason_tr, reason_en) = problem
            rejected = _rejection(ref, table, header, field, row_number, reason_tr, reason_en)
            if field != h.TC:  # the TC itself was readable: the person is known, the row is not
                rejected = rejected.model_copy(update={"tc": tc, "sicil": sicil})
            report.rejected.append(rejected)
            continue
        rows.append(RosterRow(sicil=sicil, tc=tc, name=name, hired=hired_on, left=left_on, source=ref))
    return rows


def _first_problem(found: tuple[Problem | None, ...]) -> tuple[str, Problem] | None:
    for field, problem in zip(_PROBLEM_ORDER, found, strict=True):
        if problem is not None:
            return field, problem
    return None


def _values(series: pd.Series) -> list:
    """Plain Python values, with pandas' missing markers turned back into None."""
    return [
        None if v is None or v is pd.NaT or (isinstance(v, float) and v != v) else v for v in series.tolist()
    ]


def _names(table: pd.DataFrame, fields: dict[str, list[int]]) -> pd.Series:
    if h.NAME in fields:
        return clean_names(*(_column(table, c) for c in fields[h.NAME]))
    parts = [_column(table, fields[f][0]) for f in (h.FIRST_NAME, h.LAST_NAME) if f in fields]
    if parts:
        return clean_names(*parts)
    return pd.Series([""] * len(table), index=table.index, dtype=object)


def _rejection(
    ref: RowRef,
    table: pd.DataFrame,
    header: h.Header,
    field: str,
    row_number: int,
    reason_tr: str,
    reason_en: str,
) -> RejectedRow:
    if field in header.columns:
        column = header.label(field)
        raw = table.at[row_number, header.columns[field][0]]
        value = "" if is_blank(raw) else str(raw)
    else:
        column, value = "SGK Sicil No", ""
    return RejectedRow(
        source=ref,
        column=column,
        value=value,
        reason_tr=reason_tr,
        reason_en=reason_en,
        tc_column=field == h.TC,
    )
