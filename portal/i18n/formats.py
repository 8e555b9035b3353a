"""Numbers, dates and times in the reader's conventions (Babel, CLDR): ``1,234`` or
``1.234`` or ``1 234``; ``5 March 2024`` or ``5. März 2024``; dates known only to the month
or year shown at that precision."""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel.dates import format_date, format_datetime, format_skeleton
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent
from flask_babel import pgettext

from portal.i18n.locales import current_locale


def number(value: int | float) -> str:
    """A count or measure with the locale's digit grouping and decimal sign."""
    return str(format_decimal(value, locale=current_locale()))


def percent(share: float) -> str:
    """A share 0..1 as a whole percentage (``0.5`` → ``50 %`` in German)."""
    return str(format_percent(share, locale=current_locale()))


def coordinate(degrees: float) -> str:
    """A latitude or longitude with four decimals."""
    return str(format_decimal(degrees, format="0.0000", locale=current_locale()))


def iso_date(value: str | None) -> str:
    """An ISO 8601 date as precise as it is known (``2024``, ``2024-03``, ``2024-03-05`` or a
    UTC time) in the reader's format; anything else unchanged."""
    if not value:
        return ""
    locale = current_locale()
    try:
        if len(value) == 4 and value.isdigit():
            return value
        if len(value) == 7:
            month = date.fromisoformat(value + "-01")
            return str(format_skeleton("yMMMM", month, locale=locale))
        if len(value) == 10:
            return str(format_date(date.fromisoformat(value), "long", locale=locale))
        return utc_time(value)
    except ValueError:
        return value


def utc_time(value: str | datetime | None) -> str:
    """A time (ISO 8601 or a datetime) in the reader's format, in UTC and saying so."""
    if not value:
        return ""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    shown = format_datetime(moment, "medium", tzinfo=UTC, locale=current_locale())
    return str(pgettext("a time in UTC", "%(time)s UTC", time=shown))


def sentence(text: str) -> str:
    """``text`` with its first letter upper case (CLDR writes some names lower case)."""
    return text[:1].upper() + text[1:]


def listed(items: list[str]) -> str:
    """Items joined as the language lists them (``a, b and c``; ``a, b und c``)."""
    return str(format_list(items, locale=current_locale())) if items else ""
