"""The words curators read about clusters, translated: the signals of a pair's score and the
reasons a pair was not joined (fixed phrases of :mod:`harvester.enrich.clusters`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

LABELS: dict[str, LazyString] = {
    "same identifier": _l("same identifier"),
    "different persistent identifiers": _l("different persistent identifiers"),
    "same landing page": _l("same landing page"),
    "same site": _l("same site"),
    "sites of the same name": _l("sites of the same name"),
    "different sites": _l("different sites"),
    "a title names the other's site": _l("a title names the other's site"),
    "same title": _l("same title"),
    "same other name": _l("same other name"),
    "same acronym": _l("same acronym"),
    "similar titles": _l("similar titles"),
    "one title within the other": _l("one title within the other"),
    "related titles": _l("related titles"),
    "different titles": _l("different titles"),
    "an edition: a year in one title": _l("an edition: a year in one title"),
    "a national chapter: a country in one title": _l("a national chapter: a country in one title"),
    "a part? one title adds words": _l("a part? one title adds words"),
    "same organisation": _l("same organisation"),
    "organisation and its acronym": _l("organisation and its acronym"),
    "related organisations": _l("related organisations"),
    "same country": _l("same country"),
    "different countries": _l("different countries"),
    "same start year": _l("same start year"),
    "start years far apart": _l("start years far apart"),
    "same description": _l("same description"),
    "one title named in the other's description": _l("one title named in the other's description"),
    "same source": _l("same source"),
    "different kinds": _l("different kinds"),
    "joined by a curator": _l("joined by a curator"),
    "a curator said these are different projects": _l(
        "a curator said these are different projects"
    ),
    "the cluster would hold too many listings": _l("the cluster would hold too many listings"),
    "two listings of one source that are not alike": _l(
        "two listings of one source that are not alike"
    ),
    "the records of the two groups are not alike on average": _l(
        "the records of the two groups are not alike on average"
    ),
}


def label(phrase: str) -> str:
    """The phrase in the reader's language (an unknown one as it is)."""
    return str(LABELS.get(phrase, phrase))
