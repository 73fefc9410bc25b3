"""The test servers are real, private and on loopback only."""

from __future__ import annotations

import socket

from sqlalchemy import create_engine, text


def test_redis_is_a_real_server_on_loopback(redis_server, redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    client.set("katip", "1")
    assert client.get("katip") == b"1"
    assert client.config_get("bind")["bind"] == "127.0.0.1"
    assert client.info("server")["redis_version"]


def test_postgresql_is_a_real_server_on_loopback_with_a_password(postgres_server, postgres_url):
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        assert conn.execute(text("SHOW listen_addresses")).scalar() == "127.0.0.1"
        assert "PostgreSQL" in conn.execute(text("SELECT version()")).scalar()
    engine.dispose()
    wrong = create_engine(postgres_url.replace(postgres_server.password, "wrong"))
    try:
        with wrong.connect():
            raise AssertionError("a wrong password was let in")
    except Exception as error:  # noqa: BLE001 - psycopg's OperationalError, wrapped
        assert "password" in str(error)
    # Nothing answers on another address of this machine.
    with socket.socket() as probe:
        probe.settimeout(1)
        assert probe.connect_ex(("127.0.0.2", postgres_server.port)) != 0
