"""Approvals over 30 workplaces and a roster sync under 20 % errors, latency, idle-outs and maintenance
windows end exactly as a fault-free run does; each approval appears once in the portal's audit log."""

from __future__ import annotations

import pytest

from tests.chaos.procedures import chaos_run

pytestmark = [pytest.mark.soak, pytest.mark.chaos, pytest.mark.browser, pytest.mark.timeout(1800)]


def test_a_run_under_chaos_ends_in_the_fault_free_state_with_every_approval_once(
    counted_portal, reference, tmp_path
):
    figures = chaos_run(counted_portal, tmp_path / "robot", reference, counted_faults=counted_portal.faults_injected)
    print(f"\nchaos: {figures.line()}")
    assert reference.approvals >= 30
    assert figures.faults_injected > 0 and figures.retries > 0, "the chaos did not reach the robot"
    assert (figures.mismatches, figures.duplicates, figures.missing_pdfs) == (0, 0, 0), figures.line()
