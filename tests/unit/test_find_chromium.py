"""Which Chromium the robot, the tests and the set-up pick (no browser started here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rpa import browser
from rpa.browser import BrowserNotFound, find_chromium


@pytest.fixture
def machine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """A machine with no Playwright build, whose system executables are the files put in `installed`."""
    installed: dict[str, Path] = {}

    def install(name: str) -> Path:
        path = tmp_path / name
        path.write_text("#!/bin/sh\n")
        path.chmod(0o755)
        installed[name] = path
        return path

    monkeypatch.delenv("KATIP_BROWSER_PATH", raising=False)
    monkeypatch.setattr(browser, "playwright_managed_chromium", lambda: None)
    monkeypatch.setattr(browser.shutil, "which", lambda name: str(installed[name]) if name in installed else None)
    monkeypatch.setattr(browser, "SYSTEM_HEADLESS_SHELLS", ("chromium-headless-shell",))
    return install


def test_a_headless_run_prefers_the_system_headless_shell(machine) -> None:
    machine("chromium")
    shell = machine("chromium-headless-shell")
    choice = find_chromium(headless=True)
    assert (choice.executable_path, choice.source) == (str(shell), "system headless shell")


def test_a_visible_run_takes_the_full_browser_even_when_the_shell_is_there(machine) -> None:
    full = machine("chromium")
    machine("chromium-headless-shell")
    assert find_chromium(headless=False).executable_path == str(full)


def test_without_the_shell_a_headless_run_takes_the_full_browser(machine) -> None:
    full = machine("chromium")
    assert (find_chromium().executable_path, find_chromium().source) == (str(full), "system")


def test_a_visible_run_with_only_the_shell_says_what_to_install(machine) -> None:
    machine("chromium-headless-shell")
    with pytest.raises(BrowserNotFound, match="apt-get install chromium"):
        find_chromium(headless=False)


def test_playwrights_own_build_comes_before_the_system(machine, monkeypatch: pytest.MonkeyPatch) -> None:
    machine("chromium-headless-shell")
    monkeypatch.setattr(browser, "playwright_managed_chromium", lambda: "/opt/ms-playwright/chrome")
    choice = find_chromium()
    assert (choice.executable_path, choice.source) == (None, "playwright")


def test_a_configured_path_wins_and_must_exist(machine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    machine("chromium-headless-shell")
    own = machine("my-chrome")
    assert find_chromium(str(own)).executable_path == str(own)
    monkeypatch.setenv("KATIP_BROWSER_PATH", str(tmp_path / "gone"))
    with pytest.raises(BrowserNotFound, match="does not exist"):
        find_chromium()


def test_no_browser_at_all_says_how_to_get_one(machine) -> None:
    with pytest.raises(BrowserNotFound, match="make setup"):
        find_chromium()
