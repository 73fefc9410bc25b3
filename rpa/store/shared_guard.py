"""The politeness gap and the session cap held across every worker of every machine, in Redis.

A run on one machine keeps them in memory (`rpa.resilience`); the workers of a distributed run each work
on their own accounts, so the portal would see their gaps overlap and more sessions than
`KATIP_MAX_SESSIONS`. With a broker (`KATIP_BROKER_URL`) the workers keep both in Redis, keyed by the
portal:

- the gap: one key holding the earliest moment the next step may go (Redis' own clock, so machines'
  clocks need not agree); each step reserves its moment atomically and sleeps until it;
- the cap: a sorted set of leases, one per account logged in; a worker renews its lease while it works,
  so the lease of a dead worker (kill -9) runs out after `LEASE_S` and frees its slot.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from rpa.resilience import PolitenessLimiter, SessionSlots

LEASE_S = 60.0  # a dead worker's session slot is free again after this
POLL_S = 0.2

# KEYS[1] the next free moment (ms); ARGV[1] the gap (ms). Returns [moment reserved, now], in ms (Redis'
# clock; whole milliseconds keep Lua's numbers exact and printed in full).
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, nxt)
redis.call('SET', KEYS[1], tostring(at + tonumber(ARGV[1])), 'PX', 3600000)
return {tostring(at), tostring(now)}
"""
# KEYS[1] the leases; ARGV[1] limit, ARGV[2] lease (ms), ARGV[3] token. Returns 1 if the slot is ours.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], 86400000)
  return 1
end
return 0
"""
_RENEW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZADD', KEYS[1], 'XX', 'CH', now + tonumber(ARGV[1]), ARGV[2])
"""


def portal_key(portal_url: str | None) -> str:
    """The Redis key prefix of one portal (its URL hashed)."""
    return "katip:portal:" + hashlib.sha256((portal_url or "").encode()).hexdigest()[:16]


def _client(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=10)


class SharedPoliteness(PolitenessLimiter):
    """At least `min_gap_s` between two steps sent to the portal, across all workers (Redis)."""

    def __init__(self, url: str, portal_url: str | None, min_gap_s: float,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(min_gap_s, sleep=sleep)
        self._redis = _client(url)
        self._key = portal_key(portal_url) + ":next"
        self._script = self._redis.register_script(_RESERVE)

    def wait(self) -> float:
        """Reserve this step's moment in Redis and sleep until it; returns how long it waited."""
        if self.min_gap_s <= 0:
            return 0.0
        at, now = (int(v) for v in self._script(keys=[self._key], args=[max(1, round(self.min_gap_s * 1000))]))
        left = (at - now) / 1000
        if left > 0:
            self._sleep(left)
        return left


class SharedSessionSlots(SessionSlots):
    """At most `limit` accounts logged in to the portal at once, across all workers (Redis leases)."""

    def __init__(self, url: str, portal_url: str | None, limit: int, lease_s: float = LEASE_S) -> None:
        super().__init__(limit)
        self._redis = _client(url)
        self._key = portal_key(portal_url) + ":sessions"
        self._lease_ms = int(lease_s * 1000)
        self._renew_every = lease_s / 3
        self._acquire = self._redis.register_script(_ACQUIRE)
        self._renew = self._redis.register_script(_RENEW)

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the portal's session slots while an account works (renewed until released)."""
        token = secrets.token_hex(8)
        while not self._acquire(keys=[self._key], args=[self.limit, self._lease_ms, token]):
            time.sleep(POLL_S)
        done = threading.Event()
        renewer = threading.Thread(target=self._keep, args=(token, done), daemon=True, name="katip-slot-lease")
        renewer.start()
        try:
            with self._counted():
                yield
        finally:
            done.set()
            renewer.join(timeout=5)
            self._redis.zrem(self._key, token)

    def _keep(self, token: str, done: threading.Event) -> None:
        while not done.wait(self._renew_every):
            try:
                self._renew(keys=[self._key], args=[self._lease_ms, token])
            except Exception:  # noqa: BLE001 - Redis away for a moment: the next renewal tries again
                continue
