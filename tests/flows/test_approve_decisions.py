"""The approve flow's decisions, retries and recovery, against in-memory page objects (no browser)."""

from __future__ import annotations

from pathlib import Path

from rpa.errors import NothingToApprove, PortalError, PortalErrorKind, SessionExpired
from rpa.flows import approve_contracts
from rpa.flows.approve_contracts import ApproveRequest
from rpa.flows.pdfcheck import pdf_names_contract
from rpa.flows.results import ApproveResult, Outcome
from tests.flows.conftest import QUICK, W1, W2
from tests.flows.fakes import FakeApproval, FakePortal, FakeSession

OTHER_ACCOUNTS_SICIL = "11089010145678900610129000"


def approve(portal: FakePortal, tmp_path: Path, **options: object) -> ApproveResult:
    request = ApproveRequest(account="demo", contracts_dir=tmp_path / "contracts", **options)
    return approve_contracts.run(FakeSession(portal), request, policy=QUICK, sleep=lambda _s: None)


def by_no(result: ApproveResult) -> dict[str, Outcome]:
    return {c.contract_no: c.outcome for wp in result.workplaces for c in wp.contracts}


def server_error() -> PortalError:
    return PortalError("Sistem hatası. Lütfen daha sonra tekrar deneyiniz.", PortalErrorKind.SYSTEM_ERROR)


def test_compliant_contracts_are_approved_and_each_pdf_names_its_contract(portal, tmp_path):
    result = approve(portal, tmp_path)

    assert by_no(result) == {
        "100001": Outcome.DONE, "100002": Outcome.DONE, "100003": Outcome.HELD,
        "100004": Outcome.DONE, "100005": Outcome.HELD,
    }
    approved = [c for wp in result.workplaces for c in wp.with_outcome(Outcome.DONE)]
    for contract in approved:
        assert contract.pdf == tmp_path / "contracts" / contract_sicil(result, contract.contract_no) / (
            f"sozlesme-{contract.contract_no}.pdf")
        assert pdf_names_contract(contract.pdf, contract.contract_no)
    assert result.summary().approved == 3 and result.summary().held == 2


def contract_sicil(result: ApproveResult, number: str) -> str:
    return next(wp.sicil for wp in result.workplaces for c in wp.contracts if c.contract_no == number)


def test_held_contracts_say_why_in_turkish_and_english(portal, tmp_path):
    result = approve(portal, tmp_path)

    held = {c.contract_no: c for wp in result.workplaces for c in wp.with_outcome(Outcome.HELD)}
    assert "C sınıfı uzman Çok Tehlikeli işyerinde görev alamaz" in held["100003"].reason
    assert "class C expert" in held["100003"].reason
    assert "300 dk < 450 dk" in held["100005"].reason
    approved = [target for action, target in portal.audit if action == "approve"]
    assert approved == ["100001", "100002", "100004"]


def test_a_second_run_approves_nothing_and_downloads_nothing(portal, tmp_path):
    approve(portal, tmp_path)
    audit_after_first = list(portal.audit)

    second = approve(portal, tmp_path)

    assert portal.audit == audit_after_first
    assert second.summary().approved == 0 and second.summary().held == 2


def test_dry_run_reads_and_decides_but_changes_nothing(portal, tmp_path):
    result = approve(portal, tmp_path, dry_run=True)

    assert portal.audit == []
    assert portal.calls["approve"] == 0
    assert result.summary().would_approve == 3 and result.summary().held == 2
    assert not (tmp_path / "contracts").exists()


def test_force_approves_what_breaks_the_rules_and_keeps_the_reasons(portal, tmp_path):
    result = approve(portal, tmp_path, force=True)

    forced = [c for wp in result.workplaces for c in wp.contracts if c.forced]
    assert {c.contract_no for c in forced} == {"100003", "100005"}
    assert all(c.outcome is Outcome.DONE and c.reasons for c in forced)


def test_a_portal_fault_is_retried_and_the_contract_still_approved_once(portal, tmp_path):
    portal.fail("approve", server_error(), times=2)

    result = approve(portal, tmp_path)

    assert by_no(result)["100001"] is Outcome.DONE
    first = result.workplaces[0].contracts[0]
    assert first.attempts >= 3
    assert [a for a in portal.audit if a == ("approve", "100001")] == [("approve", "100001")]


def test_a_lost_answer_after_tamamla_counts_as_approved_without_a_second_click(portal, tmp_path):
    portal.fail("after_approve", server_error())

    result = approve(portal, tmp_path)

    assert by_no(result)["100001"] is Outcome.DONE
    assert portal.calls["approve"] == 3  # one per compliant contract, none repeated
    assert result.workplaces[0].contracts[0].pdf is not None


def test_an_item_that_keeps_failing_ends_failed_and_the_others_are_done(portal, tmp_path):
    portal.fail("open_approval", server_error(), times=QUICK.attempts)

    result = approve(portal, tmp_path)

    outcomes = by_no(result)
    failed = result.workplaces[0].contracts[0]
    assert failed.outcome is Outcome.FAILED and "Sistem hatası" in failed.reason
    assert outcomes["100002"] is Outcome.DONE and outcomes["100004"] is Outcome.DONE


def test_an_idle_out_in_the_middle_logs_in_again_and_goes_on(portal, tmp_path):
    portal.fail("open_approval", SessionExpired("Oturumunuzun süresi doldu."), times=1)

    result = approve(portal, tmp_path)

    assert portal.logins == 2
    assert result.summary().approved == 3 and result.summary().failed == 0


def test_a_needed_login_stops_the_account_and_keeps_what_was_done(portal, tmp_path):
    real_check = portal.check

    def expire_at_second_workplace(method: str) -> None:
        if method == "open_card" and portal.calls["open_card"] == 1:
            portal.login_needed = True
            portal.expire()
        real_check(method)

    portal.check = expire_at_second_workplace

    result = approve(portal, tmp_path)

    assert result.login_needed and "katip login --account demo" in result.login_needed
    assert [wp.sicil for wp in result.workplaces] == [W1]
    assert result.summary().approved == 2


def test_a_workplace_of_another_account_fails_with_the_access_message_and_the_rest_is_done(portal, tmp_path):
    result = approve(portal, tmp_path, workplaces=[OTHER_ACCOUNTS_SICIL, W1])

    foreign, mine = result.workplaces
    assert foreign.error.startswith("Bu işyerine erişim yetkiniz bulunmamaktadır.")
    assert mine.sicil == W1 and len(mine.with_outcome(Outcome.DONE)) == 2
    assert result.summary().failed == 1


def test_a_contract_decided_meanwhile_is_skipped_not_failed(portal, tmp_path):
    portal.fail("approve", NothingToApprove("Bu sözleşme için bekleyen bir onay bulunmamaktadır."))

    result = approve(portal, tmp_path, workplaces=[W1])

    first = result.workplaces[0].contracts[0]
    assert first.outcome is Outcome.SKIPPED and "bekleyen bir onay" in first.reason
    assert result.summary().failed == 0


def test_a_valid_pdf_already_on_disk_is_not_downloaded_again(portal, tmp_path):
    approve(portal, tmp_path, workplaces=[W1])
    for contract in portal.contracts:  # waiting again under the same number: approve, keep the PDF
        if contract.no == "100001":
            contract.approval = "Onay Bekliyor"
    downloads = portal.calls["download_pdf"]

    result = approve(portal, tmp_path, workplaces=[W1])

    assert portal.calls["download_pdf"] == downloads
    assert result.workplaces[0].contracts[0].pdf.is_file()


def test_a_pdf_that_does_not_name_the_contract_is_fetched_again(portal, tmp_path):
    target = tmp_path / "contracts" / W2 / "sozlesme-100004.pdf"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"%PDF-1.4 not the right file")

    result = approve(portal, tmp_path, workplaces=[W2])

    dsp = next(c for c in result.workplaces[0].contracts if c.contract_no == "100004")
    assert dsp.pdf == target and pdf_names_contract(target, "100004")


def test_the_browser_frees_memory_between_workplaces_not_before_the_first(portal, tmp_path):
    result = approve(portal, tmp_path)
    assert len(result.workplaces) >= 2
    assert portal.calls["free_memory"] == len(result.workplaces) - 1


def back_and_reload_show_the_page_again(monkeypatch) -> None:
    """Give the fake approval and detail pages the real pages' Back and reload after a fault page: the
    same screen shows again, fresh from the portal (the fakes' other screens keep walking again)."""
    def step_back(self) -> bool:
        self.portal.calls["step_back"] += 1
        self.fresh_after_fault = True
        return True

    monkeypatch.setattr(FakeApproval, "step_back", step_back, raising=False)


def test_tamamla_that_met_a_fault_page_is_pressed_again_on_the_reloaded_page_without_the_list(
        portal, tmp_path, monkeypatch):
    back_and_reload_show_the_page_again(monkeypatch)
    portal.fail("approve", server_error())  # the fault page came before the portal approved anything

    result = approve(portal, tmp_path)

    assert by_no(result)["100001"] is Outcome.DONE
    # One "Sürece Git" per waiting contract: the failed one was pressed again, not walked to.
    assert portal.calls["approve"] == 4 and portal.calls["open_approval"] == 5
    assert sorted(no for action, no in portal.audit if action == "approve") == ["100001", "100002", "100004"]


def test_a_reloaded_approval_page_that_no_longer_offers_tamamla_is_checked_in_the_list_not_pressed(
        portal, tmp_path, monkeypatch):
    back_and_reload_show_the_page_again(monkeypatch)
    portal.fail("after_approve", server_error())  # approved, but the answer was a fault page

    result = approve(portal, tmp_path)

    assert by_no(result)["100001"] is Outcome.DONE
    assert portal.calls["approve"] == 3, "one press per compliant contract"
    assert [a for a in portal.audit if a == ("approve", "100001")] == [("approve", "100001")]


def test_a_fault_page_instead_of_the_pdf_is_downloaded_again_from_the_reloaded_detail_page(
        portal, tmp_path, monkeypatch):
    back_and_reload_show_the_page_again(monkeypatch)
    portal.fail("download_pdf", server_error())

    result = approve(portal, tmp_path)

    first = result.workplaces[0].contracts[0]
    assert first.pdf is not None and pdf_names_contract(first.pdf, "100001")
    assert portal.calls["download_pdf"] == 4 and portal.calls["open_detail"] == 3, "downloaded again, not walked to"
