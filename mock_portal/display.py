"""How the portal shows things: Turkish dates, and the one-line notices carried across a redirect."""

from __future__ import annotations

from datetime import date, datetime

from flask import request

from rpa.domain.text import tr_lower

# Turkish alphabetical order: "Çelik" sorts after "Cengiz", not after "Zeybek" as code points would.
_ALPHABET = "abcçdefgğhıijklmnoöprsştuüvyz"
_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}


def tr_date(value: str | date | None) -> str:
    """An ISO date (or timestamp) as the portal shows it: dd.mm.yyyy; empty for none."""
    if not value:
        return ""
    parsed = value if isinstance(value, date) else datetime.fromisoformat(str(value))
    return parsed.strftime("%d.%m.%Y")


def tr_datetime(value: str | datetime | None) -> str:
    """An ISO timestamp as dd.mm.yyyy HH:MM:SS; empty for none."""
    if not value:
        return ""
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed.strftime("%d.%m.%Y %H:%M:%S")


def notices(messages: dict[str, str], errors: dict[str, str]) -> dict[str, str | None]:
    """The success/error line named by `?m=`/`?e=` after a redirect (Post/Redirect/Get).

    Only known keys are shown, so a typed URL can never make the portal display arbitrary text.
    """
    return {
        "message": messages.get(request.args.get("m", "")),
        "error": errors.get(request.args.get("e", "")),
    }


def tr_sort_key(text: str) -> list[int]:
    """Sort key for Turkish alphabetical order (case-insensitive; a space sorts before any letter)."""
    return [-1 if ch == " " else _RANK.get(ch, 100 + ord(ch)) for ch in tr_lower(text)]
