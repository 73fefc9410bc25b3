"""Maintenance windows: the portal switched into "Sistem bakımda" and back while a run goes on."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

from rpa.chaos.portal import Mock


@dataclass
class MaintenanceWindows:
    """A background thread opening a window every `every_s` seconds for `lasting_s`; counts them."""

    mock: Mock
    seed: int
    every_s: tuple[float, float] = (20.0, 40.0)
    lasting_s: tuple[float, float] = (1.0, 2.5)
    windows: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> MaintenanceWindows:
        rng = random.Random(self.seed)

        def toggle() -> None:
            while not self._stop.wait(rng.uniform(*self.every_s)):
                self.mock.dev("faults", json={"maintenance": True})
                self.windows += 1
                self._stop.wait(rng.uniform(*self.lasting_s))
                self.mock.dev("faults", json={"maintenance": False})

        self._thread = threading.Thread(target=toggle, name="maintenance-windows", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.mock.dev("faults", json={"maintenance": False})
