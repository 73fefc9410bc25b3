"""TC Kimlik No and SGK işyeri sicil no: normalise what spreadsheets hold, validate, generate, mask."""

from __future__ import annotations

import math
import random
import re
from decimal import Decimal, InvalidOperation

TC_LENGTH = 11
SICIL_LENGTH = 26
# The il kodu sits at positions 17-19 (1-based) of the sicil: mahiyet (1) + işkolu (4) + ünite (2+2)
# + sıra no (7) come before it.
_IL_SLICE = slice(16, 19)
# Human grouping of the sicil: mahiyet · işkolu · ünite · ünite · sıra · il · ilçe · kontrol · aracı.
_SICIL_GROUPS = (1, 4, 2, 2, 7, 3, 2, 2, 3)

_SCIENTIFIC = re.compile(r"^[+]?\d+(?:[.,]\d+)?[eE][+]?\d+$")
# "12345678950.0" / "12345678950,00": a number that went through a float column and back to text.
_TRAILING_ZERO_DECIMAL = re.compile(r"^(\d+)[.,]0+$")
# Spaces (incl. no-break), dots and dashes are how people group digits by hand.
_GROUPING = re.compile(r"[\s.\-\u00a0\u202f]+")


class IdentifierError(ValueError):
    """A value that is not a usable identifier; carries the reason in Turkish and English."""

    def __init__(self, message_tr: str, message_en: str) -> None:
        super().__init__(f"{message_tr} / {message_en}")
        self.message_tr = message_tr
        self.message_en = message_en


def _digits_of(value: object, what: str) -> str:
    """Turn a cell value (str/int/float/Decimal) into a digit string, or raise IdentifierError."""
    if value is None or isinstance(value, bool):
        raise IdentifierError(f"{what} boş", f"{what} is empty")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            raise IdentifierError(f"{what} tam sayı değil", f"{what} is not a whole number")
        return str(int(value))
    if isinstance(value, Decimal):
        if value != value.to_integral_value():
            raise IdentifierError(f"{what} tam sayı değil", f"{what} is not a whole number")
        return str(int(value))
    text = str(value).strip()
    if not text:
        raise IdentifierError(f"{what} boş", f"{what} is empty")
    if _SCIENTIFIC.match(text):
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - the pattern only admits valid numbers
            raise IdentifierError(f"{what} sayı değil", f"{what} is not a number") from exc
        return _digits_of(number, what)
    match = _TRAILING_ZERO_DECIMAL.match(text)
    if match:
        return match.group(1)
    compact = _GROUPING.sub("", text)
    if not compact.isdigit() or not compact.isascii():
        raise IdentifierError(f"{what} yalnızca rakam içermeli", f"{what} must contain digits only")
    return compact


def normalize_tc(value: object) -> str:
    """Return the 11-digit TC Kimlik No held by a cell value; raise IdentifierError on a wrong shape."""
    digits = _digits_of(value, "TC Kimlik No")
    if len(digits) != TC_LENGTH:
        raise IdentifierError(
            f"TC Kimlik No 11 haneli olmalı ({len(digits)} hane)",
            f"TC number must have 11 digits (has {len(digits)})",
        )
    return digits


def _tc_check_digits(first9: str) -> str:
    d = [int(c) for c in first9]
    # Python's % already returns a non-negative result for a positive modulus; the rule says so
    # explicitly because other languages' remainder can go negative here.
    d10 = (7 * (d[0] + d[2] + d[4] + d[6] + d[8]) - (d[1] + d[3] + d[5] + d[7])) % 10
    d11 = (sum(d) + d10) % 10
    return f"{d10}{d11}"


def is_valid_tc(tc: str) -> bool:
    """True for an 11-digit TC Kimlik No with a non-zero first digit and correct check digits."""
    if len(tc) != TC_LENGTH or not tc.isascii() or not tc.isdigit() or tc[0] == "0":
        return False
    return tc[9:] == _tc_check_digits(tc[:9])


def generate_tc(rng: random.Random) -> str:
    """A random, checksum-valid TC Kimlik No (for test and demo data)."""
    first9 = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(8))
    return first9 + _tc_check_digits(first9)


def mask_tc(tc: str) -> str:
    """Mask a TC number for logs and reports: "123*****950"."""
    if len(tc) < 6:
        return "*" * len(tc)
    return tc[:3] + "*" * (len(tc) - 6) + tc[-3:]


def normalize_sicil(value: object) -> str:
    """Return the 26-digit sicil held by a cell value (spaces/dashes/dots removed); raise on a wrong shape."""
    if isinstance(value, float):
        # A float cannot hold 26 digits exactly: the spreadsheet already lost the last ones.
        raise IdentifierError(
            "SGK Sicil No sayı olarak kaydedilmiş, son haneleri kaybolmuş; hücreyi metin yapın",
            "SGK sicil stored as a number has lost digits; store the cell as text",
        )
    digits = _digits_of(value, "SGK Sicil No")
    if len(digits) != SICIL_LENGTH:
        raise IdentifierError(
            f"SGK Sicil No 26 haneli olmalı ({len(digits)} hane)",
            f"SGK sicil must have 26 digits (has {len(digits)})",
        )
    if not is_valid_sicil(digits):
        raise IdentifierError(
            f"SGK Sicil No içindeki il kodu geçersiz ({digits[_IL_SLICE]})",
            f"SGK sicil has an invalid province code ({digits[_IL_SLICE]})",
        )
    return digits


def is_valid_sicil(s: str) -> bool:
    """True for 26 digits whose il kodu (positions 17-19) is 001..081; check digits are not public."""
    if len(s) != SICIL_LENGTH or not s.isascii() or not s.isdigit():
        return False
    return 1 <= int(s[_IL_SLICE]) <= 81


def generate_sicil(rng: random.Random, il_code: int | None = None) -> str:
    """A random sicil of the right shape, in the given province (plate code) or a random one."""
    il = il_code if il_code is not None else rng.randint(1, 81)
    if not 1 <= il <= 81:
        raise ValueError(f"il code must be 1..81, got {il}")
    mahiyet = str(rng.choice((1, 2)))
    iskolu = f"{rng.randint(1, 9999):04d}"
    unite = f"{rng.randint(1, 99):02d}{rng.randint(1, 99):02d}"
    sira = f"{rng.randint(1, 9_999_999):07d}"
    ilce = f"{rng.randint(1, 99):02d}"
    kontrol = f"{rng.randint(0, 99):02d}"
    araci = "000" if rng.random() < 0.8 else f"{rng.randint(1, 999):03d}"
    return f"{mahiyet}{iskolu}{unite}{sira}{il:03d}{ilce}{kontrol}{araci}"


def format_sicil(s: str) -> str:
    """Group a 26-digit sicil for people: "1 2345 01 01 1234567 034 01 23 000"."""
    digits = normalize_sicil(s)
    parts, start = [], 0
    for size in _SICIL_GROUPS:
        parts.append(digits[start : start + size])
        start += size
    return " ".join(parts)
