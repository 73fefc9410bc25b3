"""Provinces and districts used by the address forms."""

from __future__ import annotations

import pytest

from rpa.domain.geo import PROVINCES, province_code, province_name

# Metropolitan provinces have no "Merkez" district; every other one has.
METROPOLITAN = {
    "Adana", "Ankara", "Antalya", "Aydın", "Balıkesir", "Bursa", "Denizli", "Diyarbakır", "Erzurum",
    "Eskişehir", "Gaziantep", "Hatay", "Mersin", "İstanbul", "İzmir", "Kayseri", "Kocaeli", "Konya",
    "Malatya", "Manisa", "Kahramanmaraş", "Mardin", "Muğla", "Ordu", "Sakarya", "Samsun", "Tekirdağ",
    "Trabzon", "Şanlıurfa", "Van",
}  # fmt: skip


def test_there_are_81_provinces_and_973_districts() -> None:
    assert len(PROVINCES) == 81
    assert sum(len(districts) for districts in PROVINCES.values()) == 973


@pytest.mark.parametrize(
    ("il", "code"),
    [("Adana", 1), ("Afyonkarahisar", 3), ("Mersin", 33), ("İstanbul", 34), ("İzmir", 35), ("Şanlıurfa", 63),
     ("Aksaray", 68), ("Iğdır", 76), ("Düzce", 81)],
)  # fmt: skip
def test_provinces_are_in_plate_code_order(il: str, code: int) -> None:
    assert province_code(il) == code
    assert province_name(code) == il


@pytest.mark.parametrize(("written", "code"), [("ISTANBUL", 34), ("izmir", 35), ("IGDIR", 76), ("İçel", 33)])
def test_province_code_accepts_how_people_write_names(written: str, code: int) -> None:
    assert province_code(written) == code


def test_unknown_province_is_an_error() -> None:
    with pytest.raises(KeyError):
        province_code("Atlantis")


def test_only_non_metropolitan_provinces_have_a_merkez_district() -> None:
    for il, districts in PROVINCES.items():
        assert ("Merkez" in districts) is (il not in METROPOLITAN), il


def test_districts_are_unique_within_a_province() -> None:
    for il, districts in PROVINCES.items():
        assert len(districts) == len(set(districts)), il


@pytest.mark.parametrize(
    ("il", "ilce"),
    [
        ("İstanbul", "Eyüpsultan"),
        ("Ankara", "Kahramankazan"),
        ("Hakkari", "Derecik"),
        ("Trabzon", "Ortahisar"),
    ],
)
def test_recent_district_names_are_used(il: str, ilce: str) -> None:
    assert ilce in PROVINCES[il]
