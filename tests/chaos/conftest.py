"""Chaos fixtures: a fresh mock portal per test (it counts the faults it plays), served from this process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rpa.chaos.portal import Mock, start_portal


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[Mock]:
    """A fresh mock portal in test mode (own database)."""
    mock, stop = start_portal(tmp_path / "portal")
    try:
        yield mock
    finally:
        stop()
