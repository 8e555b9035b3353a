"""Value checks behind the model's field types: normalise what is safe to normalise (blank
strings to ``None``, duplicates out of lists, code case, date-times to UTC) and reject the rest
with a message naming the problem.

The underscored checks are the model package's own (its field types and parts use them);
:func:`contains_email` (from :mod:`.public_text`) is public, as the normaliser's transforms
use it too. Checks that see the same values again and again across a harvest are cached.
"""

from __future__ import annotations

import json
import re
from collections.abc import Hashable
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urlsplit

import pycountry
from pydantic import BaseModel

from harvester.core.model.public_text import contains_email

USER_ASSIGNED_COUNTRIES = frozenset({"XK"})
"""Codes outside ISO 3166-1 proper that European registries use (XK: Kosovo)."""


# --- blanks and repeats -------------------------------------------------------------------


def _blank_to_none(value: object) -> object:
    """Return None for a blank string, else the value unchanged."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _drop_blanks(value: object) -> object:
    """Drop blank strings from a list (or tuple); other values pass unchanged."""
    if isinstance(value, list | tuple):
        return [item for item in value if not (isinstance(item, str) and not item.strip())]
    return value


def _key(item: object) -> Hashable:
    """A hashable identity for deduplication: models by their JSON, scalars as they are.

    A model whose fields hold only texts and None is keyed by those values themselves:
    they tell two such models apart exactly as their JSON would, without writing it.
    """
    if isinstance(item, str | int | float):
        return item
    if isinstance(item, BaseModel):
        values = tuple(item.__dict__.values())
        if all(value is None or type(value) is str for value in values):
            return ("fields", type(item).__name__, values)
        return (type(item).__name__, item.model_dump_json())
    return item if isinstance(item, Hashable) else json.dumps(item, sort_keys=True, default=str)


def _unique(values: list[Any]) -> list[Any]:
    """Return ``values`` without repeats, keeping the first occurrence's position."""
    if len(values) < 2:
        return values
    seen: set[Hashable] = set()
    kept = []
    for item in values:
        key = _key(item)
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


# --- codes --------------------------------------------------------------------------------


@cache
def _country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code, plus :data:`USER_ASSIGNED_COUNTRIES`."""
    return frozenset(country.alpha_2 for country in pycountry.countries) | USER_ASSIGNED_COUNTRIES


@cache
def _language_codes() -> frozenset[str]:
    """Every ISO 639-1 (two-letter) language code."""
    return frozenset(
        language.alpha_2 for language in pycountry.languages if hasattr(language, "alpha_2")
    )


def _country(value: str) -> str:
    """Upper-case an ISO 3166-1 alpha-2 code and check that it exists."""
    code = value.upper()
    if code not in _country_codes():
        raise ValueError(f"'{value}' is not an ISO 3166-1 alpha-2 country code (such as 'DE')")
    return code


@lru_cache(maxsize=1024)
def _language(value: str) -> str:
    """Reduce a language tag to its ISO 639-1 code ('en-GB' → 'en') and check that it exists
    (cached: a harvest has few distinct tags)."""
    code = re.split(r"[-_]", value, maxsplit=1)[0].lower()
    if code not in _language_codes():
        raise ValueError(f"'{value}' is not an ISO 639-1 language code (such as 'en')")
    return code


_TOPIC = re.compile(r"\d+(?:\.\d+)*")


def _topic(value: str) -> str:
    """Check a field-of-science code: dotted digits such as '1.6'."""
    if not _TOPIC.fullmatch(value):
        raise ValueError(f"'{value}' is not a field-of-science code (dotted digits such as '1.6')")
    return value


# --- dates --------------------------------------------------------------------------------

_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DATE_FORMS = "YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ"


@lru_cache(maxsize=8192)
def _iso_date(value: str) -> str:
    """Check an ISO 8601 date of year, month or day precision, or a date-time.

    Date-times with an offset are converted to UTC and written ``YYYY-MM-DDThh:mm:ssZ``
    (seconds precision); date-times without a time zone are rejected as ambiguous. Cached,
    as is :func:`_utc_datetime`: dates and harvest times recur (only accepted ones are kept).
    """
    match = _PARTIAL_DATE.fullmatch(value)
    if match:
        year, month, day = (int(part) if part else 1 for part in match.groups())
        try:
            date(year, month, day)
        except ValueError as exc:
            raise ValueError(f"'{value}' is not a real date ({exc})") from exc
        return value
    return _utc_datetime(value)


@lru_cache(maxsize=8192)
def _utc_datetime(value: str) -> str:
    """Check an ISO 8601 date-time with a time zone; return it in UTC as ``...Z``."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"'{value}' is not an ISO 8601 date ({_DATE_FORMS})") from None
    if "T" not in value.upper() and " " not in value:
        raise ValueError(f"'{value}' is not an ISO 8601 date-time ({_DATE_FORMS})")
    if moment.tzinfo is None:
        raise ValueError(f"'{value}' has no time zone; give UTC as '...Z'")
    try:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, ValueError) as exc:
        raise ValueError(f"'{value}' is out of range ({exc})") from exc


# --- web pages, never e-mail addresses ----------------------------------------------------

_SPACE = re.compile(r"\s")


_PLAIN_WEB_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?:[/?#]\S*)?")


@lru_cache(maxsize=8192)
def _web_url(value: str) -> str:
    """Check an http(s) URL with a host that carries no e-mail address.

    Cached: the same licence and landing-page URLs recur across a harvest (a URL that
    fails raises each time; only accepted ones are kept). A plain URL (lower-case scheme,
    a host of letters, digits, dots and hyphens, no white space) passes every check below
    but the e-mail one by its form alone, so only that one is made.
    """
    if _PLAIN_WEB_URL.fullmatch(value) and not contains_email(value):
        return value
    return _checked_web_url(value)


def _checked_web_url(value: str) -> str:
    """:func:`_web_url`'s checks, one after the other."""
    if value.lower().startswith("mailto:"):
        raise ValueError("an e-mail address (mailto:) is not allowed here; give a web page URL")
    if contains_email(value):
        raise ValueError("contains an e-mail address, which is never published; give a web page")
    if _SPACE.search(value):
        raise ValueError(f"'{value}' is not a URL: it contains white space")
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        if "@" in value:
            raise ValueError(f"'{value}' looks like an e-mail address, not a web page URL")
        raise ValueError(f"'{value}' is not an http:// or https:// URL with a host")
    if "@" in parts.netloc:
        raise ValueError(f"'{value}' carries a user name; give the plain web page URL")
    return value
