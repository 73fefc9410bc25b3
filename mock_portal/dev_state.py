"""`GET /_dev/state`: the portal's whole state in the documented JSON shape."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any


def contract_json(conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
    """One contract as `/_dev/state` lists it (`compliant` is what "Mevzuata Uygun" shows)."""
    from mock_portal.compliance import is_compliant  # the contracts area owns the rule's application

    return {
        "no": row["no"],
        "sicil": row["sicil"],
        "professional": row["professional"],
        "title": row["title"],
        "cert_class": row["cert_class"],
        "minutes": row["minutes"],
        "process_type": row["process_type"],
        "status": row["status"],
        "approval": row["approval"],
        "compliant": bool(is_compliant(conn, row)),
        "professional_tc": row["professional_tc"],
        "provider": row["provider"],
        "start_date": row["start_date"],
        "parent_no": row["parent_no"],
        "approved_at": row["approved_at"],
        "reject_reason": row["reject_reason"],
    }


def _where(sicil: str | None, column: str = "sicil") -> tuple[str, tuple[str, ...]]:
    return (f" WHERE {column} = ?", (sicil,)) if sicil else ("", ())


def _accounts(conn: sqlite3.Connection, sicil: str | None) -> list[dict[str, Any]]:
    links: dict[str, dict[str, list[str]]] = defaultdict(
        lambda: {"workplaces": [], "workplaces_after_refresh": []}
    )
    for link in conn.execute("SELECT tc, sicil, visible FROM account_workplaces ORDER BY rowid"):
        links[link["tc"]]["workplaces" if link["visible"] else "workplaces_after_refresh"].append(
            link["sicil"]
        )
    accounts = []
    for account in conn.execute("SELECT * FROM accounts ORDER BY rowid"):
        linked = links[account["tc"]]
        if sicil and sicil not in linked["workplaces"] + linked["workplaces_after_refresh"]:
            continue
        accounts.append(
            {
                "tc": account["tc"],
                "password": account["password"],
                "name": account["name"],
                "two_step": bool(account["two_step"]),
                **linked,
            }
        )
    return accounts


def _workplaces(conn: sqlite3.Connection, sicil: str | None) -> list[dict[str, Any]]:
    clause, args = _where(sicil, "w.sicil")
    rows = conn.execute(
        f"""SELECT w.*,
                   (SELECT COUNT(*) FROM employees e WHERE e.sicil = w.sicil AND e.status = 'Aktif') AS active
            FROM workplaces w{clause} ORDER BY w.rowid""",
        args,
    )
    result = []
    for row in rows:
        contact_keys = ("phone", "email", "address", "il", "ilce")
        contact = {key: row[key] for key in contact_keys}
        result.append(
            {
                "sicil": row["sicil"],
                "unvan": row["unvan"],
                "hazard_class": row["hazard_class"],
                "active_count": row["active"],
                "auto_update": None if row["auto_update"] is None else bool(row["auto_update"]),
                "contact": contact if any(contact.values()) else None,
                "nace": row["nace"],
            }
        )
    return result


def state(conn: sqlite3.Connection, sicil: str | None = None) -> dict[str, Any]:
    """Everything: accounts, workplaces, contracts, the 4A list, what SGK knows, the audit log."""
    clause, args = _where(sicil)
    contracts = [
        contract_json(conn, row) for row in conn.execute(f"SELECT * FROM contracts{clause} ORDER BY no", args)
    ]
    employees = [
        {
            "sicil": r["sicil"],
            "tc": r["tc"],
            "name": r["name"],
            "hired": r["hired"],
            "left": r["left"],
            "status": r["status"],
        }
        for r in conn.execute(f"SELECT * FROM employees{clause} ORDER BY rowid", args)
    ]
    sgk = [
        dict(r)
        for r in conn.execute(f"SELECT sicil, tc, name, hired, left FROM sgk{clause} ORDER BY rowid", args)
    ]
    audit = [
        dict(r)
        for r in conn.execute(
            f"SELECT at, account_tc, action, sicil, target FROM audit{clause} ORDER BY id", args
        )
    ]
    return {
        "accounts": _accounts(conn, sicil),
        "workplaces": _workplaces(conn, sicil),
        "contracts": contracts,
        "employees": employees,
        "sgk": sgk,
        "audit": audit,
    }
