"""Read a configuration file as YAML without ever echoing what is in it.

PyYAML's own error shows the offending line ("password: @Gizli.2024" with a caret under it): a
password written by mistake would reach the terminal, the log, the run history and the e-mail. Every
config reader goes through here and reports only the file, the line, the column and the problem.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from rpa.errors import ConfigError

_QUOTED = re.compile(r"'[^']{2,}'")


def yaml_problem(error: yaml.YAMLError) -> str:
    """'line 4, column 15: found character '@' that cannot start any token' — never the line's text."""
    mark = getattr(error, "problem_mark", None)
    where = f"satır / line {mark.line + 1}, sütun / column {mark.column + 1}: " if mark else ""
    problem = getattr(error, "problem", None) or type(error).__name__
    # PyYAML quotes what it could not read: a tag or an alias may be a password typed as `!…` or `*…`
    # ("could not determine a constructor for the tag '!Gizli2024'"). One character stays (a hint).
    if any(word in problem for word in ("tag", "alias", "anchor")):
        problem = _QUOTED.sub("'…'", problem)
    return f"{where}{problem}"


def read_text(path: Path, what: str) -> str:
    """The file's text (UTF-8, a BOM allowed); ConfigError naming the file when it is missing or binary."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{what} bulunamadı / not found: {path}") from None
    except IsADirectoryError:
        raise ConfigError(f"{what} bir klasör, dosya değil / is a folder, not a file: {path}") from None
    except OSError as exc:
        raise ConfigError(f"{what} okunamadı / cannot be read: {path} ({exc.strerror})") from None
    if b"\x00" in data[:8192]:
        raise ConfigError(f"{what} metin değil, ikili bir dosya / is not text but a binary file: {path}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{what} UTF-8 metin değil (bayt {exc.start}) / is not UTF-8 text "
                          f"(byte {exc.start}); save it as UTF-8: {path}") from None


def load_yaml(path: Path, what: str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """The parsed file; ConfigError with the file, line, column and problem (no content) when broken."""
    text = read_text(path, what)
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - SafeLoader or a subclass of it
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: geçerli YAML değil / not valid YAML ({yaml_problem(error)})") from None
