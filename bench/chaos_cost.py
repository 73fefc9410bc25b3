"""What faults cost: the same approvals fault-free and under the chaos settings, and still exactly once.

The chaos settings are the issue's: 20 % of the portal's pages answer "Sistem hatası", every page is 0–150 ms
late, a session idles out after 20 s. The same seed is loaded before each run (one account, W workplaces
× P compliant contracts); each run must approve every contract exactly once (the portal's audit log) with
its PDF; the row is the chaos run's wall time over the fault-free run's (target: at most 2.5×). Faults the
portal injected and breaker pauses are in the notes. Two more rows split the ratio: the chaos run over a
run at the same latency without errors (what the errors alone cost), and the seconds each error cost.

Run alone: .venv/bin/python -m bench.chaos_cost [--quick] [--runs N]
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
from collections import Counter
from pathlib import Path

from bench.portal import bench_seed, fresh_portal
from bench.results import Row, Target, run_alone
from bench.robot import RobotFailed, check_all_approved, run_approve
from rpa.chaos.scenario import HEALTHY, chaos_faults

TARGET_RATIO = 2.5
FULL, QUICK = (3, 3, 4), (2, 2, 1)  # workplaces, contracts per workplace, runs (faults vary by seed: four pairs)


def run(quick: bool = False, runs: int | None = None) -> list[Row]:
    """Fault-free and chaos approval runs, alternated; the rows."""
    workplaces, per_workplace, default_runs = QUICK if quick else FULL
    data, accounts = bench_seed(1, workplaces, per_workplace)
    expected = workplaces * per_workplace
    workdir = Path(tempfile.mkdtemp(prefix="katip-bench-chaos-"))
    calm, paced, rough, faults, errors = [], [], [], Counter[str](), []
    pace_only = {"latency_ms": list(chaos_faults()["latency_ms"])}  # the chaos run's latency, no errors
    try:
        with fresh_portal(workdir / "portal", data) as portal:
            for index in range(runs or default_runs):
                for kind, settings, into in (("calm", {}, calm), ("paced", pace_only, paced),
                                             ("rough", chaos_faults(), rough)):
                    portal.load(data)
                    portal.dev("faults", {**HEALTHY, **settings, "seed": 7 + index})
                    before = portal.dev("faults/injected")
                    robot = run_approve(portal, accounts, workdir / f"{kind}-{index}", [],
                                        timeout_s=600 + 60 * expected)
                    portal.dev("faults", HEALTHY)
                    check_all_approved(portal, expected, robot.summary)
                    _exactly_once(portal, expected)
                    into.append(robot.wall_s)
                    if kind == "rough":
                        after = portal.dev("faults/injected")
                        faults.update({k: after.get(k, 0) - before.get(k, 0) for k in after})
                        errors.append(after.get("error_500", 0) - before.get("error_500", 0))
    except RobotFailed as exc:
        return [Row("chaos", "chaos / fault-free approval run", "x", target=Target("<=", TARGET_RATIO),
                    failed=str(exc))]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    ratios = [r / c for r, c in zip(rough, calm, strict=True)]
    injected = ", ".join(f"{k} {v / len(rough):.0f}" for k, v in sorted(faults.items()) if v)
    note = (f"{expected} contracts, 1 account; fault-free {statistics.median(calm):.1f} s, under chaos "
            f"{statistics.median(rough):.1f} s; injected per run: {injected or 'none'}; every contract approved "
            f"once with its PDF in every run")
    per_fault = [(r - p) / max(1, n) for r, p, n in zip(rough, paced, errors, strict=True)]
    return [
        Row("chaos", "chaos / fault-free approval run (20 % errors, 0–150 ms, 20 s idle-out)", "x", ratios,
            Target("<=", TARGET_RATIO), note=note),
        Row("chaos", "chaos / the same latency without errors", "x", [r / p for r, p in zip(rough, paced, strict=True)],
            note=f"what the errors and idle-outs cost alone: the fault-free run at 0–150 ms took "
                 f"{statistics.median(paced):.1f} s (the latency is in the chaos run, not in the fault-free one)"),
        Row("chaos", "seconds per injected error, over the same latency without errors", "s", per_fault,
            note="the floor is one more request (about 0.2 s here): the page again, nothing walked"),
    ]


def _exactly_once(portal: object, expected: int) -> None:
    state = portal.dev("state")  # type: ignore[attr-defined]
    approvals = [a["target"] for a in state["audit"] if a["action"] == "approve"]
    if len(approvals) != expected or len(set(approvals)) != expected:
        raise RobotFailed(f"{len(approvals)} approvals in the audit log, {len(set(approvals))} distinct, "
                          f"{expected} expected")


if __name__ == "__main__":
    run_alone(run, "chaos_cost", __doc__)
