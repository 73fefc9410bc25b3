"""Sorting what SGK's answers left: verified people, exceptions, and contracts the new count broke."""

from __future__ import annotations

from datetime import date, datetime

from rpa.domain.rules import HazardClass
from rpa.models import ContractRow
from rpa.sync.memory import AskedMemory
from rpa.sync.outcome import Asked, sort_outcomes, turned_non_compliant
from rpa.sync.plan import Method, make_plan
from rpa.sync.reconcile import reconcile
from tests.sync.builders import SICIL, TCS, TODAY, record, row

NOW = datetime(2025, 3, 1, 12, 0)


def contract(professional: str, minutes: int, compliant: bool, *, title: str = "İşyeri Hekimi",
             status: str = "Aktif", approval: str = "Onaylandı", process: str = "Yeni Sözleşme") -> ContractRow:
    return ContractRow(professional=professional, title=title, cert_class="-", provider="OSGB",
                       start_date=date(2024, 1, 1), minutes=minutes, contract_status=status,
                       approval_status=approval, compliant_flag=compliant, process_type=process,
                       pending=approval == "Onay Bekliyor")


def test_resolved_people_are_verified_and_answered_ones_become_remembered_exceptions():
    roster = [row(TCS[0]), row(TCS[1]), row(TCS[2])]
    before = reconcile(SICIL, roster, [], TODAY)
    plan = make_plan(before.differences)
    after_list = [record(TCS[0])]  # SGK knew TCS[0]; not TCS[1]; TCS[2] could not be asked
    after = reconcile(SICIL, roster, after_list, TODAY)
    memory = AskedMemory(None, "salt", {})
    asked = Asked(tcs={TCS[0], TCS[1]}, failed={TCS[2]: "Sistem hatası"})

    verified, exceptions = sort_outcomes(plan, Method.VERIFY, asked, after.differences,
                                         {TCS[0]: after_list[0]}, memory, NOW)

    assert [v.tc for v in verified] == [TCS[0]]
    assert verified[0].before.startswith("kayıt yok") and verified[0].after.startswith("Aktif")
    assert {e.tc: str(e.kind) for e in exceptions} == {TCS[1]: "hire_not_filed", TCS[2]: "verify_failed"}
    by_tc = {d.tc: d for d in after.differences}
    assert memory.asked_at(by_tc[TCS[1]], NOW) == NOW  # SGK's "no record" is not asked again soon
    assert memory.asked_at(by_tc[TCS[2]], NOW) is None  # a portal fault is: the next run asks again


def test_a_contract_that_met_the_old_count_but_not_the_new_one_is_listed_with_its_waiting_update():
    rows = [
        contract("Elif Şahin", 400, compliant=False),  # 10 x 40 = 400: fine before, short at 41
        contract("Elif Şahin", 410, compliant=True, status="Beklemede", approval="Onay Bekliyor",
                 process="Süre Güncelleme"),
        contract("Burak Doğan", 300, compliant=False),  # already short at 40: not the count's doing
        contract("Eski Hekim", 400, compliant=False, status="Sonlandırıldı"),
    ]
    turned = turned_non_compliant(rows, HazardClass.TEHLIKELI, active_before=40)
    assert [(r.professional, r.minutes, waiting) for r, waiting in turned] == [("Elif Şahin", 400, True)]
