"""Injected faults (`/_dev/faults`): errors, maintenance, latency, session idle time, delays.

One `Faults` object per app instance, shared by the server's threads; a seeded RNG so that a failing
run can be replayed with the same sequence of faults.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import asdict, dataclass, field


@dataclass
class FaultSettings:
    """What `/_dev/faults` accepts; the defaults are a healthy portal."""

    error_rate: float = 0.0
    maintenance: bool = False
    latency_ms: tuple[int, int] = (0, 0)
    session_ttl_s: float = 1800.0
    refresh_delay_s: float = 0.0
    bulk_delay_s: float = 1.0
    bulk_interval_s: float = 600.0
    sms_ttl_s: float = 180.0
    seed: int | None = None


@dataclass
class Faults:
    """Thread-safe holder of the fault settings and their random stream."""

    settings: FaultSettings = field(default_factory=FaultSettings)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _rng: random.Random = field(default_factory=random.Random, repr=False)
    # What was played since the app started (never reset: a chaos run reads the difference).
    _injected: Counter[str] = field(default_factory=Counter, repr=False)

    def update(self, **changes: object) -> FaultSettings:
        """Change some settings; unknown names raise `TypeError`, bad values `ValueError`."""
        known = list(asdict(self.settings))
        unknown = [name for name in changes if name not in known]
        if unknown:
            raise ValueError(f"unknown key '{unknown[0]}'; known: {', '.join(known)}")
        with self._lock:
            merged = {**asdict(self.settings), **changes}
            merged["latency_ms"] = tuple(int(v) for v in merged["latency_ms"])
            new = FaultSettings(**merged)
            if not 0.0 <= float(new.error_rate) <= 1.0:
                raise ValueError("error_rate must be between 0 and 1")
            if len(new.latency_ms) != 2 or not 0 <= new.latency_ms[0] <= new.latency_ms[1]:
                raise ValueError("latency_ms must be [min, max] with 0 <= min <= max")
            self.settings = new
            if "seed" in changes:
                self._rng.seed(new.seed)
            return new

    def draw_error(self) -> bool:
        """Whether this request fails with a 500 page."""
        with self._lock:
            return self.settings.error_rate > 0 and self._rng.random() < self.settings.error_rate

    def draw_latency_s(self) -> float:
        """How long this request waits before it is answered."""
        with self._lock:
            low, high = self.settings.latency_ms
            return self._rng.uniform(low, high) / 1000.0 if high > 0 else 0.0

    def count(self, kind: str, amount: float = 1) -> None:
        """Count one injected fault (`error_500`, `maintenance_503`, `latency`, `idle_out`, ...)."""
        with self._lock:
            self._injected[kind] += amount

    def injected(self) -> dict[str, float]:
        """Every fault played so far, by kind (`latency_ms` sums the delays)."""
        with self._lock:
            return dict(self._injected)

    def as_dict(self) -> dict:
        """The current settings as JSON-friendly data."""
        with self._lock:
            data = asdict(self.settings)
        data["latency_ms"] = list(data["latency_ms"])
        return data
