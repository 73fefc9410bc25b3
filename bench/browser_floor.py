"""The browser floor: the robot's clicks in the same Chromium, written as lean as Playwright allows.

Same screens, same requests as `katip approve` (and as `bench.http_floor`), but no page objects: one
locator call per action, one wait per page, the page text read once. It knows the mock (it may pick a
row by its radio's value). The gap robot → browser floor is what the robot's own code costs; the gap
browser floor → HTTP floor is what a browser costs.

Run alone: .venv/bin/python -m bench.browser_floor --contracts 10
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx

from rpa.browser import find_chromium
from rpa.domain.rules import check_contract

TIMEOUT_MS = 30_000


def _field(text: str, label: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[lines.index(label) + 1]


class BrowserFloor:
    """One Chromium context logged in as one account."""

    def __init__(self, playwright: Any, base_url: str, extra_args: list[str] | None = None) -> None:
        launch = find_chromium().launch_kwargs()
        launch["args"] = [*launch.get("args", []), *(extra_args or [])]
        self.browser = playwright.chromium.launch(**launch)
        self.context = self.browser.new_context(accept_downloads=True)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.url = base_url

    def close(self) -> None:
        """Close the browser."""
        self.browser.close()

    def _heading(self, name: str) -> None:
        self.page.get_by_role("heading", name=name, exact=True).wait_for()

    def _ready(self) -> None:
        # Menu toggles and row selection are portal.js (deferred): a click right after a navigation
        # commits may land before the script runs and do nothing.
        self.page.wait_for_load_state("domcontentloaded")

    def _menu(self, *path: str) -> None:
        self._ready()
        menu = self.page.get_by_role("navigation", name="Ana Menü")
        for name in path[:-1]:
            menu.get_by_role("button", name=name, exact=True).click()
        menu.get_by_role("link", name=path[-1], exact=True).click()

    def open_contracts(self) -> None:
        """Süreç Yönetimi -> İSG Hizmet Sözleşmeleri, until its heading shows."""
        self._menu("Süreç Yönetimi", "İSG Hizmet Sözleşmeleri")
        self._heading("İSG Hizmet Sözleşmeleri")

    def log_in(self, tc: str, password: str) -> None:
        """Start page to the Kurumsal workplace list."""
        page = self.page
        page.goto(self.url + "/")
        page.get_by_role("link", name="e-Devlet Giriş").click()
        page.get_by_label("T.C. Kimlik No", exact=True).fill(tc)
        page.get_by_label("e-Devlet Şifresi", exact=True).fill(password)
        page.get_by_role("button", name="Giriş Yap").click()
        page.get_by_label("Doğrulama Kodu", exact=True).wait_for()
        code = httpx.get(self.url + "/_dev/sms", params={"tc": tc}).json()["code"]
        page.get_by_label("Doğrulama Kodu", exact=True).fill(code)
        page.get_by_role("button", name="Onayla").click()
        page.get_by_role("button", name="Kurumsal").click()
        self._heading("E-Bildirge Kullanıcısı Olduğunuz İşyerleri")

    def approve_account(self, tc: str, password: str, out_dir: Path) -> list[str]:
        """Approve every compliant waiting contract of every workplace; the approved numbers."""
        self.log_in(tc, password)
        rows = [r.split("\t") for r in self.page.get_by_role("row").all_inner_texts()[1:]]
        approved: list[str] = []
        for index, (sicil, _unvan, hazard, *_rest) in enumerate(rows):
            if index:
                self.page.get_by_role("button", name="İşyeri Değiştir").click()
            self.page.get_by_role("row").filter(has_text=sicil).get_by_role("button", name="Seç").click()
            self.page.get_by_role("button", name="İşyeri Değiştir").wait_for()
            self._menu("Kişi/Kurum Ekipman Kartı", "İşyeri Bilgileri", "İşyeri Kartı Bilgileri")
            self.page.get_by_role("tab", name="SGK 4A Çalışan Bilgileri").click()
            count = self.page.get_by_text(re.compile(r"Aktif Çalışan Sayısı: \d+")).inner_text()
            active = int(count.split(":")[1])
            self._menu("Süreç Yönetimi", "İSG Hizmet Sözleşmeleri")
            while True:
                self._heading("İSG Hizmet Sözleşmeleri")
                waiting = self.page.get_by_role("row").filter(has_text="Onay Bekliyor")
                if not waiting.count():
                    break
                approved.append(self._contract(waiting.first, hazard.strip(), active, out_dir / sicil))
        return approved

    def _contract(self, row: Any, hazard: str, active: int, out_dir: Path) -> str:
        page = self.page
        self._ready()
        row.get_by_role("cell").first.click()
        page.get_by_role("button", name="Sürece Git").click()
        self._heading("Sözleşme Onayı")
        text = page.evaluate("() => document.body.innerText")
        no = _field(text, "Sözleşme No")
        minutes = int(_field(text, "Çalışma Süresi (dk/ay)"))
        if check_contract(_field(text, "Unvan"), _field(text, "Belge Sınıfı"), minutes, hazard, active):
            raise RuntimeError(f"contract {no} is not compliant: the bench seed should hold none")
        page.get_by_role("checkbox", name="Okudum Onaylıyorum").check()
        page.get_by_role("button", name="Tamamla").click()
        page.get_by_text("Sözleşme onaylandı.").wait_for()
        self._ready()
        page.locator(f'input[name="id"][value="{no}"]').check()  # the bench may know the markup
        page.get_by_role("button", name="Detay Görüntüle").click()
        self._heading("Sözleşme Detayı")
        with page.expect_download() as download:
            page.get_by_role("button", name="PDF İndir").click()
        out_dir.mkdir(parents=True, exist_ok=True)
        download.value.save_as(out_dir / f"sozlesme-{no}.pdf")
        self._menu("Süreç Yönetimi", "İSG Hizmet Sözleşmeleri")
        return no


def approve_account(base_url: str, tc: str, password: str, out_dir: Path) -> list[str]:
    """Start Playwright and Chromium, approve everything for this account, close; the approved numbers."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        floor = BrowserFloor(playwright, base_url)
        try:
            return floor.approve_account(tc, password, out_dir)
        finally:
            floor.close()


def main() -> None:
    """Seed a portal, run the browser floor once, print the time per contract."""
    import argparse
    import tempfile
    import time

    from bench.portal import PASSWORD, bench_seed, fresh_portal
    from bench.timeline import cycle

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=10)
    args = parser.parse_args()
    data, accounts = bench_seed(1, 1, args.contracts)
    with tempfile.TemporaryDirectory() as tmp, fresh_portal(Path(tmp) / "portal", data) as portal:
        mark, started = portal.log.mark(), time.perf_counter()
        done = approve_account(portal.url, accounts[0].tc, PASSWORD, Path(tmp) / "out")
        took = time.perf_counter() - started
        print(f"approved {len(done)} in {took:.2f} s; steady cycle {cycle(portal.log.since(mark))}")


if __name__ == "__main__":
    main()
