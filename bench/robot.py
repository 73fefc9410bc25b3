"""Running the real robot (`katip approve`) as a subprocess against a bench portal, measured from outside."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from bench.memory import PeakRss
from bench.portal import (
    PASSWORD,
    PASSWORD_ENV,
    BenchAccount,
    BenchPortal,
    Hit,
    accounts_yaml,
    children_cpu_seconds,
    cpu_seconds,
)


class RobotFailed(RuntimeError):
    """The robot run did not do the work (so its time means nothing)."""


@dataclass
class RobotRun:
    """One `katip approve` run: wall time, what it did, and what it cost the machine."""

    wall_s: float
    spawned: float  # time.perf_counter() when the process was started (the portal log's clock)
    summary: dict[str, Any]
    memory: PeakRss
    mock_cpu_s: float  # this process's CPU while the robot ran, less the memory sampler's: the in-process mock
    robot_cpu_s: float  # the robot's CPU: Python, the Playwright drivers and Chromium
    hits: list[Hit] = field(default_factory=list)

    @property
    def until_first_request_s(self) -> float:
        """Python start-up, imports, Chromium launch: everything before the robot's first request."""
        return self.hits[0].started - self.spawned if self.hits else self.wall_s


def katip_command() -> list[str]:
    """The `katip` console script next to this Python (as users run it), else `python -m rpa`."""
    script = Path(sys.executable).with_name("katip")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "rpa"]


@cache
def approve_help() -> str:
    """`katip approve --help` (what the installed CLI offers)."""
    answer = subprocess.run([*katip_command(), "approve", "--help"], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "COLUMNS": "200"})
    return answer.stdout


def parallel_supported() -> bool:
    """Whether `katip approve` has `--parallel` yet."""
    return "--parallel" in approve_help()


def run_approve(
    portal: BenchPortal, accounts: list[BenchAccount], workdir: Path, extra: list[str], timeout_s: float
) -> RobotRun:
    """`katip approve --json [extra]` for these accounts, in a fresh state and out dir under `workdir`."""
    workdir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "KATIP_PORTAL_URL": portal.url,
        "KATIP_STATE_DIR": str(workdir / "state"),
        "KATIP_OUT_DIR": str(workdir / "out"),
        "KATIP_ACCOUNTS": str(accounts_yaml(workdir / "accounts.yaml", accounts)),
        PASSWORD_ENV: PASSWORD,
    }
    mark, mock_cpu, robot_cpu = portal.log.mark(), cpu_seconds(), children_cpu_seconds()
    started = time.perf_counter()
    process = subprocess.Popen([*katip_command(), "approve", "--json", *extra], env=env, cwd=workdir,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakRss(process.pid) as memory:
        try:
            stdout, stderr = process.communicate(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise RobotFailed(f"katip approve took longer than {timeout_s:.0f} s") from None
    wall = time.perf_counter() - started
    try:
        doc = json.loads(stdout)
    except json.JSONDecodeError:
        tail = " | ".join(stderr.strip().splitlines()[-3:])
        raise RobotFailed(f"katip approve exited {process.returncode} without JSON: {tail}") from None
    return RobotRun(
        wall_s=wall,
        spawned=started,
        summary=doc.get("summary", {}),
        memory=memory,
        mock_cpu_s=cpu_seconds() - mock_cpu - memory.cpu_s,
        robot_cpu_s=max(children_cpu_seconds() - robot_cpu, sum(memory.cpu_by_kind().values())),
        hits=portal.log.since(mark),
    )


def check_all_approved(portal: BenchPortal, expected: int, summary: dict[str, Any], before: int = 0) -> None:
    """RobotFailed unless exactly `expected` new approvals happened, each once, and all were reported."""
    approvals = portal.approvals()[before:]
    if len(approvals) != expected or len(set(approvals)) != expected:
        raise RobotFailed(f"{len(approvals)} approvals in the portal's audit log, expected {expected}")
    if summary.get("approved") != expected:
        raise RobotFailed(f"the robot reported {summary}, expected {expected} approved")
