"""A faithful mock of İSG-KATİP for tests, QA and the demo: `create_app(config)`."""

from __future__ import annotations

import os
import tempfile
from typing import Any

from flask import Flask, g, render_template

from mock_portal import db, security
from mock_portal.faults import Faults


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build one portal instance with its own database, faults and (optionally) the `/_dev/` API.

    Config keys: DATABASE (SQLite path; a temp file by default), TEST_MODE (enables `/_dev/`),
    SEED (dict of seed-generator options, see `mock_portal.seed.SeedOptions`), CLOCK (callable).
    Optional: SLEEP (callable taking seconds; how injected latency waits, tests record it instead) and
    SMS_SINK (callable(tc, code); `katip portal` prints the two-step code with it), RENAMED_TEXTS
    (old → new texts the portal shows instead, `mock_portal.renames`).
    """
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=os.urandom(32),
        TEST_MODE=False,
        SEED={},
        CLOCK=None,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        SEND_FILE_MAX_AGE_DEFAULT=3600,  # static CSS/JS: cached by the browser, as a real portal does
    )
    if config:
        app.config.update(config)
    if not app.config.get("DATABASE"):
        fd, path = tempfile.mkstemp(prefix="katip-mock-", suffix=".sqlite")
        os.close(fd)
        app.config["DATABASE"] = path
    app.config.setdefault("FAULTS", Faults())

    db.init_schema(app.config["DATABASE"])
    if app.config["SEED"] is not None:  # None: an empty portal (tests that insert their own rows)
        from mock_portal import seed

        seed.load_if_empty(app)

    app.teardown_appcontext(db.close_db)
    app.before_request(security.load_session)
    from mock_portal import fault_injection

    app.before_request(fault_injection.inject)
    app.before_request(security.check_form)
    app.after_request(security.set_session_cookie)
    app.jinja_env.globals["form_token"] = security.form_token_field
    from mock_portal import renames

    renames.install(app)
    _register_error_pages(app)

    from mock_portal import auth, card, contracts, individual, workplaces

    for module in (auth, workplaces, contracts, card, individual):
        app.register_blueprint(module.bp)
    if app.config["TEST_MODE"]:
        from mock_portal import dev, request_log

        request_log.install(app)
        app.register_blueprint(dev.bp)
    return app


def _register_error_pages(app: Flask) -> None:
    """Fault pages with the portal's own texts and status codes."""

    @app.errorhandler(400)
    def bad_request(err):  # noqa: ANN001, ANN202
        return render_template("error.html", problem=err.description, code=400), 400

    @app.errorhandler(403)
    def forbidden(err):  # noqa: ANN001, ANN202
        return render_template("error.html", problem=security.FORBIDDEN_MESSAGE, code=403), 403

    @app.errorhandler(404)
    def not_found(_err):  # noqa: ANN001, ANN202
        return render_template("error.html", problem="Aradığınız sayfa bulunamadı.", code=404), 404

    @app.errorhandler(500)
    def server_error(_err):  # noqa: ANN001, ANN202
        return render_template("error.html", problem=fault_messages.SYSTEM_ERROR, code=500), 500

    from mock_portal import fault_messages

    app.context_processor(lambda: {"workplace": g.get("workplace"), "session": g.get("session")})
