"""The flows in headless Chromium against a live mock portal, checked with `/_dev/state`."""

from __future__ import annotations

import sqlite3

import pytest

from rpa.contact_input import ContactRow
from rpa.flows import approve_contracts, refresh_workplaces, update_contact
from rpa.flows.approve_contracts import ApproveRequest
from rpa.flows.pdfcheck import pdf_names_contract
from rpa.flows.refresh_workplaces import RefreshRequest
from rpa.flows.results import Outcome
from rpa.flows.update_contact import ContactRequest
from tests.flows.conftest import demo_workplaces, foreign_workplace

pytestmark = pytest.mark.browser

EGE_METAL = "12451020123456780350617000"  # "Çok Tehlikeli": a class C expert and a too-short time update wait
ANADOLU_TEKSTIL = "11320010112345670341542000"  # "Tehlikeli": a new expert and a time update, both compliant
BASKENT = "16201010134567890060863000"  # "Az Tehlikeli": one class C expert, compliant there


def approve(session, tmp_path, **options):
    request = ApproveRequest(account="demo", contracts_dir=tmp_path / "contracts",
                             evidence_dir=tmp_path / "evidence", **options)
    (tmp_path / "evidence").mkdir(exist_ok=True)
    return approve_contracts.run(session, request)


def waiting(state: dict, sicils: list[str]) -> dict[str, dict]:
    return {c["no"]: c for c in state["contracts"] if c["sicil"] in sicils and c["approval"] == "Onay Bekliyor"}


def sessions(live_portal) -> list[str]:
    """Ids of the portal's logged-in sessions."""
    conn = sqlite3.connect(live_portal.app.config["DATABASE"])
    try:
        return [row[0] for row in conn.execute("SELECT id FROM sessions WHERE stage = 'in'")]
    finally:
        conn.close()


def approvals(state: dict) -> list[str]:
    return [a["target"] for a in state["audit"] if a["action"] == "approve"]


@pytest.mark.slow
def test_compliant_contracts_are_approved_once_with_their_pdfs_even_when_run_twice(demo_session, live_portal,
                                                                                   tmp_path):
    visible, _ = demo_workplaces(live_portal)
    before = waiting(live_portal.dev("state"), visible)
    compliant = {no for no, c in before.items() if c["compliant"]}

    first = approve(demo_session, tmp_path)
    second = approve(demo_session, tmp_path)

    state = live_portal.dev("state")
    assert sorted(approvals(state)) == sorted(compliant)  # each approved exactly once
    assert set(waiting(state, visible)) == set(before) - compliant
    done = [c for wp in first.workplaces for c in wp.with_outcome(Outcome.DONE)]
    assert {c.contract_no for c in done} == compliant
    assert all(c.pdf.name == f"sozlesme-{c.contract_no}.pdf" and pdf_names_contract(c.pdf, c.contract_no)
               for c in done)
    held = {c.professional: c.reason for wp in first.workplaces for c in wp.with_outcome(Outcome.HELD)}
    assert "C sınıfı uzman Çok Tehlikeli işyerinde görev alamaz" in held["Emre Çelik"]
    assert "yasal asgari sürenin altında" in held["Burak Doğan"]
    assert second.summary().approved == 0 and second.summary().held == first.summary().held


def test_dry_run_leaves_the_portal_exactly_as_it_was(demo_session, live_portal, tmp_path):
    before = live_portal.dev("state")

    result = approve(demo_session, tmp_path, dry_run=True, workplaces=[EGE_METAL])

    after = live_portal.dev("state")
    assert after["contracts"] == before["contracts"] and after["audit"] == before["audit"]
    assert result.summary().would_approve == 1 and result.summary().held == 2
    assert not (tmp_path / "contracts").exists()


def test_a_workplace_of_another_account_fails_with_evidence_and_the_others_go_on(demo_session, live_portal,
                                                                                 tmp_path):
    stranger = foreign_workplace(live_portal)

    result = approve(demo_session, tmp_path, workplaces=[stranger, BASKENT])

    refused, mine = result.workplaces
    assert refused.error.startswith("Bu işyerine erişim yetkiniz bulunmamaktadır.")
    evidence = refused.evidence
    assert evidence.screenshot.stat().st_size > 0 and evidence.html.is_file()
    assert evidence.trace.suffix == ".zip" and evidence.trace.stat().st_size > 0
    assert [c.outcome for c in mine.contracts] == [Outcome.DONE]


def test_an_idle_out_in_the_middle_of_a_run_is_survived(demo_session, live_portal, tmp_path):
    visible = [ANADOLU_TEKSTIL, BASKENT]
    compliant = {no for no, c in waiting(live_portal.dev("state"), visible).items() if c["compliant"]}

    idled: list[str] = []

    def idle_out_after_the_first_workplace(done: int, _total: int, _name: str) -> None:
        if done == 1:  # as if the office had left the robot alone for an hour
            idled.extend(sessions(live_portal))
            conn = sqlite3.connect(live_portal.app.config["DATABASE"])
            with conn:
                conn.execute("UPDATE sessions SET last_seen = '2000-01-01T00:00:00'")
            conn.close()

    request = ApproveRequest(account="demo", contracts_dir=tmp_path / "contracts", workplaces=visible)
    result = approve_contracts.run(demo_session, request, on_workplace=idle_out_after_the_first_workplace)

    assert result.login_needed is None and result.summary().failed == 0
    assert sorted(approvals(live_portal.dev("state"))) == sorted(compliant)
    assert idled and not set(idled) & set(sessions(live_portal))  # the robot logged in again


@pytest.mark.slow
def test_ten_percent_portal_errors_still_end_in_the_right_state(demo_session, live_portal, tmp_path):
    visible = [ANADOLU_TEKSTIL, EGE_METAL]  # both kinds of outcome, in less time than all workplaces
    before = waiting(live_portal.dev("state"), visible)
    compliant = {no for no, c in before.items() if c["compliant"]}
    live_portal.dev("faults", {"error_rate": 0.1, "seed": 7})

    result = approve(demo_session, tmp_path, workplaces=visible)

    live_portal.dev("faults", {"error_rate": 0.0})
    state = live_portal.dev("state")
    assert result.summary().failed == 0, result.model_dump_json(indent=1)
    assert sorted(approvals(state)) == sorted(compliant)
    assert set(waiting(state, visible)) == set(before) - compliant
    assert all(c.pdf and c.pdf.is_file() for wp in result.workplaces for c in wp.with_outcome(Outcome.DONE))


def test_refresh_waits_for_the_workplace_sgk_links_later_and_marks_it_new(demo_session, live_portal):
    visible, later = demo_workplaces(live_portal)
    live_portal.dev("faults", {"refresh_delay_s": 1.5})

    result = refresh_workplaces.run(demo_session, RefreshRequest(account="demo", wait_s=20))

    assert [w.sicil for w in result.new] == later
    assert {w.sicil for w in result.workplaces} == set(visible) | set(later)
    assert result.requested and "Talebiniz alındı" in result.message and not result.timed_out
    assert result.waited_s > 0  # it waited for SGK instead of reading the list at once (no timing asserted)


def test_contact_details_are_set_once_and_a_second_run_leaves_them_alone(demo_session, live_portal):
    row = ContactRow(sicil=EGE_METAL, phone="+90 232 853 17 00", email="isg@egemetal.com.tr",
                     address="Pancar OSB 5. Cad. No:8", il="IZMIR", ilce="torbalı", auto_update="EVET")
    request = ContactRequest(account="demo", rows=[row])

    first = update_contact.run(demo_session, request)
    second = update_contact.run(demo_session, request)

    state = live_portal.dev("state")
    workplace = next(w for w in state["workplaces"] if w["sicil"] == EGE_METAL)
    assert first.items[0].outcome is Outcome.DONE and first.items[0].message == "Bilgileriniz kaydedildi."
    assert workplace["contact"]["il"] == "İzmir" and workplace["contact"]["ilce"] == "Torbalı"
    assert workplace["auto_update"] is True
    assert second.items[0].outcome is Outcome.SKIPPED
    assert [a["action"] for a in state["audit"]].count("contact_update") == 1
