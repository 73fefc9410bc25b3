"""Screenshots of the console's main pages for the README: `.venv/bin/python scripts/console_screenshots.py`.

Runs `katip demo --console` (the mock portal and the robot's day), then photographs Bugün, Hesaplar, a run,
Bekletilenler and Geçmiş in a headless Chromium into docs/console/.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from rpa.browser import find_chromium

OUT = Path(__file__).resolve().parents[1] / "docs" / "console"


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="katip-shots-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("KATIP_")}
    env.update(KATIP_STATE_DIR=str(work / "state"), PYTHONUNBUFFERED="1", COLUMNS="200")
    demo = subprocess.Popen([sys.executable, "-m", "rpa", "demo", "--console", "--out-dir", str(work / "out")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=work)
    try:
        url = None
        assert demo.stdout is not None
        for line in demo.stdout:
            found = re.search(r"Konsol / console: (http://127\.0\.0\.1:\d+)", line)
            if found:
                url = found.group(1)
                break
        if url is None:
            raise SystemExit("the demo did not start the console")
        with urllib.request.urlopen(f"{url}/api/runs", timeout=30) as answer:
            approve = next(r["id"] for r in json.loads(answer.read()) if r["flow"] == "approve")
        OUT.mkdir(parents=True, exist_ok=True)
        choice = find_chromium(headless=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**choice.launch_kwargs(headless=True))
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="tr-TR")
            for name, path in (("bugun", "/"), ("hesaplar", "/hesaplar"), ("calistirma", f"/calistirmalar/{approve}"),
                               ("bekletilenler", "/bekletilenler"), ("gecmis", "/gecmis")):
                answer = page.goto(url + path)
                if answer is None or not answer.ok:
                    demo.send_signal(signal.SIGINT)
                    raise SystemExit(f"{path}: {answer.status if answer else '?'}\n{demo.communicate(timeout=30)[0]}")
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
                print(OUT / f"{name}.png")
            browser.close()
    finally:
        demo.send_signal(signal.SIGINT)
        demo.wait(timeout=30)


if __name__ == "__main__":
    main()
