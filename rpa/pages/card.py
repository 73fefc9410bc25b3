"""İşyeri Kartı Bilgileri and its tabs; each tab's page object is in its own module."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from rpa.pages.base import PagePolicy
from rpa.pages.shell import WorkplaceShell

if TYPE_CHECKING:
    from rpa.pages.contact import ContactTab
    from rpa.pages.employees import EmployeesTab


class WorkplaceCardPage(WorkplaceShell):
    """The workplace card with the tabs "Genel Bilgiler", "SGK 4A Çalışan Bilgileri" and
    "Kurumsal İletişim ve İzin İşlemleri"."""

    NAME = "İşyeri Kartı Bilgileri"

    def __init__(self, page: Page, policy: PagePolicy) -> None:
        super().__init__(page, policy)
        self.heading = self._heading(self.t.CARD_HEADING)


    def marker(self) -> Locator | None:
        """This screen's heading."""
        return self.heading
    def employees_tab(self) -> EmployeesTab:
        """Show "SGK 4A Çalışan Bilgileri"."""
        from rpa.pages.employees import EmployeesTab

        tab = self._next(EmployeesTab)
        tab.show()
        return tab

    def contact_tab(self) -> ContactTab:
        """Show "Kurumsal İletişim ve İzin İşlemleri"."""
        from rpa.pages.contact import ContactTab

        tab = self._next(ContactTab)
        tab.show()
        return tab

    def _tab(self, name: str) -> Locator:
        # A tab may be a real tab, a link to another page, or a button.
        found = (
            self.page.get_by_role("tab", name=name, exact=True)
            .or_(self.page.get_by_role("link", name=name, exact=True))
            .or_(self.page.get_by_role("button", name=name, exact=True))
        )
        return self._visible(found)

    def _show_tab(self, name: str, marker: Locator) -> None:
        """Click the tab unless its content (`marker`) is showing already."""
        if self._visible(marker).count():
            return
        self._show(self._tab(name), f"open the tab {name}", marker)
