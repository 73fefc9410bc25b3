"""What the sync remembers between runs, and how the remaining differences read to a person."""

from __future__ import annotations

import stat
from datetime import date, datetime, timedelta

from rpa.models import ContractRow
from rpa.sync import exceptions as ex
from rpa.sync.memory import AskedMemory
from rpa.sync.reconcile import Difference, Kind
from tests.sync.builders import SICIL, TCS, record, row

NOW = datetime(2025, 3, 1, 10, 0)


def hire(tc: str = TCS[0], hired: date = date(2025, 2, 3)) -> Difference:
    return Difference(SICIL, tc, Kind.NOT_IN_PORTAL, row(tc, hired=hired), None)


def test_a_remembered_difference_is_not_asked_again_within_the_recheck_time(tmp_path):
    memory = AskedMemory.load(tmp_path / "memory.json")
    memory.remember(hire(), NOW)
    memory.save(NOW)
    again = AskedMemory.load(tmp_path / "memory.json")
    assert again.asked_at(hire(), NOW + timedelta(hours=5), timedelta(hours=24)) == NOW
    assert again.asked_at(hire(), NOW + timedelta(hours=25), timedelta(hours=24)) is None


def test_any_change_in_the_roster_or_the_list_makes_it_a_new_question(tmp_path):
    memory = AskedMemory.load(tmp_path / "memory.json")
    memory.remember(hire(), NOW)
    assert memory.asked_at(hire(hired=date(2025, 2, 4)), NOW) is None
    assert memory.asked_at(hire(TCS[1]), NOW) is None
    left = record(TCS[0], left=date(2025, 1, 1))
    changed = Difference(SICIL, TCS[0], Kind.LEFT_IN_PORTAL, row(TCS[0]), left)
    assert memory.asked_at(changed, NOW) is None


def test_the_memory_file_is_private_and_holds_no_tc_number(tmp_path):
    path = tmp_path / "state" / "memory.json"
    memory = AskedMemory.load(path)
    memory.remember(hire(), NOW)
    memory.save(NOW)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert TCS[0] not in path.read_text()


def test_a_damaged_memory_file_is_an_empty_memory(tmp_path):
    path = tmp_path / "memory.json"
    path.write_text("{not json")
    assert AskedMemory.load(path).asked_at(hire(), NOW) is None


def test_no_sgk_record_reads_as_the_employer_not_having_filed_the_hire():
    item = ex.from_difference(hire())
    assert item.kind is ex.ExceptionKind.HIRE_NOT_FILED
    assert item.reason.tr.startswith("SGK kaydı bulunamadı")
    assert "SGK'ya bildirmemiş" in item.reason.tr
    assert "has not filed the hire" in item.reason.en
    assert "03.02.2025" in item.reason.tr


def test_left_in_the_roster_but_active_at_sgk_says_the_leave_was_not_filed():
    d = Difference(SICIL, TCS[0], Kind.STILL_ACTIVE, row(TCS[0], left=date(2025, 1, 31)), record(TCS[0]))
    item = ex.from_difference(d)
    assert item.kind is ex.ExceptionKind.LEAVE_NOT_FILED
    assert "31.01.2025" in item.reason.tr and "hâlâ aktif" in item.reason.tr
    assert "leave was not filed" in item.reason.en


def test_differing_dates_name_both_dates():
    d = Difference(SICIL, TCS[0], Kind.HIRED_DATE, row(TCS[0], hired=date(2021, 3, 15)),
                   record(TCS[0], hired=date(2021, 3, 1)))
    item = ex.from_difference(d)
    assert item.kind is ex.ExceptionKind.HIRED_DATE_DIFFERS
    assert "15.03.2021" in item.reason.en and "01.03.2021" in item.reason.en


def test_an_exception_asked_about_before_says_when():
    item = ex.from_difference(hire(), asked_before=NOW)
    assert "01.03.2025 10:00" in item.reason.tr and "01.03.2025 10:00" in item.reason.en


def test_exceptions_in_json_mask_the_tc_unless_personal_data_is_asked_for():
    item = ex.from_difference(hire())
    masked = item.to_json()
    assert masked["tc"] != TCS[0] and masked["tc"].startswith(TCS[0][:3]) and "*" in masked["tc"]
    assert masked["kind"] == "hire_not_filed"
    assert masked["reason"] == f"{item.reason.tr} / {item.reason.en}"
    assert item.to_json(show_personal_data=True)["tc"] == TCS[0]


def test_a_contract_below_the_new_minimum_names_the_count_change_and_the_waiting_update():
    contract = ContractRow(professional="Elif Şahin", title="İşyeri Hekimi", cert_class="-", provider="OSGB",
                           start_date=date(2023, 2, 1), minutes=360, contract_status="Aktif",
                           approval_status="Onaylandı", compliant_flag=False)
    item = ex.contract_not_compliant(SICIL, contract, 40, 42, update_waiting=True)
    assert item.kind is ex.ExceptionKind.CONTRACT_NOT_COMPLIANT
    assert "40 → 42" in item.reason.tr and "Süre Güncelleme" in item.reason.tr
    assert item.to_json()["tc"] is None
