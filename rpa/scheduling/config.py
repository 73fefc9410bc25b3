"""`schedules.yaml`: what runs when. Validated strictly; every error names the job and the field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta, tzinfo
from pathlib import Path
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from apscheduler.triggers.base import BaseTrigger
from pydantic import (
    BaseModel,
    ConfigDict,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from rpa.domain.identifiers import normalize_sicil
from rpa.scheduling.timing import cron_trigger, format_duration, interval_trigger, parse_duration
from rpa.yaml_files import yaml_problem

FlowName = Literal["sync_roster", "approve_contracts", "refresh_workplaces", "update_contact", "audit"]
FLOWS: tuple[str, ...] = get_args(FlowName)
DEFAULT_TIMEZONE = "Europe/Istanbul"
DEFAULT_MISFIRE_GRACE = timedelta(hours=1)
_JOB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class ScheduleError(ValueError):
    """A schedule file that cannot be used; `problems` holds one sentence per mistake."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = list(dict.fromkeys(problems))
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{source}: {len(self.problems)} problem(s)\n{lines}")


def _names(value: Any, what: str, items: str) -> Literal["all"] | list[Any]:
    """'all', one name, or a list of names (a single name is a list of one)."""
    if value == "all":
        return "all"
    if isinstance(value, str | int) and not isinstance(value, bool):
        return [value]
    if isinstance(value, list) and value:
        return value
    raise ValueError(f"{what}: use 'all' or a list of {items}")


class JobSpec(BaseModel):
    """One scheduled job of `schedules.yaml`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    flow: FlowName
    cron: str | None = None
    every: str | None = None
    rosters: str | None = None
    contacts: str | None = None
    accounts: Literal["all"] | list[str] = "all"
    workplaces: Literal["all"] | list[str] = "all"
    enabled: bool = True
    misfire_grace: timedelta = DEFAULT_MISFIRE_GRACE
    max_runtime: timedelta | None = None
    # refresh_workplaces only: ask SGK (`refresh: true`) or only collect what earlier requests brought, and
    # how long to wait for new rows over all accounts (0s: only file the requests; default KATIP_REFRESH_WAIT_S).
    refresh: bool = True
    wait: timedelta | None = None

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _JOB_ID.match(value):
            raise ValueError(f"id '{value}': use letters, digits, '-', '_' or '.' (at most 64)")
        return value

    @field_validator("cron")
    @classmethod
    def _cron_parses(cls, value: str | None) -> str | None:
        if value is not None:
            cron_trigger(value, ZoneInfo("UTC"))  # the time zone does not change what is valid
        return value

    @field_validator("every")
    @classmethod
    def _every_parses(cls, value: str | None) -> str | None:
        if value is not None:
            interval_trigger(value, ZoneInfo("UTC"))
        return value

    @field_validator("misfire_grace", "max_runtime", "wait", mode="before")
    @classmethod
    def _duration(cls, value: Any, info: Any) -> timedelta | None:
        if value is None or isinstance(value, timedelta):
            return value
        if not isinstance(value, str):
            raise ValueError(f"{info.field_name} {value!r}: use a number and a unit, e.g. 30m, 2h or 1d")
        return parse_duration(value, what=info.field_name, zero_ok=info.field_name == "wait")

    @field_validator("accounts", mode="before")
    @classmethod
    def _accounts(cls, value: Any) -> Any:
        names = _names(value, "accounts", "account names")
        if names != "all" and len(set(names)) != len(names):
            raise ValueError("accounts: a name is listed twice")
        return names

    @field_validator("workplaces", mode="before")
    @classmethod
    def _workplaces(cls, value: Any) -> Any:
        sicils = _names(value, "workplaces", "SGK sicil numbers")
        if sicils == "all":
            return sicils
        out = []
        for raw in sicils:
            try:
                out.append(normalize_sicil(raw))
            except ValueError as error:
                raise ValueError(f"workplaces: '{raw}': {getattr(error, 'message_en', error)}") from None
        return out

    @model_validator(mode="after")
    def _consistent(self) -> JobSpec:
        if (self.cron is None) == (self.every is None):
            which = "both given" if self.cron is not None else "neither given"
            raise ValueError(f"give exactly one of 'cron' or 'every' ({which})")
        if self.flow == "sync_roster" and not self.rosters:
            raise ValueError("flow sync_roster needs 'rosters' (a file or glob such as data/rosters/*.xlsx)")
        if self.flow not in ("sync_roster", "audit") and self.rosters:
            raise ValueError(f"'rosters' is only for flows sync_roster and audit, not {self.flow}")
        if self.flow == "update_contact" and not self.contacts:
            raise ValueError("flow update_contact needs 'contacts' (YAML or spreadsheet, one row per sicil)")
        if self.flow != "update_contact" and self.contacts:
            raise ValueError(f"'contacts' is only for flow update_contact, not {self.flow}")
        if self.flow != "refresh_workplaces" and (self.wait is not None or not self.refresh):
            raise ValueError(f"'wait' and 'refresh' are only for flow refresh_workplaces, not {self.flow}")
        return self

    def trigger(self, timezone: tzinfo) -> BaseTrigger:
        """The APScheduler trigger of this job in `timezone`."""
        if self.cron is not None:
            return cron_trigger(self.cron, timezone)
        return interval_trigger(self.every or "", timezone)

    @property
    def when(self) -> str:
        """How the job's timing reads in the file: 'cron 30 7 * * 1-5' or 'every 30m'."""
        return f"cron {self.cron}" if self.cron is not None else f"every {self.every}"

    def describe_grace(self) -> str:
        """The misfire grace as people write it."""
        return format_duration(self.misfire_grace)


class ScheduleFile(BaseModel):
    """The whole `schedules.yaml`: a time zone and the jobs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    timezone: str = DEFAULT_TIMEZONE
    jobs: list[JobSpec]
    # Where the file lives: relative roster/contact paths are read from there, not from the cwd.
    _base_dir: Path = PrivateAttr(default=Path("."))

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"timezone '{value}': unknown time zone, use e.g. Europe/Istanbul") from None
        return value

    @model_validator(mode="after")
    def _unique_ids(self, info: ValidationInfo) -> ScheduleFile:
        # parse_schedule checks the raw ids itself (so that duplicates show beside other mistakes).
        if (info.context or {}).get("ids_checked"):
            return self
        problems = _duplicate_ids([job.id for job in self.jobs])
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def base_dir(self) -> Path:
        """The folder relative paths in the file are read from."""
        return self._base_dir

    @property
    def tz(self) -> ZoneInfo:
        """The schedule's time zone."""
        return ZoneInfo(self.timezone)

    def job(self, job_id: str) -> JobSpec:
        """The job called `job_id`, or KeyError naming the jobs there are."""
        for job in self.jobs:
            if job.id == job_id:
                return job
        known = ", ".join(job.id for job in self.jobs) or "none"
        raise KeyError(f"no job '{job_id}' in the schedule (jobs: {known})")

    def resolve(self, pattern: str) -> Path:
        """A path (or glob) from the file, relative to the file's folder."""
        path = Path(pattern).expanduser()
        return path if path.is_absolute() else self._base_dir / path


def _duplicate_ids(ids: list[Any]) -> list[str]:
    """One problem per id used more than once, naming the positions (1-based) that use it."""
    positions: dict[Any, list[int]] = {}
    for index, job_id in enumerate(ids, start=1):
        if isinstance(job_id, str):
            positions.setdefault(job_id, []).append(index)
    return [
        f"job '{job_id}': duplicate id (jobs #{', #'.join(map(str, where))})"
        for job_id, where in positions.items()
        if len(where) > 1
    ]


class _UniqueKeyLoader(yaml.SafeLoader):
    """safe_load that refuses a key written twice (plain YAML keeps the last one without a word)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key '{key}' is written twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _UniqueKeyLoader.construct_mapping
)


def _job_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and _JOB_ID.match(raw["id"]):
        return f"job '{raw['id']}'"
    return f"job #{index + 1}"


def _describe(error: Mapping[str, Any], raw: dict[str, Any]) -> str:
    """One pydantic error as a sentence that names the job and the field."""
    loc = list(error["loc"])
    prefix = ""
    if len(loc) >= 2 and loc[0] == "jobs" and isinstance(loc[1], int):
        jobs = raw.get("jobs") or []
        prefix = _job_label(jobs[loc[1]] if loc[1] < len(jobs) else None, loc[1]) + ": "
        loc = loc[2:]
    field = ".".join(str(part) for part in loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"{prefix}unknown key '{field}'" + ("" if prefix else " at the top of the file")
    if kind == "missing":
        return f"{prefix}missing '{field}'"
    if kind == "literal_error" and field == "flow":
        return f"{prefix}flow '{error['input']}' is not one of {', '.join(FLOWS)}"
    if kind == "value_error":
        return prefix + str(error["ctx"]["error"])
    return f"{prefix}{field}: {error['msg']}"


def parse_schedule(raw: Any, source: str = "schedule", base_dir: Path = Path(".")) -> ScheduleFile:
    """Validate already-loaded YAML data; raise ScheduleError listing every problem found."""
    if not isinstance(raw, dict):
        raise ScheduleError(source, ["the file must be a mapping with 'timezone' and 'jobs'"])
    jobs = raw.get("jobs")
    ids = [j.get("id") if isinstance(j, dict) else None for j in jobs] if isinstance(jobs, list) else []
    problems = _duplicate_ids(ids)
    try:
        schedule = ScheduleFile.model_validate(raw, context={"ids_checked": True})
    except ValidationError as error:
        raise ScheduleError(source, problems + [_describe(e, raw) for e in error.errors()]) from None
    if problems:
        raise ScheduleError(source, problems)
    schedule._base_dir = base_dir
    return schedule


def load_schedule(path: Path) -> ScheduleFile:
    """Read and validate a schedule file; raise ScheduleError (also for a missing or broken file)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScheduleError(str(path), ["file not found (use --file to name another one)"]) from None
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        raise ScheduleError(str(path), [f"not valid YAML ({yaml_problem(error)})"]) from None
    return parse_schedule(raw, str(path), path.resolve().parent)
