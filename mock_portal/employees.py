"""SGK 4A Çalışan Bilgileri: the portal's cached employee list, its paging, "Doğrula" and the bulk update."""

from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app

from mock_portal import db
from mock_portal.display import tr_datetime, tr_sort_key
from mock_portal.effects import apply_count_change
from rpa.domain.identifiers import is_valid_tc

PAGE_SIZES = (10, 50, 100, 500)
DEFAULT_PAGE_SIZE = 10
INVALID_TC = "Geçersiz TC Kimlik No."
NOT_FOUND = "SGK kaydı bulunamadı."
VERIFIED = "Çalışan bilgisi güncellendi."
BULK_REQUESTED = "Toplu güncelleme talebiniz alındı."
BULK_CONFIRM = "Tüm çalışan bilgileri SGK'dan güncellenecek. Devam edilsin mi?"
BULK_TOO_SOON = "Toplu güncelleme en fazla 10 dakikada bir yapılabilir."


@dataclass(frozen=True)
class EmployeePage:
    """One page of the 4A list and where it sits."""

    rows: list[dict]
    page: int
    pages: int
    size: int
    total: int


def page_size(value: str | None) -> int:
    """The requested page size if it is one the combobox offers, else the default."""
    return int(value) if value in {str(s) for s in PAGE_SIZES} else DEFAULT_PAGE_SIZE


def employee_page(conn: sqlite3.Connection, sicil: str, size: int, page: int) -> EmployeePage:
    """The employees of a workplace in Turkish name order, cut to one page (page clamped to 1..pages)."""
    rows = [dict(r) for r in conn.execute("SELECT * FROM employees WHERE sicil = ?", (sicil,))]
    rows.sort(key=lambda r: (tr_sort_key(r["name"]), r["tc"]))
    pages = max(1, math.ceil(len(rows) / size))
    page = min(max(page, 1), pages)
    return EmployeePage(rows[(page - 1) * size : page * size], page, pages, size, len(rows))


def verify(conn: sqlite3.Connection, sicil: str, raw_tc: str) -> tuple[bool, str]:
    """"TC Kimlik No İle Doğrula": copy SGK's record of one person; returns (success, message)."""
    tc = re.sub(r"\s+", "", raw_tc or "")
    if not is_valid_tc(tc):
        return False, INVALID_TC
    with db.write(conn):
        record = conn.execute("SELECT * FROM sgk WHERE sicil = ? AND tc = ?", (sicil, tc)).fetchone()
        if record is None:
            return False, NOT_FOUND
        before = db.active_count(conn, sicil)
        conn.execute(
            'INSERT INTO employees (sicil, tc, name, hired, "left", status) VALUES (?, ?, ?, ?, ?, ?) '
            'ON CONFLICT (sicil, tc) DO UPDATE SET name = excluded.name, hired = excluded.hired, '
            '"left" = excluded."left", status = excluded.status',
            (sicil, tc, record["name"], record["hired"], record["left"], _status(record["left"])),
        )
        db.audit(conn, "verify", sicil, tc)
        if db.active_count(conn, sicil) != before:
            apply_count_change(conn, sicil)
    return True, VERIFIED


def too_soon_message() -> str:
    """The rate-limit refusal, naming the configured interval (10 minutes on the real portal)."""
    minutes = round(current_app.config["FAULTS"].settings.bulk_interval_s / 60)
    if minutes in (0, 10):
        return BULK_TOO_SOON
    return BULK_TOO_SOON.replace("10 dakikada", f"{minutes} dakikada")


def request_bulk(conn: sqlite3.Connection, sicil: str) -> tuple[bool, str]:
    """"Toplu Çalışan Güncelle" → "Evet": queue a refresh from SGK unless one was asked for too recently."""
    settings = current_app.config["FAULTS"].settings
    now = db.now()
    interval = timedelta(seconds=settings.bulk_interval_s)
    with db.write(conn):
        last = conn.execute("SELECT requested_at FROM bulk_updates WHERE sicil = ?", (sicil,)).fetchone()
        if last and now - datetime.fromisoformat(last["requested_at"]) < interval:
            return False, too_soon_message()
        due = now + timedelta(seconds=settings.bulk_delay_s)
        conn.execute(
            "INSERT OR REPLACE INTO bulk_updates (sicil, requested_at, due_at, done_at) "
            "VALUES (?, ?, ?, NULL)",
            (sicil, now.isoformat(timespec="seconds"), due.isoformat(timespec="seconds")),
        )
        db.audit(conn, "bulk_update", sicil, None)
    return True, BULK_REQUESTED


def settle_bulk_updates(conn: sqlite3.Connection, sicil: str | None = None) -> int:
    """Complete the bulk updates whose delay has passed (all, or one workplace's); returns how many.

    The mock has no background worker: a due update is applied the next time anyone looks (the card
    page or `/_dev/state`), which is indistinguishable from outside and keeps tests free of sleeps.
    Usable inside or outside a transaction.
    """
    if not _due(conn, sicil):
        return 0  # the common case: no write lock needed just to look
    if conn.in_transaction:
        return _settle(conn, sicil)
    with db.write(conn):
        return _settle(conn, sicil)


def bulk_status(conn: sqlite3.Connection, sicil: str) -> str:
    """What follows "Son Toplu Güncelleme:": "İşleniyor", "Tamamlandı (time)" or "Yapılmadı"."""
    row = conn.execute("SELECT done_at FROM bulk_updates WHERE sicil = ?", (sicil,)).fetchone()
    if row is None:
        return "Yapılmadı"
    return f"Tamamlandı ({tr_datetime(row['done_at'])})" if row["done_at"] else "İşleniyor"


def sync_from_sgk(conn: sqlite3.Connection, sicil: str) -> None:
    """Replace the portal's 4A list of a workplace with what SGK knows (inside a write transaction)."""
    before = db.active_count(conn, sicil)
    conn.execute("DELETE FROM employees WHERE sicil = ?", (sicil,))
    conn.execute(
        'INSERT INTO employees (sicil, tc, name, hired, "left", status) '
        "SELECT sicil, tc, name, hired, \"left\", CASE WHEN \"left\" IS NULL THEN 'Aktif' ELSE 'Çıkış' END "
        "FROM sgk WHERE sicil = ?",
        (sicil,),
    )
    if db.active_count(conn, sicil) != before:
        apply_count_change(conn, sicil)


def _due(conn: sqlite3.Connection, sicil: str | None) -> list[str]:
    query = "SELECT sicil FROM bulk_updates WHERE done_at IS NULL AND due_at <= ?"
    args: tuple = (db.now_iso(),)
    if sicil is not None:
        query, args = query + " AND sicil = ?", (*args, sicil)
    return [r["sicil"] for r in conn.execute(query, args)]


def _settle(conn: sqlite3.Connection, sicil: str | None) -> int:
    done = 0
    for due_sicil in _due(conn, sicil):  # read again under the write lock: exactly once
        # Finished "at" its due time, not at the moment someone happened to look.
        conn.execute(
            "UPDATE bulk_updates SET done_at = due_at WHERE sicil = ? AND done_at IS NULL", (due_sicil,)
        )
        sync_from_sgk(conn, due_sicil)
        done += 1
    return done


def _status(left: str | None) -> str:
    return "Çıkış" if left else "Aktif"

