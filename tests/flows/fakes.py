"""In-memory stand-ins for the page objects: fast tests of the flows' decisions, retries and recovery.

They implement the Protocols of `rpa.flows.ports` (the seam the flows use) and return the same models
(rpa.models), so a flow cannot tell them from the real ones; `make lint` type-checks them against those
Protocols (see `conforms` at the end), so a fake that drifts from what the flows call fails the lint.
Faults are queued per method name (`portal.fail("approve", exc)`), and
`portal.expire()` makes every next call see the idle-out until the flow logs in again.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

from rpa.errors import LoginNeeded, NothingToApprove, SessionExpired, WorkplaceNotListed
from rpa.flows import ports
from rpa.models import ContactInfo, Contract, ContractRow, Employee, Workplace
from rpa.resilience import PortalGuard

WAITING = "Onay Bekliyor"


@dataclass
class FakeContract:
    no: str
    sicil: str
    professional: str
    title: str
    cert_class: str
    minutes: int
    process_type: str = "Yeni Sözleşme"
    approval: str = WAITING
    status: str = "Beklemede"
    compliant: bool = True
    updates: str | None = None  # "Güncellenen Sözleşme No" of a "Süre Güncelleme"

    def row(self, with_number: bool = False) -> ContractRow:
        return ContractRow(
            professional=self.professional, title=self.title, cert_class=self.cert_class, provider="OSGB",
            start_date=None, minutes=self.minutes, contract_status=self.status, approval_status=self.approval,
            compliant_flag=self.compliant, process_type=self.process_type, pending=self.approval == WAITING,
            no=self.no if with_number else None,
        )

    def model(self) -> Contract:
        return Contract(
            no=self.no, sicil=self.sicil, professional=self.professional, title=self.title,
            cert_class=self.cert_class, minutes=self.minutes, process_type=self.process_type,
            approval_status=self.approval, compliant_flag=self.compliant, updates_no=self.updates,
        )


@dataclass
class FakePortal:
    workplaces: list[Workplace]
    active: dict[str, int]
    contracts: list[FakeContract]
    hidden: list[Workplace] = field(default_factory=list)  # appear after a refresh and `reloads_until_new`
    contact: dict[str, ContactInfo] = field(default_factory=dict)
    employees: dict[str, list[Employee]] = field(default_factory=dict)
    reloads_until_new: int = 0
    numbers_in_list: bool = False  # the contract list shows "Sözleşme No" (the spec does not promise it)
    refreshed: bool = False
    expired: bool = False
    login_needed: bool = False
    logins: int = 0
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    faults: dict[str, list[Exception]] = field(default_factory=lambda: defaultdict(list))
    audit: list[tuple[str, str]] = field(default_factory=list)

    def fail(self, method: str, exc: Exception, times: int = 1) -> None:
        """The next `times` calls of `method` raise `exc` (a fresh copy each time, as the portal's page would be)."""
        self.faults[method].extend(copy.copy(exc) for _ in range(times))

    def expire(self) -> None:
        """The session idles out now."""
        self.expired = True

    def check(self, method: str) -> None:
        self.calls[method] += 1
        if self.expired:
            raise SessionExpired("Oturumunuzun süresi doldu. Lütfen tekrar giriş yapınız.")
        if self.faults[method]:
            raise self.faults[method].pop(0)

    def find(self, sicil: str, row: ContractRow, waiting: bool) -> FakeContract:
        for c in self.contracts:
            same = (c.sicil, c.professional, c.title, c.process_type) == (
                sicil, row.professional, row.title, row.process_type)
            if same and (c.approval == WAITING) == waiting:
                return c
        raise AssertionError(f"no such row: {row}")


class FakeSession:
    """What a flow needs of `AccountSession` (`rpa.flows.ports.PortalSession`)."""

    page = None

    def __init__(self, portal: FakePortal, guard: PortalGuard | None = None) -> None:
        self.portal = portal
        self.guard = guard or PortalGuard()

    def free_memory(self) -> None:
        self.portal.calls["free_memory"] += 1

    def ensure_logged_in(self) -> FakeWorkplaces:
        if self.portal.login_needed:
            raise LoginNeeded("demo", "its code is 'prompt'")
        self.portal.logins += 1
        self.portal.expired = False
        return FakeWorkplaces(self.portal)


class FakeWorkplaces:
    def __init__(self, portal: FakePortal) -> None:
        self.portal = portal

    def workplaces(self) -> list[Workplace]:
        self.portal.check("workplaces")
        return list(self.portal.workplaces)

    def request_refresh(self) -> str:
        self.portal.check("request_refresh")
        self.portal.refreshed = True
        return "Talebiniz alındı. İşyeri listeniz güncelleniyor."

    def reload(self) -> FakeWorkplaces:
        self.portal.check("reload")
        if self.portal.refreshed and self.portal.hidden:
            if self.portal.reloads_until_new <= 1:
                self.portal.workplaces.extend(self.portal.hidden)
                self.portal.hidden = []
            self.portal.reloads_until_new -= 1
        return FakeWorkplaces(self.portal)

    def choose(self, sicil: str) -> FakeShell:
        self.portal.check("choose")
        if sicil not in {w.sicil for w in self.portal.workplaces}:
            raise WorkplaceNotListed(f"Workplace {sicil} is not in this account's list.")
        return FakeShell(self.portal, sicil)


class FakeShell:
    def __init__(self, portal: FakePortal, sicil: str) -> None:
        self.portal, self.sicil = portal, sicil

    def open_contracts(self) -> FakeContracts:
        self.portal.check("open_contracts")
        return FakeContracts(self.portal, self.sicil)

    def open_card(self) -> FakeCard:
        self.portal.check("open_card")
        return FakeCard(self.portal, self.sicil)

    def change_workplace(self) -> FakeWorkplaces:
        self.portal.check("change_workplace")
        return FakeWorkplaces(self.portal)


class FakeContracts(FakeShell):
    def rows(self) -> list[ContractRow]:
        self.portal.check("rows")
        return self._rows()

    def all_rows(self) -> list[ContractRow]:
        self.portal.check("all_rows")
        return self._rows()

    def _rows(self) -> list[ContractRow]:
        return [c.row(self.portal.numbers_in_list) for c in self.portal.contracts if c.sicil == self.sicil]

    def turn_to(self, row: ContractRow) -> None:
        self.portal.check("turn_to")

    def pending(self) -> list[ContractRow]:
        return [r for r in self.rows() if r.pending]

    def open_approval(self, row: ContractRow) -> FakeApproval:
        self.portal.check("open_approval")
        return FakeApproval(self.portal, self.sicil, self.portal.find(self.sicil, row, waiting=True))

    def open_detail(self, row: ContractRow) -> FakeDetail:
        self.portal.check("open_detail")
        return FakeDetail(self.portal, self.sicil, self.portal.find(self.sicil, row, waiting=row.pending))


class FakeApproval(FakeShell):
    fresh_after_fault = False  # no Back and reload in the fakes: after a fault the navigator walks again

    def __init__(self, portal: FakePortal, sicil: str, contract: FakeContract) -> None:
        super().__init__(portal, sicil)
        self.c = contract

    def offers_completion(self) -> bool:
        return self.c.approval == WAITING

    def contract(self) -> Contract:
        self.portal.check("contract")
        return self.c.model()

    def approve(self) -> FakeContracts:
        self.portal.check("approve")
        if self.c.approval != WAITING:
            raise NothingToApprove("Bu sözleşme için bekleyen bir onay bulunmamaktadır.")
        self.c.approval, self.c.status = "Onaylandı", "Aktif"
        self.portal.audit.append(("approve", self.c.no))
        self.portal.check("after_approve")  # a fault here: applied, but the answer is lost
        return FakeContracts(self.portal, self.sicil)


class FakeDetail(FakeApproval):
    def download_pdf(self, folder: Path) -> Path:
        self.portal.check("download_pdf")
        folder.mkdir(parents=True, exist_ok=True)
        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.cell(text=f"Sozlesme No: {self.c.no}  Sicil: {self.sicil}")
        target = folder / f"sozlesme-{self.c.no}.pdf"
        pdf.output(str(target))
        self.portal.audit.append(("pdf", self.c.no))
        return target

    def back(self) -> FakeContracts:
        self.portal.check("back")
        return FakeContracts(self.portal, self.sicil)


class FakeCard(FakeShell):
    def employees_tab(self) -> FakeCard:
        return self

    def contact_tab(self) -> FakeCard:
        return self

    def all_employees(self) -> list[Employee]:
        self.portal.check("all_employees")
        return list(self.portal.employees.get(self.sicil, []))

    def verify(self, tc: str) -> str:
        self.portal.check("verify")
        self.portal.audit.append(("verify", tc))
        return "Çalışan bilgisi güncellendi."

    def request_bulk_update(self) -> str:
        self.portal.check("request_bulk_update")
        self.portal.audit.append(("bulk_update", self.sicil))
        return "Toplu güncelleme talebiniz alındı."

    def bulk_status(self) -> str:
        self.portal.check("bulk_status")
        return "Tamamlandı" if ("bulk_update", self.sicil) in self.portal.audit else ""

    def active_count(self) -> int:
        self.portal.check("active_count")
        return self.portal.active[self.sicil]

    def current(self) -> ContactInfo:
        self.portal.check("current")
        return self.portal.contact.get(self.sicil, ContactInfo())

    def submit(self, info: ContactInfo) -> str:
        self.portal.check("submit")
        self.portal.contact[self.sicil] = info
        self.portal.audit.append(("contact_update", self.sicil))
        return "Bilgileriniz kaydedildi."


def conforms(portal: FakePortal) -> ports.PortalSession:
    """Never called: the type checker checks here that the fakes implement the flows' Protocols."""
    return FakeSession(portal)
