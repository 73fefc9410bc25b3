"""Distributed runs for real: a mock portal, a real Redis and PostgreSQL, `katip worker` processes."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from mock_portal.seed import DEMO_TC
from tests.parallel.conftest import Employer, write_accounts

SIZES = {"accounts": 7, "workplaces": 2, "employees": 8}


@pytest.fixture
def employers(live_portal) -> list[Employer]:
    """The portal reset to several generated employers with two workplaces each (the demo left out)."""
    live_portal.dev("reset", SIZES)
    accounts = live_portal.dev("state")["accounts"]
    found = [a for a in accounts if a["workplaces"] and a["two_step"] and a["tc"] != DEMO_TC]
    return [Employer(f"firma-{n + 1}", a["tc"], a["password"], tuple(a["workplaces"]))
            for n, a in enumerate(found)]


@dataclass
class Cluster:
    """The shared parts (broker, database, out folder, accounts file) and the processes started on them."""

    folder: Path
    portal_url: str
    employers: list[Employer]
    broker_url: str
    database_url: str
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def out_dir(self) -> Path:
        return self.folder / "shared-out"

    @property
    def accounts_file(self) -> Path:
        return write_accounts(self.folder, self.employers)

    def env(self, machine: str, **extra: str) -> dict[str, str]:
        """One machine's environment: its own state dir, the shared database, broker and out folder."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("KATIP_")}
        env.update(KATIP_STATE_DIR=str(self.folder / machine / "state"), KATIP_OUT_DIR=str(self.out_dir),
                   KATIP_PORTAL_URL=self.portal_url, KATIP_ACCOUNTS=str(self.accounts_file),
                   KATIP_TIMEOUT_MS="10000", KATIP_BROKER_URL=self.broker_url, KATIP_DATABASE_URL=self.database_url,
                   KATIP_SECRET_KEY="ortak parola / shared passphrase", KATIP_VISIBILITY_TIMEOUT_S="20",
                   KATIP_LOCK_WAIT_S="2")
        env.update({e.variable: e.password for e in self.employers})
        env.update(extra)
        return env

    def start_worker(self, machine: str, concurrency: int = 1) -> subprocess.Popen[bytes]:
        """`katip worker` as its own process group (kill -9 takes it, its pool and its browsers at once)."""
        (self.folder / machine).mkdir(parents=True, exist_ok=True)
        with (self.folder / machine / "worker.log").open("ab") as log:
            worker = subprocess.Popen([sys.executable, "-m", "rpa", "worker", "--concurrency", str(concurrency)],
                                      env=self.env(machine), stdout=log, stderr=log, start_new_session=True,
                                      cwd=self.folder)
        self.workers.append(worker)
        return worker

    def katip(self, machine: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "rpa", *args], env=self.env(machine), capture_output=True,
                              text=True, timeout=timeout, cwd=self.folder)

    def start(self, machine: str, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "rpa", *args], env=self.env(machine), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, cwd=self.folder)

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-3000:] for p in self.folder.glob("*/worker.log"))


def kill(process: subprocess.Popen) -> None:
    """kill -9 on the process and everything it started (its own process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


@pytest.fixture
def cluster(tmp_path, live_portal, employers, redis_url, postgres_url) -> Iterator[Cluster]:
    found = Cluster(tmp_path, live_portal.url, employers, redis_url, postgres_url)
    try:
        yield found
    finally:
        for worker in found.workers:
            if worker.poll() is None:
                kill(worker)
