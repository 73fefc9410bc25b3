"""Make the sample roster the demo syncs, from the mock portal's fixed demo workplaces.

    .venv/bin/python data/make_sample_rosters.py            # spec + both workbooks, from the mock's seed
    .venv/bin/python data/make_sample_rosters.py build SPEC OUT.xlsx   # a workbook from an edited spec

The roster is what the clients' HR departments know: SGK's records of the demo workplaces w1..w4 (the
hires the portal's 4A list lacks as hired, its stale "Aktif" people with their leaving dates), so that
the sync verifies them, plus two facts SGK does not share, so that two exceptions remain:
- at Başkent Yazılım (w3) someone hired whose hire the employer never filed ("SGK kaydı bulunamadı");
- at Karadeniz Gıda (w4) someone who left but whose leave SGK does not know (still "Aktif").

Writes data/rosters/ornek-personel.json (the spec), data/rosters/ornek-personel.xlsx and its packaged
copy rpa/data/ornek-personel.xlsx (the demo reads that one, so it also runs from an installed package).

Spec: {"title": str, "prepared": "YYYY-MM-DD", "workplaces": [{"sicil": str, "unvan": str, "sheet": str,
"people": [{"tc": str, "name": str, "job": str, "hired": "YYYY-MM-DD", "left": "YYYY-MM-DD" | null}]}]}

The workbook looks like what an OSGB's back office keeps: one sheet per client workplace (named by the
company's short name), a title row and the SGK sicil above the header, TC numbers as text, real date
cells shown as dd.mm.yyyy, and a column the robot does not use ("Görevi").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rpa.domain.identifiers import format_sicil, generate_tc  # noqa: E402

SPEC = ROOT / "data" / "rosters" / "ornek-personel.json"
OUTPUTS = (ROOT / "data" / "rosters" / "ornek-personel.xlsx", ROOT / "rpa" / "data" / "ornek-personel.xlsx")
HEADER = ("Sıra No", "T.C. Kimlik No", "Adı Soyadı", "Görevi", "İşe Giriş Tarihi", "İşten Çıkış Tarihi")
SEED = 4242  # jobs and the unfiled hire's TC number: fixed, so the workbook is the same on every build
# The two facts only the roster knows (see the module docstring).
UNFILED_HIRE = {"workplace": "w3", "name": "Deniz Karaca", "job": "Yazılım Geliştirici", "hired": "2025-02-24"}
UNFILED_LEAVE = {"workplace": "w4", "left": "2025-02-21"}
SHEETS = {"w1": "Anadolu Tekstil", "w2": "Ege Metal", "w3": "Başkent Yazılım", "w4": "Karadeniz Gıda"}
JOBS = {
    "w1": ("Dikiş Operatörü", "Kesimci", "Ütücü", "Kalite Kontrol", "Depo Sorumlusu", "Modelist"),
    "w2": ("Döküm Operatörü", "Kaynakçı", "CNC Operatörü", "Forklift Operatörü", "Bakım Teknisyeni"),
    "w3": ("Yazılım Geliştirici", "Test Uzmanı", "Proje Yöneticisi", "Muhasebe"),
    "w4": ("Üretim Operatörü", "Paketleme", "Gıda Mühendisi", "Şoför", "Depo Elemanı"),
}


def spec_from_demo() -> dict[str, Any]:
    """The sample roster's spec: SGK's version of the demo workplaces plus the two unfiled facts."""
    from mock_portal import seed_demo
    from mock_portal.seed import REFERENCE_DAY, SeedOptions, generate

    # The demo account's rows come from their own fixed random stream, whatever the options.
    data = generate(SeedOptions(accounts=0))
    rng = random.Random(SEED)
    known = {row["tc"] for row in (*data.sgk, *data.employees, *data.accounts)}
    workplaces = []
    for place in seed_demo.WORKPLACES:
        truth = [row for row in data.sgk if row["sicil"] == place.sicil]
        people = [_person(row["tc"], row["name"], rng.choice(JOBS[place.key]), row["hired"], row["left"])
                  for row in truth]
        if place.key == UNFILED_LEAVE["workplace"]:
            # Someone SGK (and so the 4A list) still shows active: the employer never filed the leave.
            stale = next(p for p in people if p["left"] is None)
            stale["left"] = UNFILED_LEAVE["left"]
        if place.key == UNFILED_HIRE["workplace"]:
            people.append(_person(_unknown_tc(rng, known), UNFILED_HIRE["name"], UNFILED_HIRE["job"],
                                  UNFILED_HIRE["hired"], None))
        people.sort(key=lambda p: (p["hired"], p["name"]))  # HR lists people by hire date
        workplaces.append({"sicil": place.sicil, "unvan": place.unvan, "sheet": SHEETS[place.key],
                           "people": people})
    return {"title": "Personel Listesi", "prepared": REFERENCE_DAY.isoformat(), "workplaces": workplaces}


def _person(tc: str, name: str, job: str, hired: str, left: str | None) -> dict[str, Any]:
    return {"tc": tc, "name": name, "job": job, "hired": hired, "left": left}


def _unknown_tc(rng: random.Random, known: set[str]) -> str:
    while True:
        tc = generate_tc(rng)
        if tc not in known:
            return tc


def build_workbook(spec: dict[str, Any], out: Path) -> None:
    """Write the workbook a spec describes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    prepared = dt.date.fromisoformat(spec["prepared"])
    # The cells never change for the same spec; openpyxl stamps "modified" (and the zip) with the build time.
    workbook.properties.created = dt.datetime.combine(prepared, dt.time(9, 0))
    workbook.properties.creator = "İnsan Kaynakları"
    for place in spec["workplaces"]:
        sheet = workbook.create_sheet(place["sheet"])
        sheet.append([f"{place['unvan']} — {spec['title']}"])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([f"SGK İşyeri Sicil No: {format_sicil(place['sicil'])}"])
        sheet.append([f"Hazırlanma tarihi: {prepared:%d.%m.%Y}"])
        sheet.append([])
        sheet.append(list(HEADER))
        for cell in sheet[5]:
            cell.font = Font(bold=True)
        for number, person in enumerate(place["people"], start=1):
            left = dt.date.fromisoformat(person["left"]) if person.get("left") else None
            hired = dt.date.fromisoformat(person["hired"])
            sheet.append([number, person["tc"], person["name"], person.get("job", ""), hired, left])
            for cell in sheet[sheet.max_row][4:6]:
                cell.number_format = "DD.MM.YYYY"
        for column, width in zip("ABCDEF", (8, 16, 26, 20, 16, 18), strict=True):
            sheet.column_dimensions[column].width = width
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)


def main(argv: list[str] | None = None) -> None:
    """Command line: rebuild everything from the mock's seed, or `build` a workbook from a spec."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command")
    build = commands.add_parser("build", help="write the workbook of a (hand-edited) spec")
    build.add_argument("spec", type=Path)
    build.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "build":
        build_workbook(json.loads(args.spec.read_text(encoding="utf-8")), args.out)
        print(f"wrote {args.out}")
        return
    spec = spec_from_demo()
    SPEC.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {SPEC}")
    for out in OUTPUTS:
        build_workbook(spec, out)
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
