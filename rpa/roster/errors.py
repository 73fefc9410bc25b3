"""Why a roster file could not be read at all (as opposed to rows that were rejected)."""

from __future__ import annotations

from typing import Literal

ReadErrorKind = Literal["missing", "unreadable", "unsupported", "password", "no_header", "rejected"]


class RosterReadError(Exception):
    """A whole file is unusable; carries the reason in Turkish and English and, if any, the headers seen."""

    def __init__(
        self, kind: ReadErrorKind, message_tr: str, message_en: str, found_headers: list[str] | None = None
    ) -> None:
        super().__init__(f"{message_tr} / {message_en}")
        self.kind = kind
        self.message_tr = message_tr
        self.message_en = message_en
        self.found_headers = found_headers or []
