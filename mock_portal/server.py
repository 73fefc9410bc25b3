"""Serving the mock portal with waitress (a real threaded WSGI server, not Flask's debug server)."""

from __future__ import annotations

import logging
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask
from waitress import create_server
from waitress.server import BaseWSGIServer

# Bursts of parallel requests (several browser contexts, benchmarks) are normal here, not worth a warning.
logging.getLogger("waitress.queue").setLevel(logging.ERROR)

# waitress's event loop wakes up this often to notice `stop()`; short so that tests shut down fast.
_LOOP_TICK_S = 0.05


def _create(app: Flask, host: str, port: int, threads: int) -> BaseWSGIServer:
    # channel_timeout: browsers keep idle connections open; free them reasonably soon.
    return create_server(app, host=host, port=port, threads=threads, ident="katip-mock", channel_timeout=30)


def serve(
    app: Flask,
    host: str = "127.0.0.1",
    port: int = 0,
    threads: int = 8,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted (Ctrl-C); blocking. `on_ready` gets the URL once the port is bound."""
    server = _create(app, host, port, threads)
    if on_ready is not None:
        on_ready(f"http://{_url_host(server.effective_host)}:{server.effective_port}")
    server.run()


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


@dataclass
class LiveServer:
    """A portal served from a background thread; `.url` to reach it, `.stop()` to shut it down."""

    server: BaseWSGIServer
    url: str
    _stopping: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _loop(self) -> None:
        from waitress import wasyncore

        socket_map = self.server._map
        while not self._stopping.is_set() and socket_map:
            wasyncore.loop(timeout=_LOOP_TICK_S, map=socket_map, use_poll=True, count=1)

    def stop(self) -> None:
        """Stop accepting, close open connections, end the worker threads."""
        from waitress import wasyncore

        if self._stopping.is_set():
            return
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.server.task_dispatcher.shutdown(timeout=5)
        wasyncore.close_all(self.server._map)


def _wait_until_answering(url: str, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # any HTTP answer (even a fault page) means the server is up
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def start_in_thread(app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = 8) -> LiveServer:
    """Serve from a daemon thread on a free port (port 0) and return once the portal answers."""
    server = _create(app, host, port, threads)
    url = f"http://{_url_host(server.effective_host)}:{server.effective_port}"
    live = LiveServer(server=server, url=url)
    live._thread = threading.Thread(target=live._loop, name="katip-mock-server", daemon=True)
    live._thread.start()
    try:
        _wait_until_answering(url + "/static/portal.css")
    except OSError:
        live.stop()
        raise
    return live
