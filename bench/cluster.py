"""Distributed runs: 20 accounts × 5 workplaces × 2 contracts with the portal answering 150 ms late,
`katip approve --distributed` on 1, 2 and 4 `katip worker` processes (one account at a time each).

A real redis-server and PostgreSQL are started for the benchmark (`rpa.localservers`, loopback, a new
database per run); the mock runs in this process. Each run must approve every contract exactly once.
Latency-bound work should scale with the workers until this machine's cores are the limit: the CPU the
workers, their browsers and the run took is reported beside each wall time.

Measured on 2 shared cores (load 6-12 from other work; one run per level), 200 approvals each time,
every one once with its PDF:

    workers   whole run   speed-up   CPU (workers, browsers, run)
    1         900 s       1.00×      200 s (0.2 cores busy)
    2         450 s       2.00×      193 s (0.4 cores busy)
    4         299 s       3.02×      198 s (0.7 cores busy)

The same CPU whatever the number of workers: the work waits on the portal, so it spreads; at 4 workers
the 2 cores (shared with the mock, Redis, PostgreSQL and the other work on the machine) start to tell.

Run alone: .venv/bin/python -m bench.cluster [--quick] [--runs N]
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.portal import PASSWORD, PASSWORD_ENV, accounts_yaml, bench_seed, children_cpu_seconds, fresh_portal
from bench.results import Row, Target
from bench.robot import RobotFailed, check_all_approved, katip_command

LATENCY_MS = 150
LEVELS = (1, 2, 4)
TARGET_SPEEDUP_4 = 2.5  # 4 workers over 1 where the time is the portal's latency (on 2 cores: CPU-capped)


def run(quick: bool = False, runs: int | None = None) -> list[Row]:
    """The cluster rows (n/a when Redis or PostgreSQL cannot be started here)."""
    from rpa.localservers import PostgresServer, RedisServer, ServerMissing

    accounts_n, workplaces, pending = (4, 1, 1) if quick else (20, 5, 2)
    levels = (1, 2) if quick else LEVELS
    describe = f"{accounts_n} accounts × {workplaces} workplaces × {pending} contracts, portal +{LATENCY_MS} ms"
    folder = Path(tempfile.mkdtemp(prefix="katip-bench-cluster-"))
    folder.chmod(0o711)
    try:
        try:
            redis = RedisServer.start(folder / "redis")
            postgres = PostgresServer.start(folder / "postgres")
        except (ServerMissing, RuntimeError) as missing:
            return [Row("cluster", f"{n} worker(s), whole run", "s", note=f"n/a: {missing}") for n in levels]
        try:
            return _measure(redis, postgres, folder, levels, runs or 1, (accounts_n, workplaces, pending), describe)
        finally:
            postgres.stop()
            redis.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _measure(redis, postgres, folder: Path, levels: tuple[int, ...], count: int,  # noqa: ANN001
             sizes: tuple[int, int, int], describe: str) -> list[Row]:
    data, accounts = bench_seed(*sizes)
    expected = sizes[0] * sizes[1] * sizes[2]
    walls: dict[int, list[float]] = {n: [] for n in levels}
    cpus: dict[int, list[float]] = {n: [] for n in levels}
    with fresh_portal(folder / "portal", data) as portal:
        portal.dev("faults", {"latency_ms": [LATENCY_MS, LATENCY_MS]})
        for index in range(count):
            for n in levels:  # interleaved: a change in the machine's load hits every level
                portal.load(data)
                redis.flush()
                work = folder / f"run-{index}-w{n}"
                work.mkdir(mode=0o700)
                env = {**{k: v for k, v in os.environ.items() if not k.startswith("KATIP_")},
                       "KATIP_PORTAL_URL": portal.url, "KATIP_OUT_DIR": str(work / "out"),
                       "KATIP_ACCOUNTS": str(accounts_yaml(work / "accounts.yaml", accounts)),
                       "KATIP_BROKER_URL": redis.url,
                       "KATIP_DATABASE_URL": postgres.create_database(f"b_{uuid.uuid4().hex[:10]}"),
                       "KATIP_SECRET_KEY": "bench", PASSWORD_ENV: PASSWORD}
                cpu_before = children_cpu_seconds()
                workers = [_worker(work / f"machine-{w}", env) for w in range(n)]
                try:
                    started = time.perf_counter()
                    done = subprocess.run([*katip_command(), "approve", "--distributed", "--json"], cwd=work,
                                          env={**env, "KATIP_STATE_DIR": str(work / "coordinator")},
                                          capture_output=True, text=True, timeout=300 + 30 * expected)
                    wall = time.perf_counter() - started
                finally:
                    for worker in workers:
                        _stop(worker)
                try:
                    summary = json.loads(done.stdout).get("summary", {})
                except json.JSONDecodeError:
                    raise RobotFailed(f"approve --distributed exited {done.returncode}: "
                                      f"{done.stderr.strip()[-300:]}") from None
                check_all_approved(portal, expected, summary)
                walls[n].append(wall)
                cpus[n].append(children_cpu_seconds() - cpu_before)
                print(f"cluster: {n} worker(s): {wall:.1f} s, {cpus[n][-1]:.0f} s CPU", file=sys.stderr, flush=True)
    rows: list[Row] = []
    for n in levels:
        rows.append(Row("cluster", f"{n} worker(s), whole run", "s", walls[n],
                        note=(f"{describe}; " if n == levels[0] else "") +
                        f"CPU of workers, browsers and run: {min(cpus[n]):.0f} s "
                        f"({min(c / w for c, w in zip(cpus[n], walls[n], strict=True)):.1f} cores busy)"))
    for n in levels[1:]:
        speedups = [one / many for one, many in zip(walls[levels[0]], walls[n], strict=True)]
        target = Target(">=", TARGET_SPEEDUP_4) if n == 4 else None
        rows.append(Row("cluster", f"speed-up {n} workers over 1", "x", speedups, target,
                        note=f"on {os.cpu_count()} cores, the mock, Redis and PostgreSQL on the same machine"))
    return rows


def _worker(state: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    state.mkdir(mode=0o700)
    with (state / "worker.log").open("ab") as log:
        return subprocess.Popen([*katip_command(), "worker", "--concurrency", "1", "--loglevel", "WARNING"],
                                env={**env, "KATIP_STATE_DIR": str(state / "state")}, stdout=log, stderr=log,
                                cwd=state, start_new_session=True)


def _stop(worker: subprocess.Popen[bytes]) -> None:
    """A warm shutdown (SIGTERM), so that its CPU time is counted; kill -9 if it will not go."""
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=60)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def main() -> None:
    """Print the cluster rows."""
    from bench.results import run_alone

    run_alone(run, "cluster", __doc__)


if __name__ == "__main__":
    main()
