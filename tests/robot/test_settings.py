"""Settings: environment variables, the private state dir, loopback detection (no browser)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from rpa.errors import ConfigError
from rpa.settings import Settings, is_loopback_url


def test_settings_come_from_katip_environment_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("KATIP_PORTAL_URL", "http://127.0.0.1:5000/")
    monkeypatch.setenv("KATIP_TIMEOUT_MS", "2500")
    monkeypatch.setenv("KATIP_HEADLESS", "false")
    monkeypatch.setenv("KATIP_ACCOUNTS", str(tmp_path / "hesaplar.yaml"))
    settings = Settings()
    assert settings.portal_url == "http://127.0.0.1:5000/"
    assert settings.timeout_ms == 2500
    assert settings.headless is False
    assert settings.accounts_file == tmp_path / "hesaplar.yaml"


def test_initialiser_overrides_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("KATIP_POLITENESS_MS", "1500")
    settings = Settings(politeness_ms=0, state_dir=tmp_path / "s", accounts_file=tmp_path / "a.yaml")
    assert settings.politeness_ms == 0
    assert settings.accounts_file == tmp_path / "a.yaml"


def test_default_state_dir_is_outside_the_work_tree(monkeypatch, tmp_path):
    monkeypatch.delenv("KATIP_STATE_DIR", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert Settings().state_dir == tmp_path / "xdg" / "katip"


def test_missing_portal_url_says_how_to_set_it():
    with pytest.raises(ConfigError, match="KATIP_PORTAL_URL"):
        Settings(portal_url=None).start_url()


def test_state_dir_is_created_private(tmp_path):
    settings = Settings(state_dir=tmp_path / "state")
    sessions = settings.sessions_dir()
    assert sessions == tmp_path / "state" / "sessions"
    for path in (tmp_path / "state", sessions):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700


@pytest.mark.parametrize("mode", [0o755, 0o750, 0o701])
def test_state_dir_others_can_enter_is_refused_with_the_fix(tmp_path, mode):
    state = tmp_path / "state"
    state.mkdir()
    state.chmod(mode)
    with pytest.raises(ConfigError) as caught:
        Settings(state_dir=state).private_state_dir()
    assert f"chmod 700 {state}" in str(caught.value)


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8000/", True),
        ("http://127.8.9.10/", True),
        ("http://localhost:5000", True),
        ("http://[::1]:5000/", True),
        ("https://isgkatip.csgb.gov.tr/", False),
        ("http://10.0.0.5/", False),
        ("http://localhost.example.com/", False),
        ("", False),
    ],
)
def test_loopback_urls_are_recognised(url, loopback):
    assert is_loopback_url(url) is loopback


def test_tilde_in_paths_is_expanded():
    assert Settings(out_dir=Path("~/katip-out")).out_dir == Path.home() / "katip-out"
