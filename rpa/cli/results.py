"""Printing any finished run, by its flow: tables for people or one JSON document, then where things are.

Every command that runs a flow (and `katip runs resume`, which may finish any of them) ends here.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, NoReturn

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from rpa.app.result import RunResult


def show(result: RunResult, console: Console, json_out: bool) -> NoReturn:
    """Print the run's result (tables or JSON), where its report and PDFs are, and exit with its status."""
    from rpa.cli import robot_json, robot_output
    from rpa.cli.common import finish

    report, flow = result.report, result.record.flow
    if flow == "roster_sync":
        _roster(result, console, json_out)
    documents = {"refresh": robot_json.workplaces_json, "approve": robot_json.approve_json,
                 "contact": robot_json.contact_json}
    printers = {"refresh": robot_output.print_workplaces, "approve": robot_output.print_approve,
                "contact": robot_output.print_contact}

    def tables() -> None:
        printers[flow](console, report)
        robot_output.print_next_steps(console, report, result.record.command)

    finish(result, console, json_out, documents[flow](report), tables)


def _roster(result: RunResult, console: Console, json_out: bool) -> NoReturn:
    from rpa.cli.robot_output import print_where
    from rpa.cli.sync_output import print_sync

    data, summary = result.extra["sync"], result.extra["summary"]
    shown = data.show_personal_data
    if json_out:
        document: dict[str, Any] = {
            "run_id": result.id, "dry_run": data.dry_run,
            "workplaces": [{**wp.to_json(shown), "account": acc} for acc, wp in data.workplaces],
            "summary": summary.model_dump(), "report": str(result.report_path), "outcome": result.record.outcome,
        }
        if data.account_errors:
            document["account_errors"] = data.account_errors
        if result.record.busy:
            document["busy"] = result.record.busy
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print_sync(console, data, summary, result.report_path)
    print_where(console, result)
    raise typer.Exit(int(result.status))
