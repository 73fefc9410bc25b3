"""Cron expressions and durations as people write them in `schedules.yaml`, turned into APScheduler triggers.

Every error is a `ValueError` whose text names the offending value and what is allowed, so that the
schedule loader can prefix it with the job id: "cron '61 2 * * *': minute must be 0–59".
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

# (APScheduler field name, how people call it, lowest, highest) in crontab order.
CRON_FIELDS = (
    ("minute", "minute", 0, 59),
    ("hour", "hour", 0, 23),
    ("day", "day of month", 1, 31),
    ("month", "month", 1, 12),
    ("day_of_week", "day of week", 0, 7),
)
_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_NUMERIC_DOW = re.compile(r"^(?:\*|(\d+)(?:-(\d+))?)(?:/(\d+))?$")
_OUT_OF_RANGE = re.compile(r"(higher than the maximum|lower than the minimum) value")
_DURATION_PART = re.compile(r"(\d+)\s*([smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str | int, *, what: str, zero_ok: bool = False) -> timedelta:
    """'30m', '2h', '1d', '1h30m' or a number of seconds -> timedelta; ValueError names `what`."""
    if isinstance(text, bool):
        raise ValueError(f"{what} {text!r}: use a number and a unit, e.g. 30m, 2h or 1d")
    if isinstance(text, int):
        seconds = text
    else:
        compact = str(text).strip().lower().replace(" ", "")
        parts = _DURATION_PART.findall(compact)
        if not compact or "".join(n + u for n, u in parts) != compact:
            raise ValueError(f"{what} '{text}': use a number and a unit, e.g. 30m, 2h or 1d")
        seconds = sum(int(n) * _UNIT_SECONDS[u] for n, u in parts)
    if seconds < 0 or (seconds == 0 and not zero_ok):
        raise ValueError(f"{what} '{text}': must be longer than zero")
    return timedelta(seconds=seconds)


def format_duration(delta: timedelta) -> str:
    """Shortest '1d2h30m' form of a duration (seconds only when there are some)."""
    seconds = int(delta.total_seconds())
    out = ""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            out += f"{count}{unit}"
    return out or "0s"


def _crontab_day_of_week(expr: str) -> str:
    """Crontab weekdays (0 and 7 = Sunday) as APScheduler 3.x weekday names.

    APScheduler 3.x counts 0 as Monday, so `from_crontab("30 7 * * 1-5")` would run Tuesday to
    Saturday (its issue 286). Spelling days out by name keeps the crontab meaning people expect.
    """
    out: list[str] = []
    for token in expr.lower().split(","):
        match = _NUMERIC_DOW.match(token)
        if not match:
            out.append(token)  # names such as mon-fri mean the same to both; APScheduler checks the rest
            continue
        first, last, step = match.groups()
        if step is not None and int(step) == 0:
            raise ValueError(f"day of week '{expr}': step must be higher than 0")
        numbers = [int(first)] if first is not None else []
        if token.startswith("*"):
            start, end = 0, 6
        else:
            start = int(first)
            end = int(last) if last is not None else (6 if step else start)
        for number in (*numbers, end):
            if number > 7:
                raise ValueError("day of week must be 0–7 (0 and 7 are Sunday) or sun–sat")
        if start > end:
            raise ValueError(f"day of week '{expr}': range start is after its end")
        days = range(start, end + 1, int(step) if step else 1)
        out.extend(_DAY_NAMES[day % 7] for day in days)
    return ",".join(dict.fromkeys(out))  # keep order, drop the duplicate Sunday of "0,7"


def _field_problem(label: str, value: str, low: int, high: int, error: ValueError) -> str:
    """APScheduler's message for one cron field, in the words of a crontab user."""
    text = str(error)
    if _OUT_OF_RANGE.search(text):
        return f"{label} must be {low}–{high}"
    if "Increment" in text:
        return f"{label} '{value}': step must be higher than 0"
    if "minimum value in a range" in text:
        return f"{label} '{value}': range start is after its end"
    return f"{label} '{value}' is not a valid value"


def cron_trigger(expr: str, timezone: tzinfo) -> CronTrigger:
    """A trigger for a 5-field crontab expression (crontab weekday numbering), or ValueError."""
    values = expr.split()
    if len(values) != 5:
        raise ValueError(
            f"cron '{expr}': needs 5 fields (minute hour day-of-month month day-of-week), got {len(values)}"
        )
    fields: dict[str, str] = {}
    for (name, label, low, high), value in zip(CRON_FIELDS, values, strict=True):
        try:
            fields[name] = _crontab_day_of_week(value) if name == "day_of_week" else value
            CronTrigger(**{name: fields[name]}, timezone=timezone)
        except ValueError as error:
            ours = name == "day_of_week" and "day of week" in str(error)  # from _crontab_day_of_week
            problem = str(error) if ours else _field_problem(label, value, low, high, error)
            raise ValueError(f"cron '{expr}': {problem}") from None
    # from_crontab would misread weekday numbers (see _crontab_day_of_week), so build it field by field.
    trigger = CronTrigger(**fields, timezone=timezone)
    if trigger.get_next_fire_time(None, datetime.now(timezone)) is None:
        raise ValueError(f"cron '{expr}': never fires (no such date)")
    return trigger


def interval_trigger(every: str | int, timezone: tzinfo) -> IntervalTrigger:
    """A trigger for `every: 30m`; at least one minute apart, to be gentle with the portal."""
    period = parse_duration(every, what="every")
    if period < timedelta(minutes=1):
        raise ValueError(f"every '{every}': must be at least 1m")
    return IntervalTrigger(seconds=int(period.total_seconds()), timezone=timezone)


def next_fire_times(trigger: BaseTrigger, now: datetime, count: int) -> list[datetime]:
    """The next `count` fire times of `trigger` after `now` (fewer if it stops firing)."""
    times: list[datetime] = []
    previous: datetime | None = None
    moment = now
    for _ in range(count):
        fire = trigger.get_next_fire_time(previous, moment)
        if fire is None:
            break
        times.append(fire)
        previous, moment = fire, fire + timedelta(microseconds=1)
    return times
