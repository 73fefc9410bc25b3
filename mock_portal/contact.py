"""Kurumsal İletişim ve İzin İşlemleri: validating and saving the contact and permission form."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

from mock_portal import db
from rpa.domain.geo import PROVINCES

PHONE_ERROR = "Geçerli bir telefon numarası giriniz."
EMAIL_ERROR = "Geçerli bir e-posta adresi giriniz."
IL_ERROR = "İl seçiniz."
ILCE_ERROR = "İlçe seçiniz."
ADDRESS_MAX = 500
ADDRESS_ERROR = f"Adres en fazla {ADDRESS_MAX} karakter olabilir."
SAVED = "Bilgileriniz kaydedildi."
# A Turkish number: 10 digits, area/operator code starting 2-5, after an optional +90 or 0.
_PHONE = re.compile(r"(?:\+90|0)?[2-5]\d{9}")
_PHONE_DECORATION = re.compile(r"[\s\-()]")
_EMAIL = re.compile(
    r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)
AUTO_CHOICES = {"evet": True, "hayir": False}


@dataclass
class ContactForm:
    """The form's values as typed (kept verbatim so that the saved form shows what was entered)."""

    phone: str = ""
    email: str = ""
    address: str = ""
    il: str = ""
    ilce: str = ""
    auto_update: bool | None = None


def districts(il: str) -> list[str]:
    """The districts (ilçe) of a province; empty for an unknown one."""
    return list(PROVINCES.get(il, []))


def from_workplace(row: Mapping) -> ContactForm:
    """The saved values of a workplace, as the form shows them."""
    auto = row["auto_update"]
    return ContactForm(
        phone=row["phone"] or "",
        email=row["email"] or "",
        address=row["address"] or "",
        il=row["il"] or "",
        ilce=row["ilce"] or "",
        auto_update=None if auto is None else bool(auto),
    )


def from_post(form: Mapping[str, str], saved: ContactForm) -> ContactForm:
    """The posted values; without a radio choice the saved answer stays (possibly still unanswered)."""
    choice = form.get("otomatik", "")
    return ContactForm(
        phone=form.get("telefon", "").strip(),
        email=form.get("eposta", "").strip(),
        address=form.get("adres", "").strip(),
        il=form.get("il", "").strip(),
        ilce=form.get("ilce", "").strip(),
        auto_update=AUTO_CHOICES.get(choice, saved.auto_update),
    )


def validate(values: ContactForm) -> dict[str, str]:
    """Field name → the portal's error message, for every field that is wrong."""
    errors: dict[str, str] = {}
    if not is_valid_phone(values.phone):
        errors["telefon"] = PHONE_ERROR
    if len(values.email) > 254 or not _EMAIL.fullmatch(values.email):
        errors["eposta"] = EMAIL_ERROR
    if len(values.address) > ADDRESS_MAX:
        errors["adres"] = ADDRESS_ERROR
    if values.il not in PROVINCES:
        errors["il"] = IL_ERROR
    # An empty ilçe is always asked for; a chosen one is judged only against a known il (then a
    # district of another province is refused too).
    if not values.ilce or (values.il in PROVINCES and values.ilce not in districts(values.il)):
        errors["ilce"] = ILCE_ERROR
    return errors


def is_valid_phone(value: str) -> bool:
    """A Turkish landline or mobile number, allowing spaces, dashes and parentheses."""
    return bool(_PHONE.fullmatch(_PHONE_DECORATION.sub("", value)))


def save(conn: sqlite3.Connection, sicil: str, values: ContactForm) -> None:
    """Store a validated form and audit it."""
    with db.write(conn):
        conn.execute(
            "UPDATE workplaces SET phone = ?, email = ?, address = ?, il = ?, ilce = ?, auto_update = ? "
            "WHERE sicil = ?",
            (
                values.phone,
                values.email,
                values.address,
                values.il,
                values.ilce,
                None if values.auto_update is None else int(values.auto_update),
                sicil,
            ),
        )
        db.audit(conn, "contact_update", sicil, None)
