"""Real servers for the distributed tests: a redis-server and a PostgreSQL per test session (per xdist
worker), in temporary folders on free loopback ports, stopped at the end. No fakes.

Tests that need one take `redis_url` / `postgres_url` (a clean broker, a new empty database per test);
they are skipped, saying why, only when the servers' programs are not installed (`make setup` installs
them with apt-get on Debian/Ubuntu as root).
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from rpa.localservers import PostgresServer, RedisServer, ServerMissing


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One redis-server for the session (loopback, no persistence)."""
    folder = Path(tempfile.mkdtemp(prefix="katip-redis-"))
    try:
        server = RedisServer.start(folder)
    except ServerMissing as missing:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"no real Redis: {missing}")
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL cluster for the session (loopback, a random password, fsync off)."""
    # Not under pytest's tmp folder: its 0700 parents would keep the `postgres` OS user out.
    folder = Path(tempfile.mkdtemp(prefix="katip-pg-"))
    try:
        server = PostgresServer.start(folder)
    except ServerMissing as missing:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"no real PostgreSQL: {missing}")
    try:
        yield server
    finally:
        from rpa.store.database import dispose_all

        dispose_all()  # close our pooled connections first: a fast shutdown waits for none then
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The session's Redis, emptied for this test."""
    redis_server.flush()
    return redis_server.url


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A new empty database for this test (`postgresql+psycopg://…` on loopback)."""
    return postgres_server.create_database(f"t_{uuid.uuid4().hex[:12]}")
