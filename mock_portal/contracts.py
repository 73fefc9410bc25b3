"""İSG Hizmet Sözleşmeleri: list, approval, rejection, detail and PDF."""

from __future__ import annotations

import sqlite3

from flask import Blueprint, Response, abort, g, redirect, render_template, request, url_for

from mock_portal import db, display, pdf
from mock_portal.compliance import contract_violations
from mock_portal.security import FORBIDDEN_MESSAGE, require_access, workplace_required

bp = Blueprint("contracts", __name__, url_prefix="/sozlesmeler")
bp.add_app_template_filter(display.tr_date, "tr_date")
bp.add_app_template_filter(display.tr_datetime, "tr_datetime")

PENDING = "Onay Bekliyor"
UPDATE = "Süre Güncelleme"
GATE_MESSAGE = "Devam etmek için 'Okudum Onaylıyorum' kutusunu işaretleyiniz."
REASON_MESSAGE = "Reddetmek için 'Red Gerekçesi' alanını doldurunuz."
REASON_MAX = 1000
REASON_LONG_MESSAGE = f"Red gerekçesi en fazla {REASON_MAX} karakter olabilir."
MESSAGES = {"approved": "Sözleşme onaylandı.", "rejected": "Sözleşme reddedildi."}
ERRORS = {
    "not_pending": "Bu sözleşme için bekleyen bir onay bulunmamaktadır.",
    "select_pending": "Lütfen onay bekleyen bir sözleşme seçiniz.",
    "select_any": "Lütfen bir sözleşme seçiniz.",
}


@bp.get("/")
@workplace_required
def index() -> str:
    """The workplace's contracts: waiting ones first (green), then the rest, newest first."""
    conn = db.get_db()
    rows = conn.execute(
        "SELECT * FROM contracts WHERE sicil = ? ORDER BY approval = ? DESC, start_date DESC, no DESC",
        (g.workplace["sicil"], PENDING),
    ).fetchall()
    contracts = [_with_compliance(conn, row) for row in rows]
    return render_template("contracts.html", contracts=contracts, **display.notices(MESSAGES, ERRORS))


@bp.get("/sec")
@workplace_required
def select() -> Response:
    """The two buttons above the table: go to the selected row's approval or detail page."""
    action = request.args.get("islem")
    no = request.args.get("id", "")
    row = db.get_db().execute(
        "SELECT * FROM contracts WHERE no = ? AND sicil = ?", (no, g.workplace["sicil"])
    ).fetchone()
    if action == "surec":
        if row is None or row["approval"] != PENDING:
            return redirect(url_for(".index", e="select_pending"))
        return redirect(url_for(".approval", no=row["no"]))
    if row is None:
        return redirect(url_for(".index", e="select_any"))
    return redirect(url_for(".detail", no=row["no"]))


@bp.get("/<no>/onay")
@workplace_required
def approval(no: str) -> str | Response:
    """"Sözleşme Onayı": the contract, a warning, "Okudum Onaylıyorum", "Tamamla" and "Reddet"."""
    row = _own_contract(no)
    if row["approval"] != PENDING:
        return redirect(url_for(".index", e="not_pending"))
    return _approval_page(row)


@bp.post("/<no>/onay")
@workplace_required
def decide(no: str) -> str | Response:
    """Apply "Tamamla" or "Reddet", exactly once however often or concurrently it is posted.

    A refused post (box not ticked, no reason) shows the page again with the error and changes nothing.
    """
    row = _own_contract(no)
    if request.form.get("islem") == "reddet":
        reason = request.form.get("red_gerekcesi", "").strip()
        if not reason or len(reason) > REASON_MAX:
            message = REASON_LONG_MESSAGE if reason else REASON_MESSAGE
            return _approval_page(row, reason_error=message, reason=reason)
        done = reject(db.get_db(), row["no"], reason)
        return redirect(url_for(".index", m="rejected") if done else url_for(".index", e="not_pending"))
    if request.form.get("okudum") != "1":
        return _approval_page(row, gate_error=GATE_MESSAGE)
    done = approve(db.get_db(), row["no"])
    return redirect(url_for(".index", m="approved") if done else url_for(".index", e="not_pending"))


@bp.get("/<no>")
@workplace_required
def detail(no: str) -> str:
    """"Sözleşme Detayı" with the "PDF İndir" button."""
    row = _own_contract(no)
    return render_template("contract_detail.html", c=_with_compliance(db.get_db(), row))


@bp.get("/<no>/pdf")
@workplace_required
def download(no: str) -> Response:
    """The signed contract as `sozlesme-<no>.pdf`."""
    row = _own_contract(no)
    body = pdf.contract_pdf(dict(row), g.workplace, created=db.now())
    return Response(
        body,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="sozlesme-{row["no"]}.pdf"'},
    )


def approve(conn: sqlite3.Connection, no: str) -> bool:
    """Approve a waiting contract; False (and no change) when it is no longer waiting.

    A "Süre Güncelleme" replaces the contract it updates: the update row becomes the active
    contract with the new minutes and its parent is ended ("Sonlandırıldı"), so that exactly one
    active contract per professional remains and the history keeps the old minutes.
    """
    stamp = db.now_iso()
    with db.write(conn):
        # The conditional UPDATE is the exactly-once guard: of two concurrent posts only one matches.
        changed = conn.execute(
            "UPDATE contracts SET status = 'Aktif', approval = 'Onaylandı', approved_at = ? "
            "WHERE no = ? AND approval = ?",
            (stamp, no, PENDING),
        ).rowcount
        if not changed:
            return False
        row = conn.execute("SELECT * FROM contracts WHERE no = ?", (no,)).fetchone()
        if row["process_type"] == UPDATE and row["parent_no"]:
            conn.execute("UPDATE contracts SET status = 'Sonlandırıldı' WHERE no = ?", (row["parent_no"],))
        db.audit(conn, "approve", row["sicil"], no)
    return True


def reject(conn: sqlite3.Connection, no: str, reason: str) -> bool:
    """Reject a waiting contract (it ends and must be created again); False when not waiting."""
    with db.write(conn):
        changed = conn.execute(
            "UPDATE contracts SET status = 'Sonlandırıldı', approval = 'Reddedildi', reject_reason = ? "
            "WHERE no = ? AND approval = ?",
            (reason, no, PENDING),
        ).rowcount
        if not changed:
            return False
        sicil = conn.execute("SELECT sicil FROM contracts WHERE no = ?", (no,)).fetchone()["sicil"]
        db.audit(conn, "reject", sicil, no)
    return True


def _own_contract(no: str) -> sqlite3.Row:
    """The contract, if it belongs to the chosen workplace.

    A stranger's contract is refused as the spec says for a stranger's workplace (403, "Bu işyerine
    erişim yetkiniz bulunmamaktadır."), and a number that does not exist answers exactly the same: a
    404 for one and a 403 for the other would tell a prober which numbers are real. One of the
    person's own other workplaces: 404 (not part of the chosen one)."""
    row = db.get_db().execute("SELECT * FROM contracts WHERE no = ?", (no,)).fetchone()
    if row is None:
        abort(403, FORBIDDEN_MESSAGE)
    if row["sicil"] != g.workplace["sicil"]:
        require_access(row["sicil"])  # 403 when this person may not see that workplace at all
        abort(404)
    return row


def _with_compliance(conn: sqlite3.Connection, row: sqlite3.Row) -> dict:
    """A contract row plus its legal check, for the templates."""
    violations = contract_violations(conn, row)
    return {**dict(row), "compliant": not violations, "violations": violations}


def _approval_page(row: sqlite3.Row, **extra: object) -> str:
    """Render "Sözleşme Onayı" (with field errors after a refused post)."""
    conn = db.get_db()
    parent = None
    if row["parent_no"]:
        parent = conn.execute("SELECT * FROM contracts WHERE no = ?", (row["parent_no"],)).fetchone()
    return render_template("approval.html", c=_with_compliance(conn, row), parent=parent, **extra)
