"""Masking personal numbers in what the robot writes besides logs: HTML snapshots and trace archives.

Log lines are masked by `rpa.logs` (any 11-digit number). Evidence is different: a page's HTML holds
numbers of every kind (sicil parts, contract numbers, phone numbers), so here only 11-digit runs that
pass the TC Kimlik No checksum are masked, and the page stays readable.
"""

from __future__ import annotations

import contextlib
import re
import zipfile
from pathlib import Path

from rpa.domain.identifiers import is_valid_tc, mask_tc

_ELEVEN = re.compile(r"(?<!\d)[1-9]\d{10}(?!\d)")
# Screenshots and fonts stay as they are; everything else (trace events, network log, page resources
# and request bodies stored as `.dat`) is masked if it reads as text.
_BINARY_SUFFIXES = (".png", ".jpeg", ".jpg", ".webp", ".gif", ".woff", ".woff2", ".ttf", ".ico", ".pdf")


def mask_tcs(text: str) -> str:
    """`text` with every valid TC number masked (123*****950); other numbers untouched."""
    return _ELEVEN.sub(lambda m: mask_tc(m.group()) if is_valid_tc(m.group()) else m.group(), text)


def redact_zip(path: Path) -> None:
    """Rewrite a Playwright trace archive with the TC numbers in its text entries masked (images kept)."""
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    tmp = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info, data in entries:
            if Path(info.filename).suffix.lower() not in _BINARY_SUFFIXES:
                # A binary resource (an image, a font) has nothing readable to mask.
                with contextlib.suppress(UnicodeDecodeError):
                    data = mask_tcs(data.decode("utf-8")).encode("utf-8")
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
