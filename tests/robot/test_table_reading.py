"""Finding and reading a table by a header's text, whatever the markup (real Chromium, no portal).

The header row is taken from the rows' tab-separated texts (the first row holding the wanted header:
one round trip less per list); grids whose rows are not table rows are asked for their column headers.
"""

from __future__ import annotations

import pytest

from rpa.pages import reading

PLAIN = """
<table><thead><tr><th>Sicil</th><th>Ad Soyad</th><th>Onay Durumu</th></tr></thead>
<tbody><tr><td>1</td><td>Ayşe Yılmaz</td><td>Onay Bekliyor</td></tr>
<tr><td>2</td><td>Can Demir</td><td>Onaylandı</td></tr></tbody></table>
"""
# A title row above the headers: the first row is not the header row.
TITLED = """
<table><thead><tr><th colspan="3">Sözleşmeler</th></tr>
<tr><th>Sicil</th><th>Ad Soyad</th><th>Onay Durumu</th></tr></thead>
<tbody><tr><td>1</td><td>Ayşe Yılmaz</td><td>Onay Bekliyor</td></tr>
<tr><td>2</td><td>Can Demir</td><td>Onaylandı</td></tr></tbody></table>
"""
GRID = """
<div role="grid">
  <div role="row"><span role="columnheader">Sicil</span><span role="columnheader">Ad Soyad</span>
    <span role="columnheader">Onay Durumu</span></div>
  <div role="row"><span role="gridcell">1</span><span role="gridcell">Ayşe Yılmaz</span>
    <span role="gridcell">Onay Bekliyor</span></div>
  <div role="row"><span role="gridcell">2</span><span role="gridcell">Can Demir</span>
    <span role="gridcell">Onaylandı</span></div>
</div>
"""
# Another table first, without the header: it is passed over.
TWO_TABLES = """
<table><tr><th>Menü</th><th>Bağlantı</th></tr><tr><td>a</td><td>b</td></tr></table>
""" + PLAIN


@pytest.mark.parametrize("markup", [PLAIN, TITLED, GRID, TWO_TABLES], ids=["plain", "titled", "grid", "two-tables"])
def test_a_table_is_read_by_header_text_and_its_rows_are_found_again(page, markup):
    page.set_content(markup)
    table = reading.find_table(page, "ad soyad")  # case and Turkish letters folded
    assert table is not None
    assert table.headers == ["Sicil", "Ad Soyad", "Onay Durumu"]
    assert [table.cell(row, "Ad Soyad") for row in table.rows] == ["Ayşe Yılmaz", "Can Demir"]
    # The row a click selects is the row read: a wrong position would select another contract.
    assert "Can Demir" in table.row_locator(1).inner_text()
    assert "Ayşe Yılmaz" in table.row_locator(0).inner_text()


def test_no_table_with_that_header_gives_none(page):
    page.set_content(TWO_TABLES)
    assert reading.find_table(page, "Sözleşme No") is None


@pytest.mark.parametrize(("rows", "expected"), [
    (["Sicil\tAd Soyad\tOnay Durumu", "1\tAyşe\tOnaylandı"], ["Sicil", "Ad Soyad", "Onay Durumu"]),
    ([" Sicil \t AD SOYAD "], ["Sicil", "AD SOYAD"]),
    (["Sözleşmeler", "Sicil\tAd Soyad"], ["Sicil", "Ad Soyad"]),  # a title row above the headers
    (["Ad Soyad"], None),  # one cell: a title, not a header row
    (["1\tAyşe Yılmaz"], None),
    ([], None),
])
def test_the_header_row_is_the_first_row_holding_the_header(rows, expected):
    assert reading._header_row(rows, "Ad Soyad") == expected
