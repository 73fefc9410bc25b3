"""`katip chaos` prints the suite's figures and fails unless nothing was lost or doubled."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import rpa.chaos.suite as suite
from rpa.chaos.figures import Figures, Reference
from rpa.chaos.measure import duplicates, mismatches
from rpa.cli import _register_commands, app


def finished(duplicated: int = 0) -> suite.SuiteResult:
    approvals = Figures("approvals", workplaces=30, items_attempted=41, faults={"error_500": 57, "idle_out": 2},
                        retries=60, portal_actions=41, mismatches=0, duplicates=duplicated, missing_pdfs=0)
    kills = Figures("kill and resume", kill_points=[0.3, 1.1], resumes=2, mismatches=0, duplicates=0,
                    missing_pdfs=0)
    return suite.SuiteResult(Reference({}, approvals=41), [approvals, kills])


@pytest.fixture
def katip(monkeypatch, tmp_path):
    _register_commands()
    asked = {}

    def run(workdir, options, url, kills, progress):
        asked.update(options=options, url=url, kills=kills)
        return asked["result"]

    monkeypatch.setattr(suite, "run_suite", run)

    def invoke(result: suite.SuiteResult, *args: str):
        asked["result"] = result
        return CliRunner().invoke(app, ["chaos", "--workdir", str(tmp_path), *args]), asked

    return invoke


def test_a_clean_run_prints_its_figures_and_exits_0(katip):
    answer, asked = katip(finished(), "--error-rate", "0.3", "--workplaces", "12", "--kills", "7")
    assert answer.exit_code == 0, answer.output
    assert "nothing lost, nothing doubled" in answer.output
    assert "kill points tried" in answer.output and "faults: 500" in answer.output
    assert (asked["options"].error_rate, asked["options"].workplaces, asked["kills"]) == (0.3, 12, 7)


def test_a_duplicate_approval_fails_the_command(katip):
    answer, _ = katip(finished(duplicated=1))
    assert answer.exit_code == 1
    assert "LOST OR DOUBLED" in answer.output


def test_json_gives_every_part_with_its_counted_faults(katip):
    answer, _ = katip(finished(), "--json")
    figures = json.loads(answer.output[answer.output.index("{"):])
    assert figures["ok"] is True
    assert [p["part"] for p in figures["parts"]] == ["approvals", "kill and resume"]
    assert figures["parts"][0]["faults"]["error_500"] == 57


def test_an_approval_twice_in_the_audit_log_is_one_duplicate():
    entries = [{"action": "approve", "sicil": "1", "target": "S-1"}] * 2 + [
        {"action": "approve", "sicil": "1", "target": "S-2"}]
    assert duplicates(entries) == 1


def test_a_missing_and_an_extra_row_are_two_mismatches():
    expected = {"contracts": {("1", "a"), ("1", "b")}}
    assert mismatches(expected, {"contracts": {("1", "a"), ("1", "c")}}) == 2
