"""What the robot commands print for people: progress bars while working, then a summary table, the
report's path and what to do next (`rpa.cli.robot_json` has the `--json` documents). No full TC number,
and names masked unless the operator asked for personal data."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from rpa.flows.results import Outcome
from rpa.logs import mask_numbers
from rpa.privacy import mask_known_names
from rpa.report import RunReport


def make_console(stderr: bool = False) -> Console:
    """A console for people; when piped (no terminal width) wide enough for a sicil and a name per row."""
    console = Console(stderr=stderr)
    return console if console.is_terminal else Console(stderr=stderr, width=120)


class RunNotice:
    """No bars (`--json`): only the run id, on the console the JSON does not use."""

    def __init__(self, console: Console) -> None:
        self._console = console

    def started(self, run_id: str, accounts: list[str]) -> None:
        """Say which run this is."""
        self._console.print(f"Çalıştırma / run {run_id} ({len(accounts)} hesap / accounts)", highlight=False)

    def account(self, name: str) -> None:
        """Ignored."""

    def workplace(self, account: str, done: int, total: int, name: str) -> None:
        """Ignored."""

    def account_done(self, name: str, outcome: str) -> None:
        """Ignored."""


class RichProgress:
    """A progress bar per account, advancing per workplace (drawn on stderr)."""

    def __init__(self, console: Console) -> None:
        self._bars = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> RichProgress:
        self._bars.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._bars.stop()

    def started(self, run_id: str, accounts: list[str]) -> None:
        """Say which run this is, above the bars."""
        self._bars.console.print(f"Çalıştırma / run {run_id} ({len(accounts)} hesap / accounts)", highlight=False)

    def account(self, name: str) -> None:
        """An account starts (log in, read its workplaces)."""
        self._tasks[name] = self._bars.add_task(f"{name}: giriş / login", total=None)

    def account_done(self, name: str, outcome: str) -> None:
        """An account ended; a busy or stopped one says so on its bar."""
        words = {"busy": "meşgul / busy", "login_needed": "giriş gerekli / login needed", "failed": "hata / failed"}
        if name in self._tasks and outcome in words:
            self._bars.update(self._tasks[name], total=1, completed=1, description=f"{name}: {words[outcome]}")

    def workplace(self, account: str, done: int, total: int, name: str) -> None:
        """`done` of `total` workplaces finished; `name` is the next one."""
        label = f"{account}: {name[:48]}" if name else f"{account}: bitti / done"
        self._bars.update(
            self._tasks[account], total=total or 1, completed=done if total else 1, description=label
        )


# --- people -------------------------------------------------------------------------------------------

OUTCOME_WORDS = {
    Outcome.DONE: "onaylandı / approved",
    Outcome.HELD: "bekletildi / held",
    Outcome.FAILED: "hata / failed",
    Outcome.SKIPPED: "zaten onaylı / already approved",
    Outcome.WOULD_DO: "onaylanacak / would approve",
}
# A dry run did nothing yet: it says what would happen.
DRY_RUN_WORDS = {**OUTCOME_WORDS, Outcome.HELD: "bekletilecek / would hold"}


def _table(title: str, report_accounts: int, *columns: str) -> Table:
    """A compact table; the SGK sicil never wraps (people copy it), long names wrap (never cut short)."""
    table = Table(title=title, title_justify="left")
    if report_accounts > 1:
        table.add_column("Hesap", max_width=18, overflow="fold")
    table.add_column("SGK Sicil No", no_wrap=True, min_width=26)
    for column in columns:
        if column == "Değişen / hata":
            table.add_column(column, max_width=60, overflow="fold")
            continue
        wide = column in ("İşyeri", "İşyeri Unvanı")
        table.add_column(column, max_width=30 if wide else None, overflow="fold")
    return table


def _row(table: Table, report_accounts: int, account: str, *cells: str) -> None:
    table.add_row(*([account] if report_accounts > 1 else []), *cells)


def _accounts(results: list[Any]) -> int:
    return len({r.account for r in results})


def print_approve(console: Console, report: RunReport) -> None:
    """A row per workplace, then each held / failed contract with its reason."""
    n = _accounts(report.approve)
    extra = ("Onaylanacak",) if report.dry_run else ()
    table = _table(
        "Sözleşme onayları / contract approvals", n, "İşyeri", "Onay", "Bekl.", "Zaten", "Hata", *extra
    )
    for result in report.approve:
        for wp in result.workplaces:
            counts = [len(wp.with_outcome(o)) for o in (Outcome.DONE, Outcome.HELD, Outcome.SKIPPED)]
            counts.append(len(wp.with_outcome(Outcome.FAILED)) + (1 if wp.error else 0))
            if report.dry_run:
                counts.append(len(wp.with_outcome(Outcome.WOULD_DO)))
            _row(table, n, result.account, wp.sicil, wp.unvan or "", *map(str, counts))
    console.print(table)
    words = DRY_RUN_WORDS if report.dry_run else OUTCOME_WORDS
    for result in report.approve:
        for wp in result.workplaces:
            if wp.error:
                console.print(f"[red]✗ {wp.sicil}[/red]: {mask_numbers(wp.error)}", highlight=False)
            for c in wp.contracts:
                if c.outcome is Outcome.WOULD_DO:  # a dry run lists what it would approve, not only how many
                    console.print(f"[blue]• Sözleşme {c.contract_no or '—'} ({report.shown_name(c.professional)}, "
                                  f"{wp.sicil}) {words[c.outcome]}[/blue]", highlight=False)
                if c.outcome in (Outcome.HELD, Outcome.FAILED) or c.pdf_error or c.forced:
                    colour = "yellow" if c.outcome is Outcome.HELD else "red"
                    note = mask_numbers(c.reason or c.pdf_error or "")
                    note = note if report.show_personal_data else mask_known_names(note)
                    who = report.shown_name(c.professional)
                    console.print(
                        f"[{colour}]• Sözleşme {c.contract_no or '—'} ({who}, {wp.sicil}) "
                        f"{words[c.outcome]}[/{colour}]: {note}",
                        highlight=False,
                    )
    s = report.approve_summary()
    held = "bekletilecek / would hold" if report.dry_run else "bekletilen"
    line = f"Onaylanan {s.approved} · {held} {s.held} · zaten onaylı {s.skipped} · hata {s.failed}"
    console.print(line + (f" · onaylanacak / would approve {s.would_approve}" if report.dry_run else ""),
                  highlight=False)


def print_workplaces(console: Console, report: RunReport) -> None:
    """Each account's workplace list, new ones marked."""
    n = _accounts(report.refresh)
    table = _table("İşyerleri / workplaces", n, "İşyeri Unvanı", "Tehlike Sınıfı", "")
    for r in report.refresh:
        for w in r.workplaces:
            _row(
                table,
                n,
                r.account,
                w.sicil,
                w.unvan,
                str(w.hazard_class),
                "[green]yeni[/green]" if w.new else "",
            )
    console.print(table)
    for r in report.refresh:
        if r.requested:
            news = f"{len(r.new)} yeni işyeri" if r.new else "yeni işyeri görünmedi (no new workplace)"
            console.print(f"{r.account}: {r.message or ''} {news} ({r.waited_s:.1f} s)", highlight=False)
        if r.error:
            console.print(f"[red]{r.account}: {mask_numbers(r.error)}[/red]", highlight=False)


CONTACT_WORDS = {
    Outcome.DONE: "güncellendi",
    Outcome.SKIPPED: "zaten güncel",
    Outcome.HELD: "geçersiz",
    Outcome.FAILED: "hata",
    Outcome.WOULD_DO: "güncellenecek",
}
FIELD_WORDS = {
    "phone": "telefon",
    "email": "e-posta",
    "address": "adres",
    "il": "il",
    "ilce": "ilçe",
    "auto_update": "otomatik",
}


def print_contact(console: Console, report: RunReport) -> None:
    """One row per workplace: updated, unchanged, invalid or failed; the values are in the report."""
    n = _accounts(report.contact)
    table = _table("Kurumsal İletişim ve İzin İşlemleri", n, "Sonuç", "Değişen / hata")
    for r in report.contact:
        for i in r.items:
            detail = "; ".join(i.errors) or ", ".join(FIELD_WORDS.get(k, k) for k in i.changes)
            _row(table, n, r.account, i.sicil, CONTACT_WORDS[i.outcome], mask_numbers(detail))
    console.print(table)
    for r in report.contact:
        for i in r.items:
            if i.errors:
                console.print(f"[red]• {i.sicil}[/red]: {mask_numbers('; '.join(i.errors))}", highlight=False)


def print_next_steps(console: Console, report: RunReport, command: str) -> None:
    """What to do now."""
    for name, why in report.account_errors.items():
        console.print(f"[red]Hesap {name}[/red]: {mask_numbers(why)}", highlight=False)
    hints: list[str] = []
    names = [
        *report.logins_needed,
        *(r.account for r in report.account_results() if r.login_needed),
    ]
    for name in dict.fromkeys(names):
        hints.append(f"Log in for '{name}': `katip login --account {name}`, then run `{command}` again.")
    s = report.approve_summary()
    if s.held and not report.dry_run:
        hints.append(
            "Held contracts stay waiting: ask the OSGB to correct them, or approve one anyway (it cannot be "
            "undone) with `katip approve --force --contract NO`."
        )
    if s.failed or any(r.error for r in report.account_results()):
        hints.append(
            f"Some items failed: run `{command}` again (nothing is approved twice); the report links "
            "a screenshot and a trace for each failure."
        )
    if report.dry_run:
        hints.append("Dry run: nothing was changed on the portal. Run without --dry-run to do it.")
    for hint in hints:
        console.print(f"→ {hint}", highlight=False)


def print_where(console: Console, result: Any) -> None:
    """Where the run's report, PDFs and log are (every command ends with this), and its id."""
    if result.record.outcome == "failed":
        for problem in result.record.problems:
            console.print(f"[red]• {problem}[/red]", highlight=False)
    if result.report_path is None:  # a look (a plain listing): nothing was kept
        return
    console.print(f"Çalıştırma / run: {result.id} ({result.record.outcome})", highlight=False)
    console.print(f"Rapor / report: {result.report_path}", highlight=False)
    if result.record.flow == "approve":
        console.print(f"PDF'ler / PDFs: {result.contracts_dir}", highlight=False)
    console.print(f"Günlük / log: {result.run.log_file}", highlight=False)


def print_selfcheck(console: Console, found: Any) -> None:
    """Each screen: found, or the missing words with what the screen shows instead."""
    for screen in found.screens:
        if screen.note and not screen.checked:
            console.print(f"[dim]– {screen.name}: {screen.note}[/dim]", highlight=False)
        elif not screen.missing:
            console.print(f"[green]✓ {screen.name}[/green] ({len(screen.checked)} kelime / words)", highlight=False)
        else:
            console.print(f"[red]✗ {screen.name}[/red] {screen.url}", highlight=False)
            for missing in screen.missing:
                close = ", ".join(repr(c) for c in missing.candidates) or "—"
                console.print(f"    '{missing.expected}' yok / missing — en yakın / closest: {close}", highlight=False)
            if screen.screenshot:
                console.print(f"    ekran görüntüsü / screenshot: {screen.screenshot}", highlight=False)
    if found.login_needed:
        console.print(f"[yellow]{found.login_needed}[/yellow]", highlight=False)
    if found.error:
        console.print(f"[red]{found.error}[/red]", highlight=False)
    verdict = "[green]Portal değişmemiş / every word found[/green]" if found.ok else (
        "[red]Portal değişmiş / the portal changed[/red]: a profile (KATIP_PORTAL_PROFILE) maps the robot's words "
        "to the new ones; `katip selfcheck --write-profile FILE` drafts one")
    console.print(verdict, highlight=False)


def print_audit(console: Console, result: Any) -> None:
    """A row per workplace and profession (minutes required / assigned / short by), then the findings."""
    from rpa.audit.view import finding_lines, profession_lines
    from rpa.domain.audit import ProfessionStatus

    report = result.extra["audit"]
    table = Table(title="Uygunluk / compliance", title_justify="left")
    for column in ("SGK Sicil No", "İşyeri", "Tehlike", "Çalışan", "Meslek", "Gerekli dk", "Atanan dk", "Eksik dk",
                   "Durum"):
        table.add_column(column, no_wrap=column == "SGK Sicil No", overflow="fold")
    colours = {ProfessionStatus.MISSING: "red", ProfessionStatus.LOW: "yellow", ProfessionStatus.FINE: "green"}
    for line in profession_lines(report):
        colour = colours.get(line.status, "")
        table.add_row(line.sicil, line.unvan, line.hazard_class, str(line.employees), line.profession,
                      str(line.required_min), str(line.assigned_min), str(line.short_by),
                      f"[{colour}]{line.status_words}[/{colour}]" if colour else line.status_words)
    console.print(table)
    for finding in finding_lines(report, result.report.show_personal_data):
        console.print(f"[yellow]• {finding.sicil} {finding.code}[/yellow]: {finding.problem_tr} / "
                      f"{finding.problem_en} → {finding.action_tr} / {finding.action_en}", highlight=False)
    summary = report.summary
    console.print(f"İşyeri {summary.workplaces} · uygun / compliant {summary.compliant} · bulgulu / with findings "
                  f"{summary.with_findings}", highlight=False)
    for name, why in result.report.account_errors.items():
        console.print(f"[red]Hesap {name}[/red]: {mask_numbers(why)}", highlight=False)
    console.print(f"Excel: {result.extra.get('audit_xlsx')}", highlight=False)
