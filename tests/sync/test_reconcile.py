"""Comparing a roster with the 4A list: every kind of difference, dates, duplicates, counts."""

from __future__ import annotations

from datetime import date, timedelta

from rpa.roster.reader import read_roster
from rpa.sync.reconcile import Kind, reconcile
from tests.sync.builders import OTHER_SICIL, SICIL, TCS, TODAY, record, row


def kinds(result) -> dict[str, Kind]:
    return {d.tc: d.kind for d in result.differences}


def test_people_both_sides_agree_on_are_no_difference_and_are_counted():
    found = reconcile(SICIL, [row(TCS[0]), row(TCS[1], left=date(2024, 5, 1))],
                      [record(TCS[0]), record(TCS[1], left=date(2024, 5, 1))], TODAY)
    assert found.differences == []
    assert (found.matched, found.roster_active, found.portal_active) == (2, 1, 1)


def test_employed_in_the_roster_but_unknown_to_the_list_is_a_hire_to_verify():
    found = reconcile(SICIL, [row(TCS[0])], [], TODAY)
    assert kinds(found) == {TCS[0]: Kind.NOT_IN_PORTAL}
    assert found.actionable == found.differences


def test_employed_in_the_roster_but_shown_as_left_in_the_list_is_a_difference():
    found = reconcile(SICIL, [row(TCS[0])], [record(TCS[0], left=date(2024, 12, 31))], TODAY)
    assert kinds(found) == {TCS[0]: Kind.LEFT_IN_PORTAL}


def test_left_in_the_roster_but_active_in_the_list_is_a_leave_to_verify():
    found = reconcile(SICIL, [row(TCS[0], left=date(2025, 2, 10))], [record(TCS[0])], TODAY)
    assert kinds(found) == {TCS[0]: Kind.STILL_ACTIVE}
    assert (found.roster_active, found.portal_active) == (0, 1)


def test_someone_who_left_and_was_never_in_the_list_changes_nothing():
    found = reconcile(SICIL, [row(TCS[0], left=date(2023, 1, 1))], [], TODAY)
    assert found.differences == []


def test_a_leaving_date_still_ahead_counts_as_employed():
    tomorrow = TODAY + timedelta(days=1)
    found = reconcile(SICIL, [row(TCS[0], left=tomorrow)], [record(TCS[0])], TODAY)
    assert found.differences == []
    assert found.roster_active == 1


def test_a_hire_not_started_yet_is_not_asked_for():
    found = reconcile(SICIL, [row(TCS[0], hired=TODAY + timedelta(days=10))], [], TODAY)
    assert found.differences == []
    assert found.roster_active == 0


def test_hire_dates_that_differ_are_a_difference():
    found = reconcile(SICIL, [row(TCS[0], hired=date(2021, 3, 15))], [record(TCS[0], hired=date(2021, 3, 1))],
                      TODAY)
    assert kinds(found) == {TCS[0]: Kind.HIRED_DATE}


def test_leaving_dates_that_differ_are_a_difference():
    found = reconcile(SICIL, [row(TCS[0], left=date(2024, 6, 30))], [record(TCS[0], left=date(2024, 7, 31))],
                      TODAY)
    assert kinds(found) == {TCS[0]: Kind.LEFT_DATE}


def test_a_roster_without_a_hire_date_accepts_the_lists_date():
    found = reconcile(SICIL, [row(TCS[0], hired=None)], [record(TCS[0], hired=date(2019, 9, 9))], TODAY)
    assert found.differences == []


def test_active_in_the_list_but_missing_from_the_roster_is_reported_only():
    portal = [record(TCS[0]), record(TCS[1]), record(TCS[2], left=date(2024, 1, 1))]
    found = reconcile(SICIL, [row(TCS[0])], portal, TODAY)
    assert kinds(found) == {TCS[1]: Kind.NOT_IN_ROSTER}
    assert found.actionable == []


def test_rows_of_another_workplace_are_not_compared():
    found = reconcile(SICIL, [row(TCS[0], sicil=OTHER_SICIL)], [], TODAY)
    assert found.differences == []
    assert found.roster_active == 0


def test_a_re_hired_person_listed_twice_by_the_portal_is_judged_by_the_active_row():
    earlier = record(TCS[0], hired=date(2018, 1, 1), left=date(2019, 1, 1))
    portal = [earlier, record(TCS[0], hired=date(2022, 1, 1))]
    found = reconcile(SICIL, [row(TCS[0], hired=date(2022, 1, 1))], portal, TODAY)
    assert found.differences == []
    assert found.portal_active == 1


def test_leavers_come_before_hires_so_the_active_count_never_overshoots_on_the_way():
    roster = [row(TCS[0], hired=date(2021, 1, 2)), row(TCS[1], left=date(2025, 1, 1)), row(TCS[2])]
    portal = [record(TCS[0]), record(TCS[1]), record(TCS[3])]
    found = reconcile(SICIL, roster, portal, TODAY)
    assert [d.kind for d in found.differences] == [
        Kind.STILL_ACTIVE, Kind.NOT_IN_PORTAL, Kind.HIRED_DATE, Kind.NOT_IN_ROSTER,
    ]


def test_a_difference_never_shows_the_full_tc_number():
    found = reconcile(SICIL, [row(TCS[0])], [], TODAY)
    assert TCS[0] not in repr(found.differences)
    assert found.differences[0].tc_masked in repr(found.differences)


def test_the_same_person_in_two_roster_files_is_one_difference(tmp_path):
    header = "SGK Sicil No;TC Kimlik No;Ad Soyad;İşe Giriş Tarihi;İşten Çıkış Tarihi\n"
    line = f"{SICIL};{TCS[5]};Ayşe Kaya;01.02.2023;\n"
    for name in ("ik.csv", "muhasebe.csv"):
        (tmp_path / name).write_text(header + line, encoding="utf-8")
    roster = read_roster([tmp_path / "ik.csv", tmp_path / "muhasebe.csv"], today=TODAY)
    assert len(roster.rows) == 1
    found = reconcile(SICIL, roster.rows, [], TODAY)
    assert kinds(found) == {TCS[5]: Kind.NOT_IN_PORTAL}
    assert found.differences[0].name == "Ayşe Kaya"


def test_a_person_whose_roster_rows_were_rejected_is_not_sent_to_the_employer_as_missing(tmp_path):
    header = "SGK Sicil No;TC Kimlik No;Ad Soyad;İşe Giriş Tarihi;İşten Çıkış Tarihi\n"
    conflicting = (f"{SICIL};{TCS[6]};Ayşe Kaya;01.02.2023;\n{SICIL};{TCS[6]};Ayşe Kaya;01.03.2023;\n"
                   f"{SICIL};{TCS[7]};Ali Veli;32.01.2023;\n")  # a typo in a date
    (tmp_path / "ik.csv").write_text(header + conflicting, encoding="utf-8")
    roster = read_roster([tmp_path / "ik.csv"], today=TODAY)
    assert roster.rows == [] and len(roster.files[0].rejected) == 3
    rejected = roster.rejected_people()
    assert rejected == {SICIL: {TCS[6], TCS[7]}}

    portal = [record(TCS[6]), record(TCS[7]), record(TCS[8])]
    found = reconcile(SICIL, roster.rows, portal, TODAY, rejected[SICIL])
    assert kinds(found) == {TCS[8]: Kind.NOT_IN_ROSTER}  # only the one really missing
    assert kinds(reconcile(SICIL, roster.rows, portal, TODAY)) == dict.fromkeys(TCS[6:9], Kind.NOT_IN_ROSTER)
