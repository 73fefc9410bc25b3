"""What the page objects read from the portal: typed, validated, with personal numbers masked in repr."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from rpa.domain.identifiers import mask_tc
from rpa.domain.rules import HazardClass, Title

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

    def describe(self) -> str:
        """Short human label for logs and reports."""
        return f"{self.professional} ({self.title}, {self.process_type})"


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

    def __repr_args__(self):  # noqa: ANN204 - pydantic's own signature
        yield "tc", mask_tc(self.tc)
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
