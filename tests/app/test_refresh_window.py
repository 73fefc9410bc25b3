"""The workplace refresh: every account's request first, one shared wait, and rows that arrive hours later
still reported as new by the next listing."""

from __future__ import annotations

import time

import pytest

from tests.parallel.conftest import SIZES, as_json, employers, katip

__all__ = ["employers"]


def new_rows(document: dict) -> dict[str, list[str]]:
    return {a["account"]: [w["sicil"] for w in a["workplaces"] if w["new"]] for a in document["accounts"]}


@pytest.mark.slow
@pytest.mark.browser
def test_rows_that_arrive_after_the_refresh_run_are_new_in_the_next_listing(live_portal, employers, tmp_path):
    live_portal.dev("reset", SIZES)
    state = live_portal.dev("state")
    later = {e.name: [s for a in state["accounts"] if a["tc"] == e.tc for s in a["workplaces_after_refresh"]
                      if s not in e.workplaces] for e in employers}
    assert any(later.values()), "the generated seed gives some employer a workplace that comes with a refresh"
    live_portal.dev("faults", {"refresh_delay_s": 4})  # SGK answers after the run has ended

    filed = as_json(katip(tmp_path, live_portal.url, employers, "workplaces", "--refresh", "--wait", "0", "--json"))

    assert all(a["refresh_message"] for a in filed["accounts"])  # every account's request was filed
    assert new_rows(filed) == {e.name: [] for e in employers}  # nothing waited for, nothing new yet
    time.sleep(5)  # the portal's own delay passing, not a measurement
    listed = as_json(katip(tmp_path, live_portal.url, employers, "workplaces", "--json"))
    assert new_rows(listed) == later
    again = as_json(katip(tmp_path, live_portal.url, employers, "workplaces", "--json"))
    assert new_rows(again) == later  # new since the last refresh, until the next one is asked
