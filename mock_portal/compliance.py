"""Whether a contract meets the law, as the portal's "Mevzuata Uygun" column shows it."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from mock_portal import law
from mock_portal.db import active_count

MINUTES_MESSAGE = law.RANGE_MESSAGE


def workplace_hazard(conn: sqlite3.Connection, sicil: str) -> str:
    """The hazard class of a workplace."""
    row = conn.execute("SELECT hazard_class FROM workplaces WHERE sicil = ?", (sicil,)).fetchone()
    if row is None:
        raise LookupError(f"no workplace {sicil}")
    return str(row["hazard_class"])


def contract_violations(conn: sqlite3.Connection, row: Mapping[str, Any]) -> list[str]:
    """What is legally wrong with a contract at its workplace's hazard class and current 4A count."""
    hazard = workplace_hazard(conn, row["sicil"])
    return law.problems(row["title"], row["cert_class"], int(row["minutes"]), hazard,
                        active_count(conn, row["sicil"]))


def is_compliant(conn: sqlite3.Connection, row: Mapping[str, Any]) -> bool:
    """True when the contract has no violation ("Mevzuata Uygun: Evet")."""
    return not contract_violations(conn, row)


def minutes_error(value: object) -> str | None:
    """The portal's refusal for a "Çalışma Süresi" outside 1..11700 (None when acceptable)."""
    try:
        minutes = int(str(value).strip())
    except ValueError:
        return MINUTES_MESSAGE
    return None if law.FEWEST_MINUTES <= minutes <= law.MOST_MINUTES else MINUTES_MESSAGE
