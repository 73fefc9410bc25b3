"""`katip approve` killed with kill -9 at random points and resumed each time: same final state as a
fault-free run, no approval twice, no PDF missing."""

from __future__ import annotations

import pytest

from tests.chaos.procedures import kill_run

pytestmark = [pytest.mark.chaos, pytest.mark.browser, pytest.mark.timeout(1800)]


def test_a_run_killed_five_times_and_resumed_approves_everything_exactly_once(counted_portal, reference,
                                                                              tmp_path):
    figures = kill_run(counted_portal, tmp_path / "robot", reference, kills=5)
    print(f"\nkill and resume: {figures.line()}")
    assert figures.kill_points, "the run finished before the first kill point"
    assert (figures.mismatches, figures.duplicates, figures.missing_pdfs) == (0, 0, 0), figures.line()
