"""The audit of one workplace: what counts, what the law asks per profession, and every finding."""

from __future__ import annotations

import itertools
import json

import pytest

from rpa.domain.audit import (
    AuditContract,
    AuditReport,
    FindingCode,
    Profession,
    ProfessionStatus,
    audit_workplace,
)
from rpa.domain.rules import HazardClass, Title, legal_minimum

AZ, TEH, COK = HazardClass.AZ, HazardClass.TEHLIKELI, HazardClass.COK
IGU, IH, DSP = Profession.IGU, Profession.IH, Profession.DSP
UZMAN, HEKIM, SAGLIK = Title.UZMAN, Title.HEKIM, Title.DSP
F = FindingCode
_numbers = itertools.count(5000)


def contract(title: Title, minutes: int, *, approval: str = "Onaylandı", status: str = "Aktif", cert: str = "A",
             compliant: bool | None = True, no: str | None = None, process: str = "Yeni Sözleşme",
             updates: str | None = None, who: str = "Ayşe Yılmaz") -> AuditContract:
    return AuditContract(no=no or str(next(_numbers)), title=title, cert_class=cert if title is UZMAN else "-",
                         minutes=minutes, contract_status=status, approval_status=approval,
                         compliant_flag=compliant, process_type=process, updates_no=updates, professional=who)


def waiting(title: Title, minutes: int, **kw: object) -> AuditContract:
    return contract(title, minutes, approval="Onay Bekliyor", status="Beklemede", **kw)


def enough(title: Title, minutes: int, cert: str = "A") -> list[AuditContract]:
    """Counting contracts adding up to `minutes`, none of them full time (each below 11700)."""
    chunks = [11_000] * (minutes // 11_000) + ([minutes % 11_000] if minutes % 11_000 else [])
    return [contract(title, m, cert=cert) for m in chunks]


def codes(hazard: HazardClass, employees: int, contracts: list[AuditContract]) -> list[tuple[str, str]]:
    audit = audit_workplace("s", "U", hazard, employees, contracts)
    return [(f.code.value, f.profession.value) for f in audit.findings]


@pytest.mark.parametrize(
    ("approval", "status", "counts", "pending"),
    [
        ("Onaylandı", "Aktif", True, False),
        ("Onaylandı", "Beklemede", True, False),
        ("onaylandı", "AKTİF", True, False),  # as another portal may write it
        ("Onaylandı", "Sonlandırıldı", False, False),
        ("Onay Bekliyor", "Beklemede", False, True),
        ("Reddedildi", "Sonlandırıldı", False, False),
        ("Reddedildi", "Aktif", False, False),
    ],
)
def test_a_contract_counts_only_when_approved_and_not_ended(approval: str, status: str, counts: bool,
                                                            pending: bool) -> None:
    row = contract(UZMAN, 100, approval=approval, status=status)
    assert (row.counts, row.pending) == (counts, pending)


@pytest.mark.parametrize(
    ("hazard", "employees", "required"),
    [
        (AZ, 0, {IGU: 0, IH: 0}),
        (AZ, 20, {IGU: 200, IH: 100}),
        (TEH, 40, {IGU: 800, IH: 400}),
        (TEH, 300, {IGU: 6000, IH: 3000}),  # no DSP below "Çok Tehlikeli", however many employees
        (COK, 9, {IGU: 360, IH: 135}),  # 9: no DSP yet
        (COK, 10, {IGU: 400, IH: 150, DSP: 100}),  # 10: DSP from here on, 10 min each
        (COK, 49, {IGU: 1960, IH: 735, DSP: 490}),
        (COK, 50, {IGU: 2000, IH: 750, DSP: 750}),  # 15 min each from 50
        (COK, 249, {IGU: 9960, IH: 3735, DSP: 3735}),
        (COK, 250, {IGU: 10000, IH: 3750, DSP: 5000}),  # 20 min each from 250
    ],
)  # fmt: skip
def test_required_minutes_per_profession_follow_hazard_class_and_headcount(
    hazard: HazardClass, employees: int, required: dict[Profession, int]
) -> None:
    audit = audit_workplace("s", "U", hazard, employees, [])
    assert {p: a.required_min for p, a in audit.professions.items()} == required


def test_assigned_minutes_are_the_sum_of_the_counting_contracts_only() -> None:
    counted = [contract(UZMAN, 300, no="1"), contract(UZMAN, 250, no="2", status="Beklemede")]
    ignored = [contract(UZMAN, 900, no="3", status="Sonlandırıldı"), waiting(UZMAN, 800, no="4"),
               contract(UZMAN, 700, no="5", approval="Reddedildi", status="Sonlandırıldı"),
               contract(HEKIM, 100, no="6")]
    audit = audit_workplace("s", "U", TEH, 20, counted + ignored)
    assert audit.professions[IGU].assigned_min == 550
    assert audit.professions[IGU].contracts == ["1", "2"]
    assert audit.professions[IH].contracts == ["6"]
    assert audit.pending == ["4"] and audit.professions[IGU].pending == ["4"] and audit.professions[IH].pending == []


@pytest.mark.parametrize(
    ("case", "hazard", "employees", "contracts", "expected"),
    [
        ("nothing needed, nothing there", AZ, 0, [], []),
        ("all present and enough", TEH, 40, [contract(UZMAN, 800), contract(HEKIM, 400)], []),
        ("no physician", TEH, 40, [contract(UZMAN, 800)], [("IH_MISSING", "İH")]),
        ("no expert", TEH, 40, [contract(HEKIM, 400)], [("IGU_MISSING", "İGU")]),
        ("nobody at all", AZ, 5, [], [("IGU_MISSING", "İGU"), ("IH_MISSING", "İH")]),
        ("expert one minute short", TEH, 40, [contract(UZMAN, 799), contract(HEKIM, 400)],
         [("IGU_MINUTES_LOW", "İGU")]),
        ("physician short across two contracts", TEH, 40,
         [contract(UZMAN, 800), contract(HEKIM, 200), contract(HEKIM, 199)], [("IH_MINUTES_LOW", "İH")]),
        ("only an ended physician", TEH, 40, [contract(UZMAN, 800), contract(HEKIM, 400, status="Sonlandırıldı")],
         [("IH_MISSING", "İH")]),
        ("only a waiting physician", TEH, 40, [contract(UZMAN, 800), waiting(HEKIM, 400)],
         [("IH_MISSING", "İH")]),
        ("a rejected physician", TEH, 40,
         [contract(UZMAN, 800), contract(HEKIM, 400, approval="Reddedildi", status="Sonlandırıldı")],
         [("IH_MISSING", "İH")]),
        ("very hazardous, 9 employees: no DSP needed", COK, 9, [contract(UZMAN, 360), contract(HEKIM, 135)], []),
        ("very hazardous, 10 employees: DSP missing", COK, 10, [contract(UZMAN, 400), contract(HEKIM, 150)],
         [("DSP_MISSING", "DSP")]),
        ("DSP short", COK, 10, [contract(UZMAN, 400), contract(HEKIM, 150), contract(SAGLIK, 99)],
         [("DSP_MINUTES_LOW", "DSP")]),
        ("DSP at 249 employees: 15 min each", COK, 249,
         [*enough(UZMAN, 9960), contract(HEKIM, 3735), contract(SAGLIK, 3735)], []),
        ("DSP band 249 -> 250 raises the minimum", COK, 250,
         [*enough(UZMAN, 10000), contract(UZMAN, 11700), contract(HEKIM, 3750), contract(SAGLIK, 3735)],
         [("DSP_MINUTES_LOW", "DSP")]),
        ("class C expert at a hazardous workplace", TEH, 40, [contract(UZMAN, 800, cert="C"), contract(HEKIM, 400)],
         [("CERT_CLASS_MISMATCH", "İGU")]),
        ("class B expert at a very hazardous workplace, also short", COK, 5,
         [contract(UZMAN, 100, cert="B"), contract(HEKIM, 75)],
         [("IGU_MINUTES_LOW", "İGU"), ("CERT_CLASS_MISMATCH", "İGU")]),
        ("class B at hazardous is fine", TEH, 40, [contract(UZMAN, 800, cert="B"), contract(HEKIM, 400)], []),
        ("unknown class may not serve", AZ, 10, [contract(UZMAN, 100, cert="?"), contract(HEKIM, 50)],
         [("CERT_CLASS_MISMATCH", "İGU")]),
        ("an ended class C contract is not a finding", TEH, 40,
         [contract(UZMAN, 800), contract(UZMAN, 800, cert="C", status="Sonlandırıldı"), contract(HEKIM, 400)], []),
        ("portal says Hayır", TEH, 40, [contract(UZMAN, 800), contract(HEKIM, 400, compliant=False)],
         [("PORTAL_NOT_COMPLIANT", "İH")]),
        ("portal flag unknown is no finding", TEH, 40, [contract(UZMAN, 800), contract(HEKIM, 400, compliant=None)],
         []),
        ("an ended contract flagged Hayır is no finding", TEH, 40,
         [contract(UZMAN, 800), contract(HEKIM, 400), contract(HEKIM, 10, status="Sonlandırıldı", compliant=False)],
         []),
        ("a DSP at a workplace that needs none, flagged", TEH, 40,
         [contract(UZMAN, 800), contract(HEKIM, 400), contract(SAGLIK, 10, compliant=False)],
         [("PORTAL_NOT_COMPLIANT", "DSP")]),
    ],
    ids=lambda v: v if isinstance(v, str) and " " in v else "",
)
def test_findings_follow_the_issues_definitions(case: str, hazard: HazardClass, employees: int,
                                                contracts: list[AuditContract],
                                                expected: list[tuple[str, str]]) -> None:
    assert codes(hazard, employees, contracts) == expected, case


def test_per_contract_findings_come_once_per_contract_with_its_number() -> None:
    rows = [contract(UZMAN, 500, cert="C", no="A1", compliant=False), contract(UZMAN, 500, cert="C", no="A2"),
            contract(HEKIM, 400)]
    audit = audit_workplace("s", "U", TEH, 40, rows)
    found = [(f.code, f.contract_no) for f in audit.findings]
    assert found == [(F.CERT_CLASS_MISMATCH, "A1"), (F.CERT_CLASS_MISMATCH, "A2"), (F.PORTAL_NOT_COMPLIANT, "A1")]
    assert {f.required_min for f in audit.findings} == {800} and {f.assigned_min for f in audit.findings} == {1000}
    assert audit.findings[0].professional == "Ayşe Yılmaz"


def covered_except(title: Title, hazard: HazardClass, employees: int) -> list[AuditContract]:
    """The other professions fully covered, with a full-time contract each: only `title` can have findings."""
    rows: list[AuditContract] = []
    for other in (UZMAN, HEKIM, SAGLIK):
        need = legal_minimum(other, hazard, employees)
        if other is not title and need:
            rows += [contract(other, 11700), *enough(other, max(0, need - 11700))]
    return rows


@pytest.mark.parametrize(
    ("title", "hazard", "threshold"),
    [
        (UZMAN, AZ, 1000), (UZMAN, TEH, 500), (UZMAN, COK, 250),
        (HEKIM, AZ, 2000), (HEKIM, TEH, 1000), (HEKIM, COK, 750),
    ],
)  # fmt: skip
def test_full_time_is_needed_from_the_threshold_on_unless_one_contract_is_full_time(
    title: Title, hazard: HazardClass, threshold: int
) -> None:
    profession = Profession.IGU if title is UZMAN else Profession.IH

    def found(employees: int, rows: list[AuditContract]) -> list[tuple[str, str]]:
        return codes(hazard, employees, rows + covered_except(title, hazard, employees))

    def need(employees: int) -> int:
        return legal_minimum(title, hazard, employees)

    full_time = [("FULL_TIME_NEEDED", profession.value)]
    assert found(threshold - 1, enough(title, need(threshold - 1))) == []
    assert found(threshold, enough(title, need(threshold))) == full_time
    assert found(threshold, [contract(title, 11700), *enough(title, max(0, need(threshold) - 11700))]) == []
    assert found(threshold, [contract(title, 11699), *enough(title, need(threshold))]) == full_time


def test_other_health_staff_never_needs_full_time() -> None:
    assert codes(COK, 5000, covered_except(Title.DSP, COK, 5000) + enough(SAGLIK, 100_000)) == []


def test_a_full_time_finding_alone_leaves_the_workplace_compliant() -> None:
    audit = audit_workplace("s", "U", TEH, 500, [*enough(UZMAN, 10000), *enough(HEKIM, 5000)])
    assert [f.code for f in audit.findings] == [F.FULL_TIME_NEEDED]
    assert audit.compliant and audit.status(IGU) is ProfessionStatus.FINE


def test_waiting_contracts_are_listed_apart_and_say_they_would_fix_it() -> None:
    audit = audit_workplace("s", "U", TEH, 40, [contract(UZMAN, 800), waiting(HEKIM, 400, no="ISGS-7")])
    (finding,) = audit.findings
    assert finding.code is F.IH_MISSING and audit.pending == ["ISGS-7"]
    assert finding.action.en == "Would fix: approve ISGS-7."
    assert "ISGS-7" in finding.action.tr and "onaylayın" in finding.action.tr


def test_a_waiting_contract_that_is_not_enough_says_how_much_is_still_short() -> None:
    audit = audit_workplace("s", "U", TEH, 40, [contract(UZMAN, 800), waiting(HEKIM, 300, no="W1")])
    assert audit.findings[0].action.en.startswith("Approving W1 still leaves 100 min/month short.")


def test_a_waiting_time_update_replaces_the_minutes_of_the_contract_it_updates() -> None:
    rows = [contract(UZMAN, 800), contract(HEKIM, 300, no="H1", compliant=False),
            waiting(HEKIM, 350, no="H2", process="Süre Güncelleme", updates="H1")]
    low, flag = audit_workplace("s", "U", TEH, 40, rows).findings
    assert low.code is F.IH_MINUTES_LOW
    assert low.action.en.startswith("Approving H2 still leaves 50 min/month short.")  # 350 replaces 300, not adds
    assert (flag.code, flag.contract_no) == (F.PORTAL_NOT_COMPLIANT, "H1")
    assert "Raise its working time to at least 400 min/month" in flag.action.en  # H2 is itself too short


def test_a_waiting_time_update_that_is_compliant_fixes_the_portal_flag() -> None:
    rows = [contract(UZMAN, 800), contract(HEKIM, 300, no="H1", compliant=False),
            waiting(HEKIM, 400, no="H2", process="Süre Güncelleme", updates="H1")]
    low, flag = audit_workplace("s", "U", TEH, 40, rows).findings
    assert low.action.en == "Would fix: approve H2." and flag.action.en == "Would fix: approve H2."


def test_a_time_update_without_its_number_is_matched_by_the_professional() -> None:
    rows = [contract(UZMAN, 800), contract(HEKIM, 300, no="H1", who="Can Er"),
            waiting(HEKIM, 400, no="H2", process="Süre Güncelleme", who="Can Er")]
    assert audit_workplace("s", "U", TEH, 40, rows).findings[0].action.en == "Would fix: approve H2."


def test_a_waiting_expert_of_the_wrong_class_is_not_offered_as_a_fix() -> None:
    rows = [waiting(UZMAN, 2000, cert="C", no="C1"), contract(HEKIM, 400)]
    audit = audit_workplace("s", "U", TEH, 40, rows)
    assert audit.pending == ["C1"] and audit.findings[0].code is F.IGU_MISSING
    assert audit.findings[0].action.en == "Contract at least 800 min/month of occupational safety expert time " \
        "and approve it."


@pytest.mark.parametrize(
    ("findings_of", "status"),
    [
        ([], ProfessionStatus.FINE),
        ([F.IGU_MISSING], ProfessionStatus.MISSING),
        ([F.IGU_MINUTES_LOW], ProfessionStatus.LOW),
        ([F.CERT_CLASS_MISMATCH], ProfessionStatus.LOW),
    ],
)
def test_each_profession_is_red_amber_or_green(findings_of: list[FindingCode], status: ProfessionStatus) -> None:
    rows = {
        (): [contract(UZMAN, 800)],
        (F.IGU_MISSING,): [],
        (F.IGU_MINUTES_LOW,): [contract(UZMAN, 700)],
        (F.CERT_CLASS_MISMATCH,): [contract(UZMAN, 800, cert="C")],
    }[tuple(findings_of)]
    audit = audit_workplace("s", "U", TEH, 40, [*rows, contract(HEKIM, 400)])
    assert [f.code for f in audit.findings] == findings_of
    assert audit.status(IGU) is status and audit.status(IH) is ProfessionStatus.FINE


def test_the_json_has_exactly_the_pinned_shape() -> None:
    rows = [contract(UZMAN, 500, cert="C", no="N1"), waiting(HEKIM, 150, no="N2")]
    report = AuditReport.of([audit_workplace("11320010112345670341542000", "Anadolu", COK, 10, rows),
                             audit_workplace("2", "Başkent", AZ, 3, [contract(UZMAN, 30), contract(HEKIM, 15)])])
    data = json.loads(report.model_dump_json())
    assert set(data) == {"workplaces", "summary"}
    first = data["workplaces"][0]
    assert set(first) == {"sicil", "unvan", "hazard_class", "employees", "professions", "findings", "pending"}
    assert first["hazard_class"] == "Çok Tehlikeli" and first["employees"] == 10
    assert first["professions"] == {
        "İGU": {"required_min": 400, "assigned_min": 500, "contracts": ["N1"]},
        "İH": {"required_min": 150, "assigned_min": 0, "contracts": []},
        "DSP": {"required_min": 100, "assigned_min": 0, "contracts": []},
    }
    assert first["findings"] == [
        {"code": "CERT_CLASS_MISMATCH", "profession": "İGU", "required_min": 400, "assigned_min": 500,
         "contract_no": "N1"},
        {"code": "IH_MISSING", "profession": "İH", "required_min": 150, "assigned_min": 0},
        {"code": "DSP_MISSING", "profession": "DSP", "required_min": 100, "assigned_min": 0},
    ]
    assert first["pending"] == ["N2"]
    assert set(data["workplaces"][1]["professions"]) == {"İGU", "İH"}
    assert data["summary"] == {"workplaces": 2, "compliant": 1, "with_findings": 1}
    assert "Ayşe" not in report.model_dump_json()  # the professional's name stays out of the JSON


def test_an_empty_report_is_compliant() -> None:
    report = AuditReport.of([])
    assert report.summary.model_dump() == {"workplaces": 0, "compliant": 0, "with_findings": 0}
    assert report.all_compliant


def test_a_counting_contract_without_a_number_is_refused() -> None:
    row = AuditContract(title=UZMAN, minutes=10, contract_status="Aktif", approval_status="Onaylandı")
    with pytest.raises(ValueError, match="no number"):
        audit_workplace("s", "U", AZ, 1, [row])


def test_an_ended_contract_needs_no_number() -> None:
    row = AuditContract(title=UZMAN, minutes=10, contract_status="Sonlandırıldı", approval_status="Onaylandı")
    assert [f.code for f in audit_workplace("s", "U", AZ, 1, [row]).findings] == [F.IGU_MISSING, F.IH_MISSING]


@pytest.mark.parametrize("code", list(FindingCode))
def test_every_finding_says_what_is_wrong_and_what_to_do_in_both_languages_without_names(code: FindingCode) -> None:
    scenarios = {
        F.IGU_MISSING: (TEH, 40, [contract(HEKIM, 400)]),
        F.IH_MISSING: (TEH, 40, [contract(UZMAN, 800)]),
        F.DSP_MISSING: (COK, 10, [contract(UZMAN, 400), contract(HEKIM, 150)]),
        F.IGU_MINUTES_LOW: (TEH, 40, [contract(UZMAN, 10), contract(HEKIM, 400)]),
        F.IH_MINUTES_LOW: (TEH, 40, [contract(UZMAN, 800), contract(HEKIM, 10)]),
        F.DSP_MINUTES_LOW: (COK, 10, [contract(UZMAN, 400), contract(HEKIM, 150), contract(SAGLIK, 1)]),
        F.CERT_CLASS_MISMATCH: (COK, 1, [contract(UZMAN, 40, cert="B"), contract(HEKIM, 15)]),
        F.PORTAL_NOT_COMPLIANT: (AZ, 1, [contract(UZMAN, 10, compliant=False), contract(HEKIM, 5)]),
        F.FULL_TIME_NEEDED: (AZ, 1000, [*enough(UZMAN, 10000), *enough(HEKIM, 5000)]),
    }
    hazard, employees, rows = scenarios[code]
    (finding,) = [f for f in audit_workplace("s", "U", hazard, employees, rows).findings if f.code is code]
    texts = [finding.problem.tr, finding.problem.en, finding.action.tr, finding.action.en]
    assert all(len(t) > 20 for t in texts) and finding.problem.tr != finding.problem.en
    assert not any("Ayşe" in t or "Yılmaz" in t for t in texts)


def test_turkish_texts_start_with_a_turkish_capital() -> None:
    (finding,) = audit_workplace("s", "U", TEH, 40, [contract(HEKIM, 400)]).findings
    assert finding.problem.tr.startswith("İş güvenliği uzmanı yok: 800 dk/ay gerekli (40 çalışan, Tehlikeli)")
