"""Saved logins, the journal and evidence stay private: 0700 state dir, 0600 files, TC numbers masked."""

from __future__ import annotations

import stat
import zipfile

import pytest
from typer.testing import CliRunner

from rpa.cli import _register_commands, app
from rpa.errors import ConfigError
from rpa.journal import Journal
from rpa.privacy import mask_tcs, redact_zip
from rpa.settings import Settings

TC = "10000000146"  # passes the checksum
NOT_A_TC = "10000000147"  # eleven digits that fail it: an ordinary number, left alone


def test_a_new_state_dir_is_created_for_the_owner_only(tmp_path):
    created = Settings(state_dir=tmp_path / "state").private_state_dir()
    assert stat.S_IMODE(created.stat().st_mode) == 0o700


def test_a_state_dir_others_can_read_is_refused_with_the_fix_in_the_message(tmp_path):
    (tmp_path / "state").mkdir(mode=0o755)
    (tmp_path / "state").chmod(0o755)
    with pytest.raises(ConfigError, match="chmod 700"):
        Settings(state_dir=tmp_path / "state").private_state_dir()


def test_katip_refuses_to_resume_from_a_state_dir_others_can_read(tmp_path, monkeypatch):
    (tmp_path / "state").mkdir()
    (tmp_path / "state").chmod(0o750)
    monkeypatch.setenv("KATIP_STATE_DIR", str(tmp_path / "state"))
    _register_commands()
    result = CliRunner().invoke(app, ["runs", "resume", "20250301"])
    assert result.exit_code == 2 and "open to other users" in " ".join(result.output.split())


def test_the_journal_file_is_readable_by_its_owner_only(tmp_path):
    Journal(tmp_path)
    assert stat.S_IMODE((tmp_path / "journal.sqlite").stat().st_mode) == 0o600


def test_snapshots_mask_tc_numbers_and_keep_other_numbers_readable():
    html = f"<td>{TC}</td><td>{NOT_A_TC}</td><td>05321234567</td><td>11320010112345670341542000</td>"
    masked = mask_tcs(html)
    assert TC not in masked and "100*****146" in masked
    assert NOT_A_TC in masked and "05321234567" in masked and "11320010112345670341542000" in masked


def test_a_trace_archive_is_rewritten_with_tc_numbers_masked_and_images_kept(tmp_path):
    trace = tmp_path / "001-item.zip"
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    with zipfile.ZipFile(trace, "w") as archive:
        archive.writestr("trace.trace", f'{{"snapshot": "<td>{TC}</td>"}}\n')
        archive.writestr("resources/page.html", f"<p>TC {TC}</p>")
        archive.writestr("resources/0123abcd.dat", f"tc={TC}&csrf=x")  # a request body
        archive.writestr("resources/shot.jpeg", png)
    redact_zip(trace)
    with zipfile.ZipFile(trace) as archive:
        texts = b"".join(archive.read(n) for n in ("trace.trace", "resources/page.html", "resources/0123abcd.dat"))
        assert TC.encode() not in texts and b"100*****146" in texts
        assert archive.read("resources/shot.jpeg") == png


class _Tracing:
    def __init__(self, calls: list[str]) -> None:
        self.calls = calls

    def start(self, **_options: object) -> None:
        self.calls.append("start")

    def start_chunk(self, **_options: object) -> None:
        self.calls.append("start_chunk")

    def stop_chunk(self, **_options: object) -> None:
        self.calls.append("stop_chunk")

    def stop(self) -> None:
        self.calls.append("stop")


def test_a_login_inside_an_item_stops_the_whole_recording_not_just_the_chunk(tmp_path):
    # Playwright keeps one network log per recording: only a full stop keeps the login form out of it.
    from types import SimpleNamespace

    from rpa.run import EvidenceRecorder

    calls: list[str] = []
    page = SimpleNamespace(context=SimpleNamespace(tracing=_Tracing(calls)))
    recorder = EvidenceRecorder(lambda: page, tmp_path)
    recorder.begin("verify-1")
    recorder.pause()
    login_at = len(calls)
    recorder.resume()
    assert calls[:login_at] == ["start", "start_chunk", "stop_chunk", "stop"]
    assert calls[login_at:] == ["start", "start_chunk"]
