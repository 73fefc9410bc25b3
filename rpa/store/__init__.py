"""Where the robot keeps what outlives a process: one small SQLAlchemy helper for every table it owns.

The run journal, the run history and the shared account locks are SQLAlchemy Core tables. On one machine
each lives in a private SQLite file in the state dir (WAL, mode 0600); with `KATIP_DATABASE_URL`
(`postgresql+psycopg://…`) they all live in that database, through the same code.
"""

from rpa.store.database import Database, like_prefix, private_sqlite_url

__all__ = ["Database", "like_prefix", "private_sqlite_url"]
