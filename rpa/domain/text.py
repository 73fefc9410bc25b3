"""Turkish-aware case mapping and a fold for matching spreadsheet headers and labels."""

from __future__ import annotations

import re
import unicodedata

# Python's str.lower()/upper() follow the root locale: "I".lower() is "i" and "i".upper() is "I",
# which is wrong for Turkish ("I" -> "ı", "i" -> "İ"). The dotted/dotless pairs are mapped first.
_TR_LOWER = str.maketrans({"I": "ı", "İ": "i"})
_TR_UPPER = str.maketrans({"i": "İ", "ı": "I"})

# For matching only: spreadsheets mix dotted and dotless i (a header typed on an English keyboard
# reads "TC KIMLIK NO", whose Turkish lower case is "tc kımlık no"), so the fold maps ı to i and
# drops the other Turkish letters to their ASCII base. That loses information on purpose: the fold
# is a matching key, never shown to anyone.
_ASCII_BASE = str.maketrans(
    {"ı": "i", "ç": "c", "ğ": "g", "ö": "o", "ş": "s", "ü": "u", "â": "a", "î": "i", "û": "u"}
)
# Dots and apostrophes join ("T.C." -> "tc", "İşveren'in" -> "isverenin"); other punctuation separates.
_JOINERS = re.compile(r"[.'’`´]")
_SEPARATORS = re.compile(r"[^0-9a-z]+")


def tr_lower(s: str) -> str:
    """Lower-case with Turkish rules ("I" -> "ı", "İ" -> "i")."""
    return unicodedata.normalize("NFC", s).translate(_TR_LOWER).lower()


def tr_upper(s: str) -> str:
    """Upper-case with Turkish rules ("i" -> "İ", "ı" -> "I")."""
    return unicodedata.normalize("NFC", s).translate(_TR_UPPER).upper()


def tr_fold(s: str) -> str:
    """Matching key: Turkish lower case, ASCII letters, no punctuation, single spaces."""
    folded = tr_lower(s).translate(_ASCII_BASE)
    # Any remaining accents (e.g. decomposed input, "é") are dropped after decomposition.
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(ch))
    folded = _JOINERS.sub("", folded)
    return _SEPARATORS.sub(" ", folded).strip()
