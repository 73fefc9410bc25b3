"""The flows look at a scheduled run's stop signal between items: what is left waits for the next run."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from rpa.app.control import StopToken
from rpa.flows import approve_contracts
from rpa.flows.approve_contracts import ApproveRequest
from rpa.flows.results import Outcome
from rpa.flows.retry import RetryPolicy
from rpa.models import Contract, Workplace
from tests.flows.fakes import FakeContract, FakePortal, FakeSession

W1 = "11320010112345670341542000"
W2 = "12451020123456780350617000"


def two_workplaces_three_contracts() -> FakePortal:
    return FakePortal(
        workplaces=[
            Workplace(sicil=W1, unvan="Anadolu Tekstil A.Ş.", hazard_class="Tehlikeli"),
            Workplace(sicil=W2, unvan="Ege Metal Döküm Ltd. Şti.", hazard_class="Çok Tehlikeli"),
        ],
        active={W1: 40, W2: 30},
        contracts=[
            FakeContract("100001", W1, "Zeynep Arslan", "İş Güvenliği Uzmanı", "B", 960),
            FakeContract("100002", W1, "Elif Şahin", "İşyeri Hekimi", "-", 480),
            FakeContract("100004", W2, "Hatice Koç", "Diğer Sağlık Personeli", "-", 360),
        ],
    )


def approve(portal: FakePortal, tmp_path: Path, stop: StopToken) -> list[str]:
    request = ApproveRequest(account="demo", contracts_dir=tmp_path / "contracts", should_stop=stop.is_set)
    result = approve_contracts.run(
        FakeSession(portal), request, policy=RetryPolicy(attempts=2, first_wait_s=0.0), sleep=lambda _s: None
    )
    return [c.contract_no for wp in result.workplaces for c in wp.contracts if c.outcome is Outcome.DONE]


def test_a_stop_during_a_contract_lets_it_finish_and_leaves_the_rest_waiting_for_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    portal = two_workplaces_three_contracts()
    shutdown = threading.Event()
    read_contract = FakeContract.model

    def read_then_sigterm(contract: FakeContract) -> Contract:  # SIGTERM while the first one is open
        shutdown.set()
        return read_contract(contract)

    monkeypatch.setattr(FakeContract, "model", read_then_sigterm)
    first = approve(portal, tmp_path, StopToken(shutdown))
    monkeypatch.undo()

    assert first == ["100001"]  # the contract in hand was completed, not left half-approved
    assert [c.no for c in portal.contracts if c.approval == "Onay Bekliyor"] == ["100002", "100004"]
    second = approve(portal, tmp_path, StopToken(threading.Event()))
    assert second == ["100002", "100004"]
