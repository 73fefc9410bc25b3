"""The same person twice in one workplace: merge when the rows agree, reject them together when not."""

from __future__ import annotations

from datetime import date

from rpa.domain.text import tr_fold
from rpa.roster.models import RejectedRow, RosterRow, RowRef


def _same_facts(a: RosterRow, b: RosterRow) -> bool:
    # Names are compared as a matching key: "AHMET YILMAZ" and "Ahmet Yılmaz" are the same name.
    return tr_fold(a.name) == tr_fold(b.name) and a.hired == b.hired and a.left == b.left


def _differences(a: RosterRow, b: RosterRow) -> tuple[list[str], list[str]]:
    tr, en = [], []
    if tr_fold(a.name) != tr_fold(b.name):
        tr.append("ad soyad")
        en.append("name")
    if a.hired != b.hired:
        tr.append("işe giriş tarihi")
        en.append("hire date")
    if a.left != b.left:
        tr.append("çıkış tarihi")
        en.append("leaving date")
    return tr, en


def _successive(periods: list[RosterRow]) -> bool:
    """True when each employment ended before the next began (the person left and was hired again)."""
    if any(p.hired is None for p in periods):
        return False
    ordered = sorted(periods, key=lambda p: p.hired or date.min)  # no None here: refused above
    return all(
        earlier.left is not None and later.hired is not None and earlier.left < later.hired
        for earlier, later in zip(ordered, ordered[1:], strict=False)
    ) and tr_fold(ordered[0].name) == tr_fold(ordered[-1].name)


def _where(ref: RowRef, here: RowRef) -> str:
    if ref.file != here.file:
        return f"{ref.file} › {ref.sheet} › {ref.row}"
    if ref.sheet != here.sheet:
        return f"{ref.sheet} › {ref.row}"
    return str(ref.row)


def _conflict(row: RosterRow, others: list[RosterRow]) -> RejectedRow:
    first = next((o for o in others if not _same_facts(row, o)), others[0])
    diff_tr, diff_en = _differences(row, first)
    places = ", ".join(_where(o.source, row.source) for o in others)
    return RejectedRow(
        source=row.source,
        column="TC Kimlik No",
        value=row.tc,
        reason_tr=f"aynı kişi satır {places} ile çelişiyor ({', '.join(diff_tr)})",
        reason_en=f"same person conflicts with row {places} ({', '.join(diff_en)})",
        tc_column=True,
        tc=row.tc,
        sicil=row.sicil,
    )


def resolve_duplicates(rows: list[RosterRow]) -> tuple[list[RosterRow], list[RejectedRow], list[RowRef]]:
    """(one row per person and workplace, rows rejected for conflicting, rows merged into another)."""
    first: dict[tuple[str, str], RosterRow] = {}
    groups: dict[tuple[str, str], list[RosterRow]] = {}
    for row in rows:
        key = (row.sicil, row.tc)
        if key in first:
            groups.setdefault(key, [first[key]]).append(row)
        else:
            first[key] = row
    people = [row for key, row in first.items() if key not in groups]
    rejected: list[RejectedRow] = []
    merged: list[RowRef] = []
    for group in groups.values():
        # Identical rows collapse first; what remains are distinct statements about the person.
        distinct: list[RosterRow] = []
        for row in group:
            twin = next((d for d in distinct if _same_facts(d, row)), None)
            if twin is None:
                distinct.append(row)
            else:
                distinct[distinct.index(twin)] = twin.model_copy(
                    update={"duplicates": (*twin.duplicates, row.source)}
                )
                merged.append(row.source)
        if len(distinct) == 1:
            people.append(distinct[0])
        elif _successive(distinct):
            # Left and was hired again: the latest employment is the person's state today; the earlier rows
            # were read correctly and count as accepted history.
            latest = max(distinct, key=lambda p: p.hired)  # type: ignore[arg-type, return-value]
            history = tuple(ref for d in distinct if d is not latest for ref in (d.source, *d.duplicates))
            people.append(latest.model_copy(update={"duplicates": (*latest.duplicates, *history)}))
        else:
            for row in group:
                rejected.append(_conflict(row, [other for other in group if other is not row]))
            merged = [ref for ref in merged if ref not in {r.source for r in group}]
    return people, rejected, merged
