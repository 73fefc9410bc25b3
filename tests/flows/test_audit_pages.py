"""`ContractsPage.all_rows()` and `turn_to()` on a contract list split over pages (the mock shows one page).

A tiny portal is served to the browser by routing, one list of five contracts in pages of two, with
either "Sayfa X / Y" beside the pager or only "Sonraki" links, and optionally a "Sözleşme No" column.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import BrowserContext, Route

from rpa.pages.base import PagePolicy
from rpa.pages.contracts import ContractsPage

pytestmark = pytest.mark.browser

BASE = "http://portal.test"
PEOPLE = [("Ayşe Yılmaz", "9001"), ("Mehmet Kaya", "9002"), ("Fatma Demir", "9003"), ("Ali Can", "9004"),
          ("Zehra Aksoy", "9005")]
PER_PAGE = 2
PAGES = -(-len(PEOPLE) // PER_PAGE)


def list_page(number: int, page_numbers: bool, number_column: bool) -> str:
    shown = PEOPLE[(number - 1) * PER_PAGE: number * PER_PAGE]
    head = "<th>Sözleşme No</th>" if number_column else ""
    rows = "".join(
        f"<tr onclick=\"window.chosen='{no}'\">{f'<td>{no}</td>' if number_column else ''}<td>{name}</td>"
        "<td>İş Güvenliği Uzmanı</td><td>A</td><td>Güven OSGB</td><td>01.03.2025</td><td>400</td>"
        "<td>Aktif</td><td>Onaylandı</td><td>Evet</td></tr>"
        for name, no in shown)
    pager = f"<span>Sayfa {number} / {PAGES}</span>" if page_numbers else ""
    if number > 1:
        pager += f'<a href="/soz?p={number - 1}">Önceki</a>'
    pager += (f'<a href="/soz?p={number + 1}">Sonraki</a>' if number < PAGES
              else '<button disabled>Sonraki</button>' if page_numbers else "")
    return f"""<!doctype html><html lang="tr"><head><meta charset="utf-8"><title>Portal</title></head><body>
<p>SGK Sicil No: 11320010112345670341542000</p><h1>İSG Hizmet Sözleşmeleri</h1>
<button onclick="if (window.chosen) location.href='/detay/' + window.chosen">Detay Görüntüle</button>
<table><tr>{head}<th>Görevlendirilen Kişi</th><th>Unvan</th><th>Belge Sınıfı</th><th>Hizmet Veren</th>
<th>Başlangıç Tarihi</th><th>Çalışma Süresi (dk/ay)</th><th>Sözleşme Durumu</th><th>Onay Durumu</th>
<th>Mevzuata Uygun</th></tr>{rows}</table><nav>{pager}</nav></body></html>"""


def detail_page(no: str) -> str:
    name = next(n for n, number in PEOPLE if number == no)
    return f"""<!doctype html><html lang="tr"><head><meta charset="utf-8"><title>Portal</title></head><body>
<p>SGK Sicil No: 11320010112345670341542000</p><h1>Sözleşme Detayı</h1><dl><dt>Sözleşme No</dt><dd>{no}</dd>
<dt>Görevlendirilen Kişi</dt><dd>{name}</dd><dt>Unvan</dt><dd>İş Güvenliği Uzmanı</dd>
<dt>Çalışma Süresi (dk/ay)</dt><dd>400</dd></dl></body></html>"""


def serve(context: BrowserContext, page_numbers: bool, number_column: bool = False) -> None:
    def handle(route: Route) -> None:
        url = urlparse(route.request.url)
        if url.path.startswith("/detay/"):
            body = detail_page(url.path.rsplit("/", 1)[1])
        else:
            body = list_page(int(parse_qs(url.query).get("p", ["1"])[0]), page_numbers, number_column)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)

    context.route(f"{BASE}/**", handle)


def contracts_page(context: BrowserContext, start: int = 1) -> ContractsPage:
    page = context.new_page()
    page.goto(f"{BASE}/soz?p={start}")
    return ContractsPage(page, PagePolicy(start_url=f"{BASE}/", timeout_ms=5_000))


@pytest.mark.parametrize("page_numbers", [True, False], ids=["with-page-numbers", "only-sonraki"])
def test_every_row_of_every_page_is_read_and_a_row_on_another_page_can_be_opened(context: BrowserContext,
                                                                                page_numbers: bool) -> None:
    serve(context, page_numbers)
    contracts = contracts_page(context, start=2 if page_numbers else 1)  # with numbers: it starts from page 1

    rows = contracts.all_rows()

    assert [r.professional for r in rows] == [name for name, _ in PEOPLE]
    assert all(r.no is None for r in rows)  # no "Sözleşme No" column: numbers come from the detail page
    contracts.turn_to(rows[0])  # the browser is on the last page now
    assert contracts.open_detail(rows[0]).contract().no == "9001"


def test_numbers_shown_in_the_list_are_read_with_the_rows(context: BrowserContext) -> None:
    serve(context, page_numbers=True, number_column=True)

    rows = contracts_page(context).all_rows()

    assert [r.no for r in rows] == [no for _, no in PEOPLE]
