"""The portal's visible words that the page objects rely on, verbatim, in one place.

These are the contract between the robot and any portal (the ministry's, the bundled mock, another
test portal): labels, headings, button names and messages. Nothing else about a page is assumed.
"""

# 1. Start and e-Devlet login
LOGIN_LINK = "e-Devlet Giriş"
LOGIN_HEADING = "e-Devlet Kapısı Kimlik Doğrulama"
TC_FIELD = "T.C. Kimlik No"
PASSWORD_FIELD = "e-Devlet Şifresi"
LOGIN_BUTTON = "Giriş Yap"
WRONG_PASSWORD = "T.C. Kimlik No veya şifre hatalı."
NO_TWO_STEP = "İki aşamalı doğrulama aktif olmayan kullanıcılar sisteme giriş yapamaz."
TWO_STEP_HEADING = "İki Aşamalı Doğrulama"
CODE_FIELD = "Doğrulama Kodu"
CODE_BUTTON = "Onayla"
CODE_LOCKED = "Doğrulama kodu 3 kez hatalı girildi."
INDIVIDUAL = "Bireysel"
CORPORATE = "Kurumsal"

# 2. Workplaces
WORKPLACES_HEADING = "E-Bildirge Kullanıcısı Olduğunuz İşyerleri"
SICIL = "SGK Sicil No"
UNVAN = "İşyeri Unvanı"
HAZARD = "Tehlike Sınıfı"
CHOOSE = "Seç"
REFRESH_BUTTON = "E-Bildirge Kullanıcısı Olduğum İş Yerlerini Getir"
REFRESH_ACCEPTED = "Talebiniz alındı."

# 3. Shell
CHANGE_WORKPLACE = "İşyeri Değiştir"
LOGOUT = "Çıkış"
MAIN_MENU = "Ana Menü"
MENU_CONTRACTS = ("Süreç Yönetimi", "İSG Hizmet Sözleşmeleri")
MENU_CARD = ("Kişi/Kurum Ekipman Kartı", "İşyeri Bilgileri", "İşyeri Kartı Bilgileri")

# 4. Contracts
CONTRACTS_HEADING = "İSG Hizmet Sözleşmeleri"
COL_PROFESSIONAL = "Görevlendirilen Kişi"
COL_TITLE = "Unvan"
COL_CERT = "Belge Sınıfı"
COL_PROVIDER = "Hizmet Veren"
COL_START = "Başlangıç Tarihi"
COL_MINUTES = "Çalışma Süresi (dk/ay)"
COL_CONTRACT_STATUS = "Sözleşme Durumu"
COL_APPROVAL = "Onay Durumu"
COL_COMPLIANT = "Mevzuata Uygun"
COL_PROCESS = "Süreç Tipi"
CONTRACT_NO = "Sözleşme No"
UPDATED_NO = "Güncellenen Sözleşme No"
PREVIOUS_MINUTES = "Önceki Çalışma Süresi (dk/ay)"
APPROVAL_DATE = "Onay Tarihi"
GO_TO_PROCESS = "Sürece Git"
SHOW_DETAIL = "Detay Görüntüle"
APPROVAL_HEADING = "Sözleşme Onayı"
DETAIL_HEADING = "Sözleşme Detayı"
READ_AND_AGREE = "Okudum Onaylıyorum"
COMPLETE = "Tamamla"
REJECT = "Reddet"
REJECT_REASON = "Red Gerekçesi"
APPROVED = "Sözleşme onaylandı."
NOTHING_TO_APPROVE = "Bu sözleşme için bekleyen bir onay bulunmamaktadır."
GATE_REFUSED = "Devam etmek için 'Okudum Onaylıyorum' kutusunu işaretleyiniz."
DOWNLOAD_PDF = "PDF İndir"

# 5. Workplace card
CARD_HEADING = "İşyeri Kartı Bilgileri"
TAB_GENERAL = "Genel Bilgiler"
TAB_EMPLOYEES = "SGK 4A Çalışan Bilgileri"
TAB_CONTACT = "Kurumsal İletişim ve İzin İşlemleri"
ACTIVE_COUNT = "Aktif Çalışan Sayısı"
VERIFY_FIELD = "TC Kimlik No"
VERIFY_BUTTON = "TC Kimlik No İle Doğrula"
VERIFY_INVALID = "Geçersiz TC Kimlik No."
VERIFY_NOT_FOUND = "SGK kaydı bulunamadı."
VERIFY_DONE = "Çalışan bilgisi güncellendi."
BULK_BUTTON = "Toplu Çalışan Güncelle"
BULK_QUESTION = "Tüm çalışan bilgileri SGK'dan güncellenecek."
BULK_YES = "Evet"
BULK_ACCEPTED = "Toplu güncelleme talebiniz alındı."
BULK_TOO_SOON = "Toplu güncelleme en fazla 10 dakikada bir yapılabilir."
BULK_STATUS = "Son Toplu Güncelleme"
COL_TC = "TC Kimlik No"
COL_NAME = "Ad Soyad"
COL_HIRED = "İşe Giriş Tarihi"
COL_LEFT = "İşten Çıkış Tarihi"
COL_STATUS = "Durum"
PAGE_SIZE = "Sayfa Başına"
PREVIOUS_PAGE = "Önceki"
NEXT_PAGE = "Sonraki"
PHONE = "Telefon"
EMAIL = "E-Posta"
ADDRESS = "Adres"
IL = "İl"
ILCE = "İlçe"
AUTO_UPDATE_GROUP = "İSG Profesyonelleri Çalışma Süre Güncellemesi Otomatik Yapılsın mı?"
YES = "EVET"
NO = "HAYIR"
SUBMIT_CONTACT = "TAMAMLA"
CONTACT_SAVED = "Bilgileriniz kaydedildi."
CONTACT_FIELD_ERRORS = (
    "Geçerli bir telefon numarası giriniz.",
    "Geçerli bir e-posta adresi giriniz.",
    "İl seçiniz.",
    "İlçe seçiniz.",
)
