"""Which differences SGK was already asked about, and when: so that a second run asks nothing new.

After a run, what is still different (SGK has no record, the leave was not filed, ...) would be sent to
SGK again by the next run, and SGK would give the same answer. The memory keeps, for each such
difference, a salted hash of its facts (workplace, person, kind, the roster's dates and the list's
record) and the time it was asked. The same difference is not asked again within `recheck_after`
(default a day); any change in the roster or the list makes it a new difference, asked at once.

Only hashes are kept (KVKK: no TC number on disk), in the private state dir, mode 0600.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from loguru import logger

from rpa.sync.reconcile import Difference

DEFAULT_RECHECK = timedelta(hours=24)
# Entries older than this are forgotten when the file is written.
KEEP_FOR = timedelta(days=60)
FILE_NAME = "roster-sync-memory.json"


def _fact(value: object) -> str:
    return "" if value is None else str(value)


class AskedMemory:
    """Salted hashes of differences already put to SGK, with the time of asking."""

    def __init__(self, path: Path | None, salt: str, asked: dict[str, str]) -> None:
        self.path = path
        self._salt = salt
        self._asked = asked

    @classmethod
    def load(cls, path: Path | None) -> AskedMemory:
        """Read the memory file (a missing or damaged one is an empty memory); None keeps nothing."""
        if path is None or not path.is_file():
            return cls(path, secrets.token_hex(16), {})
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(path, str(data["salt"]), {str(k): str(v) for k, v in data["asked"].items()})
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            logger.warning("roster sync memory {} unreadable ({}); starting afresh", path, exc)
            return cls(path, secrets.token_hex(16), {})

    def key(self, difference: Difference) -> str:
        """The hash of everything that makes this difference what it is."""
        roster, portal = difference.roster, difference.portal
        facts = [
            self._salt, difference.sicil, difference.tc, str(difference.kind),
            _fact(roster and roster.hired), _fact(roster and roster.left),
            _fact(portal and portal.status), _fact(portal and portal.hired), _fact(portal and portal.left),
        ]
        return hashlib.sha256("\x1f".join(facts).encode()).hexdigest()

    def asked_at(
        self, difference: Difference, now: datetime, within: timedelta = DEFAULT_RECHECK
    ) -> datetime | None:
        """When SGK was asked about exactly this difference, if that was less than `within` ago."""
        stamp = self._asked.get(self.key(difference))
        if stamp is None:
            return None
        when = datetime.fromisoformat(stamp)
        return when if now - when < within else None

    def remember(self, difference: Difference, now: datetime) -> None:
        """SGK was asked about this difference now and it remained."""
        self._asked[self.key(difference)] = now.isoformat(timespec="seconds")

    def save(self, now: datetime) -> None:
        """Write the memory (recent entries only), readable by this user only."""
        if self.path is None:
            return
        cutoff = now - KEEP_FOR
        kept = {k: v for k, v in self._asked.items() if datetime.fromisoformat(v) >= cutoff}
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"salt": self._salt, "asked": kept}, handle)
        os.replace(tmp, self.path)
