"""Serving the console with waitress: in the foreground (`katip console`) or from a thread (demo, tests)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask
from waitress import create_server
from waitress.server import BaseWSGIServer

from rpa.console import create_app
from rpa.console.security import is_loopback_host, password_hash
from rpa.errors import ConfigError
from rpa.settings import Settings

logging.getLogger("waitress.queue").setLevel(logging.ERROR)
NOT_LOOPBACK = ("--host {host} başka makinelere açar / opens the console to other machines: first set a console "
                "password with `katip console set-password`")


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def check_host(settings: Settings, host: str) -> None:
    """A host other than loopback only with a console password (ConfigError otherwise)."""
    if not is_loopback_host(host) and not password_hash(settings.private_state_dir()):
        raise ConfigError(NOT_LOOPBACK.format(host=host))


def _server(settings: Settings, host: str, port: int, use_keyring: bool | None,
            config: dict | None) -> tuple[Flask, BaseWSGIServer, str]:
    check_host(settings, host)
    app = create_app(settings, bound_host=host, port=port or None, use_keyring=use_keyring, config=config)
    server = create_server(app, host=host, port=port, threads=8, ident="katip-console", channel_timeout=60)
    app.config["KATIP_PORT"] = int(server.effective_port)
    return app, server, f"http://{_url_host(str(server.effective_host))}:{server.effective_port}"


SHUTDOWN_WAIT_S = 300.0  # on Ctrl-C or SIGTERM, runs in progress finish the items in hand for this long


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 0, config: dict | None = None,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Serve until Ctrl-C or SIGTERM (blocking); `on_ready` gets the URL once the port is bound.

    On the way out, runs in progress are asked to stop: the items in hand finish (`katip runs resume`
    does the rest)."""
    import signal

    app, server, url = _server(settings, host, port, None, config)

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGINT, interrupt)
    if on_ready is not None:
        on_ready(url)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        stop_runs(app)


def stop_runs(app: Flask, wait_s: float = SHUTDOWN_WAIT_S) -> None:
    """Ask the console's runs in progress to stop, and wait while they finish the items in hand."""
    import time

    from rpa.console.work import RunJobs

    jobs: RunJobs = app.extensions["katip_runs"]
    active = jobs.active()
    for job in active:
        job.stop.set("konsol kapandı / the console was stopped")
    deadline = time.monotonic() + wait_s
    for job in active:
        job.finished.wait(max(0.0, deadline - time.monotonic()))


@dataclass
class LiveConsole:
    """A console served from a background thread."""

    app: Flask
    server: BaseWSGIServer
    url: str
    _stopping: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _loop(self) -> None:
        from waitress import wasyncore

        while not self._stopping.is_set() and self.server._map:
            wasyncore.loop(timeout=0.05, map=self.server._map, use_poll=True, count=1)

    def stop(self) -> None:
        """Stop serving (runs in progress finish the items in hand first)."""
        from waitress import wasyncore

        if self._stopping.is_set():
            return
        stop_runs(self.app)
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.server.task_dispatcher.shutdown(timeout=5)
        wasyncore.close_all(self.server._map)


def start_in_thread(settings: Settings, host: str = "127.0.0.1", port: int = 0, use_keyring: bool | None = None,
                    config: dict | None = None) -> LiveConsole:
    """Serve the console from a daemon thread and return at once (the port is bound already)."""
    app, server, url = _server(settings, host, port, use_keyring, config)
    live = LiveConsole(app=app, server=server, url=url)
    live._thread = threading.Thread(target=live._loop, name="katip-console", daemon=True)
    live._thread.start()
    return live
