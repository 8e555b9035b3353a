"""Every user-facing string goes through gettext (Flask-Babel); names of countries and
languages come from the CLDR data Babel carries, in the reader's language."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError, numbers
from flask import Flask, g, has_request_context, request
from flask_babel import Babel, get_locale, gettext

from harvester.normalise.vocab.sdgs import sdg_labels
from harvester.normalise.vocab.topics import fields_of_science

SUPPORTED = ("en",)


def N_(message: str) -> str:
    """Mark a message for extraction (Babel's ``N_`` keyword); it is translated, with
    ``gettext``, where it is shown."""
    return message


def _locale() -> str:
    return request.accept_languages.best_match(SUPPORTED) or "en"


def init_i18n(app: Flask) -> None:
    """Attach Flask-Babel and the name helpers to the templates."""
    Babel(app, locale_selector=_locale)
    app.jinja_env.globals.update(
        country_name=country_name,
        language_name=language_name,
        facet_label=facet_label,
        facet_title=facet_title,
        topic_name=topic_name,
        get_locale=get_locale,
    )
    app.jinja_env.filters.update(
        country_name=country_name,
        language_name=language_name,
        topic_name=topic_name,
        number=number,
        percent=percent,
    )


def page_language() -> str:
    """The language of the page being answered (ISO 639-1): what a query typed there is
    most likely written in, when its own language cannot be told."""
    return _current().language


def _current() -> Locale:
    """The reader's locale, looked up once per request (pages name hundreds of things)."""
    if has_request_context() and "csfinder_locale" in g:
        cached: Locale = g.csfinder_locale
        return cached
    try:
        found = get_locale()
        chosen = found if isinstance(found, Locale) else Locale("en")
    except (UnknownLocaleError, RuntimeError):
        chosen = Locale("en")
    if has_request_context():
        g.csfinder_locale = chosen
    return chosen


def number(value: float) -> str:
    """A number written the reader's way (Babel's CLDR data): ``12,345`` in English."""
    return _formatted(value, False, str(_current()))


def percent(share: float) -> str:
    """A share (0..1) as a whole percentage written the reader's way: ``42%``."""
    return _formatted(share, True, str(_current()))


@lru_cache(maxsize=16_384)
def _formatted(value: float, as_percent: bool, locale: str) -> str:
    """Numbers repeat across a page's figures: each is formatted once per language."""
    if as_percent:
        return str(numbers.format_percent(value, "#,##0%", locale=locale))
    return str(numbers.format_decimal(value, locale=locale))


def country_name(code: str) -> str:
    """``NL`` → ``Netherlands`` (in the reader's language); the code when unknown."""
    return str(_current().territories.get(code.upper(), code))


def language_name(code: str) -> str:
    """``nl`` → ``Dutch``; the code when unknown."""
    return str(_current().languages.get(code.lower(), code))


def topic_name(code: str) -> str:
    """``1.5`` → ``Earth and related environmental sciences`` (OECD fields of science)."""
    return fields_of_science().get(code, code)


def facet_label(facet: str, value: str) -> str:
    """How a facet value is shown."""
    if facet == "country":
        return country_name(value)
    if facet == "language":
        return language_name(value)
    if facet == "topic":
        return topic_name(value)
    if facet == "sdg":
        return str(gettext("SDG %(number)s", number=value))
    if facet in YES_NO:
        return str(gettext(YES_NO[facet][value == "true"]))
    if facet == "kind" and value in KINDS:
        return str(gettext(KINDS[value]))
    return value


def facet_title(facet: str) -> str:
    """A facet's (or an insights dimension's) name, as headings and legends show it."""
    return str(gettext(FACET_TITLES[facet])) if facet in FACET_TITLES else facet


def sdg_name(value: str) -> str:
    """``3`` → ``SDG 3: Good health and well-being``."""
    name = sdg_labels().get(int(value)) if value.isdigit() else None
    if name is None:
        return facet_label("sdg", value)
    return str(gettext("SDG %(number)s: %(name)s", number=value, name=name))


FACET_TITLES: dict[str, str] = {
    "kind": N_("Kind"),
    "country": N_("Country"),
    "language": N_("Language"),
    "topic": N_("Field of science"),
    "sdg": N_("Sustainable Development Goal"),
    "status": N_("Status"),
    "license": N_("Licence"),
    "access": N_("Access"),
    "platform": N_("Platform"),
    "source": N_("Source"),
    "has_pid": N_("Identifier"),
    "year": N_("Year"),
    "participation": N_("Participation task"),
    "policy_relevance": N_("Policy relevance"),
    "policy_aims": N_("Policy aims"),
    "funder": N_("Funder"),
    "for_schools": N_("Suited to schools"),
    "year_started": N_("Started"),
    "year_active": N_("Active"),
    "year_ended": N_("Ended"),
}
"""Facet and dimension names (marked with ``N_``, translated when shown)."""
YES_NO: dict[str, tuple[str, str]] = {
    "has_pid": (
        N_("No persistent identifier"),
        N_("Has a persistent identifier"),
    ),
    "policy_aims": (
        N_("No policy aims stated"),
        N_("Results meant for policy making"),
    ),
    "for_schools": (
        N_("Not marked as suited to schools"),
        N_("Suited to schools"),
    ),
}
"""The labels of the yes/no facets' values: (false, true)."""
KINDS: dict[str, str] = {
    "project": N_("Project"),
    "dataset": N_("Dataset"),
    "publication": N_("Publication"),
    "resource": N_("Other resource"),
}
"""What each kind of record is called."""
