"""Set "Kurumsal İletişim ve İzin İşlemleri" (phone, e-mail, address, il, ilçe, automatic updates).

Each workplace is compared first: one already set as asked (Turkish-aware: "İZMİR" is "İzmir") is left
alone. The merged values are checked with the portal's own rules before anything is submitted, and the
portal's field errors are reported if it still refuses.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from loguru import logger
from pydantic import BaseModel, ConfigDict, Field

from rpa.contact_input import ALL_WORKPLACES, ContactRow, normalize_phone, same_text, validate_values
from rpa.domain.text import tr_fold
from rpa.errors import FormRejected, KatipError, LoginNeeded
from rpa.flows.common import ItemRunner, Navigator, account_work, each_workplace, error_text, evidence_recorder
from rpa.flows.ports import PortalSession
from rpa.flows.results import ContactOutcome, ContactResult, Outcome
from rpa.flows.retry import DEFAULT_POLICY, RetryPolicy
from rpa.flows.targets import choose_targets, workplace_error
from rpa.journal import NO_JOURNAL, AccountJournal, Kind, State
from rpa.models import ContactInfo

FIELDS = ("phone", "email", "address", "il", "ilce", "auto_update")


class ContactRequest(BaseModel):
    """The contact rows to apply with one account (one row per sicil)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    account: str
    rows: list[ContactRow]
    skip_foreign: bool = False  # several accounts: a row outside this account's list is another's
    dry_run: bool = False
    evidence_dir: Path | None = None
    # Asked between items (scheduled runs: shutdown or max_runtime); what is left waits for the next run.
    should_stop: Callable[[], bool] | None = Field(default=None, exclude=True, repr=False)
    # Each submission is written down before and after (rpa.journal): a resumed run skips what is done.
    journal: AccountJournal = Field(default=NO_JOURNAL, exclude=True, repr=False)


@dataclass
class _Item:
    row: ContactRow
    submitted: bool = False
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    outcome: Outcome | None = None
    message: str | None = None


def run(
    session: PortalSession,
    request: ContactRequest,
    *,
    policy: RetryPolicy = DEFAULT_POLICY,
    sleep: Callable[[float], None] = time.sleep,
    on_workplace: Callable[[int, int, str], None] | None = None,
) -> ContactResult:
    """Apply each row to its workplace; every workplace ends done, skipped, held (invalid) or failed.

    `on_workplace(done, total, name)` is told before each workplace and once at the end (progress bars).
    """
    log = logger.bind(flow="contact", account=request.account)
    result = ContactResult(account=request.account, dry_run=request.dry_run)
    nav = Navigator(session, policy, sleep)
    runner = ItemRunner(nav, evidence_recorder(session, request.evidence_dir), policy, sleep)
    rows = {r.sicil: r for r in request.rows}
    every = rows.pop(ALL_WORKPLACES, None)
    with account_work(runner, result, log):
        listed = runner.step("read the workplace list", lambda: nav.workplaces().workplaces())
        targets = choose_targets(listed, list(rows), request.skip_foreign)
        if every is not None:  # the same values for every workplace this account lists (a row of its own wins)
            targets += [(w.sicil, w) for w in listed if w.sicil not in rows]
            rows |= {w.sicil: every.model_copy(update={"sicil": w.sicil}) for w in listed if w.sicil not in rows}
        for sicil, _workplace in each_workplace(nav, targets, request.should_stop, on_workplace, log):
            result.items.append(_one(runner, request, rows[sicil]))
    return result


def _one(runner: ItemRunner, request: ContactRequest, row: ContactRow) -> ContactOutcome:
    """One workplace's contact form; never raises but LoginNeeded."""
    label = f"contact-{row.sicil}"
    runner.begin(label)
    item = _Item(row)
    done = ContactOutcome(sicil=row.sicil, outcome=Outcome.FAILED)
    if request.journal.state(Kind.CONTACT, row.sicil) is State.DONE:
        runner.succeeded()
        done.outcome, done.message = Outcome.SKIPPED, "Bu çalıştırmada zaten yapıldı (done before the resume)."
        return done
    try:
        runner.step("update contact details", lambda: _compare_and_submit(runner.nav, request, item))
        done.outcome, done.changes = item.outcome or Outcome.FAILED, item.changes
        done.message, done.errors = item.message, item.errors
        runner.succeeded()
    except LoginNeeded:
        raise
    except FormRejected as exc:
        done.changes, done.message = item.changes, error_text(exc)
        done.errors = list(exc.field_errors)
        done.evidence = runner.failed(label)
    except KatipError as exc:
        done.changes, done.errors = item.changes, [workplace_error(exc)]
        done.evidence = runner.failed(label)
    except Exception as exc:  # one workplace's failure never stops the others
        done.changes, done.errors = item.changes, [error_text(exc)]
        done.evidence = runner.failed(label)
    done.attempts = runner.attempts.count
    if item.submitted or done.outcome is Outcome.HELD:
        state = {Outcome.DONE: State.DONE, Outcome.HELD: State.HELD}.get(done.outcome, State.FAILED)
        request.journal.mark(Kind.CONTACT, row.sicil, row.sicil, state, reason="; ".join(done.errors))
    logger.bind(flow="contact", workplace=row.sicil).info("{} {}", done.outcome, done.errors or "")
    return done


def _compare_and_submit(nav: Navigator, request: ContactRequest, item: _Item) -> None:
    """Read the form, decide, and submit if needed (a retry re-reads: a lost answer may have saved it)."""
    tab = nav.card(item.row.sicil).contact_tab()
    current = tab.current()
    wanted = merged(current, item.row)
    changes = differences(current, wanted)
    if not changes:
        item.outcome = Outcome.DONE if item.submitted else Outcome.SKIPPED
        item.message = item.message if item.submitted else "Zaten istenen değerlerde (already as asked)."
        return
    item.changes = changes
    errors = validate_values(wanted.phone, wanted.email, wanted.address, wanted.il, wanted.ilce)
    if errors:
        item.outcome, item.errors = Outcome.HELD, [f"{name}: {message}" for name, message in errors.items()]
        return
    if request.dry_run:
        item.outcome = Outcome.WOULD_DO
        return
    item.submitted = True
    request.journal.mark(Kind.CONTACT, item.row.sicil, item.row.sicil, State.IN_PROGRESS, label=item.row.sicil)
    item.message = tab.submit(wanted)
    item.outcome = Outcome.DONE


def merged(current: ContactInfo, row: ContactRow) -> ContactInfo:
    """The values to submit: what the row asks, the portal's current value for what it leaves out."""
    asked = {name: getattr(row, name) for name in FIELDS if getattr(row, name) is not None}
    if row.il is not None and row.ilce is None and tr_fold(row.il) != tr_fold(current.il):
        asked["ilce"] = ""  # a district of the old province cannot stay; validation then asks for one
    return current.model_copy(update=asked)


def differences(current: ContactInfo, wanted: ContactInfo) -> dict[str, tuple[str, str]]:
    """Field -> (current, wanted) for every field that really differs."""
    changed: dict[str, tuple[str, str]] = {}
    for name in FIELDS:
        was, now = getattr(current, name), getattr(wanted, name)
        if not _same(name, was, now):
            changed[name] = (_show(was), _show(now))
    return changed


def _same(name: str, a: object, b: object) -> bool:
    if name == "auto_update":
        return a == b
    a, b = str(a or ""), str(b or "")
    if name == "phone":
        return _phone_key(a) == _phone_key(b)
    if name == "email":
        return a.strip().lower() == b.strip().lower()
    if name in ("il", "ilce"):
        return tr_fold(a) == tr_fold(b)
    return same_text(a, b)


def _phone_key(value: str) -> str:
    try:
        return normalize_phone(value)
    except ValueError:
        return value.strip()


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "EVET" if value else "HAYIR"
    return "" if value is None else str(value)
