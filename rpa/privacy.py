"""Masking personal data in what the robot writes: TC numbers and people's names.

Log lines are masked by `rpa.logs` (any 11-digit number, and every known name). Evidence is different:
a page's HTML holds numbers of every kind (sicil parts, contract numbers, phone numbers), so there only
11-digit runs that pass the TC Kimlik No checksum are masked, and the page stays readable.

Names cannot be told from other words by their shape ("Sistem Hatası" looks like "Ayşe Yılmaz"), so
the robot remembers every person's name it reads (`remember_names`: the models of the portal's rows
and the roster's rows register theirs) and masks those wherever they appear: log lines, page HTML,
trace archives, reports. `mask_name` masks one name the code holds in hand.
"""

from __future__ import annotations

import contextlib
import re
import threading
import zipfile
from collections.abc import Iterable
from pathlib import Path

from rpa.domain.identifiers import is_valid_tc, mask_tc
from rpa.domain.text import tr_lower

_ELEVEN = re.compile(r"(?<!\d)[1-9]\d{10}(?!\d)")
# Screenshots and fonts stay as they are; everything else (trace events, network log, page resources
# and request bodies stored as `.dat`) is masked if it reads as text.
_BINARY_SUFFIXES = (".png", ".jpeg", ".jpg", ".webp", ".gif", ".woff", ".woff2", ".ttf", ".ico", ".pdf")
# A run of two or more capitalised (or all-capital) words: where a known name may stand. One pass over
# the text with this pattern is far cheaper than an alternation of hundreds of names.
_WORD = r"[A-ZÇĞİÖŞÜÂÎÛ][\w'’]*"
_CAPITALISED_RUN = re.compile(rf"(?<!\w){_WORD}(?:[ \t\xa0]+{_WORD})+(?!\w)")
_SPACES = re.compile(r"[ \t\xa0]+")
_MAX_NAME_WORDS = 5


def mask_tcs(text: str) -> str:
    """`text` with every valid TC number masked (123*****950); other numbers untouched."""
    return _ELEVEN.sub(lambda m: mask_tc(m.group()) if is_valid_tc(m.group()) else m.group(), text)


def mask_name(name: str) -> str:
    """Each word of a name cut to its first letter: "Ayşe Yılmaz" -> "A*** Y***" (Turkish letters kept)."""
    return " ".join(f"{word[0]}***" for word in name.split())


class _KnownNames:
    """The names this process has read, as lower-case word tuples (thread-safe: accounts run in threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._names: set[tuple[str, ...]] = set()

    def add(self, names: Iterable[str]) -> None:
        keys = {_key(name) for name in names}
        # A single word ("Ali") would mask every "Ali" in a page; names worth masking have two or more.
        keys = {k for k in keys if 2 <= len(k) <= _MAX_NAME_WORDS}
        if not keys <= self._names:
            with self._lock:
                self._names |= keys

    def __contains__(self, words: tuple[str, ...]) -> bool:
        return words in self._names

    def clear(self) -> None:
        with self._lock:
            self._names.clear()


KNOWN_NAMES = _KnownNames()


def _key(name: str) -> tuple[str, ...]:
    return tuple(tr_lower(name).split())


def remember_names(*names: str | None) -> None:
    """Register people's names read from the portal or a roster, so that they are masked wherever they show."""
    KNOWN_NAMES.add(n for n in names if n and n.strip())


def _mask_run(match: re.Match[str]) -> str:
    """Mask each known name inside a run of capitalised words (the longest name first)."""
    words = _SPACES.split(match.group())
    keys = [tr_lower(w) for w in words]
    out, i = [], 0
    while i < len(words):
        for size in range(min(_MAX_NAME_WORDS, len(words) - i), 1, -1):
            if tuple(keys[i:i + size]) in KNOWN_NAMES:
                out.append(mask_name(" ".join(words[i:i + size])))
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    masked = " ".join(out)
    return match.group() if masked == " ".join(words) else masked


def mask_known_names(text: str) -> str:
    """`text` with every name the robot has read masked ("A*** Y***"); other words untouched."""
    return _CAPITALISED_RUN.sub(_mask_run, text)


def mask_personal(text: str) -> str:
    """`text` with valid TC numbers and known names masked: for page HTML and trace entries."""
    return mask_known_names(mask_tcs(text))


def redact_zip(path: Path) -> None:
    """Rewrite a Playwright trace archive with TC numbers and known names in its text entries masked."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    tmp = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if Path(info.filename).suffix.lower() not in _BINARY_SUFFIXES:
                # A binary resource (an image, a font) has nothing readable to mask.
                with contextlib.suppress(UnicodeDecodeError):
                    data = mask_personal(data.decode("utf-8")).encode("utf-8")
            target.writestr(info, data)
    tmp.replace(path)


def redact_zip_or_drop(path: Path) -> bool:
    """`redact_zip`, or delete the archive if it cannot be redacted (no unmasked evidence survives)."""
    try:
        redact_zip(path)
        return True
    except (OSError, zipfile.BadZipFile, ValueError):
        path.unlink(missing_ok=True)
        return False
