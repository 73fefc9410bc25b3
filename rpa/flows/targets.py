"""Which workplaces a flow works on: all of the account's, or the ones named with `--workplace`."""

from __future__ import annotations

from rpa.domain.identifiers import normalize_sicil
from rpa.errors import KatipError, WorkplaceNotListed
from rpa.models import Workplace

# The portal's own words for a workplace this person may not use (also what a typed URL gets: 403).
NO_ACCESS_TR = "Bu işyerine erişim yetkiniz bulunmamaktadır."


def choose_targets(
    listed: list[Workplace], requested: list[str] | None, skip_foreign: bool = False
) -> list[tuple[str, Workplace | None]]:
    """(sicil, its row or None) in the order asked; None rows are tried anyway so that the portal says why."""
    by_sicil = {w.sicil: w for w in listed}
    if requested is None:
        return [(w.sicil, w) for w in listed]
    chosen: list[tuple[str, Workplace | None]] = []
    for raw in requested:
        sicil = normalize_sicil(raw)
        if sicil in by_sicil:
            chosen.append((sicil, by_sicil[sicil]))
        elif not skip_foreign:
            chosen.append((sicil, None))
    return chosen


def workplace_error(exc: KatipError) -> str:
    """What to report for a workplace that could not be opened; a foreign one gets the portal's 403 text."""
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, WorkplaceNotListed):
        return f"{NO_ACCESS_TR} ({first})"
    return first
