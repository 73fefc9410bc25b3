"""The `/_dev/` test API (registered only in test mode, answers loopback clients only). JSON in and out."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from werkzeug.wrappers import Response

from mock_portal import seed
from mock_portal.db import get_db, now, now_iso, write
from mock_portal.dev_state import contract_json, state
from mock_portal.law import FEWEST_MINUTES as MIN_MINUTES
from mock_portal.law import MOST_MINUTES as MAX_MINUTES
from rpa.domain.identifiers import is_valid_sicil, is_valid_tc
from rpa.domain.rules import Title

bp = Blueprint("dev", __name__, url_prefix="/_dev")
_LOOPBACK = {"127.0.0.1", "::1", "::ffff:127.0.0.1"}


def _error(status: int, message: str) -> tuple[Response, int]:
    return jsonify({"error": message}), status


_LOOPBACK_NAMES = {"127.0.0.1", "localhost", "[::1]", "::1"}


def _loopback_name(netloc: str) -> bool:
    host = netloc.rsplit("@", 1)[-1]
    host = host[: host.rindex("]") + 1] if host.startswith("[") else host.split(":", 1)[0]
    return host.lower() in _LOOPBACK_NAMES


@bp.before_request
def loopback_only() -> tuple[Response, int] | None:
    """The test API is for this machine only, and for programs, not for web pages.

    Loopback clients only, even when the portal listens on other interfaces; a loopback `Host` only
    (a page on evil.example whose name is rebound to 127.0.0.1 sends `Host: evil.example`); no
    foreign `Origin` (a page the tester has open may not reset the portal or read its passwords); JSON
    bodies only (an HTML form cannot send `application/json` without a CORS preflight, which fails)."""
    if request.remote_addr not in _LOOPBACK:
        return _error(403, "the /_dev/ API answers loopback clients only")
    if not _loopback_name(request.host):
        return _error(403, f"the /_dev/ API answers only a loopback Host, not {request.host!r}")
    origin = request.headers.get("Origin")
    if origin is not None and not (origin.startswith("http://") and _loopback_name(origin[len("http://"):])):
        return _error(403, "the /_dev/ API refuses calls from web pages of other origins")
    if request.method == "POST" and (request.content_length or request.content_type) and not request.is_json:
        return _error(415, "the /_dev/ API takes application/json bodies only")
    return None


ENDPOINTS = {
    "GET /_dev/": "this list",
    "GET /_dev/state": "the whole portal state (accounts, workplaces, contracts, employees, sgk, audit)",
    "GET /_dev/sms?tc=TC": "the last two-step code sent to that person",
    "POST /_dev/reset": "reload the seed: {} (the app's options), sizes like {\"workplaces\": 2}, or {\"file\": path}",
    "POST /_dev/sgk/hire": "SGK learns of a hire: {\"sicil\", \"tc\", \"name\", \"hired\"}",
    "POST /_dev/sgk/leave": "SGK learns of a leave: {\"sicil\", \"tc\", \"left\"}",
    "POST /_dev/contracts": "a new contract waiting for the employer",
    "GET|POST /_dev/faults": "read or change the injected faults",
    "GET /_dev/faults/injected": "faults played so far, by kind",
    "GET|POST /_dev/texts": "read or replace the renamed words (a portal change)",
    "GET /_dev/requests": "the document requests served so far (method, path, status), for round-trip counts",
}


@bp.get("/")
def index() -> Response:
    """What the test API offers."""
    return jsonify(ENDPOINTS)


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


@bp.get("/sms")
def sms() -> Response | tuple[Response, int]:
    """The last two-step code "sent" to a person."""
    tc = request.args.get("tc", "")
    row = get_db().execute("SELECT code FROM sms_codes WHERE tc = ?", (tc,)).fetchone()
    if row is None:
        return _error(404, "no code was sent to this person (or it was used)")
    return jsonify({"tc": tc, "code": row["code"]})


@bp.post("/reset")
def reset() -> Response | tuple[Response, int]:
    """Reload the seed: `{}` (the app's options), sizes like `{"workplaces": 2}`, or `{"file": path}`."""
    body = _body()
    try:
        if "file" in body:
            source: Any = seed.load_file(str(body["file"]))
        elif body:
            source = seed.SeedOptions.from_mapping(
                {**seed.options_as_dict(seed.options_of(current_app)), **body}
            )
        else:
            source = None
        data = seed.reset(current_app, source)
    except (OSError, ValueError, TypeError) as exc:
        return _error(400, str(exc))
    return jsonify({"ok": True, **{table: len(getattr(data, table)) for table in seed.SeedData.TABLES}})


@bp.get("/state")
def get_state() -> Response:
    """The whole state in the documented shape (`?sicil=` narrows it to one workplace)."""
    data = state(get_db(), request.args.get("sicil") or None)
    return jsonify({**data, "faults": current_app.config["FAULTS"].as_dict()})


class _SgkPerson(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sicil: str
    tc: str
    name: str = "Yeni Çalışan"
    hired: date | None = None
    left: date | None = None

    @field_validator("tc")
    @classmethod
    def _tc(cls, value: str) -> str:
        if not is_valid_tc(value):
            raise ValueError("not a valid TC Kimlik No")
        return value


def _parse(model: type[BaseModel]) -> BaseModel | tuple[Response, int]:
    try:
        return model.model_validate(_body())
    except ValidationError as exc:
        problems = (f"{'.'.join(str(part) for part in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors())
        return _error(400, "; ".join(problems))


def _known_workplace(sicil: str) -> bool:
    return get_db().execute("SELECT 1 FROM workplaces WHERE sicil = ?", (sicil,)).fetchone() is not None


@bp.post("/sgk/hire")
def sgk_hire() -> Response | tuple[Response, int]:
    """SGK learns of a hire (the portal's 4A list does not, until "Doğrula" or "Toplu Çalışan Güncelle")."""
    person = _parse(_SgkPerson)
    if isinstance(person, tuple):
        return person
    if not _known_workplace(person.sicil):
        return _error(404, "unknown workplace")
    hired = (person.hired or now().date()).isoformat()
    conn = get_db()
    with write(conn):
        conn.execute(
            "INSERT OR REPLACE INTO sgk (sicil, tc, name, hired, left) VALUES (?, ?, ?, ?, NULL)",
            (person.sicil, person.tc, person.name, hired),
        )
    return jsonify(
        {"sicil": person.sicil, "tc": person.tc, "name": person.name, "hired": hired, "left": None}
    )


@bp.post("/sgk/leave")
def sgk_leave() -> Response | tuple[Response, int]:
    """SGK learns that someone left (default: today)."""
    person = _parse(_SgkPerson)
    if isinstance(person, tuple):
        return person
    left = (person.left or now().date()).isoformat()
    conn = get_db()
    with write(conn):
        cur = conn.execute(
            "UPDATE sgk SET left = ? WHERE sicil = ? AND tc = ?", (left, person.sicil, person.tc)
        )
    if cur.rowcount == 0:
        return _error(404, "SGK has no record of this person at this workplace")
    row = conn.execute("SELECT * FROM sgk WHERE sicil = ? AND tc = ?", (person.sicil, person.tc)).fetchone()
    return jsonify(dict(row))


class _NewContract(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sicil: str
    professional: str = "Deniz Yılmaz"
    professional_tc: str | None = None
    title: Title = Title.UZMAN
    cert_class: str = "A"
    minutes: int = Field(ge=MIN_MINUTES, le=MAX_MINUTES)
    process_type: str = "Yeni Sözleşme"
    provider: str = "Güven OSGB Sağlık Hizmetleri Ltd. Şti."
    start_date: date | None = None
    parent_no: str | None = None

    @field_validator("sicil")
    @classmethod
    def _sicil(cls, value: str) -> str:
        if not is_valid_sicil(value):
            raise ValueError("not a valid 26-digit sicil")
        return value

    @field_validator("process_type")
    @classmethod
    def _process(cls, value: str) -> str:
        if value not in ("Yeni Sözleşme", "Süre Güncelleme"):
            raise ValueError("process_type is 'Yeni Sözleşme' or 'Süre Güncelleme'")
        return value


@bp.post("/contracts")
def create_contract() -> Response | tuple[Response, int]:
    """Create a contract waiting for the employer ("Beklemede" / "Onay Bekliyor")."""
    spec = _parse(_NewContract)
    if isinstance(spec, tuple):
        return spec
    if not _known_workplace(spec.sicil):
        return _error(404, "unknown workplace")
    cert = spec.cert_class if spec.title is Title.UZMAN else "-"
    conn = get_db()
    parent = spec.parent_no
    if spec.process_type == "Süre Güncelleme" and parent is None:
        found = conn.execute(
            """SELECT no FROM contracts
               WHERE sicil = ? AND title = ? AND professional = ? AND status = 'Aktif'
               ORDER BY no DESC LIMIT 1""",
            (spec.sicil, spec.title.value, spec.professional),
        ).fetchone()
        if found is None:
            return _error(400, "a 'Süre Güncelleme' needs the active contract it updates (parent_no)")
        parent = found["no"]
    with write(conn):
        no = seed.new_contract_no(conn)
        conn.execute(
            """INSERT INTO contracts (no, sicil, professional, professional_tc, title, cert_class, provider,
               start_date, minutes, process_type, status, approval, parent_no, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'Beklemede', 'Onay Bekliyor', ?, ?)""",
            (
                no,
                spec.sicil,
                spec.professional,
                spec.professional_tc,
                spec.title.value,
                cert,
                spec.provider,
                (spec.start_date or now().date()).isoformat(),
                spec.minutes,
                spec.process_type,
                parent,
                now_iso(),
            ),
        )
    row = conn.execute("SELECT * FROM contracts WHERE no = ?", (no,)).fetchone()
    return jsonify(contract_json(conn, row)), 201


@bp.get("/faults/injected")
def faults_injected() -> Response:
    """How many faults were played since the portal started, by kind (chaos runs read the difference)."""
    return jsonify(current_app.config["FAULTS"].injected())


@bp.route("/faults", methods=["GET", "POST"])
def faults() -> Response | tuple[Response, int]:
    """Read or change the injected faults (`seed` restarts their random stream)."""
    holder = current_app.config["FAULTS"]
    if request.method == "POST":
        try:
            holder.update(**_body())
        except (TypeError, ValueError) as exc:
            return _error(400, str(exc))
    return jsonify(holder.as_dict())


@bp.route("/texts", methods=["GET", "POST"])
def texts() -> Response | tuple[Response, int]:
    """Read or replace the renamed words: `{"Okudum Onaylıyorum": "Okudum, Onaylıyorum"}`; `{}` undoes."""
    renames = current_app.config["RENAMES"]
    if request.method == "POST":
        try:
            renames.replace(_body())
        except ValueError as exc:
            return _error(400, str(exc))
    return jsonify(renames.as_dict())


@bp.get("/requests")
def requests_served() -> Response | tuple[Response, int]:
    """The requests served after the `since`-th (pages and static files, not this API), oldest first."""
    since = request.args.get("since", "0")
    if not since.isdigit():
        return _error(400, "since must be a request number (0 for all)")
    return jsonify(current_app.config["REQUEST_LOG"].since(int(since)))
