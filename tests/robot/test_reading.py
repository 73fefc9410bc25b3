"""Reading values by label from visible text, whatever markup produced it (no browser)."""

from __future__ import annotations

from datetime import date

import pytest

from rpa.pages.reading import labelled_value, labelled_values, parse_date, parse_int, parse_yes_no

DEFINITION_LIST = "Sözleşme No\n2025000004\nGüncellenen Sözleşme No\n2025000002\nUnvan\nİşyeri Hekimi\n"
TABLE_ROWS = "Sözleşme No\t2025000004\nUnvan\tİşyeri Hekimi\n"
SENTENCE = "Aktif Çalışan Sayısı: 1.250\nSon Toplu Güncelleme: Tamamlandı 25.11.2025 13:40\n"


@pytest.mark.parametrize("text", [DEFINITION_LIST, TABLE_ROWS])
def test_a_labelled_value_reads_the_same_from_a_list_or_a_table(text):
    assert labelled_value(text, ["Sözleşme No"]) == "2025000004"
    assert labelled_value(text, ["Unvan"]) == "İşyeri Hekimi"


def test_a_longer_label_that_ends_like_another_does_not_match_it():
    assert labelled_values(DEFINITION_LIST, "Sözleşme No") == ["2025000004"]
    assert labelled_value(DEFINITION_LIST, ["Güncellenen Sözleşme No"]) == "2025000002"


def test_a_value_after_a_colon_on_the_same_line():
    assert parse_int(labelled_value(SENTENCE, ["Aktif Çalışan Sayısı"])) == 1250
    assert labelled_value(SENTENCE, ["Son Toplu Güncelleme"]) == "Tamamlandı 25.11.2025 13:40"


def test_labels_match_regardless_of_case():
    assert labelled_value("SGK SİCİL NO: 1 2345\n", ["SGK Sicil No"]) == "1 2345"


def test_a_missing_label_gives_none():
    assert labelled_value(SENTENCE, ["Sözleşme No"]) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01.03.2025", date(2025, 3, 1)),
        ("2025-03-01", date(2025, 3, 1)),
        ("01.03.2025 10:00:00", date(2025, 3, 1)),
        ("", None),
        ("-", None),
        (None, None),
    ],
)
def test_portal_dates_are_read(text, expected):
    assert parse_date(text) == expected


def test_an_unreadable_date_is_an_error_not_a_silent_none():
    with pytest.raises(ValueError):
        parse_date("yarın")


def test_yes_no_cells():
    assert (parse_yes_no("Evet"), parse_yes_no("HAYIR"), parse_yes_no("")) == (True, False, None)
