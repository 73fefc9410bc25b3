"""The page objects on a different portal (same words, other markup and paths): nothing may change."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mock_portal.server import start_in_thread
from rpa.accounts import Account
from rpa.models import ContactInfo
from rpa.secrets import CodeSource, SecretRef
from rpa.session import AccountSession, BrowserSession
from rpa.settings import Settings
from tests.robot.other_portal import CODE, PASSWORD, SICIL, TC, create_other_portal

pytestmark = pytest.mark.browser


@pytest.fixture
def other(tmp_path, browser, monkeypatch) -> Iterator[tuple[AccountSession, object]]:
    """A logged-in session on the other portal (the code comes from a command, as for a real phone app)."""
    app = create_other_portal()
    server = start_in_thread(app)
    monkeypatch.setenv("KATIP_TEST_OTHER_PASSWORD", PASSWORD)
    account = Account(
        name="baska",
        tc=TC,
        password=SecretRef(kind="env", target="KATIP_TEST_OTHER_PASSWORD"),
        code=CodeSource(kind="command", command=f"echo 'Kod: {CODE}'"),
    )
    settings = Settings(portal_url=f"{server.url}/", state_dir=tmp_path / "state", timeout_ms=10_000)
    try:
        with BrowserSession(settings, browser=browser) as robot, robot.account_context(account) as session:
            yield session, app.config["STATE"]
    finally:
        server.stop()


def test_login_workplaces_and_shell_work_on_other_markup(other):
    session, _ = other
    workplaces = session.ensure_logged_in()
    [workplace] = workplaces.workplaces()
    assert (workplace.sicil, workplace.unvan, workplace.hazard_class.value) == (
        SICIL,
        "Anadolu Tekstil",
        "Tehlikeli",
    )
    shell = workplaces.choose(SICIL)
    assert shell.current_sicil() == SICIL
    assert session.ensure_logged_in().workplaces() == [workplace]  # the saved session is reused


def test_contracts_read_in_another_column_order_and_approved(other):
    session, state = other
    contracts = session.ensure_logged_in().choose(SICIL).open_contracts()
    rows = contracts.rows()
    assert [(r.professional, r.minutes, r.pending) for r in rows] == [
        ("Ali Veli", 600, True),
        ("Ayşe Kaya", 400, False),
    ]
    approval = contracts.open_approval(contracts.pending()[0])
    assert (approval.contract().no, approval.contract().minutes) == ("77", 600)
    back = approval.approve()
    assert back.last_message() == "Sözleşme onaylandı."
    assert state.contracts[0]["approval"] == "Onaylandı"


def test_employees_in_a_grid_behind_a_javascript_tab_with_a_native_confirm(other):
    session, state = other
    tab = session.ensure_logged_in().choose(SICIL).open_card().employees_tab()
    assert tab.active_count() == 60
    assert sorted(e.tc for e in tab.all_employees()) == sorted(tc for tc, _ in state.employees)
    assert tab.request_bulk_update() == "Toplu güncelleme talebiniz alındı."
    assert state.bulk_requests == 1


def test_contact_with_districts_fetched_by_javascript(other):
    session, state = other
    tab = session.ensure_logged_in().choose(SICIL).open_card().contact_tab()
    wanted = ContactInfo(
        phone="0312 555 12 34",
        email="a@b.com.tr",
        address="Adres 1",
        il="İzmir",
        ilce="Bornova",
        auto_update=False,
    )
    assert tab.submit(wanted) == "Bilgileriniz kaydedildi."
    assert (state.contact["il"], state.contact["ilce"], state.contact["oto"]) == ("İzmir", "Bornova", "0")
