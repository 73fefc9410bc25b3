"""The workplace shell: the chosen workplace at the top, "İşyeri Değiştir", "Çıkış" and the "Ana Menü".

Every page inside a workplace is a `WorkplaceShell`, so any of them can move on through the menu.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from rpa.domain.identifiers import IdentifierError, normalize_sicil
from rpa.errors import PortalError
from rpa.pages import reading
from rpa.pages.base import BasePage, PagePolicy

if TYPE_CHECKING:
    from rpa.pages.card import WorkplaceCardPage
    from rpa.pages.contracts import ContractsPage
    from rpa.pages.start import StartPage
    from rpa.pages.workplaces import WorkplacesPage


class WorkplaceShell(BasePage):
    """Any page shown once a workplace is chosen."""

    NAME = "workplace shell"

    def __init__(self, page: Page, policy: PagePolicy) -> None:
        super().__init__(page, policy)
        self.change_workplace_button = self._clickable(self.t.CHANGE_WORKPLACE)
        self.logout_button = self._clickable(self.t.LOGOUT)
        self.menu = page.get_by_role("navigation", name=self.t.MAIN_MENU)

    def marker(self) -> Locator | None:
        """Any page inside a workplace shows "İşyeri Değiştir"."""
        return self.change_workplace_button

    def current_sicil(self, text: str | None = None) -> str:
        """The "SGK Sicil No" shown at the top of the page (`text`: the page's text, if just read)."""
        for value in reading.labelled_values(text if text is not None else self.visible_text(), self.t.SICIL):
            try:
                return normalize_sicil(value)
            except IdentifierError:
                continue
        self.raise_if_fault()
        raise PortalError(f"{self.NAME}: no SGK Sicil No is shown.", page=self.NAME)

    def within(self, sicil: str) -> tuple[WorkplaceShell, str] | None:
        """This tab read as a page of workplace `sicil` with its menu, if it shows one now with no fault
        (no waiting; None otherwise), with what it is: "contracts" (the contract list) or "shell". After a
        fault, Back and a reload may land on another page of the same workplace (an approved contract's
        page leads on to the list): the walk goes on from there, shorter than from the start URL."""
        from rpa.pages.contracts import ContractsPage

        shell = self.as_page(WorkplaceShell)
        try:
            if not shell.showing() or shell.current_sicil() != normalize_sicil(sicil):
                return None
            contracts = self.as_page(ContractsPage)
            return (contracts, "contracts") if contracts.showing() else (shell, "shell")
        except (PortalError, PlaywrightError):
            return None

    def current_unvan(self) -> str | None:
        """The "İşyeri Unvanı" shown at the top of the page."""
        return self._field(self.t.UNVAN)

    def open_contracts(self) -> ContractsPage:
        """Süreç Yönetimi -> "İSG Hizmet Sözleşmeleri"."""
        from rpa.pages.contracts import ContractsPage

        contracts = self._next(ContractsPage)
        self._open_menu(self.t.MENU_CONTRACTS, contracts.heading)
        return contracts

    def open_card(self) -> WorkplaceCardPage:
        """Kişi/Kurum Ekipman Kartı -> "İşyeri Bilgileri" -> "İşyeri Kartı Bilgileri"."""
        from rpa.pages.card import WorkplaceCardPage

        card = self._next(WorkplaceCardPage)
        self._open_menu(self.t.MENU_CARD, card.heading)
        return card

    def change_workplace(self) -> WorkplacesPage:
        """İşyeri Değiştir: back to the workplace list."""
        from rpa.pages.workplaces import WorkplacesPage

        self._click(self.change_workplace_button, "go back to the workplace list")
        workplaces = self._next(WorkplacesPage)
        self._await("go back to the workplace list", workplaces.heading)
        return workplaces

    def logout(self) -> StartPage:
        """Çıkış: end the portal session."""
        from rpa.pages.start import StartPage

        self._click(self.logout_button, "log out")
        start = self._next(StartPage)
        start.where()
        return start

    def _menu_item(self, name: str) -> Locator:
        # A menu entry may be a button (disclosure), a link or a <summary>: find it by its text.
        found = (
            self.menu.get_by_role("button", name=name, exact=True)
            .or_(self.menu.get_by_role("link", name=name, exact=True))
            .or_(self.menu.get_by_text(name, exact=True))
        )
        return self._visible(found)

    def _open_menu(self, path: tuple[str, ...], shown: Locator) -> None:
        """Open each level of a menu path unless it is open already, click the last item, wait for `shown`."""
        intent = "open " + " -> ".join(path)
        self._settled(intent)
        for name, following in zip(path, path[1:], strict=False):
            if self._menu_item(following).count():
                continue  # this level is open already; clicking would close it
            with self._step(intent):
                self._press(self._menu_item(name).first)
            self._await(intent, self._menu_item(following))
        self._show(self._menu_item(path[-1]), intent, shown)
