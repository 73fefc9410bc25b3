"""`katip demo --console` leaves the mock and the console running on the demo's runs for a new user."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

import pytest


@pytest.mark.slow(minutes=3)
@pytest.mark.browser
def test_the_demo_leaves_the_console_open_on_its_runs_and_held_contracts(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KATIP_")}
    env.update(KATIP_STATE_DIR=str(tmp_path / "state"), PYTHONUNBUFFERED="1", COLUMNS="200")
    demo = subprocess.Popen([sys.executable, "-m", "rpa", "demo", "--console", "--out-dir", str(tmp_path / "out")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=tmp_path)
    try:
        url, seen, deadline = None, [], time.monotonic() + 400
        assert demo.stdout is not None
        while url is None and time.monotonic() < deadline:
            line = demo.stdout.readline()
            if not line:
                break
            seen.append(line)
            found = re.search(r"Konsol / console: (http://127\.0\.0\.1:\d+)", line)
            url = found.group(1) if found else None
        assert url, "".join(seen[-30:])
        with urllib.request.urlopen(f"{url}/api/runs", timeout=30) as answer:
            runs = json.loads(answer.read())
        assert sorted(r["flow"] for r in runs) == ["approve", "contact", "refresh", "roster_sync"]
        with urllib.request.urlopen(f"{url}/api/held", timeout=30) as answer:
            assert len(json.loads(answer.read())) == 3
        with urllib.request.urlopen(f"{url}/api/accounts", timeout=30) as answer:
            assert [(a["name"], a["session"]) for a in json.loads(answer.read())] == [("demo-firma", "valid")]
        with urllib.request.urlopen(f"{url}/bekletilenler", timeout=30) as answer:
            assert "Yine de onayla" in answer.read().decode()
    finally:
        demo.send_signal(signal.SIGINT)
        try:
            demo.wait(timeout=30)
        except subprocess.TimeoutExpired:
            demo.kill()
            demo.wait()
