"""The console's locks: token, CSRF, Origin and Host, the session cookie, the password and its rate limit."""

from __future__ import annotations

import os
import re
import stat

from typer.testing import CliRunner

from rpa.cli import _register_commands, app
from rpa.console.security import TOKEN_NAME, api_token, set_password
from tests.console.conftest import TOKEN_HEADER, make_app


def test_reads_need_no_token_on_loopback_but_changes_do(console, settings):
    client = console.test_client()
    assert client.get("/api/accounts").get_json() == []
    refused = client.post("/api/runs", json={"flow": "approve", "dry_run": True})
    assert refused.status_code == 403 and "X-Katip-Token" in refused.get_json()["error"]
    assert client.post("/api/held/2025000123/approve", json={"confirm": True}).status_code == 403
    token = {TOKEN_HEADER: api_token(settings.state_dir)}
    no_accounts = client.post("/api/runs", json={"flow": "approve", "dry_run": True}, headers=token)
    assert no_accounts.status_code == 400  # past the lock: no accounts.yaml yet
    assert client.post("/api/runs", json={"flow": "audit"}, headers=token).status_code == 400
    assert client.post("/api/held/2025000123/approve", json={"confirm": True}, headers=token).status_code == 409
    assert client.post("/api/held/2025000123/approve", json={}, headers=token).status_code == 400


def test_a_foreign_origin_or_host_is_refused_even_with_the_token(console, settings):
    client = console.test_client()
    token = {TOKEN_HEADER: api_token(settings.state_dir)}
    assert client.get("/api/runs", headers={"Origin": "http://evil.example"}).status_code == 403
    assert client.post("/api/runs", json={}, headers={**token, "Origin": "http://evil.example"}).status_code == 403
    assert client.get("/api/runs", headers={"Host": "evil.example"}).status_code == 403
    assert client.get("/api/runs", headers={"Origin": "http://localhost"}).status_code == 200


def test_forms_carry_a_csrf_token_and_the_session_cookie_is_httponly_and_strict(console):
    client = console.test_client()
    page = client.get("/hesaplar")
    assert page.status_code == 200
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    html = page.get_data(as_text=True)
    forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", html, re.S)
    assert forms and all('name="csrf_token"' in form for form in forms)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    without = client.post("/hesaplar", data={"name": "ege", "tc": "52184630740", "code": "prompt"})
    assert without.status_code == 403
    added = client.post("/hesaplar", data={"name": "ege", "tc": "52184630740", "code": "prompt", "password": "Gizli.1",
                                           "csrf_token": csrf})
    assert added.status_code == 302
    assert [a["name"] for a in client.get("/api/accounts").get_json()] == ["ege"]


def test_with_a_console_password_everything_needs_a_login_or_the_token(settings):
    set_password(settings.private_state_dir(), "uzun-bir-sifre")
    client = make_app(settings).test_client()
    assert client.get("/api/accounts").status_code == 403
    assert client.get("/api/accounts", headers={TOKEN_HEADER: api_token(settings.state_dir)}).status_code == 200
    assert client.get("/hesaplar").status_code == 302
    page = client.get("/giris-yap").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/giris-yap", data={"password": "yanlis", "csrf_token": csrf}).status_code == 401
    assert client.post("/giris-yap", data={"password": "uzun-bir-sifre", "csrf_token": csrf}).status_code == 302
    assert client.get("/api/accounts").status_code == 200


def test_login_attempts_are_rate_limited(settings):
    set_password(settings.private_state_dir(), "uzun-bir-sifre")
    client = make_app(settings).test_client()
    page = client.get("/giris-yap").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    codes = [client.post("/giris-yap", data={"password": "yanlis", "csrf_token": csrf}).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]
    assert client.post("/giris-yap", data={"password": "uzun-bir-sifre", "csrf_token": csrf}).status_code == 429


def test_cli_token_and_host_rule(tmp_path, monkeypatch):
    monkeypatch.setenv("KATIP_STATE_DIR", str(tmp_path / "state"))
    _register_commands()
    runner = CliRunner()
    printed = runner.invoke(app, ["console", "token"])
    assert printed.exit_code == 0
    token_file = tmp_path / "state" / TOKEN_NAME
    assert printed.output.strip() == token_file.read_text().strip()
    assert stat.S_IMODE(os.stat(token_file).st_mode) == 0o600
    refused = runner.invoke(app, ["console", "--host", "0.0.0.0"])
    assert refused.exit_code == 2 and "set-password" in refused.output
    assert runner.invoke(app, ["console", "set-password", "--password", "uzun-bir-sifre"]).exit_code == 0
    hashed = tmp_path / "state" / "console-password"
    assert "uzun-bir-sifre" not in hashed.read_text() and stat.S_IMODE(os.stat(hashed).st_mode) == 0o600


def test_every_page_opens_on_an_empty_state_dir(console):
    client = console.test_client()
    for path in ("/", "/hesaplar", "/calistir", "/bekletilenler", "/gecmis"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        html = answer.get_data(as_text=True)
        assert '<html lang="tr">' in html and "<h1>" in html and 'aria-label="Ana menü / Main menu"' in html
    assert client.get("/belgeler/123/sozlesme-1.pdf").status_code == 404
    assert client.get("/calistirmalar/nope").status_code == 404


def test_the_schedules_page_lists_the_jobs_with_their_next_runs(settings):
    from pathlib import Path

    repo_schedule = Path(__file__).resolve().parents[2] / "schedules.yaml"
    client = make_app(settings, KATIP_SCHEDULE_FILE=str(repo_schedule)).test_client()
    html = client.get("/zamanlama").get_data(as_text=True)
    assert "morning-approvals" in html and "Şimdi çalıştır" in html
    assert "Sıradaki zamanlanmış işler" in client.get("/").get_data(as_text=True)
    missing = make_app(settings, KATIP_SCHEDULE_FILE=str(settings.state_dir / "nope.yaml")).test_client()
    assert "yok / not found" in missing.get("/zamanlama").get_data(as_text=True)
    import re as regex

    page = client.get("/zamanlama").get_data(as_text=True)
    csrf = regex.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    refused = client.post("/zamanlama/morning-approvals/simdi", data={"csrf_token": csrf})
    assert refused.status_code == 400 and "accounts" in refused.get_data(as_text=True).lower()
    assert client.post("/zamanlama/nope/simdi", data={"csrf_token": csrf}).status_code == 404


def test_roster_exceptions_per_workplace_with_names_masked_until_shown(settings):
    from openpyxl import Workbook

    from rpa.history import RunHistory, RunRecord

    folder = settings.out_dir / "runs" / "20260101-020000-abcd"
    folder.mkdir(parents=True)
    book = Workbook()
    sheet = book.active
    sheet.title = "İstisnalar (Exceptions)"
    sheet.append(["SGK Sicil No", "TC Kimlik No", "Ad Soyad / sözleşme", "Tür / kind", "Neden (TR)", "Reason (EN)",
                  "Personel listesi / roster", "SGK 4A listesi / portal"])
    sheet.append(["1" * 26, "899*****894", "Ayşe Yıldırım", "İşe giriş bildirilmemiş / hire not filed",
                  "SGK kaydı bulunamadı", "no SGK record", "Aktif", "—"])
    book.save(folder / "roster-sync.xlsx")
    RunHistory(settings.private_state_dir()).save(RunRecord(
        id="20260101-020000-abcd", flow="roster_sync", outcome="attention", out_dir=str(settings.out_dir),
        report_path=str(folder / "roster-sync.xlsx")))
    client = make_app(settings).test_client()
    html = client.get("/istisnalar").get_data(as_text=True)
    assert "A*** Y***" in html and "Ayşe Yıldırım" not in html and "SGK kaydı bulunamadı" in html
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert client.post("/istisnalar/goster", data={"csrf_token": csrf}).status_code == 302
    assert "Ayşe Yıldırım" in client.get("/istisnalar").get_data(as_text=True)
    assert "Ayşe Yıldırım" not in client.get("/istisnalar").get_data(as_text=True)
    download = client.get("/calistirmalar/20260101-020000-abcd/rapor")
    assert download.status_code == 200 and download.data[:2] == b"PK"


def test_importing_accounts_from_an_uploaded_xlsx(console, settings, tmp_path):
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Ad", "TC Kimlik No", "Şifre"])
    book.active.append(["ege-metal", "52184630740", "Gizli.1"])
    data = io.BytesIO()
    book.save(data)
    client = console.test_client()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/hesaplar").get_data(as_text=True)).group(1)
    answer = client.post("/hesaplar/ice-aktar", data={"csrf_token": csrf,
                                                      "workbook": (io.BytesIO(data.getvalue()), "hesaplar.xlsx")},
                         content_type="multipart/form-data")
    assert answer.status_code == 200 and "1 hesap eklendi" in answer.get_data(as_text=True)
    assert [a["name"] for a in client.get("/api/accounts").get_json()] == ["ege-metal"]
    assert list((settings.state_dir / "uploads").rglob("*.xlsx")) == []
    modes = {p: stat.S_IMODE(p.stat().st_mode) for p in settings.state_dir.rglob("*")}
    assert {p: m for p, m in modes.items() if m != (0o700 if p.is_dir() else 0o600)} == {}


def test_the_blank_contact_template_is_read_back_as_contact_rows(console, tmp_path):
    from rpa.contact_input import read_contact_file

    answer = console.test_client().get("/calistir/iletisim-sablonu.xlsx")
    assert answer.status_code == 200
    from openpyxl import load_workbook

    path = tmp_path / "iletisim.xlsx"
    path.write_bytes(answer.data)
    book = load_workbook(path)
    book.active.append(["11320010112345670341542000", "05321234567", "info@example.com", "Cad. 1", "izmir",
                        "Bornova", "EVET"])
    book.save(path)
    (row,) = read_contact_file(path).rows
    assert row.phone == "05321234567" and row.il == "İzmir" and row.auto_update is True


def test_every_page_opens_with_runs_in_the_history(console, settings):
    from rpa.history import RunHistory, RunRecord

    RunHistory(settings.private_state_dir()).save(RunRecord(
        id="20260101-073000-abcd", flow="approve", outcome="attention", counts={"approved": 2, "held": 1},
        out_dir=str(settings.out_dir)))
    client = console.test_client()
    for path in ("/", "/hesaplar", "/calistir", "/bekletilenler", "/gecmis", "/istisnalar", "/zamanlama",
                 "/calistirmalar/20260101-073000-abcd"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        title = re.search(r"<title>(.*?)</title>", answer.get_data(as_text=True), re.S).group(1)
        assert "<" not in title and title.endswith("— katip"), (path, title)
    assert "bitti, bakılacaklar var" in client.get("/").get_data(as_text=True)


def test_pausing_a_job_is_kept_and_the_scheduler_skips_it(settings):
    from pathlib import Path

    from rpa.scheduling.paused import paused_jobs
    from rpa.scheduling.scheduler import SchedulerService
    from tests.scheduling.conftest import AppRun, schedule_of

    repo_schedule = Path(__file__).resolve().parents[2] / "schedules.yaml"
    client = make_app(settings, KATIP_SCHEDULE_FILE=str(repo_schedule)).test_client()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/zamanlama").get_data(as_text=True)).group(1)
    assert client.post("/zamanlama/morning-approvals/duraklat", data={"csrf_token": csrf}).status_code == 302
    assert paused_jobs(settings.state_dir) == {"morning-approvals"}
    page = make_app(settings, KATIP_SCHEDULE_FILE=str(repo_schedule)).test_client().get("/zamanlama")
    assert "Sürdür: morning-approvals" in page.get_data(as_text=True)
    assert client.post("/zamanlama/nope/duraklat", data={"csrf_token": csrf}).status_code == 404

    ran = AppRun({"approved": 1})
    service = SchedulerService(schedule_of({"id": "morning-approvals", "flow": "approve_contracts",
                                            "cron": "30 7 * * 1-5"}), settings, start=ran)
    assert service.execute("morning-approvals") is None
    assert client.post("/zamanlama/morning-approvals/surdur", data={"csrf_token": csrf}).status_code == 302
    assert paused_jobs(settings.state_dir) == set()
    assert service.execute("morning-approvals").outcome == "ok"


def test_the_console_reaches_the_robot_only_through_the_app_layer():
    import ast
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "rpa" / "console"
    below = ("rpa.flows", "rpa.pages", "rpa.session", "rpa.parallel", "playwright")
    found = []
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            found += [f"{path.name}: {name}" for name in names if name.startswith(below)]
    assert found == []


def test_katip_console_prints_its_url_serves_and_stops_on_sigterm(tmp_path):
    import signal
    import subprocess
    import sys
    import urllib.request

    env = {k: v for k, v in os.environ.items() if not k.startswith("KATIP_")}
    env.update(KATIP_STATE_DIR=str(tmp_path / "state"), PYTHONUNBUFFERED="1")
    served = subprocess.Popen([sys.executable, "-m", "rpa", "console", "--port", "0"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, env=env, cwd=tmp_path)
    try:
        assert served.stdout is not None
        line = served.stdout.readline()
        url = re.search(r"Konsol / console: (http://127\.0\.0\.1:\d+)", line).group(1)
        with urllib.request.urlopen(f"{url}/api/accounts", timeout=30) as answer:
            assert answer.read() == b"[]\n"
        served.send_signal(signal.SIGTERM)
        out, _ = served.communicate(timeout=30)
        assert served.returncode == 0 and "console stopped" in out
    finally:
        if served.poll() is None:
            served.kill()


def test_today_shows_each_run_in_progress_with_its_accounts_progress(console, settings):
    from rpa.app.requests import ApproveRun
    from rpa.console.work import ConsoleRun
    from rpa.history import RunHistory, RunRecord

    RunHistory(settings.private_state_dir()).save(RunRecord(id="20260101-073000-live", flow="approve",
                                                            accounts=["demo-firma"], out_dir=str(settings.out_dir)))
    job = ConsoleRun(request=ApproveRun())
    job.progress.started("20260101-073000-live", ["demo-firma"])
    job.progress.workplace("demo-firma", 1, 3, "Anadolu Tekstil")
    console.extensions["katip_runs"]._runs[job.id] = job
    html = console.test_client().get("/").get_data(as_text=True)
    assert "20260101-073000-live" in html and "1/3" in html and "Anadolu Tekstil" in html
