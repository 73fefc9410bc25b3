"""The fault-free run (the yardstick) and the same work under chaos: approvals, then a roster sync."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from rpa.chaos import measure
from rpa.chaos.figures import Figures, Reference
from rpa.chaos.maintenance import MaintenanceWindows
from rpa.chaos.portal import Mock, faults_between
from rpa.chaos.scenario import HEALTHY, SEED, chaos_faults, katip, prepare, robot_env

APPROVE_KINDS, ROSTER_KINDS = ("approve",), ("verify", "bulk")
RESUME_ROUNDS = 3  # items whose retries ran out wait for a resume, as an operator would do


@dataclass(frozen=True)
class ChaosOptions:
    """How much work and how much chaos."""

    seed: int = SEED
    workplaces: int = 30
    error_rate: float = 0.2
    latency_ms: tuple[int, int] = (0, 150)
    session_ttl_s: float = 20.0
    maintenance_every_s: tuple[float, float] = (20.0, 40.0)


DEFAULT_OPTIONS = ChaosOptions()  # issue 6: 30 workplaces, 20 % errors, latency, 20 s idle time


def reference_run(mock: Mock, workdir: Path, seed: int = SEED, workplaces: int = 30,
                  account: str | None = None, roster: bool = True) -> Reference:
    """The fault-free run on a freshly reset portal (one account's approvals only, if asked); it must
    itself leave nothing failed."""
    started = time.monotonic()
    scenario = prepare(mock, seed, workdir, workplaces)
    env = robot_env(mock, scenario, workdir)
    katip(["approve", "--json", *(["--account", account] if account else [])], env)
    approved = measure.final_state(mock, scenario.sicils)
    if roster:
        katip(["roster", "sync", str(scenario.roster_file), "--json"], env)
    _, _, failed = measure.journal_items(workdir / "state", APPROVE_KINDS + ROSTER_KINDS)
    if failed:
        raise AssertionError(f"the fault-free run failed {failed} item(s): see {workdir / 'out'}")
    approvals = len(measure.audit(mock, ("approve",)))
    return Reference(measure.final_state(mock, scenario.sicils), approvals, approved,
                     round(time.monotonic() - started, 1))


def chaos_run(mock: Mock, workdir: Path, reference: Reference,
              options: ChaosOptions = DEFAULT_OPTIONS) -> tuple[Figures, Figures]:
    """The same work under errors, latency, short idle time and maintenance windows: (approvals, roster)."""
    scenario = prepare(mock, options.seed, workdir, options.workplaces)
    env = robot_env(mock, scenario, workdir)
    state_dir, out_dir = workdir / "state", workdir / "out"
    mock.dev("faults", json={**chaos_faults(options.error_rate, options.latency_ms, options.session_ttl_s),
                             "seed": options.seed})
    try:
        with MaintenanceWindows(mock, options.seed, every_s=options.maintenance_every_s) as windows:
            approvals = Figures("approvals", workplaces=len(scenario.sicils))
            with _counting(approvals, mock, out_dir, windows):
                katip(["approve", "--json"], env)
                for _ in range(RESUME_ROUNDS):
                    again = measure.unfinished_runs(state_dir)
                    if not again:
                        break
                    approvals.resumes += len(again)
                    for run_id in again:
                        katip(["runs", "resume", run_id], env)
            expected = reference.of(scenario.sicils, ("contracts",), approvals_only=True)
            _verdict(approvals, mock, expected, ("approve",), scenario.sicils)
            approvals.missing_pdfs = measure.missing_pdfs(mock, out_dir, scenario.sicils)
            _journal(approvals, state_dir, APPROVE_KINDS)

            roster = Figures("roster sync", workplaces=len(scenario.roster_sicils))
            runs_before = set(measure.run_ids(state_dir))
            with _counting(roster, mock, out_dir, windows):
                sync = ["roster", "sync", str(scenario.roster_file), "--json"]
                katip(sync, env)
                # A sync is not resumed: it is started again (it only does what is still out of line).
                for _ in range(RESUME_ROUNDS):
                    if not measure.last_run_unfinished(state_dir, runs_before):
                        break
                    roster.resumes += 1
                    katip(sync, env)
    finally:
        mock.dev("faults", json=HEALTHY)
    _verdict(roster, mock, reference.of(scenario.sicils), ("verify", "bulk_update"), scenario.sicils)
    _journal(roster, state_dir, ROSTER_KINDS, runs_before)
    roster.failed_left = int(measure.last_run_unfinished(state_dir, runs_before))
    return approvals, roster


class _counting:
    """Fill in a part's faults (the mock's counters), maintenance windows, retries and seconds."""

    def __init__(self, figures: Figures, mock: Mock, out_dir: Path, windows: MaintenanceWindows) -> None:
        self.figures, self.mock, self.out_dir, self.windows = figures, mock, out_dir, windows

    def __enter__(self) -> None:
        self.started, self.injected = time.monotonic(), self.mock.injected()
        self.opened, self.retried = self.windows.windows, measure.retries_logged(self.out_dir)

    def __exit__(self, *exc: object) -> None:
        self.figures.faults = faults_between(self.injected, self.mock.injected())
        self.figures.maintenance_windows = self.windows.windows - self.opened
        self.figures.retries = measure.retries_logged(self.out_dir) - self.retried
        self.figures.seconds = round(time.monotonic() - self.started, 1)


def _verdict(figures: Figures, mock: Mock, expected: measure.State, actions: tuple[str, ...],
             sicils: list[str]) -> None:
    got = measure.final_state(mock, sicils)
    got = {k: got[k] for k in expected}
    figures.mismatches, figures.differing = measure.mismatches(expected, got), measure.differences(expected, got)
    entries = measure.audit(mock, actions, sicils)
    figures.portal_actions, figures.duplicates = len(entries), measure.duplicates(entries)


def _journal(figures: Figures, state_dir: Path, kinds: tuple[str, ...], skip: set[str] | None = None) -> None:
    figures.items_attempted, figures.tries, failed = measure.journal_items(state_dir, kinds, skip)
    figures.failed_left = failed
