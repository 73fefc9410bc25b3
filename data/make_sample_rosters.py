"""Make the sample roster workbook the demo reads (data/rosters/ornek-personel.xlsx).

Two steps, so that the people can be replaced by the mock portal's demo employees later:

    # 1. a spec (JSON) with random people for the given workplaces
    .venv/bin/python data/make_sample_rosters.py generate --out data/rosters/ornek-personel.json \\
        --workplace "11320010112345670341542000=Anadolu Tekstil San. ve Tic. A.Ş." --people 40 --seed 7
    # 2. the workbook from a spec (edit the spec, or write one from the mock's demo data, then rebuild)
    .venv/bin/python data/make_sample_rosters.py build data/rosters/ornek-personel.json \\
        data/rosters/ornek-personel.xlsx

Spec: {"title": str, "prepared": "YYYY-MM-DD", "workplaces": [{"sicil": str, "unvan": str,
"people": [{"tc": str, "name": str, "job": str, "hired": "YYYY-MM-DD", "left": "YYYY-MM-DD" | null}]}]}

The workbook looks like what an accountant sends: one sheet per workplace, a title and the sicil above the
header, TC numbers as text, real date cells shown as dd.mm.yyyy, a column the robot does not use ("Görevi").
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rpa.domain.identifiers import format_sicil, generate_tc, normalize_sicil  # noqa: E402

FIRST_NAMES = (
    "Ahmet", "Mehmet", "Mustafa", "Ali", "Hüseyin", "Hasan", "İbrahim", "İsmail", "Osman", "Yusuf", "Murat",
    "Ömer", "Ramazan", "Halil", "Süleyman", "Emre", "Burak", "Oğuz", "Çağrı", "Uğur", "Fatma", "Ayşe",
    "Emine", "Hatice", "Zeynep", "Elif", "Meryem", "Şerife", "Sultan", "Hanife", "Merve", "Büşra", "Özlem",
    "Gülşen", "İlknur", "Ebru", "Tuğba", "Şeyma", "Çiğdem", "Işıl",
)  # fmt: skip
LAST_NAMES = (
    "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir",
    "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan", "Şimşek", "Polat",
    "Korkmaz", "Çakır", "Erdoğan", "Güneş", "Ağaoğlu", "Işık", "Akgül", "Bulut", "Gündüz",
)  # fmt: skip
JOBS = (
    "Operatör",
    "Usta",
    "Muhasebe",
    "Satış",
    "Depo",
    "Şoför",
    "Temizlik",
    "Güvenlik",
    "Mühendis",
    "Teknisyen",
)
HEADER = ("Sıra No", "T.C. Kimlik No", "Adı Soyadı", "Görevi", "İşe Giriş Tarihi", "İşten Çıkış Tarihi")


def generate_spec(workplaces: list[tuple[str, str]], people: int, left: int, seed: int) -> dict:
    """A spec with `people` active and `left` former employees per workplace."""
    rng = random.Random(seed)
    today = dt.date.today()
    spec_workplaces = []
    for sicil, unvan in workplaces:
        rows = []
        for i in range(people + left):
            hired = today - dt.timedelta(days=rng.randint(60, 4000))
            # The first `people` are still employed; the rest left on some day after they were hired.
            gone = (
                hired + dt.timedelta(days=rng.randint(1, (today - hired).days - 1)) if i >= people else None
            )
            rows.append(
                {
                    "tc": generate_tc(rng),
                    "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    "job": rng.choice(JOBS),
                    "hired": hired.isoformat(),
                    "left": gone.isoformat() if gone else None,
                }
            )
        spec_workplaces.append({"sicil": normalize_sicil(sicil), "unvan": unvan, "people": rows})
    return {"title": "Personel Listesi", "prepared": today.isoformat(), "workplaces": spec_workplaces}


def _sheet_title(unvan: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ and unique within the workbook.
    base = re.sub(r"[\[\]:*?/\\]", "", unvan)[:31].strip()
    title, n = base, 2
    while title in used:
        title = f"{base[:28]} ({n})"
        n += 1
    used.add(title)
    return title


def build_workbook(spec: dict, out: Path) -> None:
    """Write the workbook a spec describes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    prepared = dt.date.fromisoformat(spec["prepared"])
    for place in spec["workplaces"]:
        sheet = workbook.create_sheet(_sheet_title(place["unvan"], used))
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
        for column, width in zip("ABCDEF", (8, 16, 26, 14, 16, 18), strict=True):
            sheet.column_dimensions[column].width = width
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)


def _workplace(text: str) -> tuple[str, str]:
    sicil, _, unvan = text.partition("=")
    return normalize_sicil(sicil), unvan or f"İşyeri {sicil[-8:]}"


def main(argv: list[str] | None = None) -> None:
    """Command line: `generate` a spec, or `build` a workbook from one."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("generate", help="write a spec with random people")
    gen.add_argument("--workplace", action="append", required=True, type=_workplace, help="SICIL=Unvan")
    gen.add_argument("--people", type=int, default=20, help="active employees per workplace")
    gen.add_argument("--left", type=int, default=3, help="former employees per workplace")
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--out", type=Path, required=True)
    build = commands.add_parser("build", help="write the workbook of a spec")
    build.add_argument("spec", type=Path)
    build.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "generate":
        spec = generate_spec(args.workplace, args.people, args.left, args.seed)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    else:
        build_workbook(json.loads(args.spec.read_text(encoding="utf-8")), args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
