"""The workplace list and shell, and fault pages recognised as typed errors."""

from __future__ import annotations

import dataclasses

import pytest

from mock_portal.seed import DEMO_TC
from rpa.errors import AccessDenied, PortalError, PortalErrorKind, WorkplaceNotListed
from rpa.pages import BasePage
from rpa.resilience import is_portal_fault
from tests.robot.conftest import demo_state, run_sql, workplace_with_pending

pytestmark = pytest.mark.browser


def test_workplace_list_matches_the_portals_state(workplaces, live_portal):
    state = demo_state(live_portal)
    mine = set(next(a for a in state["accounts"] if a["tc"] == DEMO_TC)["workplaces"])
    expected = {(w["sicil"], w["unvan"], w["hazard_class"]) for w in state["workplaces"] if w["sicil"] in mine}
    assert {(w.sicil, w.unvan, w.hazard_class.value) for w in workplaces.workplaces()} == expected


def test_choosing_a_workplace_shows_it_in_the_shell_and_change_goes_back(workplaces):
    first = workplaces.workplaces()[0]
    shell = workplaces.choose(first.sicil)
    assert shell.current_sicil() == first.sicil
    assert shell.current_unvan() == first.unvan
    assert {w.sicil for w in shell.change_workplace().workplaces()} >= {first.sicil}


def test_a_workplace_that_is_not_listed_cannot_be_chosen(workplaces, live_portal):
    state = demo_state(live_portal)
    mine = next(a for a in state["accounts"] if a["tc"] == DEMO_TC)
    hidden = sorted(set(mine["workplaces_after_refresh"]) - set(mine["workplaces"]))[0]
    with pytest.raises(WorkplaceNotListed):
        workplaces.choose(hidden)


def test_refresh_request_is_acknowledged_and_new_workplaces_appear_after_a_reload(workplaces, live_portal):
    before = {w.sicil for w in workplaces.workplaces()}
    assert "Talebiniz alındı" in workplaces.request_refresh()
    after = {w.sicil for w in workplaces.reload().workplaces()}
    mine = next(a for a in demo_state(live_portal)["accounts"] if a["tc"] == DEMO_TC)
    assert after == set(mine["workplaces"]) and after > before


def test_a_workplace_taken_away_mid_session_is_access_denied(workplaces, live_portal):
    sicil = workplaces.workplaces()[0].sicil
    shell = workplaces.choose(sicil)
    run_sql(live_portal, "UPDATE account_workplaces SET visible = 0 WHERE tc = ? AND sicil = ?", DEMO_TC, sicil)
    with pytest.raises(AccessDenied, match="Bu işyerine erişim yetkiniz bulunmamaktadır"):
        shell.open_contracts()


def test_a_typed_url_to_a_foreign_workplace_shows_403_which_is_recognised(workplaces, live_portal):
    # The robot never types such URLs; this makes the portal show its 403 page for the recogniser.
    someone_elses = next(
        w["sicil"]
        for w in demo_state(live_portal)["workplaces"]
        if w["sicil"] not in {x.sicil for x in workplaces.workplaces()}
    )
    workplaces.page.goto(f"{live_portal.url}/isyeri/{someone_elses}")
    with pytest.raises(AccessDenied, match="Bu işyerine erişim yetkiniz bulunmamaktadır"):
        BasePage(workplaces.page, workplaces.policy).raise_if_fault()


def test_maintenance_is_a_retryable_portal_error(workplaces, live_portal):
    shell = workplaces.choose(workplaces.workplaces()[0].sicil)
    live_portal.dev("faults", json={"maintenance": True})
    with pytest.raises(PortalError) as caught:
        shell.open_contracts()
    assert caught.value.kind == PortalErrorKind.MAINTENANCE and is_portal_fault(caught.value)


def test_a_system_error_is_a_retryable_portal_error(workplaces, live_portal):
    shell = workplaces.choose(workplaces.workplaces()[0].sicil)
    live_portal.dev("faults", json={"error_rate": 1.0})
    with pytest.raises(PortalError) as caught:
        shell.open_contracts()
    assert caught.value.kind == PortalErrorKind.SYSTEM_ERROR
    assert "Sistem hatası" in str(caught.value)


def test_a_portal_that_does_not_answer_in_time_is_a_timeout_naming_page_and_intent(workplaces, live_portal):
    shell = workplaces.choose(workplaces.workplaces()[0].sicil)
    shell.policy = dataclasses.replace(shell.policy, timeout_ms=300)
    live_portal.dev("faults", json={"latency_ms": [1500, 1500]})
    with pytest.raises(PortalError) as caught:
        shell.open_contracts()
    assert caught.value.kind == PortalErrorKind.TIMEOUT
    assert "İSG Hizmet Sözleşmeleri" in str(caught.value) and "workplace shell" in str(caught.value)


def test_a_stale_form_is_a_retryable_portal_error_and_changes_nothing(workplaces, live_portal):
    contracts = workplaces.choose(workplace_with_pending(live_portal)).open_contracts()
    approval = contracts.open_approval(contracts.pending()[0])
    no = approval.contract().no
    run_sql(live_portal, "UPDATE form_tokens SET used_at = '2000-01-01T00:00:00'")  # as if posted before
    with pytest.raises(PortalError) as caught:
        approval.approve()
    assert caught.value.kind == PortalErrorKind.STALE_FORM and is_portal_fault(caught.value)
    assert next(c for c in demo_state(live_portal)["contracts"] if c["no"] == no)["approval"] == "Onay Bekliyor"


def test_one_system_error_on_a_page_that_only_shows_something_is_reloaded_away(workplaces, live_portal):
    shell = workplaces.choose(workplaces.workplaces()[0].sicil)
    served = []

    def first_one_fails(route):
        served.append(route.request.method)
        if len(served) == 1:
            route.fulfill(status=500, content_type="text/html; charset=utf-8",
                          body="<html><body><h1>Sistem hatası. Lütfen daha sonra tekrar deneyiniz.</h1></body></html>")
        else:
            route.continue_()

    shell.page.route("**/sozlesmeler/", first_one_fails)
    contracts = shell.open_contracts()
    assert contracts.rows(), "the list shows after the reload"
    assert served == ["GET", "GET"], "one failed request, then one reload: no walk back from the start"


def test_a_fault_page_after_choosing_a_workplace_is_reloaded_away_not_walked_back_from_the_list(workplaces):
    sicil = workplaces.workplaces()[0].sicil
    served = []

    def first_page_fails(route):
        served.append(route.request.method)
        if route.request.resource_type == "document" and len(served) == 1:
            route.fulfill(status=500, content_type="text/html; charset=utf-8",
                          body="<html><body><h1>Sistem hatası. Lütfen daha sonra tekrar deneyiniz.</h1></body></html>")
        else:
            route.continue_()

    workplaces.page.route("**/*", first_page_fails)
    try:
        shell = workplaces.choose(sicil)
    finally:
        workplaces.page.unroute("**/*")
    assert shell.current_sicil() == sicil
    # The fault page answered the choice itself: the reload sent it again (the same workplace chosen
    # twice changes nothing), and the list was not loaded again.
    assert served[:2] == ["POST", "POST"]
