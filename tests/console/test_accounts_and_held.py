"""The app-layer pieces the console stands on: accounts.yaml edits, the encrypted store, session states,
held contracts across runs."""

from __future__ import annotations

import json
import os
import stat
from datetime import timedelta

import pytest

from rpa.accounts import load_accounts
from rpa.app.account_edit import add_account, edit_account, remove_account
from rpa.app.accounts import account_states
from rpa.app.held import held
from rpa.errors import ConfigError
from rpa.history import RunHistory, RunRecord, utcnow
from rpa.secret_store import SecretStore
from rpa.settings import Settings

COMMENTED = """# our clients
accounts:
  - name: demo-firma   # the demo account
    tc: "38472910510"
    password: env:KATIP_DEMO_PASSWORD
    code: mock
"""


@pytest.fixture
def settings(tmp_path) -> Settings:
    (tmp_path / "accounts.yaml").write_text(COMMENTED, encoding="utf-8")
    return Settings(state_dir=tmp_path / "state", out_dir=tmp_path / "out", accounts_file=tmp_path / "accounts.yaml",
                    portal_url="http://127.0.0.1:9/")


def test_adding_an_account_keeps_the_comments_and_never_writes_the_password(settings):
    add_account(settings, "ege-metal", "52184630740", "Gizli.123", code="prompt", use_keyring=False)
    text = settings.accounts_file.read_text(encoding="utf-8")
    assert "# our clients" in text and "# the demo account" in text
    assert "Gizli.123" not in text
    assert "password: store" in text
    store = SecretStore(settings.state_dir)
    assert store.get("ege-metal") == "Gizli.123"
    assert b"Gizli" not in store.file.read_bytes()
    for path in (store.file, store.key_file):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    account = load_accounts(settings.accounts_file)[1]
    assert account.password.lookup("ege-metal", settings.state_dir)[0].get_secret_value() == "Gizli.123"


def test_a_tc_with_wrong_check_digits_and_a_duplicate_name_are_refused(settings):
    with pytest.raises(ConfigError, match="kontrol haneleri"):
        add_account(settings, "bad", "52184630741", "x", use_keyring=False)
    with pytest.raises(ConfigError, match="zaten var"):
        add_account(settings, "demo-firma", "52184630740", "x", use_keyring=False)
    assert len(load_accounts(settings.accounts_file)) == 1


def test_names_may_use_turkish_letters(settings):
    add_account(settings, "çağrı-işçi", "52184630740", "x", use_keyring=False)
    assert [a.name for a in load_accounts(settings.accounts_file)] == ["demo-firma", "çağrı-işçi"]
    with pytest.raises(ConfigError, match="Ad / name"):
        add_account(settings, "../ab", "16530287484", "x", use_keyring=False)


def test_edit_and_remove(settings):
    add_account(settings, "ege-metal", "52184630740", "one", use_keyring=False)
    edit_account(settings, "ege-metal", password="two", code="mock", use_keyring=False)
    assert SecretStore(settings.state_dir).get("ege-metal") == "two"
    assert str(load_accounts(settings.accounts_file)[1].code) == "mock"
    remove_account(settings, "ege-metal")
    assert [a.name for a in load_accounts(settings.accounts_file)] == ["demo-firma"]
    assert SecretStore(settings.state_dir).get("ege-metal") is None
    assert "# the demo account" in settings.accounts_file.read_text(encoding="utf-8")


def test_session_states(settings):
    sessions = settings.sessions_dir()
    assert [s.session for s in account_states(settings)] == ["none"]
    (sessions / "demo-firma.json").write_text("{}")
    state = account_states(settings)[0]
    assert state.session == "valid" and state.tc_masked == "384*****510"
    record = RunRecord(id="r1", flow="approve", accounts=["demo-firma"], login_needed=["demo-firma"],
                       outcome="attention", started_at=utcnow() + timedelta(seconds=5),
                       ended_at=utcnow() + timedelta(seconds=6))
    RunHistory(settings.private_state_dir()).save(record)
    assert account_states(settings)[0].session == "expired"
    (sessions / "demo-firma.blocked.json").write_text(json.dumps({"reason": "İki aşamalı doğrulama kapalı"}))
    state = account_states(settings)[0]
    assert state.session == "blocked" and "İki aşamalı" in state.detail


def _approve_run(settings, run_id, contracts, dry_run=False, minutes=0):
    folder = settings.out_dir / "runs" / run_id
    folder.mkdir(parents=True)
    (folder / "contracts.json").write_text(json.dumps({"run_id": run_id, "dry_run": dry_run, "contracts": contracts}))
    RunHistory(settings.private_state_dir()).save(RunRecord(
        id=run_id, flow="approve", outcome="attention", out_dir=str(settings.out_dir),
        started_at=utcnow() + timedelta(minutes=minutes), ended_at=utcnow() + timedelta(minutes=minutes)))


def _contract(no, outcome):
    return {"contract_no": no, "sicil": "1" * 26, "account": "demo-firma", "outcome": outcome,
            "professional": "E*** Ç***", "reasons": [{"tr": "Belge sınıfı uygun değil", "en": "certificate class"}]}


def test_a_contract_is_held_while_the_newest_real_run_that_saw_it_held_it(settings):
    _approve_run(settings, "20260101-000000-aaaa", [_contract("101", "held"), _contract("102", "held")])
    _approve_run(settings, "20260101-000100-bbbb", [_contract("102", "done")], minutes=1)
    _approve_run(settings, "20260101-000200-cccc", [_contract("101", "would_do")], dry_run=True, minutes=2)
    found = held(settings)
    assert [(c.contract_no, c.run_id) for c in found] == [("101", "20260101-000000-aaaa")]
    assert "Belge sınıfı" in found[0].reason


def test_import_from_xlsx_adds_the_good_rows_and_says_why_the_others_were_refused(settings, tmp_path):
    from openpyxl import Workbook

    from rpa.app.account_edit import import_accounts

    book = Workbook()
    book.active.append(["Ad", "TC Kimlik No", "Şifre", "Kod"])
    book.active.append(["ege-metal", 52184630740, "Gizli.1", "prompt"])
    book.active.append(["bozuk", "52184630741", "x", ""])
    book.active.append([None, None, None, None])
    book.save(tmp_path / "hesaplar.xlsx")
    added, problems = import_accounts(settings, tmp_path / "hesaplar.xlsx", use_keyring=False)
    assert added == ["ege-metal"]
    assert len(problems) == 1 and problems[0].startswith("satır / row 3") and "kontrol haneleri" in problems[0]
    assert SecretStore(settings.state_dir).get("ege-metal") == "Gizli.1"
    assert "Gizli" not in settings.accounts_file.read_text(encoding="utf-8")


def test_with_workers_set_up_the_consoles_runs_go_to_them(settings, monkeypatch):
    """As the scheduler's: a broker is configured and its dispatcher installed, so runs are distributed."""
    import threading
    from types import SimpleNamespace

    from rpa.app import distributed, runs
    from rpa.app.requests import AuditRun, SelfcheckRun
    from rpa.console.work import RunJobs

    seen, both = [], threading.Event()

    def start(_settings, request, progress, **_):  # noqa: ANN001, ANN003, ANN202
        progress.started(f"run-{request.flow}", [])
        seen.append(request)
        if len(seen) == 2:
            both.set()
        return SimpleNamespace(record=None)

    monkeypatch.setattr(runs, "start", start)
    monkeypatch.setattr(distributed, "_dispatcher", object())
    jobs = RunJobs(settings)
    for request in (AuditRun(trigger="console"), SelfcheckRun(trigger="console")):
        jobs.start(request)
    assert both.wait(10)
    assert {(r.flow, r.distributed) for r in seen} == {("audit", True), ("selfcheck", False)}  # a check stays here
