# ruff: noqa: E501 - the HTML below is easier to read as the browser gets it, one element per line
"""A second, tiny portal: the spec's visible words with other markup, other paths and other habits.

The page objects must work on it unchanged: ARIA grids instead of tables and columns in another order,
a <details> menu, labels by aria-label or wrapping <label>, a sicil written with spaces, fields in a
table, JavaScript tabs with hidden panels, a native confirm(), districts fetched by JavaScript, and
messages without any role.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from flask import Flask, abort, jsonify, redirect, render_template_string, request

from rpa.domain.identifiers import format_sicil, generate_tc

TC = generate_tc(random.Random(11))
PASSWORD = "baska-portal"
CODE = "111111"
SICIL = "11320010112345670341542000"

PAGE = """<!doctype html><html lang="tr"><head><meta charset="utf-8"><title>Portal</title>
<style>.grid{display:flex;flex-direction:column}.grid>div{display:flex;gap:1em}</style></head><body>
{% if shell %}<header><p>İşyeri Unvanı: Anadolu Tekstil</p><p>SGK Sicil No: {{ sicil_shown }}</p>
<a role="button" href="/liste">İşyeri Değiştir</a></header>
<nav aria-label="Ana Menü"><details><summary>Süreç Yönetimi</summary><ul><li><a href="/p/soz">İSG Hizmet Sözleşmeleri</a></li></ul></details>
<details><summary>Kişi/Kurum Ekipman Kartı</summary><details><summary>İşyeri Bilgileri</summary>
<a href="/p/kart">İşyeri Kartı Bilgileri</a></details></details></nav>{% endif %}
<section>{{ body | safe }}</section></body></html>"""

START = "<h1>İSG-KATİP</h1><button onclick=\"location.href='/kimlik'\">e-Devlet Giriş</button>"
LOGIN = """<h2>e-Devlet Kapısı Kimlik Doğrulama</h2><div class="msg">{{ msg }}</div><form method="post">
<input name="t" aria-label="T.C. Kimlik No"><input name="s" type="password" aria-label="e-Devlet Şifresi">
<input type="submit" value="Giriş Yap"></form>"""
CODE_PAGE = """<h2>İki Aşamalı Doğrulama</h2><div>{{ msg }}</div><form method="post">
<label>Doğrulama Kodu <input name="k"></label><button>Onayla</button></form>"""
CHOICE = '<a role="button" href="/bireysel">Bireysel</a> <a role="button" href="/liste">Kurumsal</a>'
LIST = """<h3>E-Bildirge Kullanıcısı Olduğunuz İşyerleri</h3>
<div role="grid" class="grid"><div role="row"><span role="columnheader">Tehlike Sınıfı</span>
<span role="columnheader">SGK Sicil No</span><span role="columnheader">İşyeri Unvanı</span><span role="columnheader"></span></div>
<div role="row"><span role="gridcell">Tehlikeli</span><span role="gridcell">{{ sicil_shown }}</span>
<span role="gridcell">Anadolu Tekstil</span><span role="gridcell"><a href="/sec/{{ sicil }}">Seç</a></span></div></div>"""
CONTRACTS = """<h1>İSG Hizmet Sözleşmeleri</h1><div class="toast">{{ msg }}</div>
<button onclick="go('onay')">Sürece Git</button><button onclick="go('detay')">Detay Görüntüle</button>
<table><tr><th>Onay Durumu</th><th>Süreç Tipi</th><th>Görevlendirilen Kişi</th><th>Çalışma Süresi (dk/ay)</th>
<th>Unvan</th><th>Belge Sınıfı</th><th>Hizmet Veren</th><th>Başlangıç Tarihi</th><th>Sözleşme Durumu</th>
<th>Mevzuata Uygun</th></tr>
{% for c in contracts %}<tr onclick="window.chosen='{{ c.no }}'"><td>{{ c.approval }}</td><td>Yeni Sözleşme</td>
<td>{{ c.name }}</td><td>{{ c.minutes }}</td><td>İş Güvenliği Uzmanı</td><td>A</td><td>Güven OSGB</td>
<td>2025-03-01</td><td>{{ c.status }}</td><td>Evet</td></tr>{% endfor %}</table>
<script>function go(k){ if(window.chosen) location.href='/p/soz/'+window.chosen+'/'+k; }</script>"""
APPROVAL = """<h1>Sözleşme Onayı</h1><table><tr><th>Sözleşme No</th><td>{{ c.no }}</td></tr>
<tr><th>Görevlendirilen Kişi</th><td>{{ c.name }}</td></tr><tr><th>Unvan</th><td>İş Güvenliği Uzmanı</td></tr>
<tr><th>Çalışma Süresi (dk/ay)</th><td>{{ c.minutes }}</td></tr><tr><th>Belge Sınıfı</th><td>A</td></tr></table>
<form method="post"><label><input type="checkbox" name="ok" value="1"> Okudum Onaylıyorum</label>
<input type="submit" value="Tamamla"></form>"""
CARD = """<h1>İşyeri Kartı Bilgileri</h1>
<div role="tablist"><button role="tab" onclick="show('g')">Genel Bilgiler</button>
<button role="tab" onclick="show('e')">SGK 4A Çalışan Bilgileri</button>
<button role="tab" onclick="show('c')">Kurumsal İletişim ve İzin İşlemleri</button></div>
<div id="g" role="tabpanel" {{ 'hidden' if tab != 'g' }}>Genel</div>
<div id="e" role="tabpanel" {{ 'hidden' if tab != 'e' }}><dl><dt>Aktif Çalışan Sayısı</dt><dd>{{ active }}</dd></dl>
<div>{{ emsg }}</div><form method="post" action="/p/toplu" id="bulk"><button type="button"
 onclick="if (confirm('Tüm çalışan bilgileri SGK\\'dan güncellenecek. Devam edilsin mi?')) document.getElementById('bulk').submit()">Toplu Çalışan Güncelle</button></form>
<select aria-label="Sayfa Başına" onchange="location.href='/p/kart?tab=e&n='+this.value">{% for n in (5, 25) %}
<option {{ 'selected' if n == size }}>{{ n }}</option>{% endfor %}</select>
<div role="grid" class="grid"><div role="row"><span role="columnheader">Durum</span><span role="columnheader">Ad Soyad</span>
<span role="columnheader">TC Kimlik No</span><span role="columnheader">İşe Giriş Tarihi</span>
<span role="columnheader">İşten Çıkış Tarihi</span></div>{% for e in rows %}<div role="row">
<span role="gridcell">Aktif</span><span role="gridcell">{{ e[1] }}</span><span role="gridcell">{{ e[0] }}</span>
<span role="gridcell">01.02.2020</span><span role="gridcell">-</span></div>{% endfor %}</div>
<span>Sayfa {{ page }} / {{ pages }}</span>{% if page < pages %}<a href="/p/kart?tab=e&n={{ size }}&p={{ page + 1 }}">Sonraki</a>{% endif %}</div>
<div id="c" role="tabpanel" {{ 'hidden' if tab != 'c' }}><form method="post" action="/p/iletisim">
<input name="tel" aria-label="Telefon"><span>{{ errors.tel }}</span><input name="mail" aria-label="E-Posta">
<textarea name="adres" aria-label="Adres"></textarea>
<select name="il" aria-label="İl" onchange="districts(this.value)"><option value="">Seçiniz</option>
<option>Ankara</option><option>İzmir</option></select><select name="ilce" aria-label="İlçe"><option value="">Seçiniz</option></select>
<div role="radiogroup" aria-label="İSG Profesyonelleri Çalışma Süre Güncellemesi Otomatik Yapılsın mı?">
<label><input type="radio" name="oto" value="1">EVET</label><label><input type="radio" name="oto" value="0">HAYIR</label></div>
<button>TAMAMLA</button></form><div>{{ cmsg }}</div></div>
<script>function show(k){ for (const p of document.querySelectorAll('[role=tabpanel]')) p.hidden = p.id !== k; }
async function districts(il){ const r = await fetch('/ilceler?il=' + encodeURIComponent(il)); const s = document.querySelector('[name=ilce]');
 s.innerHTML = '<option value="">Seçiniz</option>' + (await r.json()).map(d => '<option>' + d + '</option>').join(''); }</script>"""


@dataclass
class OtherState:
    """What the other portal remembers (one account, one workplace)."""

    logged_in: bool = False
    contracts: list[dict] = field(
        default_factory=lambda: [
            {
                "no": "77",
                "name": "Ali Veli",
                "minutes": 600,
                "approval": "Onay Bekliyor",
                "status": "Beklemede",
            },
            {"no": "12", "name": "Ayşe Kaya", "minutes": 400, "approval": "Onaylandı", "status": "Aktif"},
        ]
    )
    employees: list[tuple[str, str]] = field(
        default_factory=lambda: [(generate_tc(random.Random(i)), f"Çalışan {i}") for i in range(60)]
    )
    bulk_requests: int = 0
    contact: dict = field(default_factory=dict)


def create_other_portal() -> Flask:
    """The other portal's Flask app; its state is `app.config['STATE']`."""
    app = Flask(__name__)
    state = OtherState()
    app.config["STATE"] = state

    def page(body: str, shell: bool = False, **values: object) -> str:
        inner = render_template_string(body, sicil=SICIL, sicil_shown=format_sicil(SICIL), **values)
        return render_template_string(PAGE, body=inner, shell=shell, sicil_shown=format_sicil(SICIL))

    @app.get("/")
    def start() -> str:
        return page(START)

    @app.route("/kimlik", methods=["GET", "POST"])
    def login():
        if request.method == "POST":
            if request.form.get("t") == TC and request.form.get("s") == PASSWORD:
                return redirect("/kod")
            return page(LOGIN, msg="T.C. Kimlik No veya şifre hatalı.")
        return redirect("/tur") if state.logged_in else page(LOGIN, msg="")

    @app.route("/kod", methods=["GET", "POST"])
    def code():
        if request.method == "POST":
            if request.form.get("k") != CODE:
                return page(CODE_PAGE, msg="Doğrulama kodu hatalı.")
            state.logged_in = True
            return redirect("/tur")
        return page(CODE_PAGE, msg="")

    @app.get("/tur")
    def choice() -> str:
        return page(CHOICE)

    @app.get("/liste")
    def workplaces() -> str:
        return page(LIST)

    @app.get("/sec/<sicil>")
    def choose(sicil: str) -> str:
        return page("<h2>Hoş geldiniz</h2>", shell=True)

    @app.get("/p/soz")
    def contracts() -> str:
        return page(CONTRACTS, shell=True, contracts=state.contracts, msg=request.args.get("m", ""))

    @app.route("/p/soz/<no>/onay", methods=["GET", "POST"])
    def approval(no: str):
        contract = next((c for c in state.contracts if c["no"] == no), None) or abort(404)
        if request.method == "POST" and request.form.get("ok") == "1":
            contract.update(approval="Onaylandı", status="Aktif")
            return redirect("/p/soz?m=Sözleşme onaylandı.")
        return page(APPROVAL, shell=True, c=contract)

    @app.get("/p/kart")
    def card() -> str:
        size = int(request.args.get("n", 5))
        pages = max(1, -(-len(state.employees) // size))
        current = min(int(request.args.get("p", 1)), pages)
        rows = state.employees[(current - 1) * size : current * size]
        return page(
            CARD,
            shell=True,
            tab=request.args.get("tab", "g"),
            active=len(state.employees),
            size=size,
            page=current,
            pages=pages,
            rows=rows,
            errors=request.args,
            emsg=request.args.get("em", ""),
            cmsg=request.args.get("cm", ""),
        )

    @app.post("/p/toplu")
    def bulk():
        state.bulk_requests += 1
        return redirect("/p/kart?tab=e&em=Toplu güncelleme talebiniz alındı.")

    @app.get("/ilceler")
    def districts():
        return jsonify({"Ankara": ["Çankaya", "Keçiören"], "İzmir": ["Konak", "Bornova"]}.get(request.args["il"], []))

    @app.post("/p/iletisim")
    def contact():
        if not request.form.get("tel", "").replace(" ", "").isdigit():
            return redirect("/p/kart?tab=c&tel=Geçerli bir telefon numarası giriniz.")
        state.contact = dict(request.form)
        return redirect("/p/kart?tab=c&cm=Bilgileriniz kaydedildi.")

    return app
