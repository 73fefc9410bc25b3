"""`katip chaos`: the chaos suite of issue 6 against a mock portal, with its figures."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rpa.cli import app

if TYPE_CHECKING:
    from rich.console import Console

    from rpa.chaos.suite import SuiteResult

EXIT_OK, EXIT_LOST_OR_DOUBLED = 0, 1


@app.command()
def chaos(
    url: Annotated[
        str | None, typer.Option(help="A mock portal in test mode (`katip portal --test-mode`); default: "
                                      "start a fresh one in this process.")
    ] = None,
    workplaces: Annotated[int, typer.Option(min=3, help="Workplaces with a waiting contract (3 accounts).")] = 30,
    error_rate: Annotated[float, typer.Option(min=0.0, max=1.0, help="Share of requests answered 500.")] = 0.2,
    latency_ms: Annotated[int, typer.Option(min=0, help="Random latency of each request: 0 to this.")] = 150,
    idle_s: Annotated[float, typer.Option(min=1.0, help="Session idle time before the portal logs out.")] = 20.0,
    seed: Annotated[int, typer.Option(help="Seed of the portal's data, its faults and the kill points.")] = 6,
    kills: Annotated[int, typer.Option(min=0, help="Kill points of the kill -9 and resume run (0: skip it).")] = 5,
    workdir: Annotated[
        Path | None, typer.Option(help="Where the runs keep their state and output (default: a new temp dir).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Approvals and a roster sync under chaos, then a run killed and resumed; compared with a fault-free run.

    Without --url a mock portal is started here. With --url the mock there is reset (same seed) before
    each run, so do not point it at a portal anyone else uses. Exit status 0 only when nothing was lost
    (mismatches 0) and nothing doubled (duplicates 0).
    """
    # The suite loads Flask, httpx and the journal: only when this command runs, so `katip --help` stays fast.
    from rich.console import Console

    from rpa.chaos.runs import ChaosOptions
    from rpa.chaos.suite import run_suite

    console = Console(stderr=as_json, highlight=False)
    options = ChaosOptions(seed=seed, workplaces=workplaces, error_rate=error_rate, latency_ms=(0, latency_ms),
                           session_ttl_s=idle_s)
    where = workdir or Path(tempfile.mkdtemp(prefix="katip-chaos-"))
    result = run_suite(where, options, url, kills, progress=lambda line: console.print(line))
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
    else:
        _print_table(console, result)
    raise typer.Exit(EXIT_OK if result.ok else EXIT_LOST_OR_DOUBLED)


def _print_table(console: Console, result: SuiteResult) -> None:
    from rich.table import Table

    from rpa.chaos.figures import table_rows

    table = Table(title=f"Chaos suite ({result.reference.approvals} approvals in the fault-free run)",
                  title_justify="left")
    table.add_column("")
    for part in result.parts:
        table.add_column(part.part, justify="right")
    for label, values in table_rows(result.parts):
        table.add_row(label, *values)
    console.print(table)
    for part in result.parts:
        for line in part.differing:
            console.print(f"[red]{part.part}[/red] {line}")
    verdict = "[green]OK: nothing lost, nothing doubled[/green]" if result.ok else "[red]LOST OR DOUBLED[/red]"
    console.print(f"{verdict} · {result.seconds} s · files: {result.workdir}")
