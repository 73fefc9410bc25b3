"""İşyeri Kartı Bilgileri: Genel Bilgiler, SGK 4A list, contact and permission form."""

from __future__ import annotations

from flask import Blueprint, Response, g, jsonify, redirect, render_template, request, url_for

from mock_portal import contact, db, display, employees
from mock_portal.security import workplace_required
from rpa.domain.geo import PROVINCES

bp = Blueprint("card", __name__, url_prefix="/isyeri-karti")
bp.add_app_template_filter(display.tr_date, "tr_date")

TABS = {
    "genel": "Genel Bilgiler",
    "sgk4a": "SGK 4A Çalışan Bilgileri",
    "iletisim": "Kurumsal İletişim ve İzin İşlemleri",
}
MESSAGES = {"verified": employees.VERIFIED, "bulk": employees.BULK_REQUESTED, "saved": contact.SAVED}
ERRORS = {"invalid_tc": employees.INVALID_TC, "not_found": employees.NOT_FOUND}
_KEYS = {text: key for key, text in (MESSAGES | ERRORS).items()}
FORM_ERROR = "Formda hatalı alanlar var. Lütfen işaretli alanları düzeltiniz."


@bp.get("/")
@workplace_required
def index() -> str:
    """The card with one tab open (`?tab=`); tabs are links so that they work without JavaScript."""
    tab = request.args.get("tab") if request.args.get("tab") in TABS else "genel"
    if tab == "sgk4a":
        return _employees_tab()
    if tab == "iletisim":
        return _contact_tab(contact.from_workplace(g.workplace))
    return _render("genel", **display.notices(MESSAGES, ERRORS))


@bp.post("/dogrula")
@workplace_required
def verify() -> Response:
    """"TC Kimlik No İle Doğrula"."""
    ok, message = employees.verify(db.get_db(), g.workplace["sicil"], request.form.get("tc", ""))
    notice = {"m" if ok else "e": _KEYS[message]}
    return redirect(url_for(".index", tab="sgk4a", **notice))


@bp.post("/toplu")
@workplace_required
def bulk() -> Response:
    """The confirmation's "Evet" queues the bulk update; "Vazgeç" only goes back."""
    if request.form.get("yanit") != "evet":
        return redirect(url_for(".index", tab="sgk4a"))
    ok, _message = employees.request_bulk(db.get_db(), g.workplace["sicil"])
    return redirect(url_for(".index", tab="sgk4a", **({"m": "bulk"} if ok else {"e": "bulk_too_soon"})))


@bp.post("/iletisim")
@workplace_required
def save_contact() -> str | Response:
    """"TAMAMLA" saves the form; "İlçeleri Getir" (the no-JavaScript path) only shows the districts."""
    values = contact.from_post(request.form, contact.from_workplace(g.workplace))
    if request.form.get("islem") == "ilceler":
        return _contact_tab(values)
    errors = contact.validate(values)
    if errors:
        return _contact_tab(values, errors=errors, error=FORM_ERROR)
    contact.save(db.get_db(), g.workplace["sicil"], values)
    return redirect(url_for(".index", tab="iletisim", m="saved"))


@bp.get("/ilceler")
@workplace_required
def districts() -> tuple[Response, int] | Response:
    """The districts of one province, fetched by the form when an "İl" is chosen."""
    il = request.args.get("il", "")
    found = contact.districts(il)
    if not found:
        return jsonify({"il": il, "ilceler": [], "error": contact.IL_ERROR}), 404
    return jsonify({"il": il, "ilceler": found})


def _employees_tab() -> str:
    conn = db.get_db()
    sicil = g.workplace["sicil"]
    employees.settle_bulk_updates(conn, sicil)
    size = employees.page_size(request.args.get("boyut"))
    try:
        page = int(request.args.get("sayfa", "1"))
    except ValueError:
        page = 1
    notices = display.notices(MESSAGES, ERRORS | {"bulk_too_soon": employees.too_soon_message()})
    return _render(
        "sgk4a",
        listing=employees.employee_page(conn, sicil, size, page),
        page_sizes=employees.PAGE_SIZES,
        active_count=db.active_count(conn, sicil),
        bulk_status=employees.bulk_status(conn, sicil),
        bulk_confirm=employees.BULK_CONFIRM,
        confirm_open=request.args.get("onay") == "toplu",
        **notices,
    )


def _contact_tab(
    values: contact.ContactForm, errors: dict[str, str] | None = None, error: str | None = None
) -> str:
    notices = display.notices(MESSAGES, ERRORS)
    return _render(
        "iletisim",
        form=values,
        errors=errors or {},
        provinces=sorted(PROVINCES, key=display.tr_sort_key),
        districts=contact.districts(values.il),
        message=notices["message"],
        error=error or notices["error"],
    )


def _render(tab: str, **context: object) -> str:
    return render_template("card.html", tab=tab, tabs=TABS, **context)
