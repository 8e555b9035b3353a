"""What facets and insights dimensions are called, and the labels of yes/no filters: marked
with :func:`N_` for extraction, translated with ``gettext`` where they are shown."""

from __future__ import annotations

from flask_babel import gettext


def N_(message: str) -> str:  # Babel's keyword for "mark, translate later"
    """Mark a message for extraction (Babel's ``N_`` keyword); it is translated, with
    ``gettext``, where it is shown."""
    return message


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
"""Facet and dimension names."""

YES_NO: dict[str, tuple[str, str]] = {
    "policy_aims": (N_("No policy aims stated"), N_("Results meant for policy making")),
    "for_schools": (N_("Not marked as suited to schools"), N_("Suited to schools")),
}
"""The labels of the yes/no filters' values: (false, true); ``has_pid``'s are in
:func:`~portal.i18n.labels.facet_label`."""


def facet_title(facet: str) -> str:
    """A facet's (or an insights dimension's) name, as headings and legends show it."""
    return str(gettext(FACET_TITLES[facet])) if facet in FACET_TITLES else facet


def yes_no_label(facet: str, value: str) -> str | None:
    """The label of a yes/no filter's value, or None for another facet."""
    if facet not in YES_NO:
        return None
    return str(gettext(YES_NO[facet][value == "true"]))
