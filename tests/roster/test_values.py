"""Column normalisation: the vectorised paths agree with the per-cell rules."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from rpa.domain.identifiers import generate_tc, is_valid_tc
from rpa.roster.headers import FIRST_NAME, HIRED, LAST_NAME, LEFT, NAME, SICIL, TC, field_of, sicil_in_text
from rpa.roster.values import normalize_sicil_column, normalize_tc_column, parse_date_column

LATEST = dt.date(2026, 1, 1)


def test_vectorised_checksum_agrees_with_the_rule_on_many_numbers() -> None:
    import random

    rng = random.Random(11)
    # 19090909018: 7*1 - 36 is negative; its check digit needs the non-negative modulo.
    valid = ["19090909018", *(generate_tc(rng) for _ in range(300))]
    # Every single-digit change of a valid number must be caught.
    broken = [tc[:i] + str((int(tc[i]) + 1) % 10) + tc[i + 1 :] for tc in valid[:30] for i in range(1, 11)]
    cells = pd.Series(valid + broken, dtype=object)
    tcs, problems = normalize_tc_column(cells)
    assert [tc is not None for tc in tcs] == [is_valid_tc(c) for c in valid + broken]
    assert all(p is None for p in problems[: len(valid)])
    assert all(p is not None for p in problems[len(valid) :])


@pytest.mark.parametrize(
    "cell",
    [
        "12345678950",
        12345678950,
        12345678950.0,
        "12345678950.0",
        "1.234567895E10",
        " 123 456 789 50",
        "123.456.789.50",
    ],
)
def test_tc_cells_of_any_shape_give_the_same_number(cell: object) -> None:
    tcs, problems = normalize_tc_column(pd.Series([cell], dtype=object))
    assert (tcs[0], problems[0]) == ("12345678950", None)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("05.01.2020", dt.date(2020, 1, 5)),
        ("5.1.2020", dt.date(2020, 1, 5)),
        ("05/01/2020", dt.date(2020, 1, 5)),
        ("05-01-2020", dt.date(2020, 1, 5)),
        ("2020-01-05", dt.date(2020, 1, 5)),
        ("2020-01-05 00:00:00", dt.date(2020, 1, 5)),
        ("05.01.2020 00:00:00", dt.date(2020, 1, 5)),
        (43835, dt.date(2020, 1, 5)),
        (43835.0, dt.date(2020, 1, 5)),
        ("43835", dt.date(2020, 1, 5)),
        (dt.date(2020, 1, 5), dt.date(2020, 1, 5)),
        (dt.datetime(2020, 1, 5, 8, 30), dt.date(2020, 1, 5)),
        (pd.Timestamp("2020-01-05"), dt.date(2020, 1, 5)),
        ("", None),
        (None, None),
    ],
)
def test_dates_in_every_usual_shape_are_read_day_first(cell: object, expected: dt.date | None) -> None:
    dates, problems = parse_date_column(pd.Series([cell], dtype=object), LATEST)
    assert (dates[0], problems[0]) == (expected, None)


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("31.02.2023", "not understood"), ("13/13/2020", "not understood"), ("yarın", "not understood"),
        (12, "not understood"), ("01.01.1900", "plausible range"), ("01.01.2030", "plausible range"),
    ],
)  # fmt: skip
def test_impossible_dates_are_problems(cell: object, reason: str) -> None:
    dates, problems = parse_date_column(pd.Series([cell], dtype=object), LATEST)
    assert dates[0] is None
    assert reason in problems[0][1]


def test_sicil_cells_with_spaces_or_dashes_are_normalised_and_bad_ones_explained() -> None:
    sicil = "12345010112345670340123000"
    cells = pd.Series(
        [sicil, "1 2345 01 01 1234567 034 01 23 000", "1-2345-01-01-1234567-034-01-23-000", "123", None]
    )
    sicils, problems = normalize_sicil_column(cells)
    assert list(sicils) == [sicil, sicil, sicil, None, None]
    assert problems[3] is not None and "26 digits" in problems[3][1]
    assert problems[4] is None


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("T.C. KİMLİK NO", TC), ("Tc Kimlik No", TC), ("TC_KIMLIK_NO", TC), ("TCKN", TC), ("T.C. No", TC),
        ("Sigortalının T.C. Kimlik Numarası", TC), ("Adı Soyadı", NAME), ("ADI SOYADI", NAME),
        ("Ad Soyad", NAME),
        ("Adı", FIRST_NAME), ("Soyadı", LAST_NAME), ("İşe Giriş Tarihi (gg.aa.yyyy)", HIRED),
        ("Giriş Tarihi", HIRED), ("ISE GIRIS TARIHI", HIRED), ("Çıkış Tarihi", LEFT),
        ("İşten Ayrılış Tarihi", LEFT), ("SGK Sicil No", SICIL), ("İşyeri Sicil No.", SICIL),
        ("Departman", None), ("", None), (12, None),
    ],
)  # fmt: skip
def test_header_spellings_map_to_fields(header: object, field: str | None) -> None:
    assert field_of(header) == field


def test_sicil_is_found_inside_title_text() -> None:
    assert (
        sicil_in_text("SGK Sicil No: 1 2345 01 01 1234567 034 01 23 000 (merkez)")
        == "12345010112345670340123000"
    )
    assert sicil_in_text("Tel: 0212 555 55 55") is None
    assert sicil_in_text("12345010112345670000123000") is None  # il kodu 000
