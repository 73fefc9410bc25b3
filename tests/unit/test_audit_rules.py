"""The rules the audit adds to `rpa.domain.rules`: full-time thresholds and the classes a hazard class takes."""

from __future__ import annotations

import pytest

from rpa.domain.rules import HazardClass, Title, cert_allows, cert_classes_for, full_time_threshold, needs_full_time

AZ, TEH, COK = HazardClass.AZ, HazardClass.TEHLIKELI, HazardClass.COK


@pytest.mark.parametrize(
    ("title", "hazard", "threshold"),
    [
        (Title.UZMAN, AZ, 1000), (Title.UZMAN, TEH, 500), (Title.UZMAN, COK, 250),
        (Title.HEKIM, AZ, 2000), (Title.HEKIM, TEH, 1000), (Title.HEKIM, COK, 750),
        (Title.DSP, COK, None), (Title.DSP, AZ, None),
    ],
)  # fmt: skip
def test_full_time_is_needed_at_or_above_the_threshold(title: Title, hazard: HazardClass,
                                                       threshold: int | None) -> None:
    assert full_time_threshold(title, hazard) == threshold
    if threshold is None:
        assert not needs_full_time(title, hazard, 100_000)
        return
    assert not needs_full_time(title, hazard, threshold - 1)
    assert needs_full_time(title, hazard, threshold)
    assert needs_full_time(title.value, hazard.value, threshold + 1)  # the portal's texts work too


@pytest.mark.parametrize(("hazard", "classes"), [(AZ, ["A", "B", "C"]), (TEH, ["A", "B"]), (COK, ["A"])])
def test_the_classes_that_may_serve_a_hazard_class_agree_with_cert_allows(hazard: HazardClass,
                                                                         classes: list[str]) -> None:
    assert cert_classes_for(hazard) == classes
    assert [c for c in "ABC" if cert_allows(c, hazard)] == classes
