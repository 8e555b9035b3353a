"""How coded values are shown, in the reader's language: countries and languages by their
CLDR names; kinds, statuses, fields of science, access rights, participation, FAIR metric
names and SDGs by the ``vocabulary`` catalogue (SDG names from their official translations).

A vocabulary label is translated with its vocabulary as context (``msgctxt``), so that a word
such as "Open" can be translated differently in two vocabularies.
"""

from __future__ import annotations

from functools import cache

from flask_babel import pgettext

from harvester.normalise.quality import INDICATORS
from harvester.normalise.vocab._common import fold, load_vocabulary
from harvester.normalise.vocab.topics import fields_of_science
from portal.i18n.catalogues import VOCABULARY
from portal.i18n.locales import current_locale
from portal.i18n.names import yes_no_label
from portal.i18n.sdg_names import sdg_name

VOCABULARIES: dict[tuple[str, str], str] = {
    ("kinds", "terms"): "kind",
    ("status", "terms"): "status",
    ("fields_of_science", "terms"): "field of science",
    ("access_rights", "terms"): "access rights",
    ("participation", "terms"): "participation task",
    ("participation", "difficulty"): "difficulty",
    ("participation", "audience"): "audience",
}
"""Each vocabulary table (file in ``mappings/vocabularies/``, section) and its context in
the ``vocabulary`` catalogue (``babel-vocabulary.cfg`` extracts their labels)."""


@cache
def vocabulary_labels(name: str, section: str = "terms") -> dict[str, str]:
    """``{term: English label}`` of a vocabulary table."""
    terms = load_vocabulary(name)[section]
    return {str(term): str(entry["label"]) for term, entry in terms.items()}


@cache
def _by_folded_label(name: str, section: str) -> dict[str, str]:
    labels = vocabulary_labels(name, section).values()
    return {fold(label): label for label in labels}


def _label(name: str, section: str, term: str) -> str:
    """The translated label of ``term`` (a key of the table), or ``term`` when unknown."""
    label = vocabulary_labels(name, section).get(term)
    if label is None:
        return term
    return str(VOCABULARY.pgettext(VOCABULARIES[(name, section)], label))


def _known_label(name: str, section: str, text: str) -> str:
    """The translated label of a value written as the vocabulary's English label (ignoring
    case and accents), or the value itself when it is not in the vocabulary."""
    label = _by_folded_label(name, section).get(fold(text))
    if label is None:
        return text
    return str(VOCABULARY.pgettext(VOCABULARIES[(name, section)], label))


def country_name(code: str) -> str:
    """``NL`` → ``Netherlands`` (in the reader's language); the code when unknown."""
    return str(current_locale().territories.get(code.upper(), code))


def language_name(code: str) -> str:
    """``nl`` → ``Dutch``; the code when unknown."""
    return str(current_locale().languages.get(code.lower(), code))


def topic_name(code: str) -> str:
    """``1.5`` → ``Earth and related environmental sciences`` (OECD fields of science)."""
    label = fields_of_science().get(code)
    return code if label is None else str(VOCABULARY.pgettext("field of science", label))


def kind_label(kind: str) -> str:
    """``dataset`` → ``Dataset``."""
    return _label("kinds", "terms", kind)


def status_label(status: str) -> str:
    """A PPSR Core project status (``Active``) in the reader's language."""
    return _known_label("status", "terms", status)


def access_label(code: str) -> str:
    """``open`` → ``Open access`` (COAR access rights)."""
    return _label("access_rights", "terms", code)


def task_label(task: str) -> str:
    """A PPSR Core participation task (``Observation``), or the source's own words."""
    return _known_label("participation", "terms", task)


def difficulty_label(level: str) -> str:
    """``Easy``, ``Medium`` or ``Hard``."""
    return _known_label("participation", "difficulty", level)


def audience_label(audience: str) -> str:
    """A PPSR Core participant age group (``Families``), or the source's own words."""
    return _known_label("participation", "audience", audience)


@cache
def _indicator_names() -> dict[str, str]:
    return {spec.id: spec.label for spec in INDICATORS}


def indicator_name(metric: str) -> str:
    """``FsF-F1-02D`` → ``Persistent identifier``."""
    label = _indicator_names().get(metric)
    return metric if label is None else str(VOCABULARY.gettext(label))


def sdg_label(number: int | str) -> str:
    """``14`` → ``SDG 14: Life below water`` (the goal's name in the reader's language)."""
    name = sdg_name(int(number), current_locale().language)
    return str(pgettext("SDG and its name", "SDG %(number)s: %(name)s", number=number, name=name))


def facet_label(facet: str, value: str) -> str:
    """How a facet value is shown."""
    shown = {
        "country": country_name,
        "language": language_name,
        "topic": topic_name,
        "kind": kind_label,
        "status": status_label,
        "access": access_label,
    }.get(facet)
    if shown is not None:
        return shown(value)
    if facet == "sdg" and value.isdigit() and 1 <= int(value) <= 17:
        return sdg_label(value)
    yes_no = yes_no_label(facet, value)
    if yes_no is not None:
        return yes_no
    if facet == "has_pid" and value == "true":
        return str(pgettext("filter", "Has a persistent identifier"))
    if facet == "has_pid":
        return str(pgettext("filter", "No persistent identifier"))
    return value


def problem_label(problem: str) -> str:
    """A quality issue's kind: ``missing``, ``invalid`` or ``transform-failed``."""
    names = {
        "missing": pgettext("quality problem", "missing"),
        "invalid": pgettext("quality problem", "invalid"),
        "transform-failed": pgettext("quality problem", "could not be read"),
    }
    return str(names.get(problem, problem))


def run_status_label(status: str) -> str:
    """A harvest run's status."""
    names = {
        "running": pgettext("harvest run", "running"),
        "succeeded": pgettext("harvest run", "succeeded"),
        "failed": pgettext("harvest run", "failed"),
        "stalled": pgettext("harvest run", "stalled"),
    }
    return str(names.get(status, status))


def run_mode_label(mode: str) -> str:
    """How a harvest run asked for records: ``full``, ``incremental`` or ``from`` a date."""
    names = {
        "full": pgettext("harvest mode", "full"),
        "incremental": pgettext("harvest mode", "incremental"),
        "from": pgettext("harvest mode", "from a date"),
    }
    return str(names.get(mode, mode))


def registration_status_label(status: str) -> str:
    """A registered source's status."""
    names = {
        "pending": pgettext("registration", "pending"),
        "approved": pgettext("registration", "approved"),
        "rejected": pgettext("registration", "rejected"),
        "disabled": pgettext("registration", "disabled"),
    }
    return str(names.get(status, status))
