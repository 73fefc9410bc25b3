"""The console's pages: Bugün, Hesaplar, Çalıştır, Bekletilenler, Geçmiş (Turkish first, English beside)."""

from __future__ import annotations

import io
import secrets
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from loguru import logger
from werkzeug.utils import secure_filename

from rpa.console import security
from rpa.console.api import approve_held, login_jobs, run_jobs, settings, trigger
from rpa.console.views import FLOW_NAMES, build_request
from rpa.errors import ConfigError
from rpa.history import OUTCOME_MEANING

bp = Blueprint("pages", __name__)
CODE_SOURCES = {"prompt": "SMS kodunu ben yazarım / I type the SMS code",
                "mock": "Yerel deneme portalı / local mock portal (mock)"}


@bp.app_template_filter("when")
def _when(moment: Any) -> str:
    return moment.astimezone().strftime("%d.%m.%Y %H:%M") if moment else "—"


@bp.app_context_processor
def _words() -> dict[str, Any]:
    return {"flow_names": FLOW_NAMES, "outcome_meaning": OUTCOME_MEANING}


# --- console password ---------------------------------------------------------------------------------


@bp.route("/giris-yap", methods=["GET", "POST"], endpoint="login")
def login() -> Any:
    """The console password (only when one is set, e.g. for a --host other than loopback)."""
    hashed = current_app.config["KATIP_PASSWORD_HASH"]
    if not hashed:
        return redirect(url_for("pages.today"))
    error = None
    if request.method == "POST":
        limiter: security.LoginLimiter = current_app.extensions["katip_limiter"]
        address = request.remote_addr or "?"
        if limiter.blocked(address):
            return render_template("login.html", error="Çok fazla deneme: bir dakika bekleyin / too many "
                                   "attempts: wait a minute"), 429
        if security.check_password(hashed, request.form.get("password", "")):
            session.clear()
            session["auth"] = True
            session.permanent = True
            target = request.args.get("next", "")
            return redirect(target if target.startswith("/") and not target.startswith("//") else url_for(
                "pages.today"))
        limiter.failed(address)
        logger.warning("console: wrong password from {}", address)
        error = "Şifre yanlış / wrong password"
    return render_template("login.html", error=error), 401 if error else 200


@bp.post("/cikis")
def logout() -> Any:
    """End the console session."""
    session.clear()
    return redirect(url_for("pages.login"))


# --- Bugün / Today ------------------------------------------------------------------------------------


@bp.get("/")
def today() -> Any:
    """Who needs a person now, what runs, how last night went, what is held."""
    from rpa.app import runs
    from rpa.app.accounts import account_states
    from rpa.app.held import held

    problem = None
    try:
        states = account_states(settings())
    except ConfigError as error:
        states, problem = [], str(error)
    needing = [s for s in states if s.session != "valid"]
    from rpa.console.schedules import upcoming

    recent = runs.recent(settings(), 10)
    running = [r for r in recent if r.outcome == "running"]
    from rpa.app.roster_exceptions import latest_sync

    sync = latest_sync(settings())
    scheduled, _ = upcoming(1)
    scheduled = sorted((j for j in scheduled if j["next"]), key=lambda j: j["next"][0])[:5]
    return render_template("today.html", needing=needing, running=running, recent=recent[:5],
                           held=held(settings()), problem=problem, jobs=run_jobs(), scheduled=scheduled,
                           exceptions=sync.counts.get("exceptions", 0) if sync else 0)


# --- Hesaplar / Accounts ------------------------------------------------------------------------------


@bp.get("/hesaplar")
def accounts() -> Any:
    """Every account with its session state; add one."""
    return _accounts_page()


def _accounts_page(error: str | None = None, form: dict[str, str] | None = None, status: int = 200,
                   notice: str | None = None) -> Any:
    from rpa.accounts import load_accounts
    from rpa.app.accounts import account_states

    problem = None
    try:
        states = account_states(settings())
    except ConfigError as exc:
        states, problem = [], str(exc)
    shown: dict[str, str] = {}
    reveal = session.pop("reveal", None)
    if reveal and not problem:
        shown = {a.name: a.tc for a in load_accounts(settings().accounts_file) if a.name == reveal}
    return render_template("accounts.html", states=states, problem=problem, error=error, form=form or {},
                           shown=shown, code_sources=CODE_SOURCES, notice=notice), status


@bp.post("/hesaplar")
def add_account() -> Any:
    """Add an account; its password to the keyring or the encrypted store."""
    from rpa.app.account_edit import add_account as add

    form = {k: request.form.get(k, "").strip() for k in ("name", "tc", "code")}
    try:
        add(settings(), form["name"], form["tc"], request.form.get("password") or None, form["code"] or "prompt",
            use_keyring=current_app.config["KATIP_USE_KEYRING"])
    except ConfigError as error:
        return _accounts_page(str(error), form, 400)
    logger.info("console: account {} added", form["name"])
    return redirect(url_for("pages.accounts"))


@bp.post("/hesaplar/ice-aktar")
def import_accounts() -> Any:
    """Add many accounts from an XLSX (Ad, TC Kimlik No, Şifre, Kod); each refused row says why."""
    from rpa.app.account_edit import import_accounts as import_from

    paths = _upload("workbook")
    if not paths:
        return _accounts_page("XLSX dosyası seçin / choose an XLSX file", None, 400)
    try:
        added, problems = import_from(settings(), Path(paths[0]), current_app.config["KATIP_USE_KEYRING"])
    except ConfigError as error:
        return _accounts_page(str(error), None, 400)
    finally:
        for path in paths:  # it may hold passwords: gone as soon as they are kept
            Path(path).unlink(missing_ok=True)
    logger.info("console: {} account(s) imported, {} row(s) refused", len(added), len(problems))
    message = f"{len(added)} hesap eklendi / account(s) added" + (
        "; " + "; ".join(problems) if problems else "")
    return _accounts_page(message if problems else None, None, 400 if problems and not added else 200,
                          notice=None if problems else message)


@bp.post("/hesaplar/<name>/goster")
def reveal(name: str) -> Any:
    """Show this account's full TC once (each such view is logged)."""
    logger.info("console: full TC of account {} shown to the clerk", name)
    session["reveal"] = name
    return redirect(url_for("pages.accounts"))


@bp.route("/hesaplar/<name>/duzenle", methods=["GET", "POST"])
def edit_account(name: str) -> Any:
    """Change an account's TC, password or code source."""
    from rpa.app.account_edit import edit_account as edit
    from rpa.app.login import account_named

    try:
        account = account_named(settings(), name)
    except ConfigError:
        abort(404)
    error = None
    if request.method == "POST":
        try:
            edit(settings(), name, tc=request.form.get("tc") or None, password=request.form.get("password") or None,
                 code=request.form.get("code") or None, use_keyring=current_app.config["KATIP_USE_KEYRING"])
            return redirect(url_for("pages.accounts"))
        except ConfigError as exc:
            error = str(exc)
    return render_template("account_edit.html", account=account, error=error, code_sources=CODE_SOURCES), (
        400 if error else 200)


@bp.route("/hesaplar/<name>/sil", methods=["GET", "POST"])
def remove_account(name: str) -> Any:
    """Remove an account (after a confirmation), its kept password and saved session."""
    from rpa.app.account_edit import remove_account as remove

    if request.method == "POST":
        try:
            remove(settings(), name)
        except ConfigError:
            abort(404)
        logger.info("console: account {} removed", name)
        return redirect(url_for("pages.accounts"))
    return render_template("account_remove.html", name=name)


@bp.post("/hesaplar/<name>/giris")
def start_login(name: str) -> Any:
    """"Giriş yap": the robot's headless login; the page asks for the code when e-Devlet does."""
    try:
        job = login_jobs().start(name, request.form.get("password") or None)
    except ConfigError as error:
        return _accounts_page(str(error), None, 400)
    return redirect(url_for("pages.login_progress", login_id=job.id))


@bp.get("/girisler/<login_id>")
def login_progress(login_id: str) -> Any:
    """A login in progress: waits, asks for the code, says how it ended."""
    job = login_jobs().get(login_id)
    if job is None:
        abort(404)
    template = "login_live.html" if request.args.get("parca") else "login_progress.html"
    return render_template(template, job=job)


@bp.post("/girisler/<login_id>/kod")
def login_code(login_id: str) -> Any:
    """The code the clerk typed, to the waiting login."""
    code = request.form.get("code", "").strip()
    if not code.isdigit() or not login_jobs().give_code(login_id, code):
        abort(409)
    return redirect(url_for("pages.login_progress", login_id=login_id))


# --- Çalıştır / Run -----------------------------------------------------------------------------------


@bp.get("/calistir")
def run_form() -> Any:
    """Choose a job and accounts: a dry-run preview first, then the run."""
    from rpa.app.accounts import account_states

    try:
        states = account_states(settings())
    except ConfigError:
        states = []
    return render_template("run.html", states=states, error=None, active=run_jobs().active())


def _upload(field: str) -> list[str]:
    files = [f for f in request.files.getlist(field) if f and f.filename]
    if not files:
        return []
    import os

    from rpa.settings import ensure_private_dir

    # Rosters name people and an accounts sheet holds passwords: 0700 folders, 0600 files, as all the state dir.
    folder = ensure_private_dir(ensure_private_dir(settings().private_state_dir() / "uploads") / secrets.token_hex(6))
    paths = []
    for upload in files:
        path = folder / (secure_filename(upload.filename or "") or "dosya.xlsx")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            upload.save(handle)
        paths.append(str(path))
    return paths


@bp.get("/calistir/iletisim-sablonu.xlsx")
def contact_template() -> Any:
    """The blank contact sheet `katip contact --template` writes (columns explained on a second sheet)."""
    import tempfile

    from rpa.contact_input import write_template

    with tempfile.TemporaryDirectory() as folder:
        data = write_template(Path(folder) / "iletisim-sablonu.xlsx").read_bytes()
    return send_file(io.BytesIO(data), as_attachment=True, download_name="iletisim-sablonu.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.post("/calistir")
def start_run() -> Any:
    """Start the chosen run (dry run when asked) and show its progress."""
    flow = request.form.get("flow", "approve")
    body: dict[str, Any] = {"flow": flow, "dry_run": request.form.get("dry_run") == "1",
                            "accounts": request.form.getlist("account") or None}
    uploads = _upload("files")
    if flow == "roster_sync":
        body["files"] = uploads
    elif flow == "contact" and uploads:
        body["file"] = uploads[0]
    try:
        job = run_jobs().start(build_request(body, trigger()))
    except ConfigError as error:
        from rpa.app.accounts import account_states

        return render_template("run.html", states=account_states(settings()), error=str(error),
                               active=run_jobs().active()), 400
    return redirect(url_for("pages.run_detail", run_id=job.id))


@bp.get("/calistirmalar/<run_id>")
def run_detail(run_id: str) -> Any:
    """One run: live progress while it goes on, then what it did (a preview's would-approve and held)."""
    from rpa.app import runs
    from rpa.app.held import read_contracts

    try:
        record = runs.get(settings(), run_id)
    except ConfigError:
        abort(404)
    live = run_jobs().get(record.id)
    done = record.outcome != "running" and (live is None or live.finished.is_set())
    found = read_contracts(record) if record.flow == "approve" else None
    dry_run, contracts = found if found else (
        live.request.dry_run if live else "would_approve" in record.counts, [])
    template = "run_live.html" if request.args.get("parca") else "run_detail.html"
    return render_template(template, record=record, live=live, done=done, contracts=contracts,
                           dry_run=dry_run, progress=live.progress.snapshot() if live else {})


@bp.post("/calistirmalar/<run_id>/durdur")
def stop_run(run_id: str) -> Any:
    """Stop gracefully."""
    job = run_jobs().get(run_id)
    if job is not None:
        job.stop.set("konsoldan durduruldu / stopped from the console")
    return redirect(url_for("pages.run_detail", run_id=run_id))


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return path.is_file()


@bp.get("/calistirmalar/<run_id>/rapor")
def run_report(run_id: str) -> Any:
    """The run's report (HTML, or the roster sync's workbook)."""
    from rpa.app import runs

    try:
        record = runs.get(settings(), run_id)
    except ConfigError:
        abort(404)
    if not record.report_path or not record.out_dir:
        abort(404)
    path = Path(record.report_path)
    if not _inside(path, Path(record.out_dir) / "runs" / record.id):
        abort(404)
    return send_file(path, as_attachment=path.suffix != ".html")


@bp.get("/belgeler/<sicil>/sozlesme-<contract_no>.pdf")
def contract_pdf(sicil: str, contract_no: str) -> Any:
    """A contract's signed PDF: `<out>/contracts/<sicil>/sozlesme-<no>.pdf`."""
    from rpa.run import pdf_path

    contracts = settings().out_dir / "contracts"
    path = pdf_path(contracts, sicil, contract_no)
    if not _inside(path, contracts):
        abort(404)
    return send_file(path, mimetype="application/pdf", as_attachment=True, download_name=path.name)


# --- Bekletilenler / Held -----------------------------------------------------------------------------


@bp.get("/bekletilenler")
def held() -> Any:
    """Each held contract with workplace, professional (masked) and reason."""
    from rpa.app.held import held as held_now

    return render_template("held.html", held=held_now(settings()))


@bp.route("/bekletilenler/<contract_no>/onayla", methods=["GET", "POST"])
def approve_one(contract_no: str) -> Any:
    """"Yine de onayla": a confirmation that says it cannot be undone, then exactly this contract."""
    from rpa.app.held import find_held

    if request.method == "POST":
        if request.form.get("confirm") != "1":
            abort(400)
        run_id, why_not = approve_held(contract_no, trigger())
        if run_id is None:
            return render_template("held_confirm.html", contract=None, contract_no=contract_no, error=why_not), 409
        return redirect(url_for("pages.run_detail", run_id=run_id))
    found = find_held(settings(), contract_no)
    if found is None:
        return render_template("held_confirm.html", contract=None, contract_no=contract_no,
                               error="bu sözleşme artık beklemiyor / this contract is no longer waiting"), 409
    return render_template("held_confirm.html", contract=found, contract_no=contract_no, error=None)


# --- Personel istisnaları / Roster exceptions ------------------------------------------------------------


@bp.get("/istisnalar")
def roster_exceptions() -> Any:
    """Per workplace, what the clerk must ask the employer for (names masked unless "göster")."""
    from rpa.app.roster_exceptions import exceptions_of, latest_sync
    from rpa.privacy import mask_name

    record = latest_sync(settings())
    found = exceptions_of(record) if record else {}
    shown = bool(session.pop("reveal_names", False))
    for items in found.values():
        for item in items:
            item.name = item.name if shown else mask_name(item.name)
    return render_template("exceptions.html", record=record, found=found, shown=shown)


@bp.post("/istisnalar/goster")
def reveal_names() -> Any:
    """Show the people's names once (logged)."""
    logger.info("console: names of the roster exceptions shown to the clerk")
    session["reveal_names"] = True
    return redirect(url_for("pages.roster_exceptions"))


# --- Geçmiş / History ---------------------------------------------------------------------------------


@bp.get("/gecmis")
def history() -> Any:
    """Every run (CLI, schedule, console), its outcome, counts and report; the PDFs per workplace."""
    from rpa.app import runs

    contracts = settings().out_dir / "contracts"
    pdfs: dict[str, list[str]] = {}
    if contracts.is_dir():
        for folder in sorted(p for p in contracts.iterdir() if p.is_dir()):
            names = sorted(p.name for p in folder.glob("sozlesme-*.pdf"))
            if names:
                pdfs[folder.name] = [n[len("sozlesme-"):-len(".pdf")] for n in names]
    return render_template("history.html", records=runs.recent(settings(), 100), pdfs=pdfs, jobs=run_jobs())
