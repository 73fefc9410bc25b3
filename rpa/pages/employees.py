"""SGK 4A Çalışan Bilgileri: the active count, the paged employee list, "Doğrula" and the bulk update."""

from __future__ import annotations

import re

from playwright.sync_api import Dialog, Page

from rpa.errors import BulkUpdateTooSoon, BusinessError
from rpa.models import Employee
from rpa.pages import reading
from rpa.pages.base import PagePolicy
from rpa.pages.card import WorkplaceCardPage

PAGER = re.compile(r"Sayfa\s+(\d+)\s*/\s*(\d+)")


class EmployeesTab(WorkplaceCardPage):
    """The portal's copy of the SGK 4A employee list of this workplace."""

    NAME = "SGK 4A Çalışan Bilgileri"

    def __init__(self, page: Page, policy: PagePolicy) -> None:
        super().__init__(page, policy)
        self.active_count_text = self._text(re.compile(re.escape(self.t.ACTIVE_COUNT)))
        self.tc_input = page.get_by_role("textbox", name=self.t.VERIFY_FIELD, exact=True)
        self.verify_button = self._clickable(self.t.VERIFY_BUTTON)
        self.bulk_button = self._clickable(self.t.BULK_BUTTON)
        self.page_size = self._visible(page.get_by_role("combobox", name=self.t.PAGE_SIZE, exact=True))
        self.pager = self._text(PAGER)
        self.next_button = self._clickable(self.t.NEXT_PAGE)
        self.previous_button = self._clickable(self.t.PREVIOUS_PAGE)

    def show(self) -> None:
        """Make this tab the visible one."""
        self._show_tab(self.t.TAB_EMPLOYEES, self.active_count_text)

    def active_count(self) -> int:
        """The N of "Aktif Çalışan Sayısı: N"."""
        self.show()
        value = self._field(self.t.ACTIVE_COUNT)
        if value is None:
            self.raise_if_fault()
            raise BusinessError(f"{self.NAME}: no '{self.t.ACTIVE_COUNT}' is shown.", self.NAME)
        return reading.parse_int(value.split()[0])

    def all_employees(self) -> list[Employee]:
        """Every row of every page, after choosing the largest "Sayfa Başına"."""
        self.show()
        self._largest_page_size()
        self._back_to_first_page()
        employees: list[Employee] = []
        for _ in range(10_000):  # a bound, not a count: the pager says when to stop
            current, last = self._pager()
            employees.extend(self._rows())
            if current >= last:
                return employees
            self._show(
                self.next_button,
                f"open page {current + 1} of the employees",
                self._text(re.compile(rf"Sayfa\s+{current + 1}\s*/\s*{last}(?!\d)")),
            )
        raise BusinessError(f"{self.NAME}: the pager never reached its last page.", self.NAME)

    def verify(self, tc: str) -> str:
        """Ask SGK about one person ("TC Kimlik No İle Doğrula"); BusinessError if bad or unknown."""
        self.show()
        intent = "verify one employee with SGK"
        with self._step(intent):
            self.tc_input.fill(tc)
        self._click(self.verify_button, intent)
        done, not_found, invalid = (
            self._text(self.t.VERIFY_DONE),
            self._text(self.t.VERIFY_NOT_FOUND),
            self._text(self.t.VERIFY_INVALID),
        )
        outcome = self._await(intent, done, not_found, invalid)
        if outcome == 1:
            raise BusinessError(self.t.VERIFY_NOT_FOUND, self.NAME)
        if outcome == 2:
            raise BusinessError(self.t.VERIFY_INVALID, self.NAME)
        return self.t.VERIFY_DONE

    def request_bulk_update(self) -> str:
        """Toplu Çalışan Güncelle, answering "Evet" (an in-page question or the browser's confirm())."""
        self.show()
        intent = "request a bulk update of the employees"
        accepted, too_soon = self._text(self.t.BULK_ACCEPTED), self._text(self.t.BULK_TOO_SOON)
        question = self._text(re.compile(re.escape(self.t.BULK_QUESTION)))

        def answer(dialog: Dialog) -> None:
            # Only our question gets "yes"; any other native dialog is dismissed.
            if "güncellenecek" in dialog.message or "Devam" in dialog.message:
                dialog.accept()
            else:
                dialog.dismiss()

        # A message from an earlier request may still show; if the click does not leave the page,
        # only the question can be the answer to it.
        earlier = self._handles(accepted, too_soon)
        self.page.on("dialog", answer)
        try:
            self._click(self.bulk_button, intent)
            if self._still_attached(earlier):
                outcome = 2 + self._await(intent, question)
            else:
                outcome = self._await(intent, accepted, too_soon, question)
            if outcome == 2:
                dialog = self._visible(self.page.get_by_role("dialog").or_(self.page.get_by_role("alertdialog")))
                scope = dialog.first if dialog.count() else None
                self._click(self._clickable(self.t.BULK_YES, scope), intent)
                outcome = self._await(intent, accepted, too_soon)
        finally:
            self.page.remove_listener("dialog", answer)
        if outcome == 1:
            raise BulkUpdateTooSoon(self.t.BULK_TOO_SOON, self.NAME)
        return self.t.BULK_ACCEPTED

    def bulk_status(self) -> str:
        """What "Son Toplu Güncelleme:" says ("İşleniyor", "Tamamlandı <time>"); "" when never run."""
        self.show()
        return self._field(self.t.BULK_STATUS) or ""

    # --- paging --------------------------------------------------------------------------------

    def _pager(self) -> tuple[int, int]:
        texts = self.pager.all_inner_texts()
        match = next((m for m in map(PAGER.search, texts) if m), None)
        return (int(match.group(1)), int(match.group(2))) if match else (1, 1)

    def _back_to_first_page(self) -> None:
        current, last = self._pager()
        while current > 1:
            intent = f"go back to page {current - 1} of the employees"
            self._click(self.previous_button, intent)
            self._await(intent, self._text(re.compile(rf"Sayfa\s+{current - 1}\s*/\s*{last}(?!\d)")))
            current -= 1

    def _largest_page_size(self) -> None:
        """Choose the biggest "Sayfa Başına" and wait until the pager shows the new page count."""
        if not self.page_size.count():
            return
        options = [o.strip() for o in self.page_size.first.get_by_role("option").all_inner_texts()]
        sizes = [int(o) for o in options if o.isdigit()]
        chosen = self.page_size.first.get_by_role("option", selected=True).all_inner_texts()
        _, last = self._pager()
        if not sizes or (chosen and chosen[0].strip() == str(max(sizes))) or last <= 1:
            return  # already the largest, or everything fits on one page anyway
        intent = f"show {max(sizes)} employees per page"
        self._settled(intent)
        self._pause()
        with self._step(intent):
            self.page_size.first.select_option(label=str(max(sizes)))
        # More rows per page means fewer pages: the pager text must change.
        changed = self._text(re.compile(rf"Sayfa\s+\d+\s*/\s*(?!{last}(?!\d))\d+"))
        self._await(intent, changed)

    def _rows(self) -> list[Employee]:
        table = reading.find_table(self.page, self.t.COL_TC)
        if table is None:
            return []
        return [
            Employee(
                tc=table.cell(row, self.t.COL_TC) or "",
                name=table.cell(row, self.t.COL_NAME) or "",
                hired=reading.parse_date(table.cell(row, self.t.COL_HIRED)),
                left=reading.parse_date(table.cell(row, self.t.COL_LEFT)),
                status=table.cell(row, self.t.COL_STATUS) or "",
            )
            for row in table.rows
        ]
