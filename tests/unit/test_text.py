"""Turkish case rules and the header-matching fold."""

from __future__ import annotations

import pytest

from rpa.domain.text import tr_fold, tr_lower, tr_upper


@pytest.mark.parametrize(("text", "lower"), [("ISPARTA", "ısparta"), ("İZMİR", "izmir"), ("IĞDIR", "ığdır")])
def test_turkish_lower_case_keeps_dotted_and_dotless_i_apart(text: str, lower: str) -> None:
    assert tr_lower(text) == lower


@pytest.mark.parametrize(("text", "upper"), [("izmir", "İZMİR"), ("ılgaz", "ILGAZ"), ("çiğdem", "ÇİĞDEM")])
def test_turkish_upper_case_keeps_dotted_and_dotless_i_apart(text: str, upper: str) -> None:
    assert tr_upper(text) == upper


@pytest.mark.parametrize(
    "header",
    [
        "T.C. KİMLİK NO",
        "Tc Kimlik No",
        "TC_KIMLIK_NO",
        "tc kimlik no",
        "  T.C.  Kimlik  No: ",
        "TC-KİMLİK-NO",
    ],
)
def test_tc_header_spellings_fold_to_one_key(header: str) -> None:
    assert tr_fold(header) == "tc kimlik no"


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("İşe Giriş Tarihi", "ise giris tarihi"),
        ("ISE GIRIS TARIHI", "ise giris tarihi"),
        ("Adı Soyadı", "adi soyadi"),
        ("ADI-SOYADI", "adi soyadi"),
        ("Çıkış Tarihi", "cikis tarihi"),
        ("I\u0307şten Ayrılış", "isten ayrilis"),  # decomposed dotted capital I
        ("SGK Sicil No.", "sgk sicil no"),
    ],
)
def test_fold_ignores_case_turkish_letters_and_punctuation(header: str, key: str) -> None:
    assert tr_fold(header) == key
