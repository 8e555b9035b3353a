"""The words curators read about clusters, translated: the signals of a pair's score and the
reasons a pair was not joined (fixed phrases of :mod:`harvester.enrich.clusters`)."""

from __future__ import annotations

from flask_babel import gettext


def N_(message: str) -> str:
    """Mark ``message`` for the interface's catalogue (gettext tools look for this name)."""
    return message


LABELS: dict[str, str] = {
    "same identifier": N_("same identifier"),
    "different persistent identifiers": N_("different persistent identifiers"),
    "same landing page": N_("same landing page"),
    "same site": N_("same site"),
    "sites of the same name": N_("sites of the same name"),
    "different sites": N_("different sites"),
    "a title names the other's site": N_("a title names the other's site"),
    "same title": N_("same title"),
    "same other name": N_("same other name"),
    "same acronym": N_("same acronym"),
    "similar titles": N_("similar titles"),
    "one title within the other": N_("one title within the other"),
    "related titles": N_("related titles"),
    "different titles": N_("different titles"),
    "an edition: a year in one title": N_("an edition: a year in one title"),
    "a national chapter: a country in one title": N_("a national chapter: a country in one title"),
    "a part? one title adds words": N_("a part? one title adds words"),
    "same organisation": N_("same organisation"),
    "organisation and its acronym": N_("organisation and its acronym"),
    "related organisations": N_("related organisations"),
    "same country": N_("same country"),
    "different countries": N_("different countries"),
    "same start year": N_("same start year"),
    "start years far apart": N_("start years far apart"),
    "same description": N_("same description"),
    "one title named in the other's description": N_("one title named in the other's description"),
    "same source": N_("same source"),
    "different kinds": N_("different kinds"),
    "joined by a curator": N_("joined by a curator"),
    "a curator said these are different projects": N_(
        "a curator said these are different projects"
    ),
    "the cluster would hold too many listings": N_("the cluster would hold too many listings"),
    "two listings of one source that are not alike": N_(
        "two listings of one source that are not alike"
    ),
    "the records of the two groups are not alike on average": N_(
        "the records of the two groups are not alike on average"
    ),
}


def label(phrase: str) -> str:
    """The phrase in the reader's language (an unknown one as it is)."""
    return str(gettext(LABELS[phrase])) if phrase in LABELS else phrase
