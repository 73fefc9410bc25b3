"""İSG Hizmet Sözleşmeleri: the contract list, selecting a row, "Sürece Git" and "Detay Görüntüle"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from playwright.sync_api import Page

from rpa.domain.rules import Title
from rpa.domain.text import tr_fold
from rpa.errors import BusinessError, NothingToApprove
from rpa.models import NEW_CONTRACT, PENDING_APPROVAL, ContractRow
from rpa.pages import reading
from rpa.pages.base import P, PagePolicy
from rpa.pages.shell import WorkplaceShell

if TYPE_CHECKING:
    from rpa.pages.approval import ApprovalPage
    from rpa.pages.contract_detail import ContractDetailPage


# Other things the list says after an action (matched by text: a portal need not give them a role).
OTHER_LIST_MESSAGES = (r"Sözleşme reddedildi\.", r"Lütfen (onay bekleyen )?bir sözleşme seçiniz\.")


def as_title(text: str) -> Title:
    """The "Unvan" as shown, matched without regard to case."""
    return reading.as_choice(Title, text, "Unvan")


class ContractsPage(WorkplaceShell):
    """The workplace's İSG service contracts; waiting ones ("Onay Bekliyor") first."""

    NAME = "İSG Hizmet Sözleşmeleri"

    def __init__(self, page: Page, policy: PagePolicy) -> None:
        super().__init__(page, policy)
        self.heading = self._heading(self.t.CONTRACTS_HEADING)
        self.process_button = self._clickable(self.t.GO_TO_PROCESS)
        self.detail_button = self._clickable(self.t.SHOW_DETAIL)
        self.nothing_to_approve = self._text(self.t.NOTHING_TO_APPROVE)
        self.alert = self._visible(page.get_by_role("alert"))
        # The table as `rows()` last read it: selecting a row right after reading the list need not
        # read it again. Forgotten as soon as this page object clicks anything.
        self._shown: tuple[reading.Table | None, list[ContractRow]] | None = None

    def rows(self) -> list[ContractRow]:
        """Every contract row, in the portal's order."""
        self._await("read the contracts", self.heading)
        table = reading.find_table(self.page, self.t.COL_PROFESSIONAL)
        parsed = [] if table is None else [self._parse(table, row) for row in table.rows]
        self._shown = (table, parsed)
        return list(parsed)

    def pending(self) -> list[ContractRow]:
        """The rows waiting for the employer ("Onay Bekliyor")."""
        return [row for row in self.rows() if row.pending]

    def last_message(self) -> str | None:
        """The line the portal showed after the last action ("Sözleşme onaylandı.", an error...)."""
        known = [text.strip() for text in self._text(self._list_messages()).all_inner_texts() if text.strip()]
        return known[0] if known else self.message()

    def _list_messages(self) -> re.Pattern[str]:
        known = [re.escape(self.t.APPROVED), re.escape(self.t.NOTHING_TO_APPROVE), *OTHER_LIST_MESSAGES]
        return re.compile("|".join(known))

    def open_approval(self, row: ContractRow) -> ApprovalPage:
        """Select the row, then "Sürece Git"; NothingToApprove if the portal says it is no longer waiting."""
        from rpa.pages.approval import ApprovalPage

        return self._open(row, self.t.GO_TO_PROCESS, ApprovalPage, self.t.APPROVAL_HEADING)

    def open_detail(self, row: ContractRow) -> ContractDetailPage:
        """Select the row, then "Detay Görüntüle"."""
        from rpa.pages.contract_detail import ContractDetailPage

        return self._open(row, self.t.SHOW_DETAIL, ContractDetailPage, self.t.DETAIL_HEADING)

    def _open(self, row: ContractRow, button: str, cls: type[P], heading: str) -> P:
        intent = f"{button} for {row.describe()}"
        self._select(row, intent)
        self._shown = None
        outcome = self._show(self._clickable(button), intent, self._heading(heading), self.nothing_to_approve,
                             self.alert)
        if outcome == 1:
            raise NothingToApprove(self.t.NOTHING_TO_APPROVE, self.NAME)
        if outcome == 2:
            raise BusinessError(self.alert.first.inner_text().strip(), self.NAME)
        return self._next(cls)

    def _select(self, wanted: ContractRow, intent: str) -> None:
        """Click the row that shows this contract (all its cells; else professional+title+process type)."""
        if self._shown is None:
            self.rows()
        assert self._shown is not None
        table, parsed = self._shown
        same = [i for i, row in enumerate(parsed) if row == wanted]
        similar = [
            i
            for i, row in enumerate(parsed)
            if (row.professional, row.title, row.process_type, row.pending)
            == (wanted.professional, wanted.title, wanted.process_type, wanted.pending)
        ]
        found = same or similar
        if not found or table is None:
            raise BusinessError(f"{wanted.describe()} is no longer in the contract list.", self.NAME)
        row = table.row_locator(found[0])
        column = table.column(self.t.COL_PROFESSIONAL) or 0
        self._settled(intent)
        with self._step(intent):
            reading.cells(row).nth(column).click()

    def _parse(self, table: reading.Table, row: list[str]) -> ContractRow:
        def cell(name: str) -> str:
            return table.cell(row, name) or ""

        approval = cell(self.t.COL_APPROVAL)
        compliant = table.cell(row, self.t.COL_COMPLIANT)
        return ContractRow(
            professional=cell(self.t.COL_PROFESSIONAL),
            title=as_title(cell(self.t.COL_TITLE)),
            cert_class=cell(self.t.COL_CERT),
            provider=cell(self.t.COL_PROVIDER),
            start_date=reading.parse_date(cell(self.t.COL_START)),
            minutes=reading.parse_int(cell(self.t.COL_MINUTES)),
            contract_status=cell(self.t.COL_CONTRACT_STATUS),
            approval_status=approval,
            compliant_flag=reading.parse_yes_no(compliant) if compliant is not None else None,
            process_type=table.cell(row, self.t.COL_PROCESS) or NEW_CONTRACT,
            pending=tr_fold(approval) == tr_fold(PENDING_APPROVAL),
        )
