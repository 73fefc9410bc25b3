"""Kurumsal: "E-Bildirge Kullanıcısı Olduğunuz İşyerleri", choosing one, asking SGK for new ones."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from rpa.domain.identifiers import IdentifierError, normalize_sicil
from rpa.domain.rules import HazardClass
from rpa.errors import PortalError, SessionExpired, WorkplaceNotListed
from rpa.models import Workplace
from rpa.pages import reading
from rpa.pages.base import BasePage, PagePolicy
from rpa.pages.shell import WorkplaceShell


class WorkplacesPage(BasePage):
    """The workplace list of the logged-in E-Bildirge user."""

    NAME = "workplace list"

    def __init__(self, page: Page, policy: PagePolicy) -> None:
        super().__init__(page, policy)
        self.heading = self._heading(self.t.WORKPLACES_HEADING)
        self.refresh_button = self._clickable(self.t.REFRESH_BUTTON)
        self.refresh_accepted = self._text(self.t.REFRESH_ACCEPTED)


    def marker(self) -> Locator | None:
        """This screen's heading."""
        return self.heading
    def workplaces(self) -> list[Workplace]:
        """Every row of the list (an empty list when the person has none)."""
        self._await("read the workplace list", self.heading)
        table = reading.find_table(self.page, self.t.SICIL)
        if table is None:
            return []
        result = []
        for row in table.rows:
            sicil = self._sicil(table.cell(row, self.t.SICIL) or "")
            if sicil:
                result.append(
                    Workplace(
                        sicil=sicil,
                        unvan=table.cell(row, self.t.UNVAN) or "",
                        hazard_class=reading.as_choice(HazardClass, table.cell(row, self.t.HAZARD) or "",
                                                       self.t.HAZARD),
                    )
                )
        return result

    def request_refresh(self) -> str:
        """E-Bildirge Kullanıcısı Olduğum İş Yerlerini Getir; returns the portal's answer."""
        self._click(self.refresh_button, "ask SGK for this person's workplaces")
        self._await("ask SGK for this person's workplaces", self.refresh_accepted)
        return self.message() or self.refresh_accepted.first.inner_text().strip()

    def reload(self) -> WorkplacesPage:
        """Show the list again the way a person would: from the start URL through "Kurumsal"."""
        from rpa.pages.start import StartPage  # the start page leads here: import at use

        found = self._next(StartPage).open().reach_corporate()
        if found is None:
            raise SessionExpired("The portal asks for a new login (while reloading the workplace list).", self.NAME)
        return found

    def choose(self, sicil: str) -> WorkplaceShell:
        """Click "Seç" in this workplace's row; WorkplaceNotListed if the list does not have it."""
        wanted = normalize_sicil(sicil)
        self._await("choose a workplace", self.heading)
        table = reading.find_table(self.page, self.t.SICIL)
        rows = [] if table is None else [self._sicil(table.cell(r, self.t.SICIL) or "") for r in table.rows]
        if table is None or wanted not in rows:
            raise WorkplaceNotListed(f"Workplace {wanted} is not in this account's list.", self.NAME)
        row = table.row_locator(rows.index(wanted))
        self._click(self._clickable(self.t.CHOOSE, row), f"choose workplace {wanted}")
        shell = self._next(WorkplaceShell)
        # Choosing only says which workplace the session shows, and the shown sicil is checked below:
        # a fault page in its place is reloaded like a page that only shows something (a reload that
        # sends the choice again chooses the same workplace), instead of going back to the list.
        shell._await_reloading(f"choose workplace {wanted}", shell.change_workplace_button)
        shown = shell.current_sicil()
        if shown != wanted:
            raise PortalError(f"Chose {wanted} but the portal shows {shown}.", page=self.NAME)
        return shell

    @staticmethod
    def _sicil(text: str) -> str | None:
        try:
            return normalize_sicil(text)
        except IdentifierError:
            return None
