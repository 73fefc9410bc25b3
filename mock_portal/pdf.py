"""The contract PDF behind "PDF İndir": a real, text-searchable document with Turkish letters intact."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF

from mock_portal.display import tr_date, tr_datetime

# The core PDF fonts only know Latin-1 (no ğ, ı, ş, İ); an embedded Unicode font keeps names intact.
FONT = Path(__file__).parent / "fonts" / "DejaVuSans.ttf"
NOT_APPROVED = "Onaylanmadı"


def contract_pdf(contract: Mapping[str, Any], workplace: Mapping[str, Any], created: datetime) -> bytes:
    """Render one contract with its workplace as PDF bytes."""
    doc = FPDF(format="A4")
    doc.set_creation_date(created)
    doc.set_title(f"İSG Hizmet Sözleşmesi {contract['no']}")
    doc.set_author("İSG-KATİP")
    doc.add_font("DejaVu", fname=str(FONT))
    doc.add_page()
    doc.set_font("DejaVu", size=15)
    doc.cell(0, 10, "İSG HİZMET SÖZLEŞMESİ", new_x="LMARGIN", new_y="NEXT", align="C")
    doc.set_font("DejaVu", size=10)
    ministry = "T.C. Çalışma ve Sosyal Güvenlik Bakanlığı - İSG-KATİP"
    doc.cell(0, 6, ministry, new_x="LMARGIN", new_y="NEXT", align="C")
    doc.ln(6)
    for label, value in _fields(contract, workplace):
        doc.set_font("DejaVu", size=10)
        doc.cell(60, 7, label)
        doc.multi_cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")
    doc.ln(8)
    if contract.get("approved_at"):
        note = "Bu sözleşme işveren tarafından İSG-KATİP üzerinden elektronik olarak onaylanmıştır."
    else:
        note = "Bu sözleşme henüz işveren tarafından onaylanmamıştır."
    doc.multi_cell(0, 6, note, new_x="LMARGIN", new_y="NEXT")
    return bytes(doc.output())


def _fields(contract: Mapping[str, Any], workplace: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The labelled lines of the document, in reading order."""
    approved = tr_datetime(contract.get("approved_at")) or NOT_APPROVED
    lines = [
        ("Sözleşme No", str(contract["no"])),
        ("Süreç Tipi", contract["process_type"]),
        ("SGK Sicil No", workplace["sicil"]),
        ("İşyeri Unvanı", workplace["unvan"]),
        ("Tehlike Sınıfı", workplace["hazard_class"]),
        ("Görevlendirilen Kişi", contract["professional"]),
        ("Unvan", contract["title"]),
        ("Belge Sınıfı", contract["cert_class"]),
        ("Hizmet Veren", contract["provider"]),
        ("Başlangıç Tarihi", tr_date(contract["start_date"])),
        ("Çalışma Süresi (dk/ay)", str(contract["minutes"])),
        ("Sözleşme Durumu", contract["status"]),
        ("Onay Durumu", contract["approval"]),
        ("Onay Tarihi", approved),
    ]
    if contract.get("parent_no"):
        lines.insert(2, ("Güncellenen Sözleşme No", str(contract["parent_no"])))
    if contract.get("reject_reason"):
        lines.append(("Red Gerekçesi", contract["reject_reason"]))
    return lines
