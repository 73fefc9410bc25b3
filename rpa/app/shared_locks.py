"""Account locks in a shared PostgreSQL database: session-level advisory locks, released by the server
when the holding connection dies (a worker killed with -9 frees its accounts at once)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Column, MetaData, String, Table, Text, delete, select, text

from rpa.app.locks import POLL_S, AccountBusy, Holder, lock_key
from rpa.store import Database

METADATA = MetaData()
HOLDERS = Table(
    "katip_account_locks", METADATA,
    Column("key", String(32), primary_key=True),
    Column("holder", Text, nullable=False),
)


class AdvisoryLocks:
    """`pg_try_advisory_lock` per account on a connection of its own; who holds it in a small table."""

    def __init__(self, url: str) -> None:
        self.db = Database(url, METADATA)

    @contextmanager
    def hold(self, tc: str, holder: Holder, wait_s: float, stopped: Callable[[], bool]) -> Iterator[None]:
        """Hold the account's lock for the block; AccountBusy after `wait_s` (or at once when stopped)."""
        key = lock_key(tc)
        number = int(key[:15], 16)  # 60 bits: a PostgreSQL bigint
        connection = self.db.engine.connect()
        try:
            deadline = time.monotonic() + wait_s
            while not connection.execute(text("SELECT pg_try_advisory_lock(:n)"), {"n": number}).scalar():
                connection.commit()
                if time.monotonic() >= deadline or stopped():
                    raise AccountBusy(holder.account, self._holder(key))
                time.sleep(POLL_S)
            connection.commit()
            statement = self.db.insert(HOLDERS).values(key=key, holder=holder.model_dump_json())
            with self.db.begin() as conn:
                conn.execute(statement.on_conflict_do_update(index_elements=[HOLDERS.c.key],
                                                             set_={"holder": statement.excluded.holder}))
            try:
                yield
            finally:
                with self.db.begin() as conn:
                    conn.execute(delete(HOLDERS).where(HOLDERS.c.key == key))
                connection.execute(text("SELECT pg_advisory_unlock(:n)"), {"n": number})
                connection.commit()
        finally:
            connection.close()

    def _holder(self, key: str) -> Holder | None:
        with self.db.connect() as conn:
            found = conn.execute(select(HOLDERS.c.holder).where(HOLDERS.c.key == key)).scalar()
        try:
            return Holder.model_validate_json(found) if found else None
        except ValueError:
            return None
