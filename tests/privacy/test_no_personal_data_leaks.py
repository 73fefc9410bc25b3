"""A whole `katip demo` with DEBUG logging and portal faults: no file it wrote holds a seeded TC number,
a seeded person's full name (employees, SGK records, İSG professionals) or the demo password (logs,
reports, journal, run history, HTML snapshots, item logs, traces unzipped, sessions, what it printed).

The demo keeps its state dir in a temporary folder it deletes at the end; every file that appears there
is hard-linked aside while the demo runs, so it can be searched afterwards. Left out on purpose: the
mock portal's own database (the portal's data, not the robot's), the browser's own temporary folders
(Playwright's tracing buffer, Chromium's profile: 0700, deleted by the browser), the accounts file the demo writes
for itself (an account's TC number is its login name: it must be there), the signed contract PDFs (the
portal's documents, downloaded because the operator wants them) and screenshots (images). Names, and
only names, may stay in two places: the roster sync's workbook, the working list a person acts on
(`rpa.sync.report_xlsx` says why), and an approval's journal entry, whose contract row the resume needs
to find the row again on the portal (its `detail`; the rest of the journal is searched).
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import zipfile
from pathlib import Path

import httpx
import pytest

from mock_portal.seed import DEMO_PASSWORD
from rpa.domain.text import tr_lower

pytestmark = [pytest.mark.browser, pytest.mark.timeout(1800)]
PORTAL_LINE = re.compile(r"Portal: (http://127\.0\.0\.1:\d+)/")
NOT_THE_ROBOTS = ("portal.sqlite", "accounts.yaml")
NAMES_ON_PURPOSE = "roster-sync.xlsx"
JOURNAL = "journal.sqlite"
ELEVEN_DIGITS = re.compile(rb"(?=(\d{11}))")  # every 11-digit window, also inside a longer number
WORD = re.compile(r"[^\W\d_]+")


def _keep_files(source: Path, keep: Path, stop: threading.Event) -> None:
    """Hard-link every file that appears under `source` into `keep` until `stop` (the demo deletes it)."""
    while not stop.wait(0.1):
        # Only the demo's own folder: Playwright's transient tracing buffer and Chromium's profile (both
        # 0700 folders of the browser, deleted by it) are the browser's working memory, not run output.
        for path in [p for d in source.glob("katip-demo-*") for p in d.rglob("*")]:
            target = keep / path.relative_to(source)
            if path.is_file() and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(path, target)
                except OSError:
                    continue  # gone between listing and linking (a temp file): the next look sees its successor


def _texts(root: Path) -> list[tuple[str, bytes]]:
    """(name, bytes) of every file under `root`, zip archives (traces, xlsx) opened entry by entry."""
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.name.startswith(NOT_THE_ROBOTS) or path.suffix in (".png", ".pdf"):
            continue
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                found += [(f"{path}!{name}", archive.read(name)) for name in archive.namelist()]
        else:
            found.append((str(path), path.read_bytes()))
    return found


def _tcs_in(data: bytes, tcs: set[str]) -> set[str]:
    """The seeded TC numbers in `data`: one pass over its 11-digit windows, not one search per number."""
    return {m.decode() for m in ELEVEN_DIGITS.findall(data)} & tcs


def _names_in(text: str, names: set[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """The seeded names in `text`, in any case and with any separator between the words ("Ayşe\nYılmaz")."""
    words = [tr_lower(w) for w in WORD.findall(text)]
    sizes = {len(n) for n in names}
    firsts = {n[0] for n in names}
    return {tuple(words[i:i + k]) for i, w in enumerate(words) if w in firsts for k in sizes} & names


def _journal_texts(root: Path) -> list[tuple[str, str]]:
    """Every value in the kept journals, but the contract rows of approvals (the resume's key to the row)."""
    found = []
    for path in root.rglob(JOURNAL):
        # A copy with its write-ahead log, opened read-write: the kept links may hold a WAL that SQLite must
        # replay, which a read-only open of a file without its -shm cannot do ("readonly database").
        copy = Path(tempfile.mkdtemp(prefix="journal-")) / JOURNAL
        shutil.copyfile(path, copy)
        if path.with_name(f"{JOURNAL}-wal").exists():
            shutil.copyfile(path.with_name(f"{JOURNAL}-wal"), copy.with_name(f"{JOURNAL}-wal"))
        with sqlite3.connect(copy) as conn:
            conn.row_factory = sqlite3.Row
            tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                for row in conn.execute(f"SELECT * FROM {table}"):  # noqa: S608 - the journal's own tables
                    values = dict(row)
                    if values.get("kind") == "approve":
                        values.pop("detail")
                    found.append((f"{path}:{table}", str(values)))
    return found


def _calm_down_after_evidence(url: str, out: Path, stop: threading.Event) -> None:
    """Lower the error rate to 2 % once two failed items have left their log lines (the last file written)."""
    while not stop.wait(0.5):
        if len(list(out.rglob("*.log.txt"))) >= 2:
            httpx.post(f"{url}/_dev/faults", json={"error_rate": 0.02}, timeout=30)
            return


@pytest.mark.slow(minutes=5)
def test_a_whole_demo_with_faults_leaves_no_tc_number_name_or_password_in_any_file(tmp_path):
    # A short TMPDIR: Chromium's singleton socket path must stay under ~100 characters.
    temp, keep, out = Path(tempfile.mkdtemp(prefix="kd-", dir="/tmp")), tmp_path / "kept", tmp_path / "out"
    try:
        _demo_leaves_nothing(temp, keep, out)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _demo_leaves_nothing(temp: Path, keep: Path, out: Path) -> None:
    # No circuit breaker: the faults must make some items fail for good, so that evidence is written.
    env = {**os.environ, "TMPDIR": str(temp), "KATIP_LOG_LEVEL": "DEBUG", "KATIP_BREAKER_THRESHOLD": "100000"}
    demo = subprocess.Popen([sys.executable, "-m", "rpa", "demo", "--out-dir", str(out)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    stop = threading.Event()
    keeper = threading.Thread(target=_keep_files, args=(temp, keep, stop), daemon=True)
    keeper.start()
    tcs: set[str] = set()
    names: set[tuple[str, ...]] = set()
    output = []
    assert demo.stdout is not None
    for line in demo.stdout:
        output.append(line)
        found = PORTAL_LINE.search(line)
        if found and not tcs:
            url = found.group(1)
            # Faults from the start, so that failed items leave evidence (HTML, trace) to search, and
            # short idle-outs, so that logins happen inside recorded items (the password must not be traced).
            httpx.post(f"{url}/_dev/faults", json={"error_rate": 0.5, "session_ttl_s": 15, "seed": 3}, timeout=30)
            # Once some items have failed for good, fewer faults: the rest of the demo need not crawl.
            threading.Thread(target=_calm_down_after_evidence, args=(url, out, stop), daemon=True).start()
            state = httpx.get(f"{url}/_dev/state", timeout=30).json()
            tcs = {a["tc"] for a in state["accounts"]} | {e["tc"] for e in state["employees"]}
            tcs |= {p["tc"] for p in state["sgk"]} | {c["professional_tc"] for c in state["contracts"]
                                                      if c["professional_tc"]}
            people = {e["name"] for e in state["employees"]} | {p["name"] for p in state["sgk"]}
            names = {tuple(tr_lower(n).split()) for n in people | {c["professional"] for c in state["contracts"]}}
    demo.wait(timeout=60)
    stop.set()
    keeper.join()
    text = "".join(output)
    assert tcs, f"the demo never printed its portal's URL:\n{text[-2000:]}"

    files = _texts(out) + _texts(keep) + [("stdout", text.encode())]
    written = {name for name, _ in files}
    assert any(n.endswith("run.log") for n in written) and any("journal.sqlite" in n for n in written)
    assert any(n.endswith(".html") and "evidence" in n for n in written), f"no evidence to search:\n{text[-3000:]}"
    assert any(n.endswith(".log.txt") and "evidence" in n for n in written), "no failed item's log lines"
    leaks = [(name, tc) for name, data in files for tc in _tcs_in(data, tcs)]
    leaks += [(name, "password") for name, data in files if DEMO_PASSWORD.encode() in data]
    texts = [(name, data.decode("utf-8", "replace")) for name, data in files
             if NAMES_ON_PURPOSE not in name and JOURNAL not in name]
    texts += _journal_texts(keep)
    leaks += [(name, " ".join(n)) for name, text in texts for n in _names_in(text, names)]
    assert not leaks, f"{len(leaks)} leaks, e.g. {leaks[:5]}"
