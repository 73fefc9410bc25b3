"""The audit flow against in-memory page objects: what it reads, what it never touches, retries, resume."""

from __future__ import annotations

from pathlib import Path

import pytest

from rpa.audit.results import AuditResult, audit_report
from rpa.errors import BusinessError, PortalError, PortalErrorKind
from rpa.flows import audit
from rpa.flows.audit import AuditRequest, ContractNumbers
from rpa.journal import AccountJournal, Journal
from rpa.models import Workplace
from tests.flows.conftest import QUICK, W1, W2
from tests.flows.fakes import FakeContract, FakePortal, FakeSession

OTHER_ACCOUNTS_SICIL = "11089010145678900610129000"
UZMAN, HEKIM, DSP = "İş Güvenliği Uzmanı", "İşyeri Hekimi", "Diğer Sağlık Personeli"
APPROVED = {"approval": "Onaylandı", "status": "Aktif"}
# Numbers of the contracts that count or wait: the ones whose detail page the audit must read.
NUMBERED = {"100001", "100002", "100003", "100004", "100005", "100006"}


@pytest.fixture
def portal() -> FakePortal:
    """A "Tehlikeli" workplace of 40 whose physician's time lags (an update waits), and a "Çok Tehlikeli" one
    of 30 with a class C expert and no DSP yet (one waits)."""
    return FakePortal(
        workplaces=[Workplace(sicil=W1, unvan="Anadolu Tekstil A.Ş.", hazard_class="Tehlikeli"),
                    Workplace(sicil=W2, unvan="Ege Metal Döküm Ltd. Şti.", hazard_class="Çok Tehlikeli")],
        active={W1: 40, W2: 30},
        contracts=[
            FakeContract("100001", W1, "Zeynep Arslan", UZMAN, "B", 800, **APPROVED),
            FakeContract("100002", W1, "Elif Şahin", HEKIM, "-", 300, compliant=False, **APPROVED),
            FakeContract("100003", W1, "Elif Şahin", HEKIM, "-", 400, "Süre Güncelleme", updates="100002"),
            FakeContract("099999", W1, "Serkan Aydın", UZMAN, "B", 700, approval="Onaylandı", status="Sonlandırıldı"),
            FakeContract("099998", W1, "Can Er", HEKIM, "-", 900, approval="Reddedildi", status="Sonlandırıldı"),
            FakeContract("100004", W2, "Emre Çelik", UZMAN, "C", 1200, **APPROVED),
            FakeContract("100005", W2, "Burak Doğan", HEKIM, "-", 450, **APPROVED),
            FakeContract("100006", W2, "Hatice Koç", DSP, "-", 300),
        ],
    )


def run_audit(portal: FakePortal, **options: object) -> AuditResult:
    return audit.run(FakeSession(portal), AuditRequest(account="demo", **options), policy=QUICK,
                     sleep=lambda _s: None)


def findings(result: AuditResult) -> dict[str, list[tuple[str, str | None]]]:
    return {a.sicil: [(f.code.value, f.contract_no) for f in a.findings] for a in result.audits()}


def test_each_workplace_is_audited_from_its_headcount_and_every_contract(portal):
    result = run_audit(portal)

    first, second = result.audits()
    assert (first.hazard_class, first.employees, second.hazard_class, second.employees) == (
        "Tehlikeli", 40, "Çok Tehlikeli", 30)
    assert {p.value: (a.required_min, a.assigned_min, a.contracts) for p, a in first.professions.items()} == {
        "İGU": (800, 800, ["100001"]), "İH": (400, 300, ["100002"])}
    assert {p.value: (a.required_min, a.assigned_min, a.contracts) for p, a in second.professions.items()} == {
        "İGU": (1200, 1200, ["100004"]), "İH": (450, 450, ["100005"]), "DSP": (300, 0, [])}
    assert findings(result) == {
        W1: [("IH_MINUTES_LOW", None), ("PORTAL_NOT_COMPLIANT", "100002")],
        W2: [("CERT_CLASS_MISMATCH", "100004"), ("DSP_MISSING", None)],
    }
    assert (first.pending, second.pending) == (["100003"], ["100006"])
    low, flag = first.findings
    assert low.action.en == flag.action.en == "Would fix: approve 100003."  # the update's number, from its detail
    assert second.findings[1].action.en == "Would fix: approve 100006."
    assert audit_report([result]).summary.model_dump() == {"workplaces": 2, "compliant": 0, "with_findings": 2}


def test_the_audit_never_changes_the_portal(portal):
    run_audit(portal)

    assert portal.audit == []
    assert not {"approve", "submit", "request_refresh", "download_pdf"} & set(portal.calls)


def test_only_contracts_that_count_or_wait_have_their_detail_page_opened(portal):
    result = run_audit(portal)

    assert portal.calls["open_detail"] == len(NUMBERED)
    read = {n for a in result.audits() for p in a.professions.values() for n in p.contracts}
    assert read | {n for a in result.audits() for n in a.pending} == NUMBERED


def test_numbers_shown_in_the_list_need_no_detail_page(portal):
    portal.numbers_in_list = True

    result = run_audit(portal)

    assert portal.calls["open_detail"] == 0
    assert findings(result)[W2] == [("CERT_CLASS_MISMATCH", "100004"), ("DSP_MISSING", None)]


def test_a_second_audit_in_the_same_run_opens_no_detail_page_again(portal):
    numbers = ContractNumbers()
    first = run_audit(portal, numbers=numbers)
    opened = portal.calls["open_detail"]

    second = run_audit(portal, numbers=numbers)

    assert portal.calls["open_detail"] == opened and len(numbers) == len(NUMBERED)
    assert second.audits() == first.audits()


def test_a_roster_headcount_replaces_sgks_count_where_it_is_given(portal):
    spaced = f"{W1[:1]} {W1[1:5]} {W1[5:]}"  # as a spreadsheet may write it

    result = run_audit(portal, headcount={spaced: 60})

    first, second = result.audits()
    assert (first.employees, first.sgk_employees) == (60, 40)
    assert first.professions[next(iter(first.professions))].required_min == 1200
    assert (second.employees, second.sgk_employees) == (30, None)
    assert ("IGU_MINUTES_LOW", None) in findings(result)[W1]


def test_portal_faults_while_reading_are_retried(portal):
    fault = PortalError("Sistem hatası. Lütfen daha sonra tekrar deneyiniz.", PortalErrorKind.SYSTEM_ERROR)
    portal.fail("open_detail", fault, times=2)
    portal.fail("all_rows", fault)

    result = run_audit(portal)

    assert not result.failed() and len(result.audits()) == 2
    assert result.workplaces[0].attempts > 1


def test_a_workplace_that_cannot_be_read_fails_with_its_reason_and_the_others_go_on(portal):
    portal.fail("all_rows", BusinessError("Tablo okunamadı."))

    result = run_audit(portal, workplaces=[OTHER_ACCOUNTS_SICIL, W1, W2])

    stranger, broken, fine = result.workplaces
    assert stranger.error.startswith("Bu işyerine erişim yetkiniz bulunmamaktadır.") and stranger.audit is None
    assert broken.error == "Tablo okunamadı." and broken.audit is None
    assert fine.audit is not None and [w.sicil for w in result.failed()] == [OTHER_ACCOUNTS_SICIL, W1]


def test_an_unexpected_error_in_one_workplace_does_not_stop_the_others(portal):
    portal.fail("active_count", RuntimeError("beklenmeyen durum"))

    result = run_audit(portal)

    assert result.workplaces[0].error == "beklenmeyen durum" and result.workplaces[1].audit is not None


def test_an_idle_out_between_workplaces_is_survived(portal):
    def idle_out(done: int, _total: int, _name: str) -> None:
        if done == 1:
            portal.expire()

    result = audit.run(FakeSession(portal), AuditRequest(account="demo"), policy=QUICK, sleep=lambda _s: None,
                       on_workplace=idle_out)

    assert len(result.audits()) == 2 and portal.logins == 2


def test_an_account_that_must_log_in_stops_with_the_reason(portal):
    portal.login_needed = True

    result = run_audit(portal)

    assert "katip login --account demo" in result.login_needed and result.workplaces == []


def test_a_resumed_run_rebuilds_finished_workplaces_from_the_journal_without_opening_them(portal, tmp_path: Path):
    journal = Journal(tmp_path)
    journal.start_run("run-1", "audit", "katip audit", {"flow": "audit"}, {})
    account = AccountJournal(journal, "run-1", "demo")
    stop_after_first = iter([False, True])
    first = run_audit(portal, journal=account, should_stop=lambda: next(stop_after_first))
    assert [w.sicil for w in first.workplaces] == [W1]
    before = dict(portal.calls)

    resumed = run_audit(portal, journal=account)

    assert resumed.workplaces[0].done_earlier and not resumed.workplaces[1].done_earlier
    in_w2 = [c.no for c in portal.contracts if c.sicil == W2 and c.no in NUMBERED]
    assert portal.calls["open_detail"] - before["open_detail"] == len(in_w2) == 3  # W1 is not opened again
    assert before["all_rows"] == 1 and portal.calls["all_rows"] == 2
    earlier, again = first.audits()[0], resumed.audits()[0]
    assert again.model_dump() == earlier.model_dump()
    assert [(f.problem, f.action) for f in again.findings] == [(f.problem, f.action) for f in earlier.findings]
    assert again.findings[1].professional == "E*** Ş***"  # the journal keeps names masked
    stored = journal.items("run-1", kind="workplace")[0].detail
    assert "Elif" not in str(stored) and "Şahin" not in str(stored)
    journal.close()


def test_a_workplace_two_accounts_serve_is_reported_once(portal):
    one, other = run_audit(portal), run_audit(portal, workplaces=[W2])

    report = audit_report([one, other])

    assert [w.sicil for w in report.workplaces] == [W1, W2]
