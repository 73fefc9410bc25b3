"""After a fault page: Back, and a reload only when Back showed a copy from the browser's cache.

A small HTTP server of our own serves one screen and a link that answers "Sistem hatası", once with
pages the browser may keep (Cache-Control: max-age) and once with pages it may not (no-store).
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest

from rpa.pages.base import BasePage, PagePolicy

FAULT = "<h1>Sistem hatası. Lütfen daha sonra tekrar deneyiniz.</h1>"


class Screen(BasePage):
    NAME = "test screen"

    def marker(self):
        return self._heading("Sözleşme Detayı")


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            hits.append(self.path)
            faulty = self.path.startswith("/fault")
            body = FAULT if faulty else '<h1>Sözleşme Detayı</h1><a href="/fault">PDF İndir</a>'
            self.send_response(500 if faulty else 200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "max-age=600" if "cached" in self.path else "no-store")
            self.end_headers()
            self.wfile.write(f"<html><body>{body}</body></html>".encode())

        def log_message(self, *_args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()


NAVIGATION_TYPE = "() => performance.getEntriesByType('navigation')[0].type"


@pytest.mark.parametrize(("path", "last_load"), [("/cached", "reload"), ("/fresh", "back_forward")])
def test_back_after_a_fault_page_reloads_only_a_copy_from_the_cache(page, server, path, last_load):
    url, hits = server
    page.goto(url + path)
    page.get_by_role("link", name="PDF İndir").click()
    screen = Screen(page, PagePolicy(start_url=url + "/"))
    assert not screen.showing()  # the fault page

    assert screen.step_back() and screen.fresh_after_fault
    # Either way the portal was asked once more, and only once: Back for a page the browser may not
    # keep, Back from the cache and then a reload for one it may.
    assert hits == [path, "/fault", path]
    assert page.evaluate(NAVIGATION_TYPE) == last_load
