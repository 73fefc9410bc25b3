"""The whole suite, as `katip chaos` runs it: fault-free yardstick, chaos run, kill and resume."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rpa.chaos.figures import Figures, Reference
from rpa.chaos.kill import kill_run
from rpa.chaos.portal import Mock, start_portal
from rpa.chaos.runs import DEFAULT_OPTIONS, ChaosOptions, chaos_run, reference_run


@dataclass
class SuiteResult:
    """The yardstick and every part's figures."""

    reference: Reference
    parts: list[Figures] = field(default_factory=list)
    workdir: Path = Path()
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no part lost or doubled anything."""
        return all(p.ok for p in self.parts)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for `--json`."""
        return {"ok": self.ok, "seconds": self.seconds, "files": str(self.workdir),
                "fault_free": {"approvals": self.reference.approvals, "seconds": self.reference.seconds},
                "parts": [p.as_dict() for p in self.parts]}


def run_suite(workdir: Path, options: ChaosOptions = DEFAULT_OPTIONS, url: str | None = None, kills: int = 5,
              progress: Callable[[str], None] = lambda _line: None) -> SuiteResult:
    """Run the suite against the mock at `url` (test mode) or a fresh one started here."""
    started = time.monotonic()
    stop: Callable[[], None] | None = None
    if url:
        mock = Mock(url)
    else:
        mock, stop = start_portal(workdir / "portal")
    try:
        progress(f"fault-free run over {options.workplaces} workplaces ...")
        reference = reference_run(mock, workdir / "reference", options.seed, options.workplaces)
        progress(f"fault-free: {reference.approvals} approvals in {reference.seconds} s; now under chaos ...")
        result = SuiteResult(reference, workdir=workdir)
        result.parts.extend(chaos_run(mock, workdir / "chaos", reference, options))
        for part in result.parts:
            progress(f"{part.part}: {part.line()}")
        if kills:
            part = kill_run(mock, workdir / "kills", reference, options.seed, kills, options.workplaces)
            progress(f"{part.part}: {part.line()}")
            result.parts.append(part)
    finally:
        if stop is not None:
            stop()
        else:
            mock.close()
    result.seconds = round(time.monotonic() - started, 1)
    return result
