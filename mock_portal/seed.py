"""Seed data: generate it (`generate`), load it into a portal (`load_if_empty`, `reset`), number contracts.

A seed file is JSON: either `{"options": {"accounts": 3, "workplaces": 4, "employees": 25, "seed": 7}}`
or the tables themselves, `{"accounts": [{...}], "workplaces": [...], ...}` with the database's columns.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, fields
from operator import itemgetter
from pathlib import Path
from typing import Any

from flask import Flask

from mock_portal import db
from mock_portal.seed_demo import DEMO_NAME, DEMO_PASSWORD, DEMO_TC
from mock_portal.seed_generate import generate
from mock_portal.seed_rows import CONTRACT_NO_BASE, REFERENCE_DAY, SeedData, SeedOptions

__all__ = [
    "CONTRACT_NO_BASE",
    "DEMO_NAME",
    "DEMO_PASSWORD",
    "DEMO_TC",
    "REFERENCE_DAY",
    "SeedData",
    "SeedOptions",
    "generate",
    "load_if_empty",
    "load_file",
    "new_contract_no",
    "options_of",
    "reset",
]

# Everything a reset forgets: seed tables and the portal's own runtime state.
_RUNTIME_TABLES = ("sessions", "form_tokens", "sms_codes", "refresh_requests", "bulk_updates", "audit")


def options_of(app: Flask) -> SeedOptions:
    """The seed options an app was created with (`SEED` config; {} or None mean the defaults)."""
    return SeedOptions.from_mapping(app.config.get("SEED") or {})


def load_file(path: str | Path) -> SeedOptions | SeedData:
    """Read a seed file: options to generate from, or the tables themselves."""
    content = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(content, dict):
        raise ValueError("a seed file holds a JSON object")
    if "options" in content:
        return SeedOptions.from_mapping(content["options"])
    unknown = set(content) - set(SeedData.TABLES)
    if unknown:
        raise ValueError(f"unknown tables in seed file: {', '.join(sorted(unknown))}")
    return SeedData(**{table: _same_keys(content.get(table, [])) for table in SeedData.TABLES})


def _same_keys(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows written by hand may leave out different optional columns: give every row every key."""
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValueError("each table in a seed file is a list of objects")
    keys = list(dict.fromkeys(key for row in rows for key in row))
    return [{key: row.get(key) for key in keys} for row in rows]


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    allowed = _columns(conn, table)
    strange = set(rows[0]) - set(allowed)
    if strange:  # column names come from files too: never put an unknown one into SQL
        raise ValueError(f"unknown columns for {table}: {', '.join(sorted(strange))}")
    names = [name for name in allowed if name in rows[0]]
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    # itemgetter: the values of a million rows are picked in C, not in a Python loop.
    pick = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    conn.executemany(sql, map(pick, rows))


def write_data(conn: sqlite3.Connection, data: SeedData) -> None:
    """Replace the whole state with `data` in one transaction."""
    with db.write(conn):
        for table in (*SeedData.TABLES, *_RUNTIME_TABLES):
            conn.execute(f"DELETE FROM {table}")
        for table in SeedData.TABLES:
            _insert(conn, table, getattr(data, table))


def reset(app: Flask, source: SeedOptions | SeedData | dict[str, Any] | str | Path | None = None) -> SeedData:
    """Reload the portal's state from options, data, a seed file, or (None) the app's own options."""
    if source is None:
        source = options_of(app)
    elif isinstance(source, dict):
        source = SeedOptions.from_mapping(source)
    elif isinstance(source, str | Path):
        source = load_file(source)
    data = source if isinstance(source, SeedData) else generate(source)
    conn = db.connect(app.config["DATABASE"])
    try:
        write_data(conn, data)
    finally:
        conn.close()
    return data


def load_if_empty(app: Flask) -> bool:
    """Seed a portal whose database has no accounts yet; True when it did."""
    conn = db.connect(app.config["DATABASE"])
    try:
        empty = conn.execute("SELECT 1 FROM accounts LIMIT 1").fetchone() is None
    finally:
        conn.close()
    if empty:
        reset(app)
    return empty


def new_contract_no(conn: sqlite3.Connection) -> str:
    """The next contract number: digits only, unique (call it inside the write transaction that inserts)."""
    row = conn.execute("SELECT MAX(CAST(no AS INTEGER)) FROM contracts WHERE no GLOB '[0-9]*'").fetchone()
    return str(max(int(row[0] or 0) + 1, CONTRACT_NO_BASE))


def data_as_dict(data: SeedData) -> dict[str, list[dict[str, Any]]]:
    """Seed data as JSON-ready tables (the seed-file format)."""
    return {f.name: list(getattr(data, f.name)) for f in fields(data)}


def options_as_dict(options: SeedOptions) -> dict[str, int]:
    """Seed options as JSON-ready data."""
    return asdict(options)
