"""The portal in every official EU language.

Every user-facing string goes through gettext (Flask-Babel) with catalogues in
``portal/translations/`` (:mod:`~.catalogues`); the page's language comes from ``?lang=``, a
cookie or ``Accept-Language`` (:mod:`~.locales`); coded values are shown by their labels in
that language (:mod:`~.labels`), FAIR reasons from their codes (:mod:`~.reasons`), numbers and
dates in its conventions (:mod:`~.formats`), and a record's texts in its language first
(:mod:`~.texts`).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from flask import Flask
from flask_babel import Babel

from portal.i18n import formats, labels
from portal.i18n.catalogues import MESSAGES, CatalogueDomain
from portal.i18n.formats import number, percent
from portal.i18n.labels import country_name, facet_label
from portal.i18n.locales import (
    language_links,
    page_language,
    remember_language,
    select_locale,
)
from portal.i18n.names import N_, facet_title
from portal.i18n.reasons import indicator_reasons
from portal.i18n.texts import language_versions


class CatalogueBabel(Babel):  # type: ignore[misc]  # flask_babel is untyped
    """Flask-Babel with the interface's messages read from the ``.po`` catalogues."""

    @cached_property
    def domain_instance(self) -> CatalogueDomain:
        """The default domain: the interface's messages."""
        return MESSAGES


def init_i18n(app: Flask) -> None:
    """Attach Flask-Babel, the language choice, and the label and format helpers."""
    CatalogueBabel(app, locale_selector=select_locale)
    app.after_request(remember_language)
    helpers: dict[str, Any] = {
        "country_name": labels.country_name,
        "language_name": labels.language_name,
        "topic_name": labels.topic_name,
        "kind_label": labels.kind_label,
        "status_label": labels.status_label,
        "access_label": labels.access_label,
        "task_label": labels.task_label,
        "difficulty_label": labels.difficulty_label,
        "audience_label": labels.audience_label,
        "indicator_name": labels.indicator_name,
        "sdg_label": labels.sdg_label,
        "problem_label": labels.problem_label,
        "run_status_label": labels.run_status_label,
        "run_mode_label": labels.run_mode_label,
        "registration_status_label": labels.registration_status_label,
        "number": formats.number,
        "percent": formats.percent,
        "coordinate": formats.coordinate,
        "iso_date": formats.iso_date,
        "utc_time": formats.utc_time,
        "listed": formats.listed,
        "sentence": formats.sentence,
    }
    app.jinja_env.filters.update(helpers)
    app.jinja_env.globals.update(
        facet_label=labels.facet_label,
        facet_title=facet_title,
        language_links=language_links,
        page_language=page_language,
        indicator_reasons=indicator_reasons,
        language_versions=language_versions,
        **helpers,
    )


def sdg_name(value: str) -> str:
    """``3`` → ``SDG 3: Good health and well-being``, in the reader's language."""
    return facet_label("sdg", value)


__all__ = [
    "N_",
    "country_name",
    "facet_label",
    "facet_title",
    "init_i18n",
    "number",
    "page_language",
    "percent",
    "sdg_name",
]
