"""One SQLAlchemy engine per database, with what every store of the robot needs from it.

- SQLite (the default, one file per store in the state dir): the file is created 0600 before SQLite
  opens it, so its `-wal` and `-shm` side files get the same mode (SQLite copies the database file's
  permissions); WAL lets the workers of a run write while another process reads; a 30 s busy timeout
  lets two processes on one machine take turns instead of failing.
- Any other URL (PostgreSQL for several machines): used as given.

`like_prefix` escapes `%`, `_` and the escape character itself, so an id prefix typed by a person is
matched literally (`_` is not a wildcard).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

LIKE_ESCAPE = "\\"
BUSY_TIMEOUT_S = 30

_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def private_sqlite_url(path: Path) -> str:
    """The URL of a SQLite file, created empty with mode 0600 if it does not exist yet."""
    create_private_file(path)
    return f"sqlite:///{path}"


def create_private_file(path: Path) -> Path:
    """Create `path` (not its folder) readable by us only; tighten it if it exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    os.chmod(path, 0o600)
    return path


def like_prefix(text: str) -> str:
    """A LIKE pattern matching `text` literally, then anything (use with `escape=LIKE_ESCAPE`)."""
    escaped = text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", f"{LIKE_ESCAPE}%")
    return escaped.replace("_", f"{LIKE_ESCAPE}_") + "%"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL, a power loss keeps every committed row
    cursor.close()


def _engine(url: str) -> Engine:
    """One engine (and connection pool) per URL for the whole process: stores are opened often."""
    with _ENGINES_LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            if make_url(url).get_backend_name() == "sqlite":
                engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False})
                event.listen(engine, "connect", _sqlite_pragmas)
            else:
                engine = create_engine(url, pool_pre_ping=True)
            _ENGINES[url] = engine
        return engine


def create_tables(engine: Engine, metadata: MetaData, tries: int = 3) -> None:
    """Create the tables that are missing.

    Two processes opening a new database at once (two runs started together, a worker pool) may both
    see no table and both create it: the slower one's CREATE fails with "already exists" (SQLite,
    PostgreSQL) or a duplicate catalog row (PostgreSQL). Looking again then finds the other's tables."""
    for attempt in range(1, tries + 1):
        try:
            metadata.create_all(engine, checkfirst=True)
            return
        except (OperationalError, ProgrammingError, IntegrityError) as exc:
            message = str(exc.orig if exc.orig is not None else exc).lower()
            if attempt == tries or not ("already exists" in message or "duplicate" in message):
                raise


class Database:
    """A database the robot's stores write to; tables are created on first use."""

    def __init__(self, url: str, metadata: MetaData) -> None:
        self.url = url
        self.engine = _engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        create_tables(self.engine, metadata)

    def insert(self, table: Table) -> Any:
        """An INSERT with `on_conflict_do_update/nothing` (SQLite and PostgreSQL share that API)."""
        return (sqlite.insert if self.is_sqlite else postgresql.insert)(table)

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A connection in a transaction, committed at the end of the block (rolled back on error)."""
        with self.engine.begin() as connection:
            yield connection

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection for reads."""
        with self.engine.connect() as connection:
            yield connection


def dispose_all() -> None:
    """Close every pooled connection (tests, and before a process forks)."""
    with _ENGINES_LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()
