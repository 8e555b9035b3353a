"""Every user-facing string goes through gettext (Flask-Babel); names of countries and
languages come from the CLDR data Babel carries, in the reader's language."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask import Flask, request
from flask_babel import Babel, get_locale, gettext

from harvester.normalise.vocab.topics import fields_of_science

SUPPORTED = ("en",)


def _locale() -> str:
    return request.accept_languages.best_match(SUPPORTED) or "en"


def init_i18n(app: Flask) -> None:
    """Attach Flask-Babel and the name helpers to the templates."""
    Babel(app, locale_selector=_locale)
    app.jinja_env.globals.update(
        country_name=country_name,
        language_name=language_name,
        facet_label=facet_label,
        topic_name=topic_name,
        get_locale=get_locale,
    )
    app.jinja_env.filters.update(
        country_name=country_name, language_name=language_name, topic_name=topic_name
    )


def page_language() -> str:
    """The language of the page being answered (ISO 639-1): what a query typed there is
    most likely written in, when its own language cannot be told."""
    return _current().language


def _current() -> Locale:
    try:
        found = get_locale()
        return found if isinstance(found, Locale) else Locale("en")
    except (UnknownLocaleError, RuntimeError):
        return Locale("en")


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
    if facet == "has_pid" and value == "true":
        return str(gettext("Has a persistent identifier"))
    if facet == "has_pid":
        return str(gettext("No persistent identifier"))
    return value
