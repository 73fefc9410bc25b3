"""Planning: one by one below the threshold, bulk from it on (when allowed), never asking the same twice."""

from __future__ import annotations

from datetime import datetime

import pytest

from rpa.sync.plan import Method, make_plan
from rpa.sync.reconcile import Difference, Kind
from tests.sync.builders import SICIL, TCS, record, row


def hires(count: int, start: int = 0) -> list[Difference]:
    return [Difference(SICIL, tc, Kind.NOT_IN_PORTAL, row(tc), None) for tc in TCS[start:start + count]]


@pytest.mark.parametrize(
    ("differences", "threshold", "bulk_allowed", "method"),
    [
        (0, 20, True, Method.NONE),
        (1, 20, True, Method.VERIFY),
        (19, 20, True, Method.VERIFY),
        (20, 20, True, Method.BULK),
        (21, 20, True, Method.BULK),
        (30, 20, False, Method.VERIFY),
        (3, 3, True, Method.BULK),
        (1, 1, True, Method.BULK),
    ],
)
def test_the_method_follows_the_threshold(differences, threshold, bulk_allowed, method):
    plan = make_plan(hires(differences), threshold=threshold, bulk_allowed=bulk_allowed)
    assert plan.method is method
    assert len(plan.to_verify) == differences


def test_people_missing_from_the_roster_are_reported_not_asked_about():
    absent = Difference(SICIL, TCS[50], Kind.NOT_IN_ROSTER, None, record(TCS[50]))
    plan = make_plan([absent], threshold=1)
    assert plan.method is Method.NONE
    assert plan.report_only == (absent,)
    assert not plan.touches_portal


def test_differences_asked_about_recently_are_not_asked_again_nor_counted_for_bulk():
    fresh, old = hires(19), hires(5, start=19)
    asked = {d.tc for d in old}
    when = datetime(2025, 3, 1, 9, 0)
    plan = make_plan(fresh + old, threshold=20, asked_at=lambda d: when if d.tc in asked else None)
    assert plan.method is Method.VERIFY
    assert {d.tc for d in plan.to_verify} == {d.tc for d in fresh}
    assert [(d.tc, w) for d, w in plan.asked_before] == [(d.tc, when) for d in old]


def test_nothing_new_means_nothing_to_do_in_the_portal():
    when = datetime(2025, 3, 1, 9, 0)
    plan = make_plan(hires(25), asked_at=lambda _d: when)
    assert plan.method is Method.NONE
    assert not plan.touches_portal


def test_a_refused_bulk_plan_turns_into_one_by_one_with_the_reason_noted():
    plan = make_plan(hires(25), threshold=20).one_by_one("too soon")
    assert plan.method is Method.VERIFY
    assert len(plan.to_verify) == 25
    assert plan.notes == ("too soon",)


def test_a_threshold_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        make_plan(hires(1), threshold=0)
