"""A console app for Flask's test client, with settings in tmp_path and the encrypted store (no keyring)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rpa.settings import Settings

TOKEN_HEADER = "X-Katip-Token"


def console_settings(tmp_path: Path, portal_url: str = "http://127.0.0.1:9/") -> Settings:
    return Settings(state_dir=tmp_path / "state", out_dir=tmp_path / "out", accounts_file=tmp_path / "accounts.yaml",
                    portal_url=portal_url, timeout_ms=10_000, login_timeout_s=60)


def make_app(settings: Settings, **config: Any):  # noqa: ANN201 - a Flask app
    from rpa.console import create_app

    return create_app(settings, use_keyring=False, config={"TESTING": True, **config})


@pytest.fixture
def settings(tmp_path) -> Settings:
    return console_settings(tmp_path)


@pytest.fixture
def console(settings):  # noqa: ANN201
    return make_app(settings)


def wait_for(check: Callable[[], Any], timeout_s: float = 120, what: str = "") -> Any:
    """Poll `check` until it returns something truthy."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")
