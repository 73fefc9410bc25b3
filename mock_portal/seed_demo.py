"""The fixed demo account: the same workplaces, people and contracts whatever the seed options.

The robot's tests and the README's demo rely on these facts, so they are written out, not drawn:
- 4 workplaces (one per hazard class, plus a second "Tehlikeli" one that appears only after the
  E-Bildirge refresh), contact details not yet set;
- pending contracts: compliant ones, a class C expert at a "Çok Tehlikeli" workplace, minutes under
  the legal minimum (a new contract and a "Süre Güncelleme");
- SGK knows a few hires and leavers that the portal's 4A list does not show yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from rpa.domain.rules import HazardClass, Title

DEMO_TC = "38472910510"
DEMO_PASSWORD = "Katip.2024"
DEMO_NAME = "Ayşe Yıldırım"
DEMO_PHONE = "05321234567"


@dataclass(frozen=True)
class DemoProfessional:
    key: str
    tc: str
    name: str
    title: Title
    cert_class: str


PROFESSIONALS: tuple[DemoProfessional, ...] = (
    DemoProfessional("p1", "52184630740", "Mehmet Öztürk", Title.UZMAN, "A"),
    DemoProfessional("p2", "24381756950", "Zeynep Arslan", Title.UZMAN, "B"),
    DemoProfessional("p3", "16530287484", "Emre Çelik", Title.UZMAN, "C"),
    DemoProfessional("p4", "47601928388", "Elif Şahin", Title.HEKIM, "-"),
    DemoProfessional("p5", "31872549694", "Burak Doğan", Title.HEKIM, "-"),
    DemoProfessional("p6", "59204716330", "Hatice Koç", Title.DSP, "-"),
    DemoProfessional("p7", "43716285040", "Serkan Aydın", Title.UZMAN, "B"),
)


@dataclass(frozen=True)
class DemoWorkplace:
    key: str
    sicil: str
    unvan: str
    hazard: HazardClass
    nace: str
    il_code: int
    ilce: str
    active: int  # active employees in the portal's 4A list
    left: int  # former employees ("Çıkış") in the 4A list
    sgk_hires: int  # hires SGK knows and the 4A list lacks
    sgk_leavers: int  # people SGK knows have left while the 4A list still shows them "Aktif"
    visible: bool  # False: appears only after "E-Bildirge Kullanıcısı Olduğum İş Yerlerini Getir"


WORKPLACES: tuple[DemoWorkplace, ...] = (
    DemoWorkplace(
        "w1",
        "11320010112345670341542000",
        "Anadolu Tekstil San. ve Tic. A.Ş.",
        HazardClass.TEHLIKELI,
        "13.20.01",
        34,
        "Bağcılar",
        40,
        4,
        2,
        1,
        True,
    ),
    DemoWorkplace(
        "w2",
        "12451020123456780350617000",
        "Ege Metal Döküm San. ve Tic. Ltd. Şti.",
        HazardClass.COK,
        "24.51.01",
        35,
        "Torbalı",
        30,
        3,
        1,
        1,
        True,
    ),
    DemoWorkplace(
        "w3",
        "16201010134567890060863000",
        "Başkent Yazılım ve Danışmanlık Ltd. Şti.",
        HazardClass.AZ,
        "62.01.01",
        6,
        "Çankaya",
        12,
        1,
        0,
        0,
        True,
    ),
    DemoWorkplace(
        "w4",
        "11089010145678900610129000",
        "Karadeniz Gıda Ürünleri San. ve Tic. A.Ş.",
        HazardClass.TEHLIKELI,
        "10.89.01",
        61,
        "Ortahisar",
        20,
        2,
        1,
        0,
        False,
    ),
)


@dataclass(frozen=True)
class DemoContract:
    workplace: str
    professional: str
    minutes: int
    process_type: str  # "Yeni Sözleşme" / "Süre Güncelleme"
    status: str
    approval: str
    start: str
    parent: int | None = None  # index (in CONTRACTS) of the contract a "Süre Güncelleme" updates
    reject_reason: str | None = None


NEW, UPDATE = "Yeni Sözleşme", "Süre Güncelleme"
PENDING = ("Beklemede", "Onay Bekliyor")
ACTIVE = ("Aktif", "Onaylandı")
ENDED = ("Sonlandırıldı", "Onaylandı")
REJECTED = ("Sonlandırıldı", "Reddedildi")

# Legal minimums (4A active count): w1 uzman 800 / hekim 400; w2 uzman 1200 / hekim 450 / DSP 300;
# w3 uzman 120 / hekim 60; w4 uzman 400 / hekim 200. Compliant pending ones keep >= 15 % slack so that
# syncing the SGK hires does not tip them over.
CONTRACTS: tuple[DemoContract, ...] = (
    # w1 "Tehlikeli": a new expert (compliant) and a time update of the physician (compliant).
    DemoContract("w1", "p7", 700, NEW, *ENDED, start="2022-01-01"),
    DemoContract("w1", "p4", 360, NEW, *ACTIVE, start="2023-02-01"),
    DemoContract("w1", "p2", 960, NEW, *PENDING, start="2025-03-01"),
    DemoContract("w1", "p4", 480, UPDATE, *PENDING, start="2025-03-01", parent=1),
    # w2 "Çok Tehlikeli": class C expert (held), DSP (compliant), physician update under the minimum (held).
    DemoContract("w2", "p1", 1200, NEW, *ENDED, start="2021-06-01"),
    DemoContract(
        "w2",
        "p7",
        1300,
        NEW,
        *REJECTED,
        start="2024-11-01",
        reject_reason="Belge sınıfı işyerinin tehlike sınıfına uygun değil.",
    ),
    DemoContract("w2", "p5", 450, NEW, *ACTIVE, start="2023-09-01"),
    DemoContract("w2", "p3", 1400, NEW, *PENDING, start="2025-03-01"),
    DemoContract("w2", "p6", 360, NEW, *PENDING, start="2025-03-01"),
    DemoContract("w2", "p5", 300, UPDATE, *PENDING, start="2025-03-01", parent=6),
    # w3 "Az Tehlikeli": a class C expert is fine here (compliant).
    DemoContract("w3", "p5", 70, NEW, *ACTIVE, start="2024-01-15"),
    DemoContract("w3", "p3", 150, NEW, *PENDING, start="2025-03-01"),
    # w4 "Tehlikeli", visible after the refresh: expert compliant, physician under the minimum (held).
    DemoContract("w4", "p1", 480, NEW, *PENDING, start="2025-03-01"),
    DemoContract("w4", "p4", 120, NEW, *PENDING, start="2025-03-01"),
)
