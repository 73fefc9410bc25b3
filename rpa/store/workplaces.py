"""Each account's workplace list as it was when a refresh was last requested (the baseline of "yeni / new").

The real portal brings a refresh's rows minutes to hours later, so the run that asked is often over when
they arrive; a later `katip workplaces` (or the morning job) compares with this baseline and still reports
them as new. Kept beside the run history (its database), keyed by a hash of the account's TC number.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Column, MetaData, String, Table, Text, select

from rpa.history import history_url
from rpa.store import Database

METADATA = MetaData()
BASELINES = Table(
    "katip_known_workplaces", METADATA,
    Column("account_key", String(32), primary_key=True),
    Column("sicils", Text, nullable=False),
    Column("requested_at", String(40), nullable=False),
)


def account_key(tc: str) -> str:
    """A stable key for an account that does not show its TC number."""
    return hashlib.sha256(f"katip-known-workplaces:{tc}".encode()).hexdigest()[:24]


class KnownWorkplaces:
    """The baselines of one state dir or shared database."""

    def __init__(self, state_dir: Path, database_url: str | None = None) -> None:
        self.db = Database(history_url(state_dir, database_url), METADATA)

    def baseline(self, tc: str) -> tuple[set[str], str] | None:
        """(the sicils listed before the last refresh request, when it was asked), or None if never."""
        with self.db.connect() as conn:
            row = conn.execute(select(BASELINES).where(BASELINES.c.account_key == account_key(tc))).mappings().first()
        return (set(json.loads(row["sicils"])), row["requested_at"]) if row else None

    def requested(self, tc: str, sicils: list[str]) -> None:
        """A refresh was just asked for; `sicils` is the list as it was before."""
        statement = self.db.insert(BASELINES).values(account_key=account_key(tc), sicils=json.dumps(sorted(sicils)),
                                                     requested_at=datetime.now(UTC).isoformat(timespec="seconds"))
        with self.db.begin() as conn:
            conn.execute(statement.on_conflict_do_update(
                index_elements=[BASELINES.c.account_key],
                set_={"sicils": statement.excluded.sicils, "requested_at": statement.excluded.requested_at}))
