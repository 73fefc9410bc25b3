"""The deterministic seed generator: same options, same portal, byte for byte."""

from __future__ import annotations

from datetime import timedelta

from mock_portal import law
from mock_portal import seed_demo as demo
from mock_portal.seed_names import PROVIDERS
from mock_portal.seed_rows import REFERENCE_DAY, RowMaker, SeedData, SeedOptions, iso
from rpa.domain.geo import PROVINCES
from rpa.domain.identifiers import generate_sicil
from rpa.domain.rules import HazardClass, Title

HAZARDS = (HazardClass.AZ, HazardClass.TEHLIKELI, HazardClass.COK)


def _required(title: Title, hazard: HazardClass, active: int) -> int:
    return min(law.minimum_minutes(title, hazard, active), law.MOST_MINUTES)


def _add_demo(gen: RowMaker) -> None:
    """The fixed demo account: same rows whatever the options (its own RNG for names and dates)."""
    fixed = RowMaker(SeedOptions(accounts=0, seed=31_337))
    fixed.next_no, fixed.tcs = gen.next_no, gen.tcs
    fixed.account(demo.DEMO_TC, demo.DEMO_NAME, demo.DEMO_PASSWORD)
    fixed.data.accounts[-1]["phone"] = demo.DEMO_PHONE
    gen.tcs.add(demo.DEMO_TC)
    pros = {p.key: p for p in demo.PROFESSIONALS}
    for pro in demo.PROFESSIONALS:
        fixed.account(pro.tc, pro.name, demo.DEMO_PASSWORD)
        gen.tcs.add(pro.tc)
    places = {w.key: w for w in demo.WORKPLACES}
    for place in demo.WORKPLACES:
        fixed.workplace_row(
            place.sicil, place.unvan, place.hazard, place.nace, place.il_code, place.ilce, False
        )
        fixed.data.account_workplaces.append(
            {"tc": demo.DEMO_TC, "sicil": place.sicil, "visible": int(place.visible)}
        )
        fixed.staff(place.sicil, place.active, place.left, place.sgk_hires, place.sgk_leavers)
        gen.sicils.add(place.sicil)
        gen.unvans.add(place.unvan)
    numbers: list[str] = []
    for spec in demo.CONTRACTS:
        pro = pros[spec.professional]
        parent = numbers[spec.parent] if spec.parent is not None else None
        numbers.append(
            fixed.contract(
                places[spec.workplace].sicil,
                (pro.tc, pro.name, pro.cert_class),
                pro.title,
                spec.minutes,
                spec.process_type,
                spec.status,
                spec.approval,
                spec.start,
                parent,
                spec.reject_reason,
                PROVIDERS[0],
            )
        )
    gen.next_no = fixed.next_no
    for table in SeedData.TABLES:
        getattr(gen.data, table).extend(getattr(fixed.data, table))


# What the audit must find in every generated account: its first workplace breaks the law in one of
# these ways (chosen by its hazard class, alternating between accounts), the others at random.
PLANTS = {
    HazardClass.AZ: ("no_physician", "terminated_only"),
    HazardClass.TEHLIKELI: ("class_c", "minutes_low"),
    HazardClass.COK: ("no_dsp", "minutes_low"),
}


def plant_for(index: int, number: int, hazard: HazardClass, active: int) -> str | None:
    """The planted problem of an account's workplace (None: its contracts are left to chance)."""
    if number != 0:
        return None
    plant = PLANTS[hazard][(index // 3) % 2]
    if plant == "no_dsp" and active < 10:
        return "minutes_low"
    if plant == "minutes_low" and _required(Title.UZMAN, hazard, active) < 2:
        return "no_physician"
    return plant


def _planted(gen: RowMaker, sicil: str, hazard: HazardClass, active: int, title: Title, plant: str) -> bool:
    """Write this title's contracts for the planted problem; False when the plant leaves it to chance.

    no_physician / no_dsp: none at all. terminated_only: one ended contract that no longer counts.
    class_c: an approved class C expert at a "Tehlikeli" workplace. minutes_low: an approved contract
    the headcount outgrew ("Mevzuata Uygun: Hayır")."""
    required = _required(title, hazard, active)
    started = iso(REFERENCE_DAY - timedelta(days=400))
    if (plant, title) in {("no_physician", Title.HEKIM), ("no_dsp", Title.DSP)}:
        return True
    if title is not Title.UZMAN or plant not in {"terminated_only", "class_c", "minutes_low"}:
        return False
    if plant == "terminated_only":
        gen.contract(sicil, gen.pick_professional(title, hazard), title, max(required, 30), "Yeni Sözleşme",
                     "Sonlandırıldı", "Onaylandı", started)
    elif plant == "class_c":
        gen.contract(sicil, gen.pick_professional(title, hazard, cert_ok=False), title, max(required, 30),
                     "Yeni Sözleşme", "Aktif", "Onaylandı", started)
    else:
        gen.contract(sicil, gen.pick_professional(title, hazard), title, max(1, required * 7 // 10),
                     "Yeni Sözleşme", "Aktif", "Onaylandı", started)
    return True


def _title_contracts(gen: RowMaker, sicil: str, hazard: HazardClass, active: int, title: Title,
                     plant: str | None = None) -> None:
    """One title's history at a generated workplace: active, ended, rejected, pending (right or wrong)."""
    if plant is not None and _planted(gen, sicil, hazard, active, title, plant):
        return
    rng = gen.rng
    required = _required(title, hazard, active)
    fair = max(required, 30)

    def day(low: int, high: int) -> str:
        return iso(REFERENCE_DAY - timedelta(days=rng.randint(low, high)))

    def minutes(factor_low: float, factor_high: float) -> int:
        return int(fair * rng.uniform(factor_low, factor_high)) // 10 * 10 + 10

    if rng.random() < 0.4:
        gen.contract(
            sicil,
            gen.pick_professional(title, hazard),
            title,
            minutes(1.0, 1.2),
            "Yeni Sözleşme",
            "Sonlandırıldı",
            "Onaylandı",
            day(900, 1500),
        )
    if rng.random() < 0.15:
        gen.contract(
            sicil,
            gen.pick_professional(title, hazard),
            title,
            minutes(1.0, 1.2),
            "Yeni Sözleşme",
            "Sonlandırıldı",
            "Reddedildi",
            day(60, 400),
            reject_reason="Çalışma süresi hatalı girilmiş.",
        )
    plan = rng.choices(("active", "update", "new"), weights=(5, 3, 3))[0]
    # What is wrong with the pending contract, if anything: cert only for experts where a class can fail.
    flaws = ["ok", "ok", "ok"]
    if required >= 2:
        flaws.append("low")
    if title is Title.UZMAN and hazard is not HazardClass.AZ:
        flaws.append("cert")
    flaw = rng.choice(flaws)
    pending_minutes = max(1, required * 6 // 10) if flaw == "low" else minutes(1.15, 1.35)
    if plan == "new":
        who = gen.pick_professional(title, hazard, cert_ok=flaw != "cert")
        gen.contract(
            sicil,
            who,
            title,
            pending_minutes,
            "Yeni Sözleşme",
            "Beklemede",
            "Onay Bekliyor",
            iso(REFERENCE_DAY + timedelta(days=rng.randint(0, 20))),
        )
        return
    who = gen.pick_professional(title, hazard)
    # Some active contracts lag behind the current head count ("Mevzuata Uygun: Hayır").
    active_minutes = minutes(0.7, 0.95) if plan == "update" or rng.random() < 0.1 else minutes(1.1, 1.3)
    parent = gen.contract(
        sicil, who, title, active_minutes, "Yeni Sözleşme", "Aktif", "Onaylandı", day(100, 800)
    )
    if plan == "update":
        gen.contract(
            sicil,
            who,
            title,
            pending_minutes,
            "Süre Güncelleme",
            "Beklemede",
            "Onay Bekliyor",
            iso(REFERENCE_DAY + timedelta(days=rng.randint(0, 20))),
            parent_no=parent,
        )


def _add_accounts(gen: RowMaker) -> None:
    """The generated employer accounts; every third has no two-step verification, every third (+2)
    one more workplace that shows up only after the E-Bildirge refresh."""
    opts, rng = gen.options, gen.rng
    provinces = list(PROVINCES)
    for index in range(opts.accounts):
        tc = gen.unique_tc()
        gen.account(tc, gen.name(), gen.password(), two_step=index % 3 != 1)
        extra = 1 if index % 3 == 2 else 0
        for number in range(opts.workplaces_per_account + extra):
            hazard = HAZARDS[(index + number) % 3]
            il_code = 34 if rng.random() < 0.25 else rng.randint(1, 81)
            sicil = generate_sicil(rng, il_code)
            while sicil in gen.sicils:
                sicil = generate_sicil(rng, il_code)
            gen.sicils.add(sicil)
            unvan, nace = gen.unvan(hazard)
            ilce = rng.choice(PROVINCES[provinces[il_code - 1]])
            gen.workplace_row(sicil, unvan, hazard, nace, il_code, ilce, with_contact=rng.random() < 0.5)
            visible = number < opts.workplaces_per_account
            gen.data.account_workplaces.append({"tc": tc, "sicil": sicil, "visible": int(visible)})
            people = opts.employees_per_workplace
            left = people * 12 // 100
            in_sync = number % 4 == 3  # some workplaces already match SGK: nothing to sync there
            hires = 0 if in_sync else max(1, people // 20)
            leavers = 0 if in_sync else min(people - left, max(1, people // 25))
            gen.staff(sicil, people - left, left, hires, leavers)
            titles = [Title.UZMAN, Title.HEKIM]
            if hazard is HazardClass.COK and people - left >= 10:
                titles.append(Title.DSP)
            plant = plant_for(index, number, hazard, people - left)
            for title in titles:
                _title_contracts(gen, sicil, hazard, people - left, title, plant)


def generate(options: SeedOptions | None = None) -> SeedData:
    """A whole portal: the demo account, a pool of professionals, the generated employer accounts."""
    options = options or SeedOptions()
    gen = RowMaker(options)
    _add_demo(gen)
    gen.professionals(max(2, -(-options.accounts * options.workplaces_per_account // 8)))
    _add_accounts(gen)
    return gen.data
