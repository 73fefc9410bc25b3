"""Renamed words: the ministry changes a button or link text overnight; the mock can do the same.

`RENAMED_TEXTS` in the app config (or `katip portal --rename OLD=NEW`, or `POST /_dev/texts`) maps a
text the portal shows to the one it shows instead. Every HTML page is rewritten on its way out, so
the whole portal (labels, buttons, links, headings, messages) speaks the new words at once, while the
forms keep posting the same fields: exactly what a real portal change looks like to the robot.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from flask import Flask
from werkzeug.wrappers import Response


class Renames:
    """The current old → new texts; changed at run time by `/_dev/texts`, read on every response."""

    def __init__(self, texts: Mapping[str, str] | None = None) -> None:
        self._lock = threading.Lock()
        self._texts: dict[str, str] = {}
        self.replace(texts or {})

    def replace(self, texts: Mapping[str, str]) -> None:
        clean = {}
        for old, new in texts.items():
            if not isinstance(old, str) or not isinstance(new, str) or not old.strip() or not new.strip():
                raise ValueError("every text and its new wording must be non-empty strings")
            clean[old] = new
        with self._lock:
            self._texts = clean

    def as_dict(self) -> dict[str, str]:
        with self._lock:
            return dict(self._texts)

    def apply(self, html: str) -> str:
        # Longest first: a text inside a longer one ("Detay" in "Detay Görüntüle") must not break it.
        for old, new in sorted(self.as_dict().items(), key=lambda item: -len(item[0])):
            html = html.replace(old, new)
        return html


def install(app: Flask) -> None:
    app.config["RENAMES"] = Renames(app.config.get("RENAMED_TEXTS"))

    @app.after_request
    def rename(response: Response) -> Response:
        renames: Renames = app.config["RENAMES"]
        if response.mimetype != "text/html" or response.direct_passthrough or not renames.as_dict():
            return response
        response.set_data(renames.apply(response.get_data(as_text=True)))
        return response
