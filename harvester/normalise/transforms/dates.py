"""Date transforms: dates in the forms providers use to ISO 8601, time stamps that stand for
a plain date or a year, local date-times cut to their day, and the ends of date ranges and
periods (ISO 8601 ranges, DataCite date ranges, schema.org and DCAT periods)."""

from __future__ import annotations

import re
from typing import Any

from harvester.normalise import vocab
from harvester.normalise.transforms.common import as_texts, vocabulary_lookup
from harvester.normalise.transforms.registry import Issues, Values, transform
from harvester.normalise.values import TransformError, as_text

_MIDNIGHT = re.compile(
    r"^(\d{4}-\d{2}-\d{2})T00:00:00(?:\.0+)?(?:Z|[+-]00(?::?00)?)$", re.IGNORECASE
)

_YEAR_END = re.compile(r"^(\d{4})-12-31T23:59:59(?:\.0+)?(?:Z|[+-]00(?::?00)?)?$", re.IGNORECASE)

_LOCAL_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")

_ISO_RANGE = re.compile(r"^\s*(\d{4}[^/]*?)?\s*/\s*(\d{4}[^/]*?|\.\.)?\s*$")


@transform("iso-date")
def _iso_date(values: Values, _arg: Any, issues: Issues) -> Values:
    """Dates in the forms providers use, as ISO 8601 keeping their precision."""
    return vocabulary_lookup(values, issues, "date", vocab.iso_date)


@transform("midnight-date")
def _midnight_date(values: Values, _arg: Any, _issues: Issues) -> Values:
    """``YYYY-MM-DDT00:00:00`` (UTC), a plain date stored as a time stamp, as ``YYYY-MM-DD``."""
    out: Values = []
    for value in values:
        match = _MIDNIGHT.match(value.strip()) if isinstance(value, str) else None
        out.append(match.group(1) if match else value)
    return out


@transform("year-placeholder")
def _year_placeholder(values: Values, _arg: Any, _issues: Issues) -> Values:
    """``YYYY-12-31T23:59:59`` (UTC), which stands for a year only, as ``YYYY``."""
    out: Values = []
    for value in values:
        match = _YEAR_END.match(value.strip()) if isinstance(value, str) else None
        out.append(match.group(1) if match else value)
    return out


@transform("range-end")
def _range_end(values: Values, _arg: Any, issues: Issues) -> Values:
    """The end of each date range ("2019/2021" gives 2021); a single date has no end."""
    out: Values = []
    for text in as_texts(values):
        start, end = vocab.date_range(text)
        if end is not None:
            out.append(end)
        elif start is None:
            issues.reject("date", text)
    return out


def _date_range(text: str) -> tuple[str | None, str | None]:
    """An ISO 8601 ``start/end`` range (either end may be open) read end by end, else
    :func:`vocab.date_range`, which may read "2012-01-05/2013-01-05" as one date-time."""
    match = _ISO_RANGE.match(text)
    if match is None or not (match.group(1) or match.group(2)):
        return vocab.date_range(text)
    start = vocab.iso_date(match.group(1)) if match.group(1) else None
    stop = vocab.iso_date(match.group(2)) if match.group(2) not in (None, "..") else None
    if start is not None and stop is not None and stop[: len(start)] < start[: len(stop)]:
        stop = None  # an end before the start is a typo, not an end
    return start, stop


def _range_ends(values: Values, issues: Issues | None, end: bool) -> list[str]:
    """One end of every range; a time without a zone is ambiguous, so only its day is kept."""
    found: list[str] = []
    for text in as_texts(values):
        start, stop = _date_range(text)
        if start is None and stop is None:
            if issues is not None:
                issues.reject("date range", text)
            continue
        chosen = stop if end else start
        if chosen is not None:
            found.append(chosen[:10] if "T" in chosen and not chosen.endswith("Z") else chosen)
    return found


@transform("date-range-start")
def _date_range_start(values: Values, _arg: Any, issues: Issues) -> Values:
    """The earliest start of the dates and ranges given ("2019-03-01/2020-12-31")."""
    starts = _range_ends(values, issues, end=False)
    return [min(starts)] if starts else []


@transform("date-range-end")
def _date_range_end(values: Values, _arg: Any, _issues: Issues) -> Values:
    """The latest end of the ranges given; single dates and open ranges have none."""
    ends = _range_ends(values, None, end=True)
    return [max(ends)] if ends else []


@transform("drop-local-time")
def _drop_local_time(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Date-times without a time zone cut to their day (the model keeps only UTC times)."""
    out: Values = []
    for value in values:
        match = _LOCAL_DATETIME.match(value.strip()) if isinstance(value, str) else None
        out.append(match.group(1) if match else value)
    return out


_TIME = "http://www.w3.org/2006/time#"
_PERIOD_KEYS = {
    "start": ("startDate", "dcat:startDate", "schema:startDate", _TIME + "hasBeginning"),
    "end": ("endDate", "dcat:endDate", "schema:endDate", _TIME + "hasEnd"),
}
_INSTANT_KEYS = tuple(_TIME + name for name in ("inXSDDate", "inXSDDateTime", "inXSDDateTimeStamp"))


def _period_text(value: Any, depth: int = 0) -> str | None:
    """The first date in a period's start or end: text, literal, list or time:Instant."""
    if depth > 4:
        return None
    if isinstance(value, list):
        found = (_period_text(item, depth + 1) for item in value)
        return next((text for text in found if text), None)
    if isinstance(value, dict) and "value" not in value:
        found = (_period_text(value.get(key), depth + 1) for key in _INSTANT_KEYS)
        return next((text for text in found if text), None)
    return as_text(value).strip() or None


@transform("period", argument=True)
def _period(values: Values, end: Any, _issues: Issues) -> Values:
    """The start (argument ``start``) or end (``end``) of each period: objects with
    startDate/endDate (schema.org, DCAT, time:hasBeginning/hasEnd) or range texts
    ("2019/2021"); a date given alone is a start, never an end."""
    if end not in ("start", "end"):
        raise TransformError("period needs 'start' or 'end'")
    out: Values = []
    for value in values:
        if isinstance(value, dict) and "value" not in value:
            found = _period_text([value.get(key) for key in _PERIOD_KEYS[str(end)]])
        else:
            text = as_text(value).strip()
            found = vocab.date_range(text)[0 if end == "start" else 1] if text else None
        if found:
            out.append(found)
    return out
