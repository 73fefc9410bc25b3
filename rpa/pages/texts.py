"""The portal's visible words that the page objects rely on, verbatim, in one place.

These are the contract between the robot and any portal (the ministry's, the bundled mock, another
test portal): labels, headings, button names and messages. Nothing else about a page is assumed.

The ministry renames words without notice. `Words` holds the defaults below; a portal profile
(`KATIP_PORTAL_PROFILE`, `rpa.pages.profile`) gives a copy with the portal's current words, and every page
object reads its words from the copy in its `PagePolicy` (`self.t`), never from anywhere else.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Words:
    """Every word the robot looks for; the defaults are the portal's words as the robot was built for."""

    # 1. Start and e-Devlet login
    LOGIN_LINK: str = "e-Devlet Giriş"
    LOGIN_HEADING: str = "e-Devlet Kapısı Kimlik Doğrulama"
    TC_FIELD: str = "T.C. Kimlik No"
    PASSWORD_FIELD: str = "e-Devlet Şifresi"
    LOGIN_BUTTON: str = "Giriş Yap"
    WRONG_PASSWORD: str = "T.C. Kimlik No veya şifre hatalı."
    NO_TWO_STEP: str = "İki aşamalı doğrulama aktif olmayan kullanıcılar sisteme giriş yapamaz."
    TWO_STEP_HEADING: str = "İki Aşamalı Doğrulama"
    CODE_FIELD: str = "Doğrulama Kodu"
    CODE_BUTTON: str = "Onayla"
    CODE_LOCKED: str = "Doğrulama kodu 3 kez hatalı girildi."
    INDIVIDUAL: str = "Bireysel"
    CORPORATE: str = "Kurumsal"

    # 2. Workplaces
    WORKPLACES_HEADING: str = "E-Bildirge Kullanıcısı Olduğunuz İşyerleri"
    SICIL: str = "SGK Sicil No"
    UNVAN: str = "İşyeri Unvanı"
    HAZARD: str = "Tehlike Sınıfı"
    CHOOSE: str = "Seç"
    REFRESH_BUTTON: str = "E-Bildirge Kullanıcısı Olduğum İş Yerlerini Getir"
    REFRESH_ACCEPTED: str = "Talebiniz alındı."

    # 3. Shell
    CHANGE_WORKPLACE: str = "İşyeri Değiştir"
    LOGOUT: str = "Çıkış"
    MAIN_MENU: str = "Ana Menü"
    MENU_CONTRACTS: tuple[str, ...] = ("Süreç Yönetimi", "İSG Hizmet Sözleşmeleri")
    MENU_CARD: tuple[str, ...] = ("Kişi/Kurum Ekipman Kartı", "İşyeri Bilgileri", "İşyeri Kartı Bilgileri")

    # 4. Contracts
    CONTRACTS_HEADING: str = "İSG Hizmet Sözleşmeleri"
    COL_PROFESSIONAL: str = "Görevlendirilen Kişi"
    COL_TITLE: str = "Unvan"
    COL_CERT: str = "Belge Sınıfı"
    COL_PROVIDER: str = "Hizmet Veren"
    COL_START: str = "Başlangıç Tarihi"
    COL_MINUTES: str = "Çalışma Süresi (dk/ay)"
    COL_CONTRACT_STATUS: str = "Sözleşme Durumu"
    COL_APPROVAL: str = "Onay Durumu"
    COL_COMPLIANT: str = "Mevzuata Uygun"
    COL_PROCESS: str = "Süreç Tipi"
    CONTRACT_NO: str = "Sözleşme No"
    UPDATED_NO: str = "Güncellenen Sözleşme No"
    PREVIOUS_MINUTES: str = "Önceki Çalışma Süresi (dk/ay)"
    APPROVAL_DATE: str = "Onay Tarihi"
    GO_TO_PROCESS: str = "Sürece Git"
    SHOW_DETAIL: str = "Detay Görüntüle"
    APPROVAL_HEADING: str = "Sözleşme Onayı"
    DETAIL_HEADING: str = "Sözleşme Detayı"
    READ_AND_AGREE: str = "Okudum Onaylıyorum"
    COMPLETE: str = "Tamamla"
    REJECT: str = "Reddet"
    REJECT_REASON: str = "Red Gerekçesi"
    APPROVED: str = "Sözleşme onaylandı."
    NOTHING_TO_APPROVE: str = "Bu sözleşme için bekleyen bir onay bulunmamaktadır."
    GATE_REFUSED: str = "Devam etmek için 'Okudum Onaylıyorum' kutusunu işaretleyiniz."
    DOWNLOAD_PDF: str = "PDF İndir"

    # 5. Workplace card
    CARD_HEADING: str = "İşyeri Kartı Bilgileri"
    TAB_GENERAL: str = "Genel Bilgiler"
    TAB_EMPLOYEES: str = "SGK 4A Çalışan Bilgileri"
    TAB_CONTACT: str = "Kurumsal İletişim ve İzin İşlemleri"
    ACTIVE_COUNT: str = "Aktif Çalışan Sayısı"
    VERIFY_FIELD: str = "TC Kimlik No"
    VERIFY_BUTTON: str = "TC Kimlik No İle Doğrula"
    VERIFY_INVALID: str = "Geçersiz TC Kimlik No."
    VERIFY_NOT_FOUND: str = "SGK kaydı bulunamadı."
    VERIFY_DONE: str = "Çalışan bilgisi güncellendi."
    BULK_BUTTON: str = "Toplu Çalışan Güncelle"
    BULK_QUESTION: str = "Tüm çalışan bilgileri SGK'dan güncellenecek."
    BULK_YES: str = "Evet"
    BULK_ACCEPTED: str = "Toplu güncelleme talebiniz alındı."
    BULK_TOO_SOON: str = "Toplu güncelleme en fazla 10 dakikada bir yapılabilir."
    BULK_STATUS: str = "Son Toplu Güncelleme"
    COL_TC: str = "TC Kimlik No"
    COL_NAME: str = "Ad Soyad"
    COL_HIRED: str = "İşe Giriş Tarihi"
    COL_LEFT: str = "İşten Çıkış Tarihi"
    COL_STATUS: str = "Durum"
    PAGE_SIZE: str = "Sayfa Başına"
    PREVIOUS_PAGE: str = "Önceki"
    NEXT_PAGE: str = "Sonraki"
    PHONE: str = "Telefon"
    EMAIL: str = "E-Posta"
    ADDRESS: str = "Adres"
    IL: str = "İl"
    ILCE: str = "İlçe"
    AUTO_UPDATE_GROUP: str = "İSG Profesyonelleri Çalışma Süre Güncellemesi Otomatik Yapılsın mı?"
    YES: str = "EVET"
    NO: str = "HAYIR"
    SUBMIT_CONTACT: str = "TAMAMLA"
    CONTACT_SAVED: str = "Bilgileriniz kaydedildi."
    CONTACT_FIELD_ERRORS: tuple[str, ...] = (
        "Geçerli bir telefon numarası giriniz.",
        "Geçerli bir e-posta adresi giriniz.",
        "İl seçiniz.",
        "İlçe seçiniz.",
    )

    # 7. Faults every screen can show (recognised by their words: another portal may use other codes)
    SYSTEM_ERROR: str = "Sistem hatası"
    MAINTENANCE: str = "Sistem bakımda"
    EXPIRED: str = "Oturumunuzun süresi doldu"
    FORBIDDEN: str = "Bu işyerine erişim yetkiniz bulunmamaktadır"

    def renamed(self, mapping: Mapping[str, str]) -> Words:
        """A copy with default texts replaced (keys: the default texts themselves, e.g. "Tamamla")."""
        changes: dict[str, object] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, tuple):
                changes[field.name] = tuple(mapping.get(part, part) for part in value)
            else:
                changes[field.name] = mapping.get(value, value)
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    @cached_property
    def fault_pattern(self) -> re.Pattern[str]:
        """Any fault's words, or a refused stale or double form (portals word those differently)."""
        stale = r"form daha önce gönderildi|sayfayı yenileyip tekrar deneyiniz|işlem zaman aşımına uğradı"
        known = [re.escape(w) for w in (self.SYSTEM_ERROR, self.MAINTENANCE, self.EXPIRED, self.FORBIDDEN)]
        return re.compile("|".join([*known, stale]), re.IGNORECASE)


def default_texts() -> Iterator[tuple[str, str]]:
    """(constant name, default text) of every word, tuples' parts included: what a profile may rename."""
    for field in dataclasses.fields(Words):
        value = field.default
        for part in value if isinstance(value, tuple) else (value,):
            yield field.name, str(part)


DEFAULT = Words()
