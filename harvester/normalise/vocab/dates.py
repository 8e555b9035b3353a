"""Dates in the forms providers use, to ISO 8601 at the precision given.

Output forms: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM:SSZ`` (a time with a
zone, converted to UTC) and ``YYYY-MM-DDTHH:MM:SS`` (a time without a zone, kept as given).

Numeric dates with slashes or dots are **day first** (European): "14/09/2021" and "14.09.2021"
are 14 September 2021; "09/14/2021" is rejected, never swapped. Month names are read in English,
German, French, Dutch, Spanish and Italian ("May 2021", "14. September 2021", "14 septembre
2021"). Impossible dates (2021-02-30) and years outside 1000–2100 give None. Anything else is
handed to python-dateutil (``dayfirst=True``), keeping only the parts the text really gave.
A range ("2019/2021", "2019-03-01/2020-12-31", "2019 – 2021") gives its first date to
:func:`iso_date`; :func:`date_range` returns both ends, with None for an open or missing end.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from dateutil import parser as date_parser

from harvester.normalise.vocab._common import strip_accents

MIN_YEAR = 1000
MAX_YEAR = 2100
ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}:\d{2}Z?)?)?)?$")
"""Every value :func:`iso_date` returns matches this."""

_YEAR = re.compile(r"^(\d{4})$")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DMY = re.compile(r"^(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4})$")
_MY = re.compile(r"^(\d{1,2})\s*[./]\s*(\d{4})$")
_YMD_SLASH = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_DATETIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)
_RANGE_SPLIT = re.compile(r"\s*(?:/|–|—|\bto\b|\btot\b|\bbis\b|\bau\b|\bal\b|\s-\s)\s*", re.I)
_YEAR_RANGE = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
_WORDS = re.compile(r"[^\W\d_]+|\d+")

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "january jan januar janvier janv januari enero ene gennaio gen jänner",
        "february feb februar fevrier fev fevr februari febrero febbraio",
        "march mar marz maerz mars maart marzo",
        "april apr avril avr abril aprile",
        "may mai mei mayo maggio mag",
        "june jun juni juin junio giugno giu",
        "july jul juli juillet juil julio luglio lug",
        "august aug aout augustus agosto ago",
        "september sep sept septembre septiembre settembre set",
        "october oct oktober okt octobre oktober octubre ottobre ott",
        "november nov novembre noviembre",
        "december dec dezember decembre diciembre dic dicembre",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number
_FILLER = frozenset(
    ["of", "the", "de", "del", "di", "van", "der", "le", "la", "th", "st", "nd", "rd"]
)


def _year_ok(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def _ymd(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not _year_ok(year):
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _datetime(match: re.Match[str]) -> str | None:
    year, month, day, hour, minute = (int(match.group(i)) for i in range(1, 6))
    second = int(match.group(6) or 0)
    zone = match.group(7)
    try:
        moment = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    if zone is None:
        return moment.isoformat() if _year_ok(moment.year) else None
    if zone.upper() != "Z":
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
        if hours > 14 or minutes > 59:
            return None
        offset = timedelta(hours=hours, minutes=minutes)
        moment = moment - offset if zone[0] == "+" else moment + offset
    if not _year_ok(moment.year):
        return None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _with_month_name(text: str) -> str | None:
    """Read "May 2021", "14 September 2021", "September 14th, 2021", "14. Mai 2021"."""
    tokens = [t for t in _WORDS.findall(strip_accents(text)) if t not in _FILLER]
    months = [t for t in tokens if t in _MONTHS]
    numbers = [t for t in tokens if t.isdigit()]
    words = [t for t in tokens if not t.isdigit() and t not in _MONTHS]
    strip = {t for t in words if t in {"th", "st", "nd", "rd"}}
    if len(months) != 1 or (words and set(words) - strip):
        return None
    years = [n for n in numbers if len(n) == 4]
    days = [n for n in numbers if len(n) <= 2]
    if len(years) != 1 or len(days) > 1 or len(numbers) != len(years) + len(days):
        return None
    return _ymd(int(years[0]), _MONTHS[months[0]], int(days[0]) if days else None)


_SENTINELS = (datetime(2000, 1, 1, 0, 0, 0), datetime(2001, 2, 2, 1, 1, 1))


def _with_dateutil(text: str) -> str | None:
    """Last resort; keep only the parts (year, month, day, time) the text gave."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown zone names are read as no zone
            first, second = (
                date_parser.parse(text, default=d, dayfirst=True, fuzzy=False) for d in _SENTINELS
            )
    except (ValueError, OverflowError, TypeError, IndexError, KeyError):
        return None
    if first.year != second.year:
        return None
    if first.month != second.month:
        return _ymd(first.year)
    if first.day != second.day:
        return _ymd(first.year, first.month)
    if first.hour != second.hour:
        return _ymd(first.year, first.month, first.day)
    moment = first
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        except (ValueError, OverflowError):
            return None
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if _year_ok(moment.year) else None
    return moment.isoformat(timespec="seconds") if _year_ok(moment.year) else None


def _single(text: str) -> str | None:
    value = text.strip().strip(".,;")
    if not value or len(value) > 64:
        return None
    if match := _YEAR.match(value):
        return _ymd(int(match.group(1)))
    if match := _YMD.match(value) or _COMPACT.match(value) or _YMD_SLASH.match(value):
        return _ymd(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := _YEAR_MONTH.match(value):
        return _ymd(int(match.group(1)), int(match.group(2)))
    if match := _DMY.match(value):
        return _ymd(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    if match := _MY.match(value):
        return _ymd(int(match.group(2)), int(match.group(1)))
    if match := _DATETIME.match(value):
        return _datetime(match)
    if value.isdigit():
        return None
    if any(ch.isalpha() for ch in value):
        named = _with_month_name(value)
        if named is not None:
            return named
    if re.search(r"\d{4}", value) is None:
        return None  # dateutil would invent a year
    if _YEAR_RANGE.match(value) or re.match(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2}$", value):
        return None  # "2019-2021" is a range, "09/14/21" too ambiguous
    return _with_dateutil(value)


def _split(text: str) -> tuple[str, str] | None:
    """Split a range into its two ends, or None when ``text`` is not a range."""
    if match := _YEAR_RANGE.match(text):
        return match.group(1), match.group(2)
    parts = _RANGE_SPLIT.split(text, maxsplit=1)
    if len(parts) == 2:
        return parts[0], parts[1]
    return None


def _clean(text: object) -> str | None:
    if not isinstance(text, str):
        return None
    value = text.strip()[:200]
    return value or None


OPEN = frozenset({"", "..", "?", "open"})


@lru_cache(maxsize=32768)
def _range(value: str) -> tuple[str | None, str | None]:
    parts = _split(value)
    start_text = parts[0].strip() if parts is not None else ""
    end_text = parts[1].strip() if parts is not None else ""
    open_start, open_end = start_text in OPEN, end_text in OPEN
    if (
        parts is not None
        and not (open_start and open_end)
        and (open_start or _single(start_text) is not None)
        and (open_end or _single(end_text) is not None)
    ):
        start = None if open_start else _single(start_text)
        end = None if open_end else _single(end_text)
    else:
        single = _single(value)
        if single is not None:
            return single, None
        if parts is None:
            return None, None
        start, end = _single(parts[0]), _single(parts[1].strip())
    if start is not None and end is not None and end[: len(start)] < start[: len(end)]:
        end = None  # an end before the start is a typo, not an end
    return start, end


def iso_date(text: str) -> str | None:
    """Return ``text`` as an ISO 8601 date or date-time at the precision given, or None.

    Args:
        text: A year, partial date, full date, date-time with or without zone, or a range.

    Returns:
        "2021", "2021-05", "2021-09-14", "2021-09-14T08:00:00Z" (UTC) or
        "2021-09-14T10:00:00" (no zone given); None when unreadable or impossible.

    Examples:
        >>> iso_date("14.09.2021"), iso_date("2021-09-14T10:00:00+02:00")
        ('2021-09-14', '2021-09-14T08:00:00Z')
    """
    value = _clean(text)
    if value is None:
        return None
    return _range(value)[0]


def date_range(text: str) -> tuple[str | None, str | None]:
    """Return the start and end of a date range as ISO 8601, each None when missing.

    Args:
        text: "2019-2021", "2019/2021", "2019-03-01/2020-12-31", "2019 – 2021", "2019/..",
            or a single date (which gives ``(date, None)``).

    Returns:
        ``(start, end)``; an end earlier than the start is dropped.
    """
    value = _clean(text)
    if value is None:
        return None, None
    return _range(value)
