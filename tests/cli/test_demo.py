"""`katip demo`: the sample roster it syncs, the check against the portal, and the whole run end to end."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from mock_portal import seed_demo
from mock_portal.seed import SeedOptions, generate
from rpa.demo_roster import ROSTER_FILE, RosterSyncStep, compare_sync_with_portal
from rpa.models import Employee
from rpa.roster.reader import read_roster
from rpa.sync.reconcile import Kind, reconcile
from rpa.sync.results import SyncResult, VerifiedItem, WorkplaceSync
from tests.cli.test_robot_cli import FULL_TC, katip

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 1, 15)
W = {w.key: w.sicil for w in seed_demo.WORKPLACES}


def _generator():
    spec = importlib.util.spec_from_file_location("make_sample_rosters", REPO / "data/make_sample_rosters.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _people(path: Path) -> list[tuple[str, str, str, dt.date | None, dt.date | None]]:
    return sorted((r.sicil, r.tc, r.name, r.hired, r.left) for r in read_roster([path], today=TODAY).rows)


def test_the_bundled_roster_is_what_the_generator_makes_from_the_mock_seed():
    spec = _generator().spec_from_demo()

    assert json.loads((REPO / "data/rosters/ornek-personel.json").read_text(encoding="utf-8")) == spec
    assert _people(ROSTER_FILE) == _people(REPO / "data/rosters/ornek-personel.xlsx")
    expected = sorted(
        (w["sicil"], p["tc"], p["name"], dt.date.fromisoformat(p["hired"]),
         dt.date.fromisoformat(p["left"]) if p["left"] else None)
        for w in spec["workplaces"] for p in w["people"]
    )
    assert _people(ROSTER_FILE) == expected


def test_the_sample_roster_gives_the_sync_six_people_to_verify_and_two_it_cannot_fix():
    seed = generate(SeedOptions(accounts=0))
    roster = read_roster([ROSTER_FILE], today=TODAY)
    found = {}
    for sicil in W.values():
        portal = [Employee(**{k: e[k] for k in ("tc", "name", "hired", "left", "status")})
                  for e in seed.employees if e["sicil"] == sicil]
        found[sicil] = sorted(d.kind for d in reconcile(sicil, roster.by_workplace()[sicil], portal, TODAY)
                              .differences)
    sgk = {(r["sicil"], r["tc"]): r for r in seed.sgk}

    assert all(not f.rejected for f in roster.files)
    assert found == {
        W["w1"]: sorted([Kind.NOT_IN_PORTAL, Kind.NOT_IN_PORTAL, Kind.STILL_ACTIVE]),
        W["w2"]: sorted([Kind.NOT_IN_PORTAL, Kind.STILL_ACTIVE]),
        W["w3"]: [Kind.NOT_IN_PORTAL],
        W["w4"]: sorted([Kind.NOT_IN_PORTAL, Kind.STILL_ACTIVE]),
    }
    # The roster agrees with SGK on everyone but two: a hire SGK has no record of, a leave it does not know.
    unknown = [r for r in roster.rows if (r.sicil, r.tc) not in sgk]
    stale = [r for r in roster.rows
             if (r.sicil, r.tc) in sgk and (sgk[(r.sicil, r.tc)]["left"] is None) != (r.left is None)]
    assert [(r.sicil, r.left) for r in unknown] == [(W["w3"], None)]
    assert [(r.sicil, sgk[(r.sicil, r.tc)]["left"]) for r in stale] == [(W["w4"], None)]


def _state(active: dict[str, int], employees: list[dict]) -> dict:
    return {"workplaces": [{"sicil": s, "active_count": n} for s, n in active.items()], "employees": employees}


def _step(active_after: int, verified_tc: str) -> RosterSyncStep:
    roster = read_roster([ROSTER_FILE], today=TODAY)
    item = VerifiedItem(sicil=W["w1"], tc=verified_tc, difference=Kind.NOT_IN_PORTAL, before="", after="x",
                        method="verify")
    workplaces = [WorkplaceSync(sicil=s, active_before=1, active_after=1) for s in W.values() if s != W["w1"]]
    workplaces.append(WorkplaceSync(sicil=W["w1"], active_before=40, active_after=active_after, verified=[item]))
    return RosterSyncStep(roster=roster, results=[SyncResult(account="demo-firma", workplaces=workplaces)])


def test_the_demo_check_agrees_with_a_portal_that_shows_the_synced_counts_and_people():
    state = _state({**dict.fromkeys(W.values(), 1), W["w1"]: 41},
                   [{"sicil": W["w1"], "tc": "89941826894", "status": "Aktif"}])

    assert compare_sync_with_portal(_step(41, "89941826894"), state) == []


def test_the_demo_check_names_a_count_and_a_person_the_portal_does_not_show():
    state = _state({**dict.fromkeys(W.values(), 1), W["w1"]: 40}, [])

    problems = compare_sync_with_portal(_step(41, "89941826894"), state)

    assert problems == [
        f"workplace {W['w1']}: 41 active after the roster sync, the portal shows 40",
        f"{W['w1']} 899*****894: verified, but the portal shows no record (expected Aktif)",
    ]


@pytest.mark.slow
@pytest.mark.browser
def test_the_demo_syncs_the_roster_approves_and_its_summary_matches_the_portal(tmp_path):
    done = katip(tmp_path, "demo", "--out-dir", str(tmp_path / "demo-out"), timeout=400)
    out = done.stdout

    assert done.returncode == 0, out + done.stderr
    assert "Portal durumu özetle uyumlu" in out
    assert "Doğrulanan 6 · istisna 2 · reddedilen satır 0" in out
    for sicil, verified, counts, exceptions in ((W["w1"], 3, "40 → 41", 0), (W["w2"], 2, "30 → 30", 0),
                                                (W["w3"], 0, "12 → 12", 1), (W["w4"], 1, "20 → 21", 1)):
        assert re.search(rf"{sicil} │[^\n]*│ {verified} +│ {counts} +│ {exceptions} ", out), sicil
    assert re.search(rf"{W['w3']} \d{{3}}\*{{5}}\d{{3}} \(İşe giriş bildirilmemiş[^\n]*SGK kaydı bulunamadı", out)
    assert re.search(rf"{W['w4']} \d{{3}}\*{{5}}\d{{3}} \(İşten ayrılış bildirilmemiş", out)
    # Held: the class C expert at a "Çok Tehlikeli" workplace and the two physicians under the minimum.
    # (The sync verifies leavers before hires, so no transient count rise raises a physician's minutes.)
    approved, held = map(int, re.search(r"Onaylanan (\d+) · bekletilen (\d+)", out).groups())
    assert (approved, held) == (5, 3)
    assert not FULL_TC.findall(out)
    # Four runs through the app layer, as four commands or four scheduled jobs: each with its report.
    runs = sorted((tmp_path / "demo-out" / "runs").glob("*/"))
    assert len(runs) == 4 and all(str(run.name) in out for run in runs)
    assert [(run / "report.html").is_file() for run in runs] == [True, False, True, True]
    book = load_workbook(runs[1] / "roster-sync.xlsx", read_only=True)
    kinds = [row[3] for row in book["İstisnalar (Exceptions)"].iter_rows(min_row=2, values_only=True)]
    assert sorted(kinds) == ["İşe giriş bildirilmemiş / hire not filed",
                             "İşten ayrılış bildirilmemiş / leave not filed"]
    assert len(list(book["Doğrulananlar (Verified)"].iter_rows(min_row=2))) == 6
    assert len(list((tmp_path / "demo-out" / "contracts").glob("*/sozlesme-*.pdf"))) == approved
