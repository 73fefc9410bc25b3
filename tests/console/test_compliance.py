"""Uygunluk / Compliance: the newest audit's table and findings in the console, with the findings filter."""

from __future__ import annotations

import re

import pytest

from rpa.app import runs
from rpa.app.requests import AuditRun
from tests.console.conftest import console_settings, make_app


def test_before_any_audit_the_page_says_how_to_get_one(console):
    page = console.test_client().get("/uygunluk").get_data(as_text=True)
    assert "Henüz denetim yok" in page and "katip audit" in page


@pytest.mark.browser
def test_the_newest_audit_is_shown_and_the_filter_keeps_the_workplaces_with_findings(live_portal, tmp_path,
                                                                                     monkeypatch):
    from tests.flows.test_audit_browser import expected_workplace

    live_portal.dev("reset", {"accounts": 6, "workplaces": 3, "employees": 30})
    state = live_portal.dev("state")
    places = {w["sicil"]: w for w in state["workplaces"]}

    def flagged_of(account: dict) -> set[str]:
        return {s for s in account["workplaces"]
                if expected_workplace(places[s], [c for c in state["contracts"] if c["sicil"] == s])["findings"]}

    # An account with both: a workplace with findings (the planted one) and one without.
    account = next(a for a in state["accounts"] if a["two_step"] and a["workplaces"]
                   and 0 < len(flagged_of(a)) < len(a["workplaces"]))
    settings = console_settings(tmp_path, live_portal.url)
    settings.accounts_file.write_text(f'accounts:\n  - name: firma\n    tc: "{account["tc"]}"\n'
                                      "    password: env:KATIP_TEST_COMPLIANCE_PW\n    code: mock\n", encoding="utf-8")
    monkeypatch.setenv("KATIP_TEST_COMPLIANCE_PW", account["password"])
    audited = runs.start(settings, AuditRun(command="katip audit"))
    report = audited.extra["audit"]
    flagged = {w.sicil for w in report.workplaces if any(not f.informational for f in w.findings)}
    fine = {w.sicil for w in report.workplaces} - flagged
    assert flagged and fine
    client = make_app(settings).test_client()

    everything = client.get("/uygunluk").get_data(as_text=True)
    only = client.get("/uygunluk?bulgulu=1").get_data(as_text=True)

    assert audited.record.id in everything
    assert all(sicil in everything for sicil in flagged | fine)
    assert all(sicil in only for sicil in flagged) and not any(sicil in only for sicil in fine)
    codes = {f.code.value for w in report.workplaces for f in w.findings}
    assert all(code in everything for code in codes)
    assert account["tc"] not in everything


@pytest.mark.browser
def test_a_clerk_filters_the_compliance_table_in_the_browser(live_portal, tmp_path, monkeypatch, page):
    from playwright.sync_api import expect

    from rpa.console.server import start_in_thread

    settings = console_settings(tmp_path, live_portal.url)
    settings.accounts_file.write_text('accounts:\n  - name: demo-firma\n    tc: "38472910510"\n'
                                      "    password: env:KATIP_TEST_COMPLIANCE_PW\n    code: mock\n", encoding="utf-8")
    monkeypatch.setenv("KATIP_TEST_COMPLIANCE_PW", "Katip.2024")
    report = runs.start(settings, AuditRun(command="katip audit")).extra["audit"]
    served = start_in_thread(settings, use_keyring=False)
    try:
        page.goto(served.url + "/")
        page.get_by_role("navigation", name="Ana menü / Main menu").get_by_role("link", name="Uygunluk").click()
        expect(page.get_by_role("heading", name="Uygunluk / Compliance", level=1)).to_be_visible()
        table = page.get_by_role("table", name="İşyeri × meslek")
        expect(table.get_by_role("row")).to_have_count(1 + sum(len(w.professions) for w in report.workplaces))
        page.get_by_label("Yalnız bulgusu olan işyerleri").check()
        page.get_by_role("button", name="Süz").click()
        expect(page).to_have_url(re.compile(r"bulgulu=1"))
        flagged = [w for w in report.workplaces if any(not f.informational for f in w.findings)]
        expect(table.get_by_role("row")).to_have_count(1 + sum(len(w.professions) for w in flagged))
        expect(page.get_by_role("table", name="Yapılacaklar")).to_contain_text(flagged[0].findings[0].code.value)
    finally:
        served.stop()
