"""Approvals over 30 workplaces and a roster sync under 20 % errors, latency, idle-outs and maintenance
windows end exactly as a fault-free run does; each approval appears once in the portal's audit log."""

from __future__ import annotations

import pytest

from rpa.chaos.runs import chaos_run, reference_run

pytestmark = [pytest.mark.soak, pytest.mark.chaos, pytest.mark.browser, pytest.mark.timeout(3600)]


def test_a_run_under_chaos_ends_in_the_fault_free_state_with_every_approval_once(portal, tmp_path):
    reference = reference_run(portal, tmp_path / "reference")
    approvals, roster = chaos_run(portal, tmp_path / "chaos", reference)
    print(f"\nfault-free: {reference.approvals} approvals\n{approvals.line()}\n{roster.line()}")
    assert approvals.workplaces >= 30
    assert approvals.faults["error_500"] > 0 and approvals.retries > 0, "the chaos did not reach the robot"
    assert roster.items_attempted > 0, "the roster sync did nothing"
    for part in (approvals, roster):
        assert (part.mismatches, part.duplicates) == (0, 0), part.line()
    assert approvals.missing_pdfs == 0, approvals.line()
