"""The audit flow in headless Chromium against the live mock, checked against `/_dev/state` computed here.

The expected audit is written from the state's raw fields and the law's tables as `domain-rules.md`
states them, not with `rpa.domain.audit`: the code under test must not be its own oracle. Nothing about
the seed is assumed, so the test holds for any seed.
"""

from __future__ import annotations

import pytest

from rpa.flows import audit
from rpa.flows.audit import AuditRequest
from tests.flows.conftest import demo_workplaces

pytestmark = pytest.mark.browser

UZMAN, HEKIM, DSP = "İş Güvenliği Uzmanı", "İşyeri Hekimi", "Diğer Sağlık Personeli"
KEY = {UZMAN: "İGU", HEKIM: "İH", DSP: "DSP"}
CODE = {UZMAN: "IGU", HEKIM: "IH", DSP: "DSP"}
PER_EMPLOYEE = {UZMAN: {"Az Tehlikeli": 10, "Tehlikeli": 20, "Çok Tehlikeli": 40},
                HEKIM: {"Az Tehlikeli": 5, "Tehlikeli": 10, "Çok Tehlikeli": 15}}
FULL_TIME_FROM = {UZMAN: {"Az Tehlikeli": 1000, "Tehlikeli": 500, "Çok Tehlikeli": 250},
                  HEKIM: {"Az Tehlikeli": 2000, "Tehlikeli": 1000, "Çok Tehlikeli": 750}}
MAY_SERVE = {"Az Tehlikeli": {"A", "B", "C"}, "Tehlikeli": {"A", "B"}, "Çok Tehlikeli": {"A"}}


def per_employee(title: str, hazard: str, employees: int) -> int:
    if title != DSP:
        return PER_EMPLOYEE[title][hazard]
    if hazard != "Çok Tehlikeli" or employees < 10:
        return 0
    return 20 if employees >= 250 else 15 if employees >= 50 else 10


def expected_workplace(workplace: dict, contracts: list[dict]) -> dict:
    """The audit of one workplace, from the state's fields."""
    hazard, employees = workplace["hazard_class"], workplace["active_count"]
    counting = [c for c in contracts if c["approval"] == "Onaylandı" and c["status"] != "Sonlandırıldı"]
    professions, findings = {}, []
    for title in (UZMAN, HEKIM, DSP):
        required = per_employee(title, hazard, employees) * employees
        mine = [c for c in counting if c["title"] == title]
        assigned = sum(c["minutes"] for c in mine)
        if title != DSP or required:
            professions[KEY[title]] = {"required_min": required, "assigned_min": assigned,
                                       "contracts": sorted(c["no"] for c in mine)}
        about = (KEY[title], required, assigned)
        if required and not mine:
            findings.append((f"{CODE[title]}_MISSING", *about, None))
        elif mine and assigned < required:
            findings.append((f"{CODE[title]}_MINUTES_LOW", *about, None))
        for c in mine:
            if title == UZMAN and c["cert_class"] not in MAY_SERVE[hazard]:
                findings.append(("CERT_CLASS_MISMATCH", *about, c["no"]))
            if not c["compliant"]:
                findings.append(("PORTAL_NOT_COMPLIANT", *about, c["no"]))
        threshold = FULL_TIME_FROM.get(title, {}).get(hazard)
        if threshold and employees >= threshold and not any(c["minutes"] >= 11700 for c in mine):
            findings.append(("FULL_TIME_NEEDED", *about, None))
    return {"unvan": workplace["unvan"], "hazard_class": hazard, "employees": employees,
            "professions": professions, "findings": sorted(findings, key=str),
            "pending": sorted(c["no"] for c in contracts if c["approval"] == "Onay Bekliyor")}


def as_compared(audited: dict) -> dict:
    """The flow's JSON of one workplace, in the expected form (orders that carry no meaning sorted away)."""
    findings = [(f["code"], f["profession"], f["required_min"], f["assigned_min"], f.get("contract_no"))
                for f in audited["findings"]]
    professions = {k: {**v, "contracts": sorted(v["contracts"])} for k, v in audited["professions"].items()}
    return {"unvan": audited["unvan"], "hazard_class": audited["hazard_class"], "employees": audited["employees"],
            "professions": professions, "findings": sorted(findings, key=str), "pending": sorted(audited["pending"])}


def test_the_audit_matches_the_portals_state_workplace_by_workplace_and_changes_nothing(demo_session, live_portal,
                                                                                        tmp_path):
    before = live_portal.dev("state")
    visible, _ = demo_workplaces(live_portal)
    places = {w["sicil"]: w for w in before["workplaces"]}
    expected = {s: expected_workplace(places[s], [c for c in before["contracts"] if c["sicil"] == s])
                for s in visible}

    result = audit.run(demo_session, AuditRequest(account="demo", evidence_dir=tmp_path / "evidence"))

    after = live_portal.dev("state")
    assert result.failed() == [] and result.login_needed is None, result.model_dump_json(indent=1)
    audited = {a.sicil: as_compared(a.model_dump(mode="json")) for a in result.audits()}
    assert audited == expected
    assert any(p["contracts"] for w in expected.values() for p in w["professions"].values())  # numbers were read
    assert after["audit"] == before["audit"] and after["contracts"] == before["contracts"]
