"""Memory: peak RSS and PSS of the robot's processes (Python, Playwright's drivers, Chromium and its children).

The benchmark's target is at `--parallel 4` on the scaling workload (20 accounts × 5 workplaces ×
2 contracts); `bench.scaling` makes those runs and hands them here when both are selected.

Which number answers "how much RAM does this need": PSS (proportional set size, from
/proc/<pid>/smaps_rollup). Summed RSS counts every page once per process mapping it, and Chromium's
processes share most of their code and much of their memory (the zygote forks every renderer), so the
RSS sum over-counts, by a factor of 2.5 to 3 here. PSS splits each shared page among the processes
sharing it, so the PSS sum is what the tree really occupies; both are shown, each against the target.

Run alone: .venv/bin/python -m bench.memory [--quick]
"""

from __future__ import annotations

import threading
import time
from types import TracebackType

import psutil

from bench.results import Row, Target

TARGET_MB = 1536.0  # 1.5 GB
MB = 1024 * 1024


class PeakRss:
    """Samples the summed RSS of a process and all its descendants in a thread, keeping the peak."""

    def __init__(self, pid: int, interval_s: float = 0.05) -> None:
        self.pid = pid
        self.interval_s = interval_s
        self.peak_bytes = 0
        self.peak_pss_bytes = 0  # shared pages divided among their sharers: the tree's real footprint
        self.peak_processes = 0
        self.cpu_s = 0.0  # this sampler's own CPU time: taken off the in-process mock's (bench.robot)
        # CPU seconds per process of the tree, as last seen. getrusage(RUSAGE_CHILDREN) misses most of
        # Chromium's: its renderers are children of the zygote, which never waits for them.
        self._cpu: dict[int, tuple[str, float]] = {}
        self._samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="bench-rss", daemon=True)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def sample(self) -> None:
        """Take one sample now (PSS every fifth time: reading it costs more)."""
        try:
            root = psutil.Process(self.pid)
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            return  # gone already
        with_pss = self._samples % 5 == 0
        self._samples += 1
        rss = pss = 0
        for process in tree:
            try:
                times = process.cpu_times()
                kind = self._cpu[process.pid][0] if process.pid in self._cpu else _kind(process)
                self._cpu[process.pid] = (kind, times.user + times.system)
                rss += process.memory_info().rss
                if with_pss:
                    pss += _pss(process.pid)
            except (psutil.Error, OSError):
                continue  # a child that ended between listing and reading
        self.peak_bytes = max(self.peak_bytes, rss)
        self.peak_pss_bytes = max(self.peak_pss_bytes, pss)
        self.peak_processes = max(self.peak_processes, len(tree))

    def cpu_by_kind(self) -> dict[str, float]:
        """CPU seconds of the tree by kind of process: Python, the Playwright driver, Chromium."""
        totals: dict[str, float] = {}
        for kind, seconds in self._cpu.values():
            totals[kind] = totals.get(kind, 0.0) + seconds
        return totals

    def _watch(self) -> None:
        started = time.thread_time()
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval_s)
        self.cpu_s = time.thread_time() - started


def _kind(process: psutil.Process) -> str:
    """"python", "driver" (Playwright's node), "chromium" or "other"."""
    name = process.name().lower()
    if name.startswith("python") or name == "katip":
        return "python"
    if "node" in name:
        return "driver"
    if "chrom" in name or "headless" in name:
        return "chromium"
    return "other"


def _pss(pid: int) -> int:
    """The process's proportional set size in bytes (smaps_rollup: one summary, cheap to read)."""
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    return 0


def rows_from(peaks: list[PeakRss], parallel: int, sizes: str) -> list[Row]:
    """The memory rows for robot runs at `--parallel N`: summed RSS (the target) and summed PSS."""
    processes = max(p.peak_processes for p in peaks)
    return [
        Row("memory", f"peak RSS, robot + Chromium, --parallel {parallel}", "MB",
            [p.peak_bytes / MB for p in peaks], Target("<", TARGET_MB),
            f"{sizes}; RSS summed over up to {processes} processes: each shared page counted once per "
            "process mapping it, an over-count"),
        Row("memory", f"peak PSS, robot + Chromium, --parallel {parallel}", "MB",
            [p.peak_pss_bytes / MB for p in peaks], Target("<", TARGET_MB),
            note="the honest 'RAM this needs': shared pages split among their sharers (smaps_rollup)"),
    ]


def not_available(reason: str, failed: bool = False) -> list[Row]:
    """The memory row when it cannot be measured (not available, or the robot failed)."""
    row = Row("memory", "peak RSS, robot + Chromium, --parallel 4", "MB", [], Target("<", TARGET_MB))
    if failed:
        row.failed = reason
    else:
        row.note = reason
    return [row]


def run(quick: bool = False, runs: int | None = None) -> list[Row]:
    """Measure peak RSS at `--parallel 4` (through the scaling workload's runs)."""
    from bench import scaling

    return scaling.run(quick=quick, runs=runs, only_memory=True)


def main() -> None:
    """Print the memory rows."""
    from bench.results import run_alone

    run_alone(run, "memory", __doc__)


if __name__ == "__main__":
    main()
