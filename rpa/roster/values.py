"""Column-wise normalisation of roster cells: TC numbers, dates, names, sicil numbers.

Each function takes a column (pandas Series of raw cell values) and returns the clean values plus, per
row, a problem (Turkish, English) or None. The common shapes are handled vectorised; only odd cells go
through the per-cell rules in rpa.domain.identifiers.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from rpa.domain.identifiers import IdentifierError, normalize_sicil, normalize_tc

Problem = tuple[str, str]  # (Turkish, English)

TC_CHECKSUM: Problem = (
    "TC Kimlik No geçersiz (kontrol haneleri tutmuyor)",
    "invalid TC number (check digits)",
)
TC_EMPTY: Problem = ("TC Kimlik No boş", "TC number is empty")
DATE_UNREADABLE: Problem = ("tarih anlaşılamadı (gg.aa.yyyy bekleniyor)", "date not understood (dd.mm.yyyy)")
# Excel's day 0 is 1899-12-30 (it counts the non-existent 1900-02-29).
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Serial numbers outside 1940..2100 are not dates in a roster; they are mistyped numbers.
_SERIAL_MIN, _SERIAL_MAX = 14611, 73415
_SERIAL_TEXT = re.compile(r"\d{5}(?:[.,]0+)?")
_DATE_FORMATS = ("%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S")
EARLIEST_DATE = dt.date(1940, 1, 1)


def is_blank(value: object) -> bool:
    """True for an empty cell: None, NaN, or only spaces."""
    if value is None:
        return True
    if isinstance(value, float):
        return bool(np.isnan(value))
    return isinstance(value, str) and not value.strip()


def blank_mask(column: pd.Series) -> pd.Series:
    """Vectorised is_blank over a column."""
    return (column.isna() | column.astype(str).str.strip().eq("")).astype(bool)


def _is_text(column: pd.Series) -> pd.Series:
    return column.map(type).isin([str]).astype(bool)


def _tc_checksums_ok(tcs: pd.Series) -> np.ndarray:
    """Vectorised TC checksum over a Series of 11-digit ASCII strings."""
    if tcs.empty:
        return np.zeros(0, dtype=bool)
    d = np.frombuffer("".join(tcs).encode("ascii"), dtype=np.uint8).reshape(-1, 11).astype(np.int64) - 48
    odd = d[:, 0] + d[:, 2] + d[:, 4] + d[:, 6] + d[:, 8]
    even = d[:, 1] + d[:, 3] + d[:, 5] + d[:, 7]
    d10 = np.mod(7 * odd - even, 10)  # np.mod is non-negative for a positive divisor, like the rule asks
    d11 = np.mod(d[:, :10].sum(axis=1), 10)
    return (d[:, 0] != 0) & (d[:, 9] == d10) & (d[:, 10] == d11)


def normalize_tc_column(column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(TC as 11-digit text or None, problem or None) for every cell of a TC column."""
    tcs = pd.Series([None] * len(column), index=column.index, dtype=object)
    problems = pd.Series([None] * len(column), index=column.index, dtype=object)
    blank = blank_mask(column)
    problems[blank] = [TC_EMPTY] * int(blank.sum())

    # Fast path: clean 11-digit text, and whole numbers (calamine returns numeric cells as floats).
    is_text = _is_text(column)
    text = column[is_text & ~blank].astype(str).str.strip()
    clean_text = text[text.str.fullmatch(r"[1-9]\d{10}")]
    tcs[clean_text.index] = clean_text
    is_number = column.map(lambda v: isinstance(v, int | float) and not isinstance(v, bool)).astype(bool)
    numbers = pd.to_numeric(column[is_number & ~blank], errors="coerce")
    whole = numbers[(numbers >= 1e10) & (numbers < 1e11) & (numbers == np.floor(numbers))]
    tcs[whole.index] = whole.astype(np.int64).astype(str)

    # Everything else (grouped with spaces or dots, scientific notation, wrong length...) cell by cell.
    rest = column.index[tcs.isna() & ~blank]
    for index in rest:
        try:
            tcs[index] = normalize_tc(column[index])
        except IdentifierError as exc:
            problems[index] = (exc.message_tr, exc.message_en)

    shaped = tcs.dropna()
    ok = _tc_checksums_ok(shaped)
    bad = shaped.index[~ok]
    problems[bad] = [TC_CHECKSUM] * len(bad)
    tcs[bad] = None
    return tcs, problems


def _to_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, int | float) and not isinstance(value, bool) and _SERIAL_MIN <= value <= _SERIAL_MAX:
        return (_EXCEL_EPOCH + pd.Timedelta(days=int(value))).date()
    return None


def parse_date_column(column: pd.Series, latest: dt.date) -> tuple[pd.Series, pd.Series]:
    """(date or None when blank, problem or None) for every cell of a date column."""
    cells = column.tolist()
    dates: list[dt.date | None] = [None] * len(cells)
    problems: list[Problem | None] = [None] * len(cells)
    blank = blank_mask(column).to_numpy()
    is_text = _is_text(column).to_numpy() & ~blank

    # Real dates and serial numbers.
    for position in np.flatnonzero(~is_text & ~blank):
        dates[position] = _to_date(cells[position])

    # Text: Turkish day-first formats, then ISO, then serial numbers written as text; each vectorised.
    remaining = pd.Series(cells, dtype=object)[is_text].astype(str).str.strip()
    for fmt in _DATE_FORMATS:
        if remaining.empty:
            break
        parsed = pd.to_datetime(remaining, format=fmt, errors="coerce")
        found = parsed.notna()
        for position, ts in parsed[found].items():
            dates[position] = ts.date()
        remaining = remaining[~found]
    if not remaining.empty:
        iso = remaining.str.fullmatch(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
        parsed = pd.to_datetime(remaining[iso], format="ISO8601", errors="coerce")
        for position, ts in parsed[parsed.notna()].items():
            dates[position] = ts.date()
    for position, text in remaining.items():
        if dates[position] is None and _SERIAL_TEXT.fullmatch(text):
            dates[position] = _to_date(float(text.replace(",", ".")))

    for position in np.flatnonzero(~blank):
        day = dates[position]
        if day is None:
            problems[position] = DATE_UNREADABLE
        elif not EARLIEST_DATE <= day <= latest:
            problems[position] = (
                f"tarih makul aralıkta değil ({day:%d.%m.%Y})",
                f"date out of the plausible range ({day:%d.%m.%Y})",
            )
            dates[position] = None
    return _series(dates, column), _series(problems, column)


def _series(values: list, like: pd.Series) -> pd.Series:
    return pd.Series(values, index=like.index, dtype=object)


def clean_names(*columns: pd.Series) -> pd.Series:
    """Names trimmed and kept as written; split first/last name columns joined with one space."""
    parts = [column.map(lambda v: "" if is_blank(v) else str(v).strip()) for column in columns]
    joined = parts[0]
    for part in parts[1:]:
        joined = (joined + " " + part).str.strip()
    return joined


def normalize_sicil_column(column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(26-digit sicil or None when blank, problem or None) for every cell of a sicil column."""
    sicils: list[str | None] = []
    problems: list[Problem | None] = []
    # A roster repeats a handful of sicils on every row: normalise each distinct cell once.
    cache: dict[tuple[type, object], tuple[str | None, Problem | None]] = {}
    for value in column.tolist():
        key = (type(value), value)
        if key not in cache:
            if is_blank(value):
                cache[key] = (None, None)
            else:
                try:
                    cache[key] = (normalize_sicil(value), None)
                except IdentifierError as exc:
                    cache[key] = (None, (exc.message_tr, exc.message_en))
        sicil, problem = cache[key]
        sicils.append(sicil)
        problems.append(problem)
    return _series(sicils, column), _series(problems, column)
