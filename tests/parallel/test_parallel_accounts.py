"""Several accounts at once (`--parallel`): the same end state as one by one, failures and stops per account."""

from __future__ import annotations

import threading
from contextlib import nullcontext
from pathlib import Path

import pytest

from rpa.app.control import Silent, StopToken
from rpa.parallel import AccountPool
from rpa.settings import Settings
from tests.parallel.conftest import SIZES, approvals, as_json, decisions, katip, write_accounts


def _rows(document: dict) -> list[tuple[str, str, list[str]]]:
    return [(wp["account"], wp["sicil"], sorted(c["contract_no"] for c in wp["approved"]))
            for wp in document["workplaces"]]


@pytest.mark.slow(minutes=2)
@pytest.mark.browser
def test_three_accounts_side_by_side_end_as_one_after_another_with_each_approval_once(
    live_portal, employers, tmp_path
):
    one = katip(tmp_path / "one", live_portal.url, employers, "approve", "--json", "--parallel", "1")
    after_one = live_portal.dev("state")
    live_portal.dev("reset", SIZES)
    three = katip(tmp_path / "three", live_portal.url, employers, "approve", "--json", "--parallel", "3")
    after_three = live_portal.dev("state")

    assert three.returncode == one.returncode, three.stderr[-2000:]
    assert approvals(after_three), "the seed should leave something to approve"
    assert len(set(approvals(after_three))) == len(approvals(after_three))
    assert sorted(approvals(after_three)) == sorted(approvals(after_one))
    assert decisions(after_three) == decisions(after_one)
    rows = _rows(as_json(three))
    assert rows == _rows(as_json(one))
    assert [account for account, _, _ in rows] == sorted(account for account, _, _ in rows)


@pytest.mark.slow
@pytest.mark.browser
def test_a_wrong_password_stops_only_its_account_while_the_others_finish(live_portal, employers, tmp_path):
    wrong = employers[1]

    done = katip(tmp_path, live_portal.url, employers, "approve", "--json", "--parallel", "3",
                 passwords={wrong.name: "Yanlis.0000"})

    document = as_json(done)
    assert done.returncode in (1, 3)
    assert wrong.name in {**document.get("account_errors", {}), **document.get("login_needed", {})}
    owner = {c["no"]: c["sicil"] for c in live_portal.dev("state")["contracts"]}
    approved = approvals(live_portal.dev("state"))
    assert not [no for no in approved if owner[no] in wrong.workplaces]
    reported = {no for _, _, numbers in _rows(document) for no in numbers}
    assert reported == set(approved) and reported
    assert {account for account, _, _ in _rows(document)} == {employers[0].name, employers[2].name}


@pytest.mark.slow
@pytest.mark.browser
def test_a_stop_mid_run_leaves_the_rest_waiting_and_the_next_run_finishes_it_once(
    live_portal, employers, tmp_path, monkeypatch
):
    from rpa import app
    from rpa.app import ApproveRun, ExitStatus, StopToken

    for e in employers:
        monkeypatch.setenv(e.variable, e.password)
    settings = _settings(live_portal.url, employers, tmp_path)
    stop = StopToken()

    first = app.approve(settings, ApproveRun(), progress=_StopAtSecondWorkplace(stop, employers[0].name), stop=stop)

    assert first.status is ExitStatus.INTERRUPTED and first.record.outcome == "stopped"
    state = live_portal.dev("state")
    (stopped,) = [r for r in first.report.approve if r.account == employers[0].name]
    assert len(stopped.workplaces) == 2 and stopped.workplaces[1].contracts == []  # stopped between items
    done_first = {c.contract_no for r in first.report.approve for wp in r.workplaces for c in wp.contracts
                  if c.outcome == "done"}
    assert set(approvals(state)) == done_first
    not_started = [e.name for e in employers if e.name not in [r.account for r in first.report.approve]]
    assert all(name in " ".join(first.report.notes) for name in not_started)

    again = app.approve(settings, ApproveRun())

    state = live_portal.dev("state")
    assert again.status is not ExitStatus.INTERRUPTED
    assert len(approvals(state)) == len(set(approvals(state))) > len(done_first)
    held = {c.contract_no for r in again.report.approve for wp in r.workplaces for c in wp.contracts
            if c.outcome == "held"}
    mine = {s for e in employers for s in e.workplaces}
    waiting = {c["no"] for c in state["contracts"] if c["sicil"] in mine and c["approval"] == "Onay Bekliyor"}
    assert waiting == held


def test_one_account_crashing_stops_neither_the_others_nor_the_order_of_what_they_report():
    seen: list[str] = []
    crashed: list[str] = []
    lock = threading.Lock()

    def run_one(_browser: object, name: str) -> None:
        if name == "b":
            raise RuntimeError("browser gone")
        with lock:
            seen.append(name)

    pool = AccountPool(["a", "b", "c", "d"], 2, open_browser=nullcontext, run_one=run_one,
                       on_crash=lambda name, _exc: crashed.append(name), stop=threading.Event())

    assert pool.run() == []
    assert sorted(seen) == ["a", "c", "d"] and crashed == ["b"]


def test_a_stop_before_the_start_leaves_every_account_for_the_next_run():
    stop = threading.Event()
    stop.set()
    pool = AccountPool(["a", "b"], 2, open_browser=nullcontext, run_one=lambda _b, _n: None,
                       on_crash=lambda _n, _e: None, stop=stop)

    assert pool.run() == ["a", "b"]


class _StopAtSecondWorkplace(Silent):
    """A progress display that presses "stop" when `account` moves on to its second workplace."""

    def __init__(self, stop: StopToken, account: str) -> None:
        self._stop, self._account = stop, account

    def workplace(self, account: str, done: int, total: int, name: str) -> None:
        """Stop once the first workplace is done."""
        if account == self._account and done == 1 and name:
            self._stop.set()


def _settings(url: str, employers: list, folder: Path) -> Settings:
    return Settings(portal_url=url, state_dir=folder / "state", out_dir=folder / "out", timeout_ms=10_000,
                    parallel=2, accounts_file=write_accounts(folder, employers))


def test_without_a_setting_up_to_four_accounts_run_at_once_and_never_more_workers_than_accounts():
    from rpa.settings import Settings

    assert [Settings().workers(n) for n in (1, 3, 4, 20)] == [1, 3, 4, 4]
    assert [Settings(parallel=8).workers(n) for n in (3, 20)] == [3, 8]
