"""`katip approve` killed with kill -9 at random points and resumed each time: same final state as a
fault-free run, no approval twice, no PDF missing."""

from __future__ import annotations

import pytest

from rpa.chaos.kill import kill_run
from rpa.chaos.runs import reference_run

pytestmark = [pytest.mark.chaos, pytest.mark.browser, pytest.mark.timeout(1800)]


@pytest.mark.slow(minutes=5)
def test_a_run_killed_five_times_and_resumed_approves_everything_exactly_once(portal, tmp_path):
    # The yardstick needs only the killed account's approvals (no roster sync, no other accounts).
    reference = reference_run(portal, tmp_path / "reference", account="firma0", roster=False)
    figures = kill_run(portal, tmp_path / "robot", reference, kills=5)
    print(f"\n{figures.line()}")
    assert figures.kill_points, "the run finished before the first kill point"
    assert figures.resumes > 0, "no kill left a run to resume"
    assert (figures.mismatches, figures.duplicates, figures.missing_pdfs) == (0, 0, 0), figures.line()
