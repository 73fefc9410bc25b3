"""Reading the portal's request log: the steady per-contract cycle and the login, for any client."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bench.portal import Hit

_APPROVE = re.compile(r"^/sozlesmeler/\d+/onay$")


@dataclass(frozen=True)
class Cycle:
    """The steady per-contract cycle seen in the portal's request log."""

    seconds: float  # wall time per contract
    pages: float  # HTML/PDF requests per contract (redirects included)
    statics: float  # CSS/JS/icon requests per contract
    portal_s: float  # time the portal spent serving them, per contract
    shown: float = 0.0  # documents answered per contract, redirects not counted: pages shown, PDFs


def cycle(hits: list[Hit]) -> Cycle | None:
    """Per-contract figures between the first and the last approval post (None with fewer than two).

    Start-up, login and the last contract's PDF fall outside, for every client alike.
    """
    posts = sorted(h.started for h in hits if h.method == "POST" and _APPROVE.match(h.path))
    if len(posts) < 2:
        return None
    first, last, count = posts[0], posts[-1], len(posts) - 1
    window = [h for h in hits if first <= h.started < last]
    static = [h for h in window if _static(h)]
    pages = [h for h in window if not _static(h)]
    return Cycle(
        seconds=(last - first) / count,
        pages=len(pages) / count,
        statics=len(static) / count,
        portal_s=sum(h.seconds for h in window) / count,
        shown=sum(not h.redirect for h in pages) / count,
    )


def _static(hit: Hit) -> bool:
    return hit.path.startswith("/static/") or hit.path == "/favicon.ico"


def login_seconds(hits: list[Hit]) -> float | None:
    """From the first request to the workplace list shown after the two-step code."""
    coded = next((i for i, h in enumerate(hits) if h.method == "POST" and h.path == "/dogrulama"), None)
    if coded is None:
        return None
    shown = next((h for h in hits[coded:] if h.method == "GET" and h.path == "/isyerleri"), None)
    return shown.ended - hits[0].started if shown else None
