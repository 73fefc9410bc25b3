"""İSG Hizmet Sözleşmeleri through the page objects: reading, approving, rejecting, the PDF."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from rpa.errors import BusinessError, NothingToApprove
from rpa.pages import ApprovalPage, ContractsPage
from tests.robot.conftest import demo_state, workplace_with_pending

pytestmark = pytest.mark.browser


@pytest.fixture
def contracts(workplaces, live_portal) -> ContractsPage:
    """The contract list of a demo workplace that has waiting contracts."""
    return workplaces.choose(workplace_with_pending(live_portal)).open_contracts()


def state_contracts(live_portal, sicil: str) -> list[dict]:
    return [c for c in demo_state(live_portal)["contracts"] if c["sicil"] == sicil]


def test_rows_match_the_portals_contracts_with_waiting_ones_first(contracts, live_portal):
    rows = contracts.rows()
    expected = state_contracts(live_portal, contracts.current_sicil())
    seen = sorted((r.professional, r.title.value, r.minutes, r.process_type, r.approval_status) for r in rows)
    assert seen == sorted(
        (c["professional"], c["title"], c["minutes"], c["process_type"], c["approval"]) for c in expected
    )
    flags = [r.pending for r in rows]
    assert flags == sorted(flags, reverse=True) and any(flags)
    assert contracts.pending() == [r for r in rows if r.approval_status == "Onay Bekliyor"]


def test_approval_page_shows_the_contract_that_was_selected(contracts, live_portal):
    row = contracts.pending()[-1]
    contract = contracts.open_approval(row).contract()
    stored = next(c for c in state_contracts(live_portal, contracts.current_sicil()) if c["no"] == contract.no)
    assert (contract.professional, contract.title, contract.minutes, contract.process_type) == (
        row.professional,
        row.title,
        row.minutes,
        row.process_type,
    )
    assert (stored["professional"], stored["minutes"]) == (row.professional, row.minutes)
    assert contract.sicil == contracts.current_sicil() and contract.pending


def test_approving_changes_the_contract_once_and_says_so(contracts, live_portal):
    row = contracts.pending()[0]
    approval = contracts.open_approval(row)
    no = approval.contract().no
    back = approval.approve()
    assert back.last_message() == "Sözleşme onaylandı."
    state = demo_state(live_portal)
    assert next(c for c in state["contracts"] if c["no"] == no)["approval"] == "Onaylandı"
    assert [a["target"] for a in state["audit"] if a["action"] == "approve"] == [no]


def test_approving_what_someone_else_just_approved_is_nothing_to_approve(contracts, live_portal):
    approval = contracts.open_approval(contracts.pending()[0])
    no = approval.contract().no
    other_tab = approval.page.context.new_page()  # a colleague, in the same session, is faster
    other_tab.goto(approval.page.url)
    ApprovalPage(other_tab, approval.policy).approve()
    with pytest.raises(NothingToApprove, match="bekleyen bir onay bulunmamaktadır"):
        approval.approve()
    audit = [a for a in demo_state(live_portal)["audit"] if a["action"] == "approve"]
    assert [a["target"] for a in audit] == [no]


def test_rejecting_needs_a_reason_and_then_ends_the_contract(contracts, live_portal):
    approval = contracts.open_approval(contracts.pending()[0])
    no = approval.contract().no
    with pytest.raises(BusinessError, match="reason"):
        approval.reject("   ")
    back = approval.reject("Çalışma süresi eksik yazılmış.")
    assert back.last_message() == "Sözleşme reddedildi."
    stored = next(c for c in demo_state(live_portal)["contracts"] if c["no"] == no)
    assert (stored["approval"], stored["status"]) == ("Reddedildi", "Sonlandırıldı")


def test_detail_page_downloads_the_signed_pdf_under_its_own_name(contracts, tmp_path):
    row = next(r for r in contracts.rows() if not r.pending)
    detail = contracts.open_detail(row)
    contract = detail.contract()
    saved = detail.download_pdf(tmp_path / "pdf")
    assert saved == tmp_path / "pdf" / f"sozlesme-{contract.no}.pdf"
    text = "".join(page.extract_text() for page in PdfReader(saved).pages)
    assert contract.no in text and contracts.current_sicil() in text.replace(" ", "")
    assert detail.back().rows()


def test_a_row_that_disappeared_cannot_be_opened(contracts, live_portal):
    row = contracts.pending()[0]
    gone = row.model_copy(update={"professional": "Olmayan Kişi"})
    with pytest.raises(BusinessError, match="no longer in the contract list"):
        contracts.open_approval(gone)


FAULT_PAGE = "<html><body><h1>Sistem hatası. Lütfen daha sonra tekrar deneyiniz.</h1></body></html>"


def first_post_fails(page, pattern: str) -> list[str]:
    """The first POST to `pattern` is answered with a fault page and never reaches the portal."""
    served: list[str] = []

    def answer(route):
        served.append(route.request.method)
        if route.request.method == "POST" and served.count("POST") == 1:
            route.fulfill(status=500, content_type="text/html; charset=utf-8", body=FAULT_PAGE)
        else:
            route.continue_()

    page.route(pattern, answer)
    return served


def test_after_a_fault_page_instead_of_tamamlas_answer_back_and_reload_show_the_page_fresh_and_it_is_pressed_again(
        contracts, live_portal):
    approval = contracts.open_approval(contracts.pending()[0])
    no = approval.contract().no
    served = first_post_fails(approval.page, "**/onay")
    with pytest.raises(Exception, match="Sistem hatası"):
        approval.approve()
    assert approval.step_back() and approval.fresh_after_fault
    assert approval.offers_completion() and approval.contract().no == no
    assert approval.approve().last_message() == "Sözleşme onaylandı."
    # The fault page, Back (this portal's pages are not kept in the browser's cache, so Back asks the
    # portal: no reload needed), the click again: no walk back from the start.
    assert served == ["POST", "GET", "POST"]
    audit = [a["target"] for a in demo_state(live_portal)["audit"] if a["action"] == "approve"]
    assert audit == [no]


def test_an_approval_page_reloaded_after_the_approval_went_through_no_longer_offers_tamamla(contracts, live_portal):
    approval = contracts.open_approval(contracts.pending()[0])
    url = approval.page.url
    approval.approve()
    approval.page.goto(url)  # what a reload of the approval page shows once nothing waits
    assert not (approval.showing() and approval.offers_completion())


def test_a_page_that_never_left_is_not_taken_for_a_fresh_one(contracts):
    approval = contracts.open_approval(contracts.pending()[0])
    assert approval.step_back() and not approval.fresh_after_fault, "no fault page: nothing was reloaded"


def test_a_reload_that_lands_on_another_page_of_the_same_workplace_is_known_as_inside_it(contracts, live_portal):
    approval = contracts.open_approval(contracts.pending()[0])
    sicil = approval.current_sicil()
    url = approval.page.url
    approval.approve()
    approval.page.goto(url)  # an approved contract's approval page leads elsewhere on this portal
    assert not approval.showing() or not approval.offers_completion()
    inside = approval.within(sicil)
    assert inside is not None and inside[1] == "contracts" and inside[0].pending() is not None
    other = next(w for w in demo_state(live_portal)["workplaces"] if w["sicil"] != sicil)["sicil"]
    assert approval.within(other) is None
