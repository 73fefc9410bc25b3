"""Sözleşme Detayı: one contract's fields and "PDF İndir"."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Locator, Page

from rpa.errors import PortalError, PortalErrorKind
from rpa.models import Contract
from rpa.pages.approval import read_contract
from rpa.pages.base import PagePolicy
from rpa.pages.contracts import ContractsPage
from rpa.pages.shell import WorkplaceShell


class ContractDetailPage(WorkplaceShell):
    """Any contract's detail page (waiting or decided)."""

    NAME = "Sözleşme Detayı"

    def __init__(self, page: Page, policy: PagePolicy) -> None:
        super().__init__(page, policy)
        self.heading = self._heading(self.t.DETAIL_HEADING)
        self.download_button = self._clickable(self.t.DOWNLOAD_PDF)


    def marker(self) -> Locator | None:
        """This screen's heading."""
        return self.heading
    def contract(self) -> Contract:
        """The contract shown."""
        self._await("read the contract", self.heading)
        return read_contract(self, self.shown_text)

    def download_pdf(self, dest: Path) -> Path:
        """PDF İndir: save the file under its suggested name in the folder `dest`; returns its path."""
        intent = "download the contract PDF"
        dest.mkdir(parents=True, exist_ok=True)
        self._pause()
        with self._step(intent), self.page.expect_download(timeout=self.policy.timeout_ms) as info:
            self._press(self.download_button.first)
            # A fault page instead of the file would make us wait out the whole timeout: look first.
            # The click has waited for a navigation to commit, so a fault page is already the page.
            self.page.wait_for_load_state("domcontentloaded")
            self.raise_if_fault()
        download = info.value
        name = Path(download.suggested_filename or "").name
        if not name.lower().endswith(".pdf"):
            raise PortalError(
                f"{self.NAME}: {intent}: the portal sent {name!r}, not a PDF.",
                PortalErrorKind.UNEXPECTED,
                self.NAME,
            )
        target = dest / name
        download.save_as(target)
        failure = download.failure()
        if failure:
            raise PortalError(f"{self.NAME}: {intent}: {failure}", PortalErrorKind.UNEXPECTED, self.NAME)
        return target

    def back(self) -> ContractsPage:
        """Back to "İSG Hizmet Sözleşmeleri" through the menu."""
        return self.open_contracts()
