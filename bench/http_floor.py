"""The HTTP floor: the robot's sequence of portal requests, sent by a plain HTTP client (httpx, no browser).

It knows the mock's paths (a benchmark may; the robot may not) and does the same work as
`katip approve` for one account, request for request:
log in (start page, e-Devlet login, two-step code from `/_dev/sms`, "Kurumsal"); per workplace: "Seç",
"İşyeri Kartı Bilgileri" and its "SGK 4A Çalışan Bilgileri" tab (the active count the rules need),
"İSG Hizmet Sözleşmeleri"; per waiting contract: select + "Sürece Git" (the approval page), the rule check,
"Tamamla" with the form token and the ticked box, select + "Detay Görüntüle", "PDF İndir" (saved and
checked like the robot does), back to the list. Static files (CSS, JS) are not fetched: a browser's cost.

Run alone: .venv/bin/python -m bench.http_floor --contracts 10
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import httpx

from rpa.domain.rules import check_contract
from rpa.flows.pdfcheck import pdf_names_contract

APPROVED = "Sözleşme onaylandı."
PENDING = "Onay Bekliyor"
_ACTIVE = re.compile(r"Aktif Çalışan Sayısı:\s*(\d+)")


class FloorError(RuntimeError):
    """The portal did not answer the way the sequence expects."""


@dataclass
class Form:
    """A form on a page: where it posts and its hidden fields (the CSRF token among them)."""

    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)


class _PageParser(HTMLParser):
    """Forms, links, table rows (cell texts and the row's radio value) and the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: dict[str, str] = {}
        self.rows: list[tuple[list[str], str | None]] = []
        self.text: list[str] = []
        self.fields: dict[str, str] = {}  # <dt>label</dt><dd>value</dd> pairs (the contract's fields)
        self._dt: list[str] | None = None
        self._dd: tuple[str, list[str]] | None = None
        self._form: Form | None = None
        self._cells: list[str] | None = None
        self._radio: str | None = None
        self._cell: list[str] | None = None
        self._link: tuple[str, list[str]] | None = None
        self._label: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif tag == "input" and a.get("type") == "radio" and a.get("name") == "id":
            self._radio = a.get("value")
        elif tag == "input" and self._form is not None and a.get("type") == "hidden":
            self._form.fields[a.get("name", "")] = a.get("value", "")
        elif tag == "tr":
            self._cells, self._radio = [], None
        elif tag in ("td", "th") and self._cells is not None:
            self._cell = []
        elif tag == "a":
            self._link = (a.get("href", ""), [])
        elif tag == "dt":
            self._dt = []
        elif tag == "dd" and self._label is not None:
            self._dd = (self._label, [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag in ("td", "th") and self._cells is not None and self._cell is not None:
            self._cells.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._cells is not None:
            self.rows.append((self._cells, self._radio))
            self._cells = None
        elif tag == "a" and self._link is not None:
            self.links[" ".join("".join(self._link[1]).split())] = self._link[0]
            self._link = None
        elif tag == "dt" and self._dt is not None:
            self._label, self._dt = " ".join("".join(self._dt).split()), None
        elif tag == "dd" and self._dd is not None:
            self.fields[self._dd[0]] = " ".join("".join(self._dd[1]).split())
            self._dd = self._label = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for part in (self._cell, self._link[1] if self._link else None, self._dt, self._dd[1] if self._dd else None):
            if part is not None:
                part.append(data)


@dataclass
class Page:
    """One parsed HTML answer."""

    url: str
    forms: list[Form]
    links: dict[str, str]
    rows: list[tuple[list[str], str | None]]
    fields: dict[str, str]
    text: str

    @classmethod
    def parse(cls, response: httpx.Response) -> Page:
        """Parse an HTML response; FloorError for a fault page."""
        if response.status_code >= 400:
            raise FloorError(f"{response.request.method} {response.url.path}: HTTP {response.status_code}")
        parser = _PageParser()
        parser.feed(response.text)
        text = " ".join(unescape(" ".join(parser.text)).split())
        return cls(str(response.url), parser.forms, parser.links, parser.rows, parser.fields, text)

    def form(self, action_part: str, has: dict[str, str] | None = None) -> Form:
        """The form posting to an action containing `action_part` (and carrying the `has` hidden fields)."""
        for form in self.forms:
            if action_part in form.action and all(form.fields.get(k) == v for k, v in (has or {}).items()):
                return form
        raise FloorError(f"{self.url}: no form for {action_part} {has or ''}")

    def table(self) -> list[dict[str, str]]:
        """The first table as dicts keyed by header, each with the row's radio value under '_id'."""
        if not self.rows:
            return []
        header = self.rows[0][0]
        return [{**dict(zip(header, cells, strict=False)), "_id": radio or ""} for cells, radio in self.rows[1:]]

    def labelled(self, label: str) -> str:
        """The value shown for a label ("Sözleşme No", "Unvan", ...)."""
        if label not in self.fields:
            raise FloorError(f"{self.url}: no {label!r} shown")
        return self.fields[label]


@dataclass
class FloorResult:
    """What one floor run did."""

    approved: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)


class Floor:
    """One logged-in HTTP session of one account (cookies kept, redirects followed like a browser)."""

    def __init__(self, base_url: str, timeout_s: float = 30.0) -> None:
        self.http = httpx.Client(base_url=base_url, follow_redirects=True, timeout=timeout_s)

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def get(self, path: str, **params: str) -> Page:
        """GET a page and parse it."""
        return Page.parse(self.http.get(path, params=params or None))

    def post(self, form: Form, **values: str) -> Page:
        """Submit a form (its hidden fields plus `values`) and parse the page it leads to."""
        return Page.parse(self.http.post(form.action, data={**form.fields, **values}))

    def log_in(self, tc: str, password: str) -> Page:
        """Start page, "e-Devlet Giriş", T.C. Kimlik No + şifre, the two-step code, "Kurumsal"."""
        start = self.get("/")
        login = self.get(start.links["e-Devlet Giriş"])
        two_step = self.post(login.form("/giris"), tc=tc, password=password)
        code = self.http.get("/_dev/sms", params={"tc": tc}).json()["code"]
        choice = self.post(two_step.form("/dogrulama"), code=code)
        corporate = choice.form("/isyerleri")
        return self.get(corporate.action)

    def approve_account(self, tc: str, password: str, out_dir: Path) -> FloorResult:
        """Everything `katip approve` does for this account, with plain requests."""
        result = FloorResult()
        workplaces = self.log_in(tc, password)
        listed = workplaces.table()
        for index, row in enumerate(listed):
            last_page = self._workplace(workplaces, row["SGK Sicil No"], row["Tehlike Sınıfı"], out_dir, result)
            if index + 1 < len(listed):
                workplaces = self.get(last_page.links["İşyeri Değiştir"])  # fresh "Seç" forms (one-time tokens)
        return result

    def _workplace(
        self, workplaces: Page, sicil: str, hazard: str, out_dir: Path, result: FloorResult
    ) -> Page:
        """"Seç", the active count, then each waiting contract; returns the last page shown."""
        shell = self.post(workplaces.form("/isyerleri/sec", {"sicil": sicil}))
        card = self.get(shell.links["İşyeri Kartı Bilgileri"])
        employees = self.get(card.links["SGK 4A Çalışan Bilgileri"])
        found = _ACTIVE.search(employees.text)
        if found is None:
            raise FloorError(f"{sicil}: no active count shown")
        active = int(found.group(1))
        contracts = self.get(employees.links["İSG Hizmet Sözleşmeleri"])
        done: set[str] = set()
        while True:
            waiting = [r for r in contracts.table() if r.get("Onay Durumu") == PENDING and r["_id"] not in done]
            if not waiting:
                return contracts
            no = waiting[0]["_id"]
            done.add(no)
            contracts = self._contract(no, hazard, active, out_dir / sicil, result)

    def _contract(self, no: str, hazard: str, active: int, out_dir: Path, result: FloorResult) -> Page:
        """"Sürece Git", check, "Tamamla", "Detay Görüntüle", "PDF İndir", back to the list."""
        approval = self.get("/sozlesmeler/sec", islem="surec", id=no)
        minutes = int(approval.labelled("Çalışma Süresi (dk/ay)"))
        problems = check_contract(approval.labelled("Unvan"), approval.labelled("Belge Sınıfı"), minutes,
                                  hazard, active)
        if problems:
            result.held.append(no)
            return self.get("/sozlesmeler/")
        listed = self.post(approval.form("/onay"), okudum="1", islem="tamamla")
        if APPROVED not in listed.text:
            raise FloorError(f"contract {no}: no '{APPROVED}' after Tamamla")
        result.approved.append(no)
        detail = self.get("/sozlesmeler/sec", islem="detay", id=no)
        answer = self.http.get(detail.form("/pdf").action)
        if answer.status_code != 200 or not answer.content.startswith(b"%PDF"):
            raise FloorError(f"contract {no}: no PDF (HTTP {answer.status_code})")
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"sozlesme-{no}.pdf"
        path.write_bytes(answer.content)
        if not pdf_names_contract(path, no):  # the robot's own check of what it keeps
            raise FloorError(f"contract {no}: the PDF does not name it")
        result.pdfs.append(path)
        return self.get(detail.links["İSG Hizmet Sözleşmeleri"])


def main() -> None:
    """Seed a portal, run the floor once, print what it did and how long it took."""
    import argparse
    import tempfile
    import time

    from bench.portal import PASSWORD, bench_seed, fresh_portal

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=10)
    args = parser.parse_args()
    data, accounts = bench_seed(1, 1, args.contracts)
    with tempfile.TemporaryDirectory() as tmp, fresh_portal(Path(tmp) / "portal", data) as portal:
        floor = Floor(portal.url)
        mark, started = portal.log.mark(), time.perf_counter()
        result = floor.approve_account(accounts[0].tc, PASSWORD, Path(tmp) / "out")
        took = time.perf_counter() - started
        floor.close()
        hits = portal.log.since(mark)
        print(f"approved {len(result.approved)} in {took:.2f} s ({took / max(1, len(result.approved)):.3f} s each);"
              f" {len(hits)} requests, {sum(h.seconds for h in hits):.2f} s of them in the portal")


if __name__ == "__main__":
    main()
