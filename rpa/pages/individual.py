"""Bireysel: the contracts assigned to the logged-in İSG professional (read-only)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from rpa.pages import reading
from rpa.pages.base import BasePage, PagePolicy


class IndividualPage(BasePage):
    """The professional's own view; the portal's columns here are not fixed, so rows come back keyed by header."""

    NAME = "Bireysel page"

    def __init__(self, page: Page, policy: PagePolicy) -> None:
        super().__init__(page, policy)
        self.choice_button = self._clickable(self.t.CORPORATE)

    def wait_until_shown(self, intent: str) -> None:
        """Wait until the choice screen has gone (this page has no fixed heading)."""
        with self._step(intent):
            expect(self.choice_button).to_have_count(0, timeout=self.policy.timeout_ms)
        self.raise_if_fault()

    def rows(self) -> list[dict[str, str]]:
        """Every row of the first visible table, as {header: cell}; empty when there is no table."""
        tables = self._visible(self.page.get_by_role("table"))
        if not tables.count():
            return []
        headers = [h.strip() for h in tables.first.get_by_role("columnheader").all_inner_texts()]
        if not headers:
            return []
        table = reading.find_table(self.page, headers[0])
        return [dict(zip(table.headers, row, strict=True)) for row in table.rows] if table else []
