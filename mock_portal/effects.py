"""What a change in the active employee count does to a workplace's contracts (EVET / HAYIR).

"İSG Profesyonelleri Çalışma Süre Güncellemesi Otomatik Yapılsın mı?" decides it: with EVET the
portal raises the minutes of the active contracts itself; with HAYIR (or never answered, which the
portal treats the same way) a contract that falls below the legal minimum turns "Mevzuata Uygun:
Hayır" and gets a "Süre Güncelleme" waiting for the employer's approval.
"""

from __future__ import annotations

import sqlite3

from mock_portal import db, law

UPDATE = "Süre Güncelleme"
PENDING = "Onay Bekliyor"


def apply_count_change(conn: sqlite3.Connection, sicil: str) -> None:
    """Bring the active contracts in line with the current 4A count (call inside a write transaction)."""
    workplace = conn.execute(
        "SELECT hazard_class, auto_update FROM workplaces WHERE sicil = ?", (sicil,)
    ).fetchone()
    if workplace is None:
        return
    count = db.active_count(conn, sicil)
    active = conn.execute("SELECT * FROM contracts WHERE sicil = ? AND status = 'Aktif'", (sicil,)).fetchall()
    for contract in active:
        required = _clamp(law.minimum_minutes(contract["title"], workplace["hazard_class"], count))
        if workplace["auto_update"]:
            # Only ever upwards: fewer employees do not shorten a contract the OSGB already sold.
            if contract["minutes"] < required:
                conn.execute("UPDATE contracts SET minutes = ? WHERE no = ?", (required, contract["no"]))
        elif contract["minutes"] < required:
            _request_update(conn, contract, required)


def _request_update(conn: sqlite3.Connection, contract: sqlite3.Row, minutes: int) -> None:
    """Create the waiting "Süre Güncelleme" for a contract, or raise the one already waiting.

    Never two waiting updates per contract: when the count rises again before the employer acted,
    the waiting request is raised to the new minimum instead (it still describes what is needed).
    """
    waiting = conn.execute(
        "SELECT no, minutes FROM contracts WHERE parent_no = ? AND process_type = ? AND approval = ?",
        (contract["no"], UPDATE, PENDING),
    ).fetchone()
    if waiting is not None:
        if waiting["minutes"] < minutes:
            conn.execute("UPDATE contracts SET minutes = ? WHERE no = ?", (minutes, waiting["no"]))
        return
    from mock_portal.seed import new_contract_no  # late: the seed module builds on this one

    stamp = db.now()
    conn.execute(
        "INSERT INTO contracts (no, sicil, professional, professional_tc, title, cert_class, provider, "
        "start_date, minutes, process_type, status, approval, parent_no, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'Beklemede', ?, ?, ?)",
        (
            new_contract_no(conn),
            contract["sicil"],
            contract["professional"],
            contract["professional_tc"],
            contract["title"],
            contract["cert_class"],
            contract["provider"],
            stamp.date().isoformat(),
            minutes,
            UPDATE,
            PENDING,
            contract["no"],
            stamp.isoformat(timespec="seconds"),
        ),
    )


def _clamp(minutes: int) -> int:
    """A legal minimum as a contract can hold it: at most one full-time professional (11700 min)."""
    return min(minutes, law.MOST_MINUTES) if minutes >= law.FEWEST_MINUTES else 0
