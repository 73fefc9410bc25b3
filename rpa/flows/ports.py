"""What the flows need from the page objects, as Protocols: the typed seam between flows and pages.

The page objects in `rpa.pages` (and the in-memory fakes of the flow tests) implement these by shape;
the type checker (`make lint` runs mypy) checks both against them, so a page or a fake that drifts from
what the flows call fails the lint instead of a night's run. Flows import only these, never a page class.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from rpa.models import ContactInfo, Contract, ContractRow, Employee, Workplace
from rpa.resilience import PortalGuard


class WorkplaceList(Protocol):
    """Kurumsal: "E-Bildirge Kullanıcısı Olduğunuz İşyerleri"."""

    def workplaces(self) -> list[Workplace]:
        """Every row of the list."""
        ...

    def request_refresh(self) -> str:
        """"E-Bildirge Kullanıcısı Olduğum İş Yerlerini Getir"; the portal's answer."""
        ...

    def reload(self) -> WorkplaceList:
        """The list shown again, the way a person would reach it."""
        ...

    def choose(self, sicil: str) -> Shell:
        """"Seç" in this workplace's row."""
        ...


class Shell(Protocol):
    """Any page inside a chosen workplace: its menu and "İşyeri Değiştir"."""

    def open_contracts(self) -> ContractList:
        """Süreç Yönetimi -> İSG Hizmet Sözleşmeleri."""
        ...

    def open_card(self) -> Card:
        """Kişi/Kurum Ekipman Kartı -> İşyeri Bilgileri -> İşyeri Kartı Bilgileri."""
        ...

    def change_workplace(self) -> WorkplaceList:
        """"İşyeri Değiştir"."""
        ...


class ContractList(Shell, Protocol):
    """"İSG Hizmet Sözleşmeleri"."""

    def rows(self) -> list[ContractRow]:
        """Every contract row, in the portal's order."""
        ...

    def pending(self) -> list[ContractRow]:
        """The rows waiting for the employer."""
        ...

    def all_rows(self) -> list[ContractRow]:
        """Every row on every page of the list."""
        ...

    def turn_to(self, row: ContractRow) -> None:
        """Show the page of the list that holds this row."""
        ...

    def open_approval(self, row: ContractRow) -> Approval:
        """Select the row, then "Sürece Git"."""
        ...

    def open_detail(self, row: ContractRow) -> ContractDetail:
        """Select the row, then "Detay Görüntüle"."""
        ...


class Approval(Shell, Protocol):
    """"Sözleşme Onayı"."""

    fresh_after_fault: bool  # shown again after a fault page, fetched anew by Back or a reload

    def offers_completion(self) -> bool:
        """Whether "Tamamla" is there to press, and no line says nothing waits (no waiting)."""
        ...

    def contract(self) -> Contract:
        """The contract being decided."""
        ...

    def approve(self) -> ContractList:
        """"Okudum Onaylıyorum" -> "Tamamla"."""
        ...


class ContractDetail(Shell, Protocol):
    """"Sözleşme Detayı"."""

    def contract(self) -> Contract:
        """The contract shown."""
        ...

    def download_pdf(self, dest: Path) -> Path:
        """"PDF İndir" into the folder `dest`; the file's path."""
        ...

    def back(self) -> ContractList:
        """Back to the contract list."""
        ...


class Card(Shell, Protocol):
    """"İşyeri Kartı Bilgileri" and its tabs."""

    def employees_tab(self) -> EmployeesTab:
        """"SGK 4A Çalışan Bilgileri"."""
        ...

    def contact_tab(self) -> ContactForm:
        """"Kurumsal İletişim ve İzin İşlemleri"."""
        ...


class EmployeesTab(Card, Protocol):
    """The portal's copy of the SGK 4A employee list."""

    def active_count(self) -> int:
        """"Aktif Çalışan Sayısı"."""
        ...

    def all_employees(self) -> list[Employee]:
        """Every row of every page."""
        ...

    def verify(self, tc: str) -> str:
        """"TC Kimlik No İle Doğrula" for one person."""
        ...

    def request_bulk_update(self) -> str:
        """"Toplu Çalışan Güncelle", confirmed."""
        ...

    def bulk_status(self) -> str:
        """What "Son Toplu Güncelleme:" says."""
        ...


class ContactForm(Card, Protocol):
    """"Kurumsal İletişim ve İzin İşlemleri"."""

    def current(self) -> ContactInfo:
        """What the form holds now."""
        ...

    def submit(self, info: ContactInfo) -> str:
        """Fill the form and press "TAMAMLA"."""
        ...


class PortalSession(Protocol):
    """One account's logged-in browser tab, as a flow sees it (`rpa.session.AccountSession`)."""

    @property
    def guard(self) -> PortalGuard:
        """The run's breaker, politeness gap and fault counters."""
        ...

    @property
    def page(self) -> Any:
        """The account's Playwright page (for evidence only; None in unit tests)."""
        ...

    def ensure_logged_in(self) -> WorkplaceList:
        """The workplace list, logging in again unattended if the account allows it (else LoginNeeded)."""
        ...

    def free_memory(self) -> None:
        """Let the browser free what finished pages left behind."""
        ...
