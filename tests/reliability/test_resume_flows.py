"""Resuming with the journal: what went through before a crash is not done twice, nothing is skipped."""

from __future__ import annotations

from pathlib import Path

from rpa.flows import approve_contracts, update_contact
from rpa.flows.approve_contracts import ApproveRequest, journal_detail
from rpa.flows.results import Outcome
from rpa.flows.update_contact import ContactRequest
from rpa.journal import Journal, Kind, RunJournal, State
from tests.flows.conftest import QUICK, W1
from tests.flows.fakes import FakePortal, FakeSession

RUN = "20250301-070000-abcd"


def journal_of(tmp_path: Path) -> RunJournal:
    (tmp_path / "state").mkdir(mode=0o700)
    journal = Journal(tmp_path / "state")
    journal.start_run(RUN, "approve", "katip approve", {"flow": "approve"}, {})
    return RunJournal(journal, RUN)


def approve(portal: FakePortal, tmp_path: Path, run: RunJournal):
    request = ApproveRequest(account="demo", contracts_dir=tmp_path / "contracts", journal=run.account("demo"))
    return approve_contracts.run(FakeSession(portal), request, policy=QUICK, sleep=lambda _s: None)


def crashed_while_approving(portal: FakePortal, run: RunJournal, no: str) -> None:
    """What a kill -9 right after "Tamamla" leaves: the journal says in progress."""
    contract = next(c for c in portal.contracts if c.no == no)
    journal = run.account("demo")
    journal.mark(Kind.APPROVE, contract.sicil, no, State.IN_PROGRESS, detail=journal_detail(journal, contract.row()))


def test_an_approval_that_went_through_before_the_crash_is_done_once_and_its_pdf_fetched(portal, tmp_path):
    run = journal_of(tmp_path)
    crashed_while_approving(portal, run, "100001")
    next(c for c in portal.contracts if c.no == "100001").approval = "Onaylandı"  # the click had landed

    result = approve(portal, tmp_path, run)

    assert portal.audit.count(("approve", "100001")) == 0  # not clicked again
    settled = [c for wp in result.workplaces for c in wp.contracts if c.contract_no == "100001"]
    assert [c.outcome for c in settled] == [Outcome.DONE] and settled[0].pdf and settled[0].pdf.is_file()
    assert run.account("demo").state(Kind.APPROVE, "100001") is State.DONE


def test_an_approval_whose_click_never_landed_is_approved_once_on_resume(portal, tmp_path):
    run = journal_of(tmp_path)
    crashed_while_approving(portal, run, "100001")

    approve(portal, tmp_path, run)

    assert portal.audit.count(("approve", "100001")) == 1
    states = {i.key: i.state for i in run.journal.items(RUN)}
    assert states["100001"] is State.DONE and states["100003"] is State.HELD


def test_a_contract_whose_retries_ran_out_is_journalled_failed_with_its_reason(portal, tmp_path):
    from rpa.errors import PortalError, PortalErrorKind

    run = journal_of(tmp_path)
    portal.fail("approve", PortalError("Sistem hatası", PortalErrorKind.SYSTEM_ERROR), times=10)
    approve(portal, tmp_path, run)
    failed = run.journal.items(RUN, states=(State.FAILED,))
    assert failed and all(i.reason for i in failed)
    assert not run.journal.items(RUN, states=(State.IN_PROGRESS,))


def test_a_resumed_contact_run_skips_the_workplaces_already_done(tmp_path):
    from rpa.contact_input import ContactRow
    from rpa.models import Workplace

    portal = FakePortal(workplaces=[Workplace(sicil=W1, unvan="A", hazard_class="Tehlikeli")], active={W1: 4},
                        contracts=[])
    run = journal_of(tmp_path)
    run.account("demo").mark(Kind.CONTACT, W1, W1, State.DONE)
    request = ContactRequest(account="demo", rows=[ContactRow(sicil=W1, email="isg@example.com")],
                             journal=run.account("demo"))
    result = update_contact.run(FakeSession(portal), request, policy=QUICK, sleep=lambda _s: None)
    assert [i.outcome for i in result.items] == [Outcome.SKIPPED] and portal.audit == []


def test_an_approval_killed_while_its_pdf_was_downloading_gets_its_pdf_on_resume(portal, tmp_path):
    run = journal_of(tmp_path)
    crashed_while_approving(portal, run, "100002")
    contract = next(c for c in portal.contracts if c.no == "100002")
    run.account("demo").mark(Kind.APPROVE, contract.sicil, "100002", State.DONE)
    contract.approval = "Onaylandı"

    result = approve(portal, tmp_path, run)

    [settled] = [c for wp in result.workplaces for c in wp.contracts if c.contract_no == "100002"]
    assert settled.pdf and settled.pdf.is_file() and ("approve", "100002") not in portal.audit


def test_a_resumed_approval_run_does_not_open_the_workplaces_it_finished(portal, tmp_path):
    from rpa.errors import PortalError, PortalErrorKind
    from tests.flows.conftest import W2

    run = journal_of(tmp_path)
    portal.fail("download_pdf", PortalError("Sistem hatası", PortalErrorKind.SYSTEM_ERROR), times=4)  # W1's first PDF
    first = approve(portal, tmp_path, run)
    assert any(c.pdf_error for c in first.workplaces[0].contracts)  # W1 left unfinished, W2 finished

    portal.calls.clear()
    before = len(portal.audit)
    again = approve(portal, tmp_path, run)

    by_sicil = {wp.sicil: wp for wp in again.workplaces}
    assert by_sicil[W2].done_earlier and not by_sicil[W2].contracts
    assert not by_sicil[W1].done_earlier and all(c.pdf and c.pdf.is_file() for c in by_sicil[W1].contracts
                                                    if c.outcome is Outcome.DONE)
    assert portal.calls["open_card"] == 1 and portal.calls["rows"] >= 1  # W1 only
    assert not [a for a in portal.audit[before:] if a[0] == "approve"]  # nothing approved twice


def test_the_journal_keeps_no_professional_s_name_yet_finds_the_row_again(portal, tmp_path):
    run = journal_of(tmp_path)
    crashed_while_approving(portal, run, "100001")
    next(c for c in portal.contracts if c.no == "100001").approval = "Onaylandı"  # the click had landed

    result = approve(portal, tmp_path, run)

    [settled] = [c for wp in result.workplaces for c in wp.contracts if c.contract_no == "100001"]
    assert settled.pdf and settled.pdf.is_file()  # its row was found in the list by the hashed identity
    stored = b"".join(p.read_bytes() for p in (tmp_path / "state").glob("journal.sqlite*"))
    for contract in portal.contracts:
        for word in contract.professional.split():
            assert word.encode() not in stored, f"{word!r} is in the journal"


def test_a_journal_written_before_names_were_hashed_is_still_resumed(portal, tmp_path):
    run = journal_of(tmp_path)
    contract = next(c for c in portal.contracts if c.no == "100001")
    run.account("demo").mark(Kind.APPROVE, contract.sicil, "100001", State.IN_PROGRESS,
                             detail=contract.row().model_dump(mode="json"))  # the old form: the name in clear
    contract.approval = "Onaylandı"

    result = approve(portal, tmp_path, run)

    [settled] = [c for wp in result.workplaces for c in wp.contracts if c.contract_no == "100001"]
    assert settled.pdf and settled.pdf.is_file() and ("approve", "100001") not in portal.audit
