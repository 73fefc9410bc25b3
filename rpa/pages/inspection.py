"""Looking at a screen the way a person reads it: which of the robot's words it shows, and what it shows
instead (for `katip selfcheck`). Read-only: the only clicks are on menu entries, which open submenus.

The screen's texts are the accessible names of its elements (Playwright's ARIA snapshot: buttons, links,
headings, labelled fields, column headers, landmarks) and its visible text lines; a word is there when
one of them is that word (whitespace aside), or a line is that word followed by ":" and a value
("Aktif Çalışan Sayısı: 12"). Candidates for a missing word are the screen's texts closest to it.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

from rpa.domain.text import tr_fold
from rpa.pages.base import BasePage

_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_TEXT_NODE = re.compile(r"^\s*-\s+[\w-]+(?:\s+\[[^\]]*\])*:\s+(.+)$")
_SPACE = re.compile(r"\s+")
CANDIDATE_CUTOFF = 0.55  # below this a text is too unlike the word to be offered as its new spelling
CONFIDENT = 0.75  # a candidate this close may be used to walk on to the next screen


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, tr_fold(a), tr_fold(b)).ratio()


class ScreenInspection(BasePage):
    """Whatever screen the page shows now, read for the robot's words."""

    NAME = "screen"

    def texts(self) -> list[str]:
        """The screen's accessible names and visible text lines, each once, in page order."""
        self.page.wait_for_load_state("domcontentloaded", timeout=self.policy.timeout_ms)
        found: list[str] = []
        try:
            snapshot = self.page.locator("body").aria_snapshot(timeout=self.policy.timeout_ms)
        except PlaywrightError:
            snapshot = ""
        for line in snapshot.splitlines():
            found += [_clean(name.replace('\\"', '"')) for name in _QUOTED.findall(line)]
            node = _TEXT_NODE.match(line)
            if node and not node.group(1).startswith("/"):
                found.append(_clean(node.group(1)))
        found += [_clean(line) for line in self.visible_text().splitlines()]
        return list(dict.fromkeys(text for text in found if text))

    @staticmethod
    def shows(word: str, texts: list[str]) -> bool:
        """Whether `texts` hold `word` itself, or as a label before a value."""
        word = _clean(word)
        return any(text == word or text.startswith(word + ":") for text in texts)

    @staticmethod
    def candidates(word: str, texts: list[str], n: int = 3) -> list[str]:
        """The screen's texts most like `word`, best first (labels compared without their values)."""
        pool = {text.split(":")[0].strip() if ":" in text else text for text in texts if len(text) <= 120}
        scored = sorted(((_similarity(word, text), text) for text in pool if text != word), reverse=True)
        return [text for score, text in scored[:n] if score >= CANDIDATE_CUTOFF]

    @staticmethod
    def confident(word: str, candidate: str) -> bool:
        """Whether `candidate` is close enough to `word` to walk on with it."""
        return _similarity(word, candidate) >= CONFIDENT

    def expand_menu(self, path: tuple[str, ...], texts: list[str]) -> list[str]:
        """Open a menu path's levels (never its last item) while their words show; the texts seen after."""
        menu = self.page.get_by_role("navigation", name=self.t.MAIN_MENU)
        for name, following in zip(path, path[1:], strict=False):
            if self.shows(following, texts):
                continue  # open already: a click would close it
            if not self.shows(name, texts):
                break
            item = self._visible(menu.get_by_role("button", name=name, exact=True)
                                 .or_(menu.get_by_role("link", name=name, exact=True))
                                 .or_(menu.get_by_text(name, exact=True)))
            if item.count():
                self._settled(f"open the menu {name}")  # its script must be there to open the submenu
                with self._step(f"open the menu {name}"):
                    item.first.click()
            texts = self.texts()
        return texts

    def url(self) -> str:
        """Where the screen is."""
        return self.page.url

    def save_screenshot(self, path: Path) -> Path | None:
        """A picture of the screen for the person who reads the selfcheck (None if the page is gone)."""
        try:
            self.page.screenshot(path=str(path), full_page=True)
            return path
        except PlaywrightError:
            return None
