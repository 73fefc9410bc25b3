"""What the page objects read from the portal: typed, validated, with personal numbers masked in repr."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rpa.domain.identifiers import mask_tc
from rpa.domain.rules import HazardClass, Title
from rpa.privacy import mask_name, remember_names

PENDING_APPROVAL = "Onay Bekliyor"
NEW_CONTRACT = "Yeni Sözleşme"
TIME_UPDATE = "Süre Güncelleme"


class Workplace(BaseModel):
    """A row of "E-Bildirge Kullanıcısı Olduğunuz İşyerleri"; `new` marks one that a refresh added."""

    model_config = ConfigDict(frozen=True)

    sicil: str
    unvan: str
    hazard_class: HazardClass
    new: bool = False


class ContractRow(BaseModel):
    """A row of "İSG Hizmet Sözleşmeleri"; professional + title + process type identify it."""

    model_config = ConfigDict(frozen=True)

    professional: str
    title: Title
    cert_class: str
    provider: str
    start_date: date | None
    minutes: int
    contract_status: str
    approval_status: str
    compliant_flag: bool | None
    process_type: str = NEW_CONTRACT
    pending: bool = False
    no: str | None = None  # "Sözleşme No", only when the list shows that column (the spec does not promise it)

    def model_post_init(self, _context: Any) -> None:
        # Every name read from the portal is remembered, so logs and evidence can mask it (rpa.privacy).
        remember_names(self.professional)

    def describe(self, show_personal_data: bool = False) -> str:
        """Short human label for logs and reports, the professional's name masked unless asked for."""
        who = self.professional if show_personal_data else mask_name(self.professional)
        return f"{who} ({self.title}, {self.process_type})"


class Contract(BaseModel):
    """A contract as "Sözleşme Onayı" / "Sözleşme Detayı" show it (with its number)."""

    model_config = ConfigDict(frozen=True)

    no: str
    sicil: str | None = None
    professional: str
    title: Title
    cert_class: str
    minutes: int
    process_type: str = NEW_CONTRACT
    provider: str | None = None
    start_date: date | None = None
    contract_status: str | None = None
    approval_status: str | None = None
    compliant_flag: bool | None = None
    updates_no: str | None = None  # "Güncellenen Sözleşme No" of a "Süre Güncelleme"
    previous_minutes: int | None = None  # "Önceki Çalışma Süresi (dk/ay)"
    approved_on: str | None = None  # "Onay Tarihi" as shown, when the page has it

    def model_post_init(self, _context: Any) -> None:
        remember_names(self.professional)

    @property
    def pending(self) -> bool:
        """Whether the employer still has to decide."""
        return self.approval_status == PENDING_APPROVAL


class Employee(BaseModel):
    """A row of "SGK 4A Çalışan Bilgileri"."""

    model_config = ConfigDict(frozen=True)

    tc: str = Field(repr=False)
    name: str = Field(repr=False)
    hired: date
    left: date | None = None
    status: str

    def model_post_init(self, _context: Any) -> None:
        remember_names(self.name)

    def __repr_args__(self) -> Any:
        yield "tc", mask_tc(self.tc)
        yield "name", mask_name(self.name)
        yield from super().__repr_args__()


class ContactInfo(BaseModel):
    """Kurumsal İletişim ve İzin İşlemleri: what the form holds or should hold."""

    model_config = ConfigDict(frozen=True)

    phone: str = ""
    email: str = ""
    address: str = ""
    il: str = ""
    ilce: str = ""
    auto_update: bool | None = None  # None: neither "EVET" nor "HAYIR" chosen yet
