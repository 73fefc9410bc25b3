"""Sözleşme Onayı: the contract's fields, "Okudum Onaylıyorum", "Tamamla" and "Reddet"."""

from __future__ import annotations

import re

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from rpa.errors import BusinessError, NothingToApprove, PortalError
from rpa.models import Contract
from rpa.pages import reading
from rpa.pages.base import PagePolicy
from rpa.pages.contracts import ContractsPage, as_title
from rpa.pages.shell import WorkplaceShell

# The spec fixes no text for a refused reason or a done rejection; match the usual phrasings.
REASON_REFUSED = re.compile(r"gerekçe\w*.{0,60}(doldurunuz|giriniz|en fazla|zorunlu)", re.IGNORECASE)
REJECTED = re.compile(r"Sözleşme reddedildi", re.IGNORECASE)


def read_contract(shell: WorkplaceShell, text: str | None = None) -> Contract:
    """The contract's labelled fields as the approval and detail pages show them (`text`: the page's
    visible text when the caller has just read it)."""
    text, t = text if text is not None else shell.visible_text(), shell.t

    def value(*labels: str) -> str | None:
        return reading.labelled_value(text, labels)

    no, professional = value(t.CONTRACT_NO), value(t.COL_PROFESSIONAL)
    title, minutes = value(t.COL_TITLE), value(t.COL_MINUTES, "Çalışma Süresi")
    if not (no and professional and title and minutes):
        shell.raise_if_fault()
        raise PortalError(f"{shell.NAME}: the contract's fields are not shown.", page=shell.NAME)
    previous = value(t.PREVIOUS_MINUTES)
    compliant = value(t.COL_COMPLIANT)
    return Contract(
        no=no,
        sicil=shell.current_sicil(text),
        professional=professional,
        title=as_title(title),
        cert_class=value(t.COL_CERT) or "-",
        minutes=reading.parse_int(minutes),
        process_type=value(t.COL_PROCESS) or "Yeni Sözleşme",
        provider=value(t.COL_PROVIDER),
        start_date=reading.parse_date(value(t.COL_START)),
        contract_status=value(t.COL_CONTRACT_STATUS),
        approval_status=value(t.COL_APPROVAL),
        compliant_flag=reading.parse_yes_no(compliant) if compliant else None,
        updates_no=value(t.UPDATED_NO),
        previous_minutes=reading.parse_int(previous) if previous else None,
        approved_on=_date_text(value(t.APPROVAL_DATE)),
    )


def _date_text(text: str | None) -> str | None:
    """Onay Tarihi as shown when it is a date; None for "Onaylanmadı" and the like."""
    return text if text and text[:1].isdigit() else None


class ApprovalPage(WorkplaceShell):
    """The employer's decision on one waiting contract."""

    NAME = "Sözleşme Onayı"

    def __init__(self, page: Page, policy: PagePolicy) -> None:
        super().__init__(page, policy)
        self.heading = self._heading(self.t.APPROVAL_HEADING)
        self.agree_checkbox = page.get_by_role("checkbox", name=self.t.READ_AND_AGREE, exact=True)
        self.complete_button = self._clickable(self.t.COMPLETE)
        self.reject_button = self._clickable(self.t.REJECT)
        self.reason_input = self._visible(page.get_by_label(self.t.REJECT_REASON, exact=True))
        self.approved = self._text(self.t.APPROVED)
        self.nothing_to_approve = self._text(self.t.NOTHING_TO_APPROVE)
        self.gate_refused = self._text(self.t.GATE_REFUSED)


    def marker(self) -> Locator | None:
        """This screen's heading."""
        return self.heading

    def offers_completion(self) -> bool:
        """Whether "Tamamla" is there to press, and no line says nothing waits (no waiting)."""
        try:
            return self.complete_button.count() > 0 and self.nothing_to_approve.count() == 0
        except PlaywrightError:
            return False

    def contract(self) -> Contract:
        """The contract being decided."""
        self._await("read the contract", self.heading)
        return read_contract(self, self.shown_text)

    def approve(self) -> ContractsPage:
        """Tick "Okudum Onaylıyorum", click "Tamamla", expect "Sözleşme onaylandı."."""
        intent = "approve the contract"
        with self._step(intent):
            self.agree_checkbox.check(force=True, timeout=self.policy.timeout_ms)
        self._click(self.complete_button, intent)
        outcome = self._await(intent, self.approved, self.nothing_to_approve, self.gate_refused)
        if outcome == 1:
            raise NothingToApprove(self.t.NOTHING_TO_APPROVE, self.NAME)
        if outcome == 2:
            raise BusinessError(self.t.GATE_REFUSED, self.NAME)
        return self._next(ContractsPage)

    def reject(self, reason: str) -> ContractsPage:
        """Give "Red Gerekçesi" and click "Reddet"; the contract ends and must be created again."""
        if not reason.strip():
            raise BusinessError("A rejection needs a reason (Red Gerekçesi).", self.NAME)
        intent = "reject the contract"
        if not self.reason_input.count():  # some portals ask for the reason only after "Reddet"
            self._click(self.reject_button, intent)
            self._await(intent, self.reason_input)
        with self._step(intent):
            self.reason_input.first.fill(reason.strip())
        # The reason may sit in a dialog with its own "Reddet": press the one nearest the reason.
        dialog = self._visible(self.page.get_by_role("dialog")).filter(has=self.page.get_by_label(self.t.REJECT_REASON))
        confirm = self._clickable(self.t.REJECT, dialog.first) if dialog.count() else self.reject_button.last
        self._click(confirm, intent)
        contracts = self._next(ContractsPage)
        # Errors first: the list page (heading) also shows "no waiting approval" when that happens.
        outcome = self._await(
            intent,
            self.nothing_to_approve,
            self._text(REASON_REFUSED),
            self._text(REJECTED),
            contracts.heading,
        )
        if outcome == 0:
            raise NothingToApprove(self.t.NOTHING_TO_APPROVE, self.NAME)
        if outcome == 1:
            raise BusinessError(self._text(REASON_REFUSED).first.inner_text().strip(), self.NAME)
        return contracts
