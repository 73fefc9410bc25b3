"""Fixtures for the flow tests: an in-memory portal with the demo's rule cases, and quick retries."""

from __future__ import annotations

import pytest

from rpa.flows.retry import RetryPolicy
from rpa.models import Workplace
from tests.flows.fakes import FakeContract, FakePortal

W1 = "11320010112345670341542000"  # Tehlikeli, 40 active
W2 = "12451020123456780350617000"  # Çok Tehlikeli, 30 active
W3 = "16201010134567890060863000"  # Az Tehlikeli, appears after a refresh
QUICK = RetryPolicy(attempts=4, first_wait_s=0.0)


@pytest.fixture
def portal() -> FakePortal:
    """Two workplaces: three compliant contracts waiting, two that break the rules."""
    return FakePortal(
        workplaces=[
            Workplace(sicil=W1, unvan="Anadolu Tekstil A.Ş.", hazard_class="Tehlikeli"),
            Workplace(sicil=W2, unvan="Ege Metal Döküm Ltd. Şti.", hazard_class="Çok Tehlikeli"),
        ],
        hidden=[Workplace(sicil=W3, unvan="Başkent Yazılım Ltd. Şti.", hazard_class="Az Tehlikeli")],
        active={W1: 40, W2: 30, W3: 12},
        contracts=[
            FakeContract("100001", W1, "Zeynep Arslan", "İş Güvenliği Uzmanı", "B", 960),
            FakeContract("100002", W1, "Elif Şahin", "İşyeri Hekimi", "-", 480, "Süre Güncelleme"),
            FakeContract("100003", W2, "Emre Çelik", "İş Güvenliği Uzmanı", "C", 1400),
            FakeContract("100004", W2, "Hatice Koç", "Diğer Sağlık Personeli", "-", 360),
            FakeContract("100005", W2, "Burak Doğan", "İşyeri Hekimi", "-", 300, "Süre Güncelleme",
                         compliant=False),
            FakeContract("099999", W1, "Serkan Aydın", "İş Güvenliği Uzmanı", "B", 700,
                         approval="Onaylandı", status="Sonlandırıldı"),
        ],
    )


# --- browser tests against a live mock portal ------------------------------------------------------------

PASSWORD_VARIABLE = "KATIP_TEST_FLOWS_PASSWORD"


@pytest.fixture
def robot_settings(live_portal, tmp_path):
    """Robot settings for this test's portal, private state and output under tmp_path."""
    from rpa.settings import Settings

    return Settings(portal_url=f"{live_portal.url}/", state_dir=tmp_path / "state", out_dir=tmp_path / "out",
                    timeout_ms=10_000, politeness_ms=0)


@pytest.fixture
def demo_session(robot_settings, browser, monkeypatch):
    """The seeded demo employer's AccountSession on the shared test Chromium (logs in unattended)."""
    from mock_portal.seed import DEMO_PASSWORD, DEMO_TC
    from rpa.accounts import Account
    from rpa.secrets import CodeSource, SecretRef
    from rpa.session import BrowserSession

    monkeypatch.setenv(PASSWORD_VARIABLE, DEMO_PASSWORD)
    account = Account(name="demo", tc=DEMO_TC, password=SecretRef(kind="env", target=PASSWORD_VARIABLE),
                      code=CodeSource(kind="mock"))
    with BrowserSession(robot_settings, browser=browser) as robot, robot.account_context(account) as session:
        yield session


def demo_workplaces(live_portal) -> tuple[list[str], list[str]]:
    """(the demo account's visible workplaces, those SGK links only after a refresh)."""
    from mock_portal.seed import DEMO_TC

    account = next(a for a in live_portal.dev("state")["accounts"] if a["tc"] == DEMO_TC)
    return account["workplaces"], account["workplaces_after_refresh"]


def foreign_workplace(live_portal) -> str:
    """A workplace of another account."""
    from mock_portal.seed import DEMO_TC

    accounts = live_portal.dev("state")["accounts"]
    demo = next(a for a in accounts if a["tc"] == DEMO_TC)
    mine = set(demo["workplaces"]) | set(demo["workplaces_after_refresh"])
    return next(s for a in accounts if a["tc"] != DEMO_TC for s in a["workplaces"] if s not in mine)
