"""Cron schedules of sources, as APScheduler triggers in UTC."""

from __future__ import annotations

import re
from datetime import UTC

from apscheduler.triggers.cron import CronTrigger

WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def cron_trigger(schedule: str) -> CronTrigger:
    """A crontab expression as an APScheduler trigger, in UTC.

    Weekday numbers mean what they mean in crontab (0 and 7 Sunday, 1 Monday): APScheduler
    3.x's ``from_crontab`` reads them from Monday, so they are given to it as names.

    Raises:
        ValueError: not a valid cron expression.
    """
    fields = schedule.split()
    if len(fields) == 5:
        fields[4] = ",".join(_weekdays(part) for part in fields[4].split(","))
    return CronTrigger.from_crontab(" ".join(fields), timezone=UTC)


def _weekdays(part: str) -> str:
    """One crontab weekday item (``3``, ``1-5``, ``*/2``, ``0-6/3``, ``mon``) as names."""
    match = re.fullmatch(r"(\*|[0-7](?:-[0-7])?)(?:/(\d+))?", part)
    if match is None:
        return part  # names, or an error for APScheduler to report
    span, step = match.group(1), int(match.group(2) or 1)
    if span == "*":
        if step == 1:
            return "*"
        first, last = 0, 6
    else:
        start, _, end = span.partition("-")
        first = int(start)
        last = int(end) if end else (6 if match.group(2) else first)
    if step < 1 or last < first:
        return part
    days = dict.fromkeys(WEEKDAYS[day] for day in range(first, last + 1, step))
    return ",".join(days)
