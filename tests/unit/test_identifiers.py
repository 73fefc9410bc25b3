"""TC Kimlik No and SGK sicil: what spreadsheets hold is normalised, then validated."""

from __future__ import annotations

import random

import pytest

from rpa.domain.identifiers import (
    IdentifierError,
    format_sicil,
    generate_sicil,
    generate_tc,
    is_valid_sicil,
    is_valid_tc,
    mask_tc,
    normalize_sicil,
    normalize_tc,
)

# Computed by hand from the rule: 19090909018 has 7*1 - 36 = -29, whose non-negative modulo is 1
# (a C-style remainder would give -9 and reject it).
VALID_TCS = ["10000000146", "12345678950", "19090909018"]


@pytest.mark.parametrize("tc", VALID_TCS)
def test_known_valid_tc_numbers_pass(tc: str) -> None:
    assert is_valid_tc(tc)


@pytest.mark.parametrize(
    "tc",
    [
        "12345678951",  # last digit off
        "12345678940",  # tenth digit off
        "02345678950",  # leading zero
        "1234567895",  # 10 digits
        "123456789500",  # 12 digits
        "1234567895a",
        "",
        "١٢٣٤٥٦٧٨٩٥٠",  # Arabic-Indic digits are digits to Python, not to the portal
    ],
)
def test_invalid_tc_numbers_fail(tc: str) -> None:
    assert not is_valid_tc(tc)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12345678950", "12345678950"),
        (12345678950, "12345678950"),
        (12345678950.0, "12345678950"),
        ("12345678950.0", "12345678950"),
        ("12345678950,00", "12345678950"),
        ("1.234567895E10", "12345678950"),
        ("1,234567895e+10", "12345678950"),
        (" 123 456 789 50 ", "12345678950"),
        ("123.456.789.50", "12345678950"),
        ("123\u00a0456\u00a078950", "12345678950"),
    ],
)
def test_tc_cells_of_every_shape_are_normalised(cell: object, expected: str) -> None:
    assert normalize_tc(cell) == expected


@pytest.mark.parametrize(
    ("cell", "reason_en"),
    [
        ("1234567895", "11 digits"),
        (1234567895, "11 digits"),
        ("1.2345E9", "11 digits"),
        (12345678950.5, "whole number"),
        ("12345-67A950", "digits only"),
        ("", "empty"),
        (None, "empty"),
        (True, "empty"),
    ],
)
def test_unusable_tc_cells_are_refused_with_a_reason(cell: object, reason_en: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        normalize_tc(cell)
    assert reason_en in caught.value.message_en
    assert caught.value.message_tr
    assert isinstance(caught.value, ValueError)


def test_generated_tc_numbers_are_valid_and_varied() -> None:
    rng = random.Random(7)
    numbers = {generate_tc(rng) for _ in range(500)}
    assert len(numbers) == 500
    assert all(is_valid_tc(tc) for tc in numbers)


def test_masked_tc_shows_only_the_ends() -> None:
    assert mask_tc("12345678950") == "123*****950"


SICIL = "12345010112345670340123000"  # 26 digits, il kodu 034 (İstanbul)


def test_sicil_fixture_has_26_digits() -> None:
    assert len(SICIL) == 26 and SICIL[16:19] == "034"


@pytest.mark.parametrize(
    "cell",
    [
        SICIL,
        f" {SICIL} ",
        "1 2345 01 01 1234567 034 01 23 000",
        "1-2345-01-01-1234567-034-01-23-000",
        int(SICIL),
    ],
)
def test_sicil_written_with_spaces_or_dashes_is_normalised(cell: object) -> None:
    assert normalize_sicil(cell) == "12345010112345670340123000"


@pytest.mark.parametrize(
    ("cell", "reason_en"),
    [
        ("1234501011234567034012300", "26 digits"),
        ("12345010112345670000123000", "province code"),
        ("12345010112345670820123000", "province code"),
        (1.2345010112345670e25, "lost digits"),
    ],
)
def test_bad_sicil_is_refused(cell: object, reason_en: str) -> None:
    with pytest.raises(IdentifierError, match=reason_en):
        normalize_sicil(cell)


@pytest.mark.parametrize(("il", "valid"), [("001", True), ("081", True), ("000", False), ("082", False)])
def test_sicil_province_code_must_be_1_to_81(il: str, valid: bool) -> None:
    assert is_valid_sicil("1234501011234567" + il + "0123000") is valid


def test_generated_sicil_is_valid_and_in_the_requested_province() -> None:
    rng = random.Random(3)
    sicils = [generate_sicil(rng, il_code=6) for _ in range(50)]
    assert all(is_valid_sicil(s) and s[16:19] == "006" for s in sicils)
    assert all(is_valid_sicil(generate_sicil(rng)) for _ in range(200))


def test_sicil_is_grouped_for_people() -> None:
    assert format_sicil("12345010112345670340123000") == "1 2345 01 01 1234567 034 01 23 000"
