"""Roster syncs against the live mock portal in headless Chromium: one by one, bulk, refused bulk,
a second run that does nothing, a dry run that changes nothing. The portal's final state is read
through `/_dev/state`."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from mock_portal.seed import DEMO_TC
from rpa.flows.sync_roster import request_for, run
from rpa.sync.plan import Method
from tests.sync.conftest import QUICK, W1, W3, Scenario, audit, run_sql

pytestmark = pytest.mark.browser


def kinds(workplace) -> dict[str, str]:
    return {e.tc: str(e.kind) for e in workplace.exceptions if e.tc}


def listed(live_portal, sicil: str) -> dict[str, dict]:
    return {e["tc"]: e for e in live_portal.dev(f"state?sicil={sicil}")["employees"]}


def few_differences(live_portal) -> Scenario:
    """Eight differences at W1 (below the threshold): five SGK can resolve, three it cannot, one absentee."""
    s = Scenario.of(live_portal, W1)
    s.seeded_sgk_changes()
    s.hire_known_to_sgk()
    s.leave_known_to_sgk()
    s.hire_not_filed()
    s.leave_not_filed()
    s.hire_date_differs()
    s.missing_from_roster()
    return s


def sync(session, roster, tmp_path, **options):
    request = request_for(roster, "demo", memory_file=tmp_path / "state" / "memory.json", **options)
    return run(session, request, policy=QUICK)


def test_few_differences_are_verified_one_by_one_and_the_rest_explained(live_portal, session, tmp_path):
    s = few_differences(live_portal)
    state = live_portal.dev("state")
    mine = next(a for a in state["accounts"] if a["tc"] == DEMO_TC)
    foreign = next(w["sicil"] for w in state["workplaces"]
                   if w["sicil"] not in mine["workplaces"] + mine["workplaces_after_refresh"])
    stranger = {"sicil": foreign, "tc": s.new_tc(), "name": "Başka", "hired": "2024-01-01", "left": None}
    # A pending physician contract exactly at today's minimum (10 min x 40): one more employee tips it.
    live_portal.dev("contracts", json={"sicil": W1, "professional": "Sınır Hekim", "title": "İşyeri Hekimi",
                                       "cert_class": "-", "minutes": 400})

    result = sync(session, s.roster(tmp_path / "personel.xlsx", [stranger]), tmp_path)

    assert result.error is None and result.login_needed is None
    w1 = next(w for w in result.workplaces if w.sicil == W1)
    assert (w1.method, w1.bulk) == (Method.VERIFY, False)
    assert {v.tc for v in w1.verified} == s.fixed
    assert kinds(w1) == s.expected
    state = live_portal.dev(f"state?sicil={W1}")
    assert (w1.active_before, w1.active_after) == (40, 41) == (40, state["workplaces"][0]["active_count"])
    # Eight asked (never the absentee); the portal records the seven SGK found (not "SGK kaydı bulunamadı").
    assert w1.verify_calls == len(s.fixed) + 3
    assert len(audit(live_portal, W1, "verify")) == len(s.fixed) + 2
    assert audit(live_portal, W1, "bulk_update") == []
    final = listed(live_portal, W1)
    assert all(final[tc]["status"] == ("Çıkış" if s.people[tc]["left"] else "Aktif") for tc in s.fixed)
    assert next(tc for tc, k in s.expected.items() if k == "hire_not_filed") not in final
    contract = [e for e in w1.exceptions if e.kind == "contract_not_compliant"]
    assert len(contract) == 1 and "Sınır Hekim" in contract[0].name and "40 → 41" in contract[0].reason.tr
    other = next(w for w in result.workplaces if w.sicil == foreign)
    assert [str(e.kind) for e in other.exceptions] == ["no_access"]
    assert "erişim yetkiniz bulunmamaktadır" in other.exceptions[0].reason.tr


def test_a_second_run_with_nothing_new_does_nothing_in_the_portal(live_portal, session, tmp_path):
    s = few_differences(live_portal)
    roster = s.roster(tmp_path / "personel.xlsx")
    first = sync(session, roster, tmp_path)
    audit_before = live_portal.dev("state")["audit"]

    second = sync(session, roster, tmp_path)

    assert live_portal.dev("state")["audit"] == audit_before
    w1 = second.workplaces[0]
    assert (w1.method, w1.verified, w1.verify_calls) == (Method.NONE, [], 0)
    assert kinds(w1) == kinds(first.workplaces[0]) == s.expected
    assert all("SGK'ya" in e.reason.tr and "soruldu" in e.reason.tr
               for e in w1.exceptions if e.kind != "not_in_roster")
    assert w1.active_before == w1.active_after == first.workplaces[0].active_after


def test_a_new_difference_after_a_run_is_asked_about_alone(live_portal, session, tmp_path):
    s = few_differences(live_portal)
    sync(session, s.roster(tmp_path / "personel.xlsx"), tmp_path)
    verified_before = len(audit(live_portal, W1, "verify"))
    newcomer = s.hire_known_to_sgk(hired="2025-02-27")

    again = sync(session, s.roster(tmp_path / "personel-2.xlsx"), tmp_path)

    assert [v.tc for v in again.workplaces[0].verified] == [newcomer]
    assert len(audit(live_portal, W1, "verify")) == verified_before + 1


def test_a_dry_run_plans_and_reports_but_changes_nothing(live_portal, session, tmp_path):
    s = few_differences(live_portal)
    before = live_portal.dev(f"state?sicil={W1}")

    result = sync(session, s.roster(tmp_path / "personel.xlsx"), tmp_path, dry_run=True)

    after = live_portal.dev(f"state?sicil={W1}")
    assert (after["employees"], after["audit"], after["contracts"]) == (
        before["employees"], before["audit"], before["contracts"])
    w1 = result.workplaces[0]
    assert w1.method is Method.VERIFY and w1.verified == []
    asked = {tc for tc, kind in s.expected.items() if kind != "not_in_roster"}
    assert {p.tc for p in w1.planned} == s.fixed | asked
    assert not (tmp_path / "state" / "memory.json").exists()


def test_many_differences_use_the_bulk_update_and_wait_for_it_to_finish(live_portal, session, tmp_path):
    s = few_differences(live_portal)
    live_portal.dev("faults", json={"bulk_delay_s": 30})
    # The portal's clock moves only when the robot waits: polling is tested without sleeping.
    start, waited = datetime.now(), []
    live_portal.app.config["CLOCK"] = lambda: start + timedelta(seconds=sum(waited))

    request = request_for(s.roster(tmp_path / "personel.xlsx"), "demo", bulk_threshold=5, bulk_poll_s=10,
                          bulk_wait_s=120, memory_file=tmp_path / "memory.json")
    result = run(session, request, policy=QUICK, sleep=waited.append, monotonic=lambda: sum(waited))

    w1 = result.workplaces[0]
    assert (w1.method, w1.bulk) == (Method.BULK, True)
    assert sum(waited) >= 30 and len(waited) >= 3  # it polled "İşleniyor" until "Tamamlandı"
    assert len(audit(live_portal, W1, "bulk_update")) == 1
    assert audit(live_portal, W1, "verify") == []
    assert {v.tc for v in w1.verified} == s.fixed
    assert kinds(w1) == s.expected
    assert w1.active_after == live_portal.dev(f"state?sicil={W1}")["workplaces"][0]["active_count"] == 41


def test_a_bulk_update_refused_as_too_soon_falls_back_to_one_by_one(live_portal, session, tmp_path):
    s = few_differences(live_portal)
    recently = (datetime.now() - timedelta(minutes=3)).isoformat(timespec="seconds")
    run_sql(live_portal, "INSERT INTO bulk_updates (sicil, requested_at, due_at, done_at) "
            "VALUES (?, ?, ?, ?)", W1, recently, recently, recently)

    result = sync(session, s.roster(tmp_path / "personel.xlsx"), tmp_path, bulk_threshold=5)

    w1 = result.workplaces[0]
    assert (w1.method, w1.bulk) == (Method.VERIFY, False)
    assert any("10 dakikada bir" in note for note in w1.notes)
    assert audit(live_portal, W1, "bulk_update") == []
    assert w1.verify_calls == len(s.fixed) + 3
    assert {v.tc for v in w1.verified} == s.fixed
    assert kinds(w1) == s.expected


def test_a_workplace_in_line_with_sgk_is_only_read(live_portal, session, tmp_path):
    s = Scenario.of(live_portal, W3)

    result = sync(session, s.roster(tmp_path / "personel.xlsx"), tmp_path)

    w3 = result.workplaces[0]
    assert (w3.method, w3.exceptions, w3.verified) == (Method.NONE, [], [])
    assert w3.active_before == w3.active_after == 12
    assert live_portal.dev(f"state?sicil={W3}")["audit"] == []


def test_a_thousand_employee_workplace_is_read_500_rows_a_page_and_its_30_differences_verified(
    live_portal, settings, browser, tmp_path, monkeypatch
):
    from rpa.accounts import Account
    from rpa.secrets import CodeSource, SecretRef
    from rpa.session import BrowserSession

    live_portal.dev("reset", json={"accounts": 1, "workplaces": 1, "employees": 1000})
    state = live_portal.dev("state")
    owner = next(a for a in state["accounts"] if a["two_step"] and len(a["workplaces"]) == 1
                 and a["tc"] != DEMO_TC)
    sicil = owner["workplaces"][0]
    s = Scenario.of(live_portal, sicil)
    listed_now = {e["tc"]: e for e in s.state()["employees"]}
    hires = [r for r in s.state()["sgk"] if r["tc"] not in listed_now][:15]
    leavers = [r for r in s.state()["sgk"] if r["left"] and listed_now[r["tc"]]["status"] == "Aktif"][:15]
    for record in hires:
        s.people[record["tc"]] = dict(record)
    for record in leavers:
        s.people[record["tc"]]["left"] = record["left"]
    assert len(s.people) >= 1000 and len(hires) == len(leavers) == 15
    monkeypatch.setenv("KATIP_TEST_OWNER_PASSWORD", owner["password"])
    account = Account(name="owner", tc=owner["tc"], password=SecretRef(kind="env", target="KATIP_TEST_OWNER_PASSWORD"),
                      code=CodeSource(kind="mock"))
    pages: list[str] = []
    with BrowserSession(settings, browser=browser) as robot, robot.account_context(account) as session:
        session.context.on("request", lambda r: pages.append(r.url) if "sayfa=" in r.url else None)
        request = request_for(s.roster(tmp_path / "buyuk.xlsx"), "owner", bulk_threshold=31,
                              memory_file=tmp_path / "memory.json")
        result = run(session, request, policy=QUICK)

    wp = result.workplaces[0]
    assert (wp.method, len(wp.verified), wp.exceptions) == (Method.VERIFY, 30, [])
    assert wp.active_after == wp.active_before + 15 - 15
    # Read before (1000 rows: pages 1-2) and after (1015 rows: pages 1-3), 500 rows a page, never 10.
    assert all("boyut=500" in url for url in pages)
    assert len(pages) == 3


def test_random_portal_faults_are_retried_and_change_nothing_in_the_outcome(live_portal, session, tmp_path):
    from rpa.flows.retry import RetryPolicy

    s = few_differences(live_portal)
    roster = s.roster(tmp_path / "personel.xlsx")
    live_portal.dev("faults", json={"error_rate": 0.1, "seed": 11})

    request = request_for(roster, "demo", memory_file=tmp_path / "memory.json")
    result = run(session, request, policy=RetryPolicy(attempts=8, first_wait_s=0.0))

    live_portal.dev("faults", json={"error_rate": 0.0})
    w1 = result.workplaces[0]
    assert result.error is None and w1.error is None
    assert {v.tc for v in w1.verified} == s.fixed
    assert kinds(w1) == s.expected
    found = s.fixed | {tc for tc, kind in s.expected.items() if kind in ("leave_not_filed", "hired_date_differs")}
    assert {a["target"] for a in audit(live_portal, W1, "verify")} == found


def test_a_verify_whose_answer_page_failed_is_not_asked_again(live_portal, session, tmp_path):
    s = few_differences(live_portal)
    roster = s.roster(tmp_path / "personel.xlsx")
    posted = []

    def answer_page_fails_once(route):
        # The portal asked SGK (the POST went through); only the page after it is a "Sistem hatası".
        if route.request.method == "POST" and route.request.url.endswith("/dogrula") and not posted:
            route.fetch(max_redirects=0)  # the portal gets the request and asks SGK
            posted.append("failed")
            route.fulfill(status=500, content_type="text/html; charset=utf-8",
                          body="<h1>Sistem hatası. Lütfen daha sonra tekrar deneyiniz.</h1>")
        else:
            route.continue_()

    session.context.route("**/*", answer_page_fails_once)
    result = sync(session, roster, tmp_path)

    w1 = result.workplaces[0]
    assert "failed" in posted, "the fault was injected"
    assert {v.tc for v in w1.verified} == s.fixed
    targets = [a["target"] for a in audit(live_portal, W1, "verify")]
    assert len(targets) == len(set(targets)), "each person asked about once"


def test_a_stop_asked_for_during_a_workplace_leaves_the_next_workplaces_for_the_next_run(
    live_portal, session, tmp_path
):
    s = few_differences(live_portal)
    newcomer = {"sicil": W3, "tc": s.new_tc(), "name": "Yeni Kişi", "hired": "2024-01-01", "left": None}
    asked = []

    def stop_after_the_first_workplace() -> bool:  # Ctrl-C, or a scheduled run's time is up
        asked.append(True)
        return len(asked) > 1

    result = sync(session, s.roster(tmp_path / "personel.xlsx", [newcomer]), tmp_path,
                  should_stop=stop_after_the_first_workplace)

    assert len(result.workplaces) == 1 and len(asked) == 2
    assert live_portal.dev(f"state?sicil={W3}")["audit"] == []  # the second workplace was not touched
