"""`--help` a clerk can read: click's TEXT/INTEGER-style metavars, never Python type names."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from rpa.cli import _register_commands, app

_register_commands()
PYTHON_TYPES = re.compile(r"<(bool|int|str|float|list\[[^]]*\]|path)>")


@pytest.mark.parametrize("command", [["approve"], ["workplaces"], ["contact"], ["roster", "sync"], ["audit"],
                                     ["schedule", "run"], ["runs", "list"], ["selfcheck"], ["login"], ["portal"]])
def test_help_shows_no_python_type_names(command):
    shown = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "120"}, terminal_width=120)
    assert shown.exit_code == 0, shown.output
    assert not PYTHON_TYPES.findall(shown.output), shown.output
