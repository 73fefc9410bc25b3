"""Kurumsal İletişim ve İzin İşlemleri: phone, e-mail, address, il/ilçe and the automatic-update choice."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from rpa.domain.geo import PROVINCES
from rpa.domain.text import tr_fold
from rpa.errors import BusinessError, FormRejected
from rpa.models import ContactInfo
from rpa.pages.base import PagePolicy
from rpa.pages.card import WorkplaceCardPage


class ContactTab(WorkplaceCardPage):
    """The workplace's corporate contact details and the "EVET"/"HAYIR" automatic-update choice."""

    NAME = "Kurumsal İletişim ve İzin İşlemleri"

    def __init__(self, page: Page, policy: PagePolicy) -> None:
        super().__init__(page, policy)
        self.phone_input = self._visible(page.get_by_label(self.t.PHONE, exact=True))
        self.email_input = self._visible(page.get_by_label(self.t.EMAIL, exact=True))
        self.address_input = self._visible(page.get_by_label(self.t.ADDRESS, exact=True))
        self.il_select = self._visible(page.get_by_role("combobox", name=self.t.IL, exact=True))
        self.ilce_select = self._visible(page.get_by_role("combobox", name=self.t.ILCE, exact=True))
        group = page.get_by_role("radiogroup", name=self.t.AUTO_UPDATE_GROUP).or_(
            page.get_by_role("group", name=self.t.AUTO_UPDATE_GROUP)
        )
        self.auto_group = self._visible(group)
        self.submit_button = self._clickable(self.t.SUBMIT_CONTACT)
        self.saved = self._text(self.t.CONTACT_SAVED)
        self.field_errors = self._text(re.compile("|".join(re.escape(text) for text in self.t.CONTACT_FIELD_ERRORS)))

    def show(self) -> None:
        """Make this tab the visible one."""
        self._show_tab(self.t.TAB_CONTACT, self.phone_input)

    def current(self) -> ContactInfo:
        """What the form holds now."""
        self.show()
        with self._step("read the contact details"):
            return ContactInfo(
                phone=self.phone_input.first.input_value().strip(),
                email=self.email_input.first.input_value().strip(),
                address=self.address_input.first.input_value().strip(),
                il=_selected(self.il_select.first),
                ilce=_selected(self.ilce_select.first),
                auto_update=self._auto_update(),
            )

    def submit(self, info: ContactInfo) -> str:
        """Fill the form and press "TAMAMLA"; FormRejected lists the portal's field errors."""
        self.show()
        intent = "save the contact details"
        with self._step(intent):
            self.phone_input.first.fill(info.phone)
            self.email_input.first.fill(info.email)
            self.address_input.first.fill(info.address)
        if info.il:
            self._choose_il_ilce(info.il, info.ilce, intent)
        if info.auto_update is not None:
            with self._step(intent):
                self._radio(self.t.YES if info.auto_update else self.t.NO).check()
        self._click(self.submit_button, intent)
        if self._await(intent, self.saved, self.field_errors) == 0:
            return self.t.CONTACT_SAVED
        errors = list(dict.fromkeys(e.strip() for e in self.field_errors.all_inner_texts() if e.strip()))
        raise FormRejected("; ".join(errors), errors, self.NAME)

    def _choose_il_ilce(self, il: str, ilce: str, intent: str) -> None:
        """Choose İl, wait for the portal to send its İlçe list, then choose İlçe."""
        il_select, ilce_select = self.il_select.first, self.ilce_select.first
        self._settled(intent)
        with self._step(intent):
            il_label = _option_like(il_select, il, "İl")
            if tr_fold(_selected(il_select)) != tr_fold(il_label):
                before = ilce_select.get_by_role("option").all_inner_texts()
                self._pause()
                il_select.select_option(label=il_label)
                # The districts come from the portal after the change; wait for the new list.
                expect(ilce_select.get_by_role("option")).not_to_have_text(before, timeout=self.policy.timeout_ms)
            if not ilce:
                return
            wanted = _canonical_district(il_label, ilce)
            pattern = re.compile(f"^{re.escape(wanted)}$", re.IGNORECASE)
            expect(ilce_select.get_by_role("option", name=pattern)).not_to_have_count(0, timeout=self.policy.timeout_ms)
            ilce_select.select_option(label=_option_like(ilce_select, ilce, "İlçe"))

    def _radio(self, name: str) -> Locator:
        scope = self.auto_group.first if self.auto_group.count() else self.page
        return scope.get_by_role("radio", name=name, exact=True)

    def _auto_update(self) -> bool | None:
        if self._radio(self.t.YES).is_checked():
            return True
        if self._radio(self.t.NO).is_checked():
            return False
        return None


def _selected(select: Locator) -> str:
    """The chosen option's text; "" for none or a placeholder ("Seçiniz")."""
    if not select.input_value():
        return ""
    texts = select.get_by_role("option", selected=True).all_inner_texts()
    return texts[0].strip() if texts else ""


def _option_like(select: Locator, wanted: str, what: str) -> str:
    """The option whose text matches `wanted` ignoring case and Turkish letters."""
    for text in select.get_by_role("option").all_inner_texts():
        if tr_fold(text) == tr_fold(wanted):
            return text.strip()
    raise BusinessError(f"The portal offers no {what} named {wanted!r}.", ContactTab.NAME)


def _canonical_district(il: str, ilce: str) -> str:
    """The official spelling of a district (to wait for exactly that option); as given if unknown."""
    for province, districts in PROVINCES.items():
        if tr_fold(province) == tr_fold(il):
            for district in districts:
                if tr_fold(district) == tr_fold(ilce):
                    return district
    return ilce.strip()
