""""PDF İndir": a real PDF named after the contract whose text a machine can read back."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.mock import factories as f


@pytest.fixture
def shop(empty_app) -> f.Shop:
    return f.open_shop(empty_app, hazard="Çok Tehlikeli")


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def test_pdf_is_an_attachment_named_after_the_contract(shop):
    no = f.add_contract(shop.app, shop.sicil)
    answer = shop.client.get(f"/sozlesmeler/{no}/pdf")
    assert answer.status_code == 200
    assert answer.mimetype == "application/pdf"
    assert answer.headers["Content-Disposition"] == f'attachment; filename="sozlesme-{no}.pdf"'
    assert answer.data.startswith(b"%PDF-")


def test_pdf_text_holds_number_sicil_name_with_turkish_letters_and_approval_date(shop):
    no = f.add_contract(
        shop.app, shop.sicil, professional="Şükrü Ağaoğlu İnceöz", approved_at="2024-05-02T10:11:12"
    )
    text = pdf_text(shop.client.get(f"/sozlesmeler/{no}/pdf").data)
    assert no in text
    assert shop.sicil in text
    assert "Şükrü Ağaoğlu İnceöz" in text
    assert "Onay Tarihi 02.05.2024 10:11:12" in text


def test_pdf_of_a_contract_not_yet_approved_says_so(shop):
    no = f.add_pending(shop.app, shop.sicil)
    assert "Onay Tarihi Onaylanmadı" in pdf_text(shop.client.get(f"/sozlesmeler/{no}/pdf").data)


def test_detail_page_offers_the_download_as_a_button(shop):
    no = f.add_contract(shop.app, shop.sicil)
    html = shop.client.get(f"/sozlesmeler/{no}").get_data(as_text=True)
    assert f'action="/sozlesmeler/{no}/pdf"' in html
    assert '<button type="submit" class="primary">PDF İndir</button>' in html


def test_an_unknown_contract_has_no_pdf_and_answers_as_a_strangers_would(shop):
    assert shop.client.get("/sozlesmeler/404404/pdf").status_code == 403
