"""A clerk's morning in the console, in a real Chromium against the mock portal: add two accounts, log one
in with the code from the SMS, preview and run the approvals, approve one held contract after the
confirmation, see the runs (and an earlier CLI run) in the history, download a PDF."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import Page, expect

from mock_portal.seed import DEMO_PASSWORD, DEMO_TC
from tests.console.conftest import console_settings

pytestmark = pytest.mark.browser
OTHER_TC = "52184630740"
SLOW = 60_000  # starting a run or a login on a loaded 2-core machine


@pytest.fixture
def console_url(live_portal, tmp_path):  # noqa: ANN201
    from rpa.console.server import start_in_thread

    served = start_in_thread(console_settings(tmp_path, live_portal.url), use_keyring=False)
    try:
        yield served.url
    finally:
        served.stop()


def cli_dry_run(tmp_path, portal_url: str) -> None:
    """An approve dry run from the command line, sharing the console's state dir (the saved session)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KATIP_")}
    env.update(KATIP_OUT_DIR=str(tmp_path / "out"), KATIP_STATE_DIR=str(tmp_path / "state"),
               KATIP_ACCOUNTS=str(tmp_path / "accounts.yaml"), KATIP_PORTAL_URL=portal_url, KATIP_TIMEOUT_MS="10000")
    done = subprocess.run([sys.executable, "-m", "rpa", "approve", "--dry-run", "--account", "demo-firma", "--json"],
                          capture_output=True, text=True, env=env, timeout=240, cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # 1: some contracts would be held


def add_account(page: Page, name: str, tc: str, password: str) -> None:
    page.get_by_label("Hesap adı").fill(name)
    page.get_by_label("T.C. Kimlik No", exact=True).fill(tc)
    page.get_by_label("e-Devlet şifresi").fill(password)
    page.get_by_label("Doğrulama kodu").select_option("prompt")
    page.get_by_role("button", name="Ekle").click()


def menu(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Ana menü").get_by_role("link", name=name).click()


def wait_until_finished(page: Page) -> None:
    expect(page.get_by_role("status")).to_contain_text("Bitti", timeout=120_000)


@pytest.mark.slow(minutes=3)
def test_a_clerks_morning_in_the_console(page: Page, console_url, live_portal, tmp_path):
    page.goto(console_url + "/hesaplar")
    expect(page.get_by_role("heading", name="Hesaplar / Accounts")).to_be_visible()

    add_account(page, "ege-dökümcü", OTHER_TC[:-1] + "1", "Baska.Sifre1")  # a wrong check digit
    expect(page.get_by_role("alert")).to_contain_text("geçersiz")
    add_account(page, "ege-dökümcü", OTHER_TC, "Baska.Sifre1")
    add_account(page, "demo-firma", DEMO_TC, DEMO_PASSWORD)
    accounts = page.get_by_role("table", name="e-Devlet kullanıcıları")
    expect(accounts.get_by_role("rowheader", name="ege-dökümcü")).to_be_visible()
    demo = accounts.get_by_role("row").filter(has=page.get_by_role("rowheader", name="demo-firma"))
    expect(demo).to_contain_text("384*****510")
    expect(demo).not_to_contain_text(DEMO_TC)
    expect(demo).to_contain_text("yok / none")
    assert DEMO_PASSWORD not in (tmp_path / "accounts.yaml").read_text(encoding="utf-8")

    demo.get_by_role("button", name="göster").click()
    expect(demo).to_contain_text(DEMO_TC)
    page.reload()
    expect(demo).not_to_contain_text(DEMO_TC)

    demo.get_by_role("button", name="Giriş yap").click()
    expect(page.get_by_role("heading", name="Giriş / Log in: demo-firma")).to_be_visible(timeout=SLOW)
    code_box = page.get_by_label("Doğrulama Kodu")
    expect(code_box).to_be_visible(timeout=60_000)
    code_box.fill(live_portal.dev(f"sms?tc={DEMO_TC}")["code"])
    page.get_by_role("button", name="Kodu gönder").click()
    expect(page.get_by_role("status")).to_contain_text("Giriş tamam", timeout=60_000)
    menu(page, "Hesaplar")
    expect(demo).to_contain_text("geçerli / valid", timeout=SLOW)

    cli_dry_run(tmp_path, live_portal.url)

    menu(page, "Çalıştır")
    page.get_by_role("radio", name="Sözleşme onayı").check()
    page.get_by_role("checkbox", name="demo-firma").check()
    page.get_by_role("button", name="Önizle").click()
    expect(page.get_by_role("heading", name=re.compile("önizleme"))).to_be_visible(timeout=SLOW)
    wait_until_finished(page)
    contracts = page.get_by_role("table", name="Sözleşmeler")
    expect(contracts.get_by_role("row").filter(has_text="onaylanacak / would approve").first).to_be_visible()
    expect(contracts.get_by_role("row").filter(has_text="bekletilecek / would hold").first).to_be_visible()

    page.get_by_role("button", name="Şimdi onayla").click()
    expect(page.get_by_role("heading", name=re.compile("önizleme"))).to_have_count(0, timeout=SLOW)
    wait_until_finished(page)
    expect(page.get_by_role("table", name="Sözleşmeler").get_by_role("row")
           .filter(has_text="onaylandı / approved").first).to_be_visible()

    menu(page, "Bekletilenler")
    held = page.get_by_role("table", name="Bekletilenler")
    first = held.get_by_role("row").nth(1)
    number = first.get_by_role("rowheader").inner_text().strip()
    first.get_by_role("link", name="Yine de onayla").click()
    expect(page.get_by_role("alert")).to_contain_text("Onay geri alınamaz", timeout=SLOW)
    page.get_by_role("button", name="Evet, onayla").click()
    expect(page.get_by_role("heading", name="Onay / approve", exact=True)).to_be_visible(timeout=SLOW)
    wait_until_finished(page)
    forced = page.get_by_role("table", name="Sözleşmeler").get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=number))
    expect(forced).to_contain_text("onaylandı / approved")
    expect(forced).to_contain_text("yine de / forced")
    menu(page, "Bekletilenler")
    expect(page.get_by_role("rowheader", name=number)).to_have_count(0)

    menu(page, "Geçmiş")
    runs = page.get_by_role("table", name=re.compile("Her çalıştırma"))
    expect(runs.get_by_role("row").filter(has_text="konsol / console")).to_have_count(3)
    expect(runs.get_by_role("row").filter(has_text="komut satırı / CLI")).to_have_count(1)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"sozlesme-{number}.pdf").click()
    assert download.value.suggested_filename == f"sozlesme-{number}.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF")

    menu(page, "Bugün")
    expect(page.get_by_role("heading", name="Bugün / Today")).to_be_visible()
    needing = page.get_by_role("region", name=re.compile("Kişi gereken hesaplar"))
    expect(needing).to_contain_text("ege-dökümcü")
    expect(needing).not_to_contain_text("demo-firma")
