"""What a run left behind, counted: the portal's final state and audit log, the robot's journal and logs."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from rpa.chaos.portal import Mock

State = dict[str, set[tuple[Any, ...]]]
RETRY_LINE = re.compile(r"failed \(try \d+/\d+\).*trying again")
# The portal actions that must happen at most once per target (a second one is a double action).
ONCE = {"approvals": ("approve",), "roster": ("verify", "bulk_update")}


def final_state(mock: Mock, sicils: list[str]) -> State:
    """What a run must leave behind in these workplaces: contracts and the 4A list (no timestamps)."""
    state = mock.dev("state")
    wanted = set(sicils)
    contracts = {(c["sicil"], c["professional"], c["title"], c["process_type"], c["minutes"], c["status"],
                  c["approval"]) for c in state["contracts"] if c["sicil"] in wanted}
    employees = {(e["sicil"], e["tc"], e["hired"], e["left"], e["status"]) for e in state["employees"]
                 if e["sicil"] in wanted}
    return {"contracts": contracts, "employees": employees}


def mismatches(expected: State, got: State) -> int:
    """How many rows differ between two final states (either side)."""
    return sum(len(expected[k] ^ got[k]) for k in expected)


def differences(expected: State, got: State, limit: int = 6) -> list[str]:
    """A few of the differing rows, TC numbers masked ('-' expected only, '+' got only)."""
    from rpa.logs import mask_numbers

    lines = [f"{k} -{row}" for k in expected for row in sorted(expected[k] - got[k], key=str)]
    lines += [f"{k} +{row}" for k in expected for row in sorted(got[k] - expected[k], key=str)]
    return [mask_numbers(line) for line in lines[:limit]]


def audit(mock: Mock, actions: tuple[str, ...], sicils: list[str] | None = None) -> list[dict[str, Any]]:
    """The portal's audit entries of these actions (in these workplaces)."""
    wanted = set(sicils) if sicils is not None else None
    return [a for a in mock.dev("state")["audit"]
            if a["action"] in actions and (wanted is None or a["sicil"] in wanted)]


def duplicates(entries: list[dict[str, Any]]) -> int:
    """Audit entries beyond the first for the same action and target (an approval done twice counts one)."""
    seen = Counter((a["action"], a["sicil"], a["target"]) for a in entries)
    return sum(n - 1 for n in seen.values())


def retries_logged(out_dir: Path) -> int:
    """Retries the robot logged in every run folder under `out_dir` (one line per retry)."""
    return sum(len(RETRY_LINE.findall(log.read_text(encoding="utf-8", errors="replace")))
               for log in out_dir.glob("runs/*/run.log"))


def missing_pdfs(mock: Mock, out_dir: Path, sicils: list[str]) -> int:
    """Contracts approved in these workplaces whose PDF the robot did not save in `out_dir/contracts`."""
    from rpa.run import pdf_path

    return sum(not pdf_path(out_dir / "contracts", a["sicil"], a["target"]).is_file()
               for a in audit(mock, ("approve",), sicils))


def journal_items(state_dir: Path, kinds: tuple[str, ...], skip: set[str] | None = None) -> tuple[int, int, int]:
    """(actions journalled, their tries, failed ones) of these kinds, over every run but `skip`."""
    from rpa.journal import Journal

    if not (state_dir / "journal.sqlite").exists():
        return 0, 0, 0
    journal = Journal(state_dir)
    items = [i for run_id in journal.run_ids() if run_id not in (skip or set())
             for i in journal.items(run_id) if i.kind in kinds]
    return len(items), sum(i.tries for i in items), sum(i.state == "failed" for i in items)


def run_ids(state_dir: Path) -> list[str]:
    """Every run in the journal, oldest first."""
    from rpa.journal import Journal

    if not (state_dir / "journal.sqlite").exists():
        return []
    journal = Journal(state_dir)
    return journal.run_ids()


def last_run_unfinished(state_dir: Path, before: set[str]) -> int:
    """Failed or unfinished actions of the newest run not in `before` (0 when there is none)."""
    from rpa.journal import Journal

    new = [run_id for run_id in run_ids(state_dir) if run_id not in before]
    if not new:
        return 0
    journal = Journal(state_dir)
    counts = journal.counts(new[-1])
    return sum(counts.get(state, 0) for state in ("failed", "in_progress", "planned"))


def unfinished_runs(state_dir: Path) -> list[str]:
    """Journal runs with failed, planned or in-progress actions (what an operator would resume)."""
    from rpa.journal import Journal

    if not (state_dir / "journal.sqlite").exists():
        return []
    journal = Journal(state_dir)
    again = {r.run_id for r in journal.unfinished_runs()}
    again |= {run_id for run_id in journal.run_ids() if journal.counts(run_id).get("failed")}
    return sorted(again)


def done_actions(state_dir: Path) -> int:
    """Actions journalled done, over every run."""
    from rpa.journal import Journal

    if not (state_dir / "journal.sqlite").exists():
        return 0
    journal = Journal(state_dir)
    return sum(journal.counts(run_id).get("done", 0) for run_id in journal.run_ids())
