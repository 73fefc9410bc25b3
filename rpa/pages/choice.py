"""After login: "Bireysel" (the İSG professional's side) or "Kurumsal" (the employer's side)."""

from __future__ import annotations

from playwright.sync_api import Page

from rpa.pages.base import BasePage, PagePolicy
from rpa.pages.individual import IndividualPage
from rpa.pages.workplaces import WorkplacesPage


class ChoicePage(BasePage):
    """The two buttons shown right after the e-Devlet login."""

    NAME = "Bireysel/Kurumsal choice"

    def __init__(self, page: Page, policy: PagePolicy) -> None:
        super().__init__(page, policy)
        self.corporate_button = self._clickable(self.t.CORPORATE)
        self.individual_button = self._clickable(self.t.INDIVIDUAL)

    def corporate(self) -> WorkplacesPage:
        """Kurumsal: the workplaces this person is an E-Bildirge user of."""
        workplaces = self._next(WorkplacesPage)
        self._show(self.corporate_button, "choose Kurumsal", workplaces.heading)
        return workplaces

    def individual(self) -> IndividualPage:
        """Bireysel: the contracts assigned to this person as a professional (read-only)."""
        self._click(self.individual_button, "choose Bireysel")
        page = self._next(IndividualPage)
        page.wait_until_shown("choose Bireysel")
        return page
