"""İSG Hizmet Sözleşmeleri: the contract list (on every page), selecting a row, "Sürece Git", "Detay Görüntüle"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from rpa.domain.rules import Title
from rpa.domain.text import tr_fold
from rpa.errors import BusinessError, NothingToApprove
from rpa.models import NEW_CONTRACT, PENDING_APPROVAL, ContractRow
from rpa.pages import reading
from rpa.pages.base import P, PagePolicy
from rpa.pages.employees import PAGER
from rpa.pages.shell import WorkplaceShell

if TYPE_CHECKING:
    from rpa.pages.approval import ApprovalPage
    from rpa.pages.contract_detail import ContractDetailPage


# Other things the list says after an action (matched by text: a portal need not give them a role).
OTHER_LIST_MESSAGES = (r"Sözleşme reddedildi\.", r"Lütfen (onay bekleyen )?bir sözleşme seçiniz\.")
# A bound on "Sonraki" clicks, not a count: the pager (or the last page's rows) says when to stop.
_MAX_PAGES = 500


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
        # The spec shows a pager only for the employee list; a portal that pages this list too is
        # expected to use the same words ("Sayfa X / Y", "Önceki", "Sonraki").
        self.pager = self._text(PAGER)
        self.next_button = self._visible(
            page.get_by_role("button", name=self.t.NEXT_PAGE, exact=True, disabled=False).or_(
                page.get_by_role("link", name=self.t.NEXT_PAGE, exact=True, disabled=False)))
        self.previous_button = self._clickable(self.t.PREVIOUS_PAGE)
        # The table as `rows()` last read it: selecting a row right after reading the list need not
        # read it again. Forgotten as soon as this page object clicks anything.
        self._shown: tuple[reading.Table | None, list[ContractRow]] | None = None


    def marker(self) -> Locator | None:
        """This screen's heading."""
        return self.heading
    def rows(self) -> list[ContractRow]:
        """Every contract row, in the portal's order."""
        self._await("read the contracts", self.heading)
        table = reading.find_table(self.page, self.t.COL_PROFESSIONAL)
        parsed = [] if table is None else [self._parse(table, row) for row in table.rows]
        self._shown = (table, parsed)
        return list(parsed)

    def all_rows(self) -> list[ContractRow]:
        """Every contract row on every page of the list (following "Sonraki" when the list is paged)."""
        return [row for rows in self._each_page() for row in rows]

    def turn_to(self, row: ContractRow) -> None:
        """Show the page of the list that holds this row; nothing to do when it is shown or the list has one page.

        A row found on no page is left to `open_detail`/`open_approval`, which say it is gone."""
        if self._shown is None:
            self.rows()
        assert self._shown is not None
        if row in self._shown[1]:
            return
        if not (self._pager_position() or self.previous_button.count() or self.next_button.count()):
            return
        for rows in self._each_page():
            if row in rows:
                return

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

    # --- paging ---------------------------------------------------------------------------------

    def _each_page(self) -> Iterator[list[ContractRow]]:
        """The rows of page 1, then of every next page up to the last."""
        self._await("read the contracts", self.heading)  # the pager is read before the rows
        self._first_page()
        page_rows = self.rows()
        yield page_rows
        for _ in range(_MAX_PAGES):
            if not self._next_page():
                return
            previous, page_rows = page_rows, self.rows()
            if page_rows == previous and self._pager_position() is None:
                return  # an unnumbered "Sonraki" that showed the same rows again: that was the last page
            yield page_rows
        raise BusinessError(f"{self.NAME}: the pager never reached its last page.", self.NAME)

    def _pager_position(self) -> tuple[int, int] | None:
        """(page, pages) of "Sayfa X / Y", or None when no such text is shown."""
        match = next((m for m in map(PAGER.search, self.pager.all_inner_texts()) if m), None)
        return (int(match.group(1)), int(match.group(2))) if match else None

    def _next_page(self) -> bool:
        """Click "Sonraki" if there is a next page; False on the last page (or a list of one page)."""
        position = self._pager_position()
        if position is None:
            if not self.next_button.count():
                return False
            what, outcome = "the next page", self.heading  # no page numbers: the heading of the page that follows
        else:
            current, last = position
            if current >= last:
                return False
            if not self.next_button.count():
                raise BusinessError(f"{self.NAME}: page {current} of {last} shows no '{self.t.NEXT_PAGE}'.", self.NAME)
            what, outcome = f"page {current + 1}", self._text(re.compile(rf"Sayfa\s+{current + 1}\s*/\s*{last}(?!\d)"))
        self._shown = None
        self._show(self.next_button, f"open {what} of the contracts", outcome)
        if position is None:  # the heading was there before the click too: let the next page load
            with self._step("open the next page of the contracts"):
                self.page.wait_for_load_state("domcontentloaded", timeout=self.policy.timeout_ms)
        return True

    def _first_page(self) -> None:
        """Back to page 1 with "Önceki": as the pager counts down, or while there is an "Önceki" at all."""
        position = self._pager_position()
        for _ in range(_MAX_PAGES):
            at_first = position[0] <= 1 if position is not None else not self.previous_button.count()
            if at_first:
                return
            self._shown = None
            if position is None:
                self._show(self.previous_button, "go back to the previous page of the contracts", self.heading)
                with self._step("go back to the previous page of the contracts"):
                    self.page.wait_for_load_state("domcontentloaded", timeout=self.policy.timeout_ms)
                continue
            current, last = position
            self._show(self.previous_button, f"go back to page {current - 1} of the contracts",
                       self._text(re.compile(rf"Sayfa\s+{current - 1}\s*/\s*{last}(?!\d)")))
            position = (current - 1, last)
        raise BusinessError(f"{self.NAME}: the pager never reached its first page.", self.NAME)

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
            self._press(reading.cells(row).nth(column))

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
            no=table.cell(row, self.t.CONTRACT_NO) or None,
        )
