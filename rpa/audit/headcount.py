"""Headcounts from a roster instead of SGK's 4A list (`katip audit --headcount-from ROSTER`)."""

from __future__ import annotations

from rpa.roster.models import Roster


def active_counts(roster: Roster) -> dict[str, int]:
    """People still employed per workplace (sicil) on the roster's day; a workplace with nobody left has 0."""
    return {sicil: sum(1 for row in rows if row.is_active(roster.today))
            for sicil, rows in roster.by_workplace().items()}
