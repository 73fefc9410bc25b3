"""A portal whose scripts arrive late: the robot must not click menus or rows before they can work."""

from __future__ import annotations

import pytest

from tests.robot.conftest import workplace_with_pending

pytestmark = pytest.mark.browser

SCRIPT_DELAY_S = 1.5


@pytest.fixture
def slow_scripts(session):
    """Hold every JavaScript file back for a while, as a slow portal or network would."""

    def delayed(route):
        # Waiting through Playwright (not time.sleep) lets the page go on loading meanwhile.
        session.page.wait_for_timeout(SCRIPT_DELAY_S * 1000)
        route.continue_()

    context = session.page.context
    context.route("**/*.js", delayed)
    yield session
    # A script still held back when the context closes would fail its wait inside the route handler,
    # and Playwright reports that error in whichever test of this worker runs next.
    context.unroute_all(behavior="ignoreErrors")


def test_menus_and_rows_work_when_the_portals_scripts_arrive_late(slow_scripts, live_portal):
    workplaces = slow_scripts.ensure_logged_in()
    shell = workplaces.choose(workplace_with_pending(live_portal))
    contracts = shell.open_contracts()  # the "Süreç Yönetimi" toggle needs the script
    pending = contracts.pending()
    approval = contracts.open_approval(pending[0])  # selecting a row needs the script too
    assert approval.contract().no
