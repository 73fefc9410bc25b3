"""The project stands alone: no code or configuration reaches for the shared working notes.

Users clone this repository by itself, so nothing may read files next to it at run or test time.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Built from parts so that this file does not match its own search.
FORBIDDEN = ["shared" + "/docs", "shared" + "/seeds", "/work/" + "shared", "../" + "shared"]
CODE_SUFFIXES = {".py", ".sh", ".toml", ".cfg", ".ini", ".yaml", ".yml", ".json", ".html", ".js", ".txt"}
CODE_NAMES = {"Makefile", "run"}
SKIPPED_DIRS = {
    ".git",
    ".venv",
    "venv",
    "__pycache__",
    "node_modules",
    ".pytest_cache",
    ".ruff_cache",
    "test-results",
    "out",
    "state",
    "build",
    "dist",
}


def project_files() -> list[Path]:
    """Code and configuration of the project (not the virtualenv, caches or run output)."""
    found = []
    for folder, subfolders, names in os.walk(ROOT):
        # Prune in place so that the walk never enters the virtualenv or caches.
        subfolders[:] = [d for d in subfolders if d not in SKIPPED_DIRS and not d.endswith(".egg-info")]
        for name in names:
            path = Path(folder, name)
            if path.suffix in CODE_SUFFIXES or name in CODE_NAMES:
                found.append(path)
    return found


def test_the_scan_sees_the_projects_code():
    names = {p.relative_to(ROOT).as_posix() for p in project_files()}
    assert {
        "pyproject.toml",
        "mock_portal/__init__.py",
        "rpa/cli/__init__.py",
        "Makefile",
        ".ci/run",
    } <= names


def test_no_project_file_refers_to_the_shared_notes():
    offenders = []
    for path in project_files():
        content = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{path.relative_to(ROOT)}: {needle}" for needle in FORBIDDEN if needle in content]
    assert offenders == []
