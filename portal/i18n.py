"""Every user-facing string goes through gettext (Flask-Babel); names of countries and
languages come from the CLDR data Babel carries, in the reader's language."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from flask import Flask, request
from flask_babel import Babel, get_locale, gettext, lazy_gettext
from flask_babel.speaklater import LazyString

from harvester.normalise.vocab.sdgs import sdg_labels
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
        facet_title=facet_title,
        topic_name=topic_name,
        get_locale=get_locale,
    )
    app.jinja_env.filters.update(
        country_name=country_name, language_name=language_name, topic_name=topic_name
    )


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
    if facet in YES_NO:
        return str(YES_NO[facet][value == "true"])
    if facet == "kind" and value in KINDS:
        return str(KINDS[value])
    return value


def facet_title(facet: str) -> str:
    """A facet's (or an insights dimension's) name, as headings and legends show it."""
    return str(FACET_TITLES.get(facet, facet))


def sdg_name(value: str) -> str:
    """``3`` → ``SDG 3: Good health and well-being``."""
    name = sdg_labels().get(int(value)) if value.isdigit() else None
    if name is None:
        return facet_label("sdg", value)
    return str(gettext("SDG %(number)s: %(name)s", number=value, name=name))


FACET_TITLES: dict[str, LazyString] = {
    "kind": lazy_gettext("Kind"),
    "country": lazy_gettext("Country"),
    "language": lazy_gettext("Language"),
    "topic": lazy_gettext("Field of science"),
    "sdg": lazy_gettext("Sustainable Development Goal"),
    "status": lazy_gettext("Status"),
    "license": lazy_gettext("Licence"),
    "access": lazy_gettext("Access"),
    "platform": lazy_gettext("Platform"),
    "source": lazy_gettext("Source"),
    "has_pid": lazy_gettext("Identifier"),
    "year": lazy_gettext("Year"),
    "participation": lazy_gettext("Participation task"),
    "policy_relevance": lazy_gettext("Policy relevance"),
    "policy_aims": lazy_gettext("Policy aims"),
    "funder": lazy_gettext("Funder"),
    "for_schools": lazy_gettext("Suited to schools"),
    "year_started": lazy_gettext("Started"),
    "year_active": lazy_gettext("Active"),
    "year_ended": lazy_gettext("Ended"),
}
"""Facet and dimension names (translated when shown)."""
YES_NO: dict[str, tuple[LazyString, LazyString]] = {
    "has_pid": (
        lazy_gettext("No persistent identifier"),
        lazy_gettext("Has a persistent identifier"),
    ),
    "policy_aims": (
        lazy_gettext("No policy aims stated"),
        lazy_gettext("Results meant for policy making"),
    ),
    "for_schools": (
        lazy_gettext("Not marked as suited to schools"),
        lazy_gettext("Suited to schools"),
    ),
}
"""The labels of the yes/no facets' values: (false, true)."""
KINDS: dict[str, LazyString] = {
    "project": lazy_gettext("Project"),
    "dataset": lazy_gettext("Dataset"),
    "publication": lazy_gettext("Publication"),
    "resource": lazy_gettext("Other resource"),
}
"""What each kind of record is called."""
