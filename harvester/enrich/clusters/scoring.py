"""How alike two records are: a score summed from named signals, each with its weight, so
that a curator sees why two listings were joined.

Weights are log-odds-like points, set by reading the labelled pairs (see
``tests/fixtures/clusters/README.md``): a shared persistent identifier or landing page is
strong evidence, a similar title is evidence when something else agrees, and what marks a
*part* of a project (a national chapter, a yearly edition, a spin-off: a title that adds a
country, a year or a subtitle) counts against. A pair is joined at :data:`JOIN` points.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from harvester.enrich.clusters.features import (
    GENERIC_WORDS,
    STOPWORDS,
    YEAR,
    Features,
    initials_of,
)
from harvester.normalise.vocab import country_code

JOIN = 8.0
"""Points at which two records are the same project."""
NEVER = -100.0
"""The score of a pair that can never be joined (different kinds of thing)."""

Common = Callable[[str, str], bool]
"""Says whether a value of a kind of blocking key (``url``, ``host``, ``word``) is shared by
so many records that it identifies none of them (a platform's home page, a portal host)."""


@dataclass(frozen=True, slots=True)
class Signal:
    """One piece of evidence: what it is (a fixed phrase, translated where shown), the
    points it adds (or takes), and the value it is about (a page, a word), if any."""

    name: str
    points: float
    detail: str = ""

    @property
    def text(self) -> str:
        """The signal as one line of English."""
        return f"{self.name} ({self.detail})" if self.detail else self.name


@dataclass(frozen=True, slots=True)
class Score:
    """The evidence about a pair, and its sum."""

    signals: tuple[Signal, ...]

    @property
    def total(self) -> float:
        """The sum of the signals' points."""
        return round(sum(s.points for s in self.signals), 2)

    @property
    def joins(self) -> bool:
        """True when the pair is the same project."""
        return self.total >= JOIN


def score(a: Features, b: Features, common: Common) -> Score:
    """The evidence that ``a`` and ``b`` describe the same thing."""
    if a.kind != b.kind:
        return Score((Signal("different kinds", NEVER),))
    signals: list[Signal] = []
    signals += _identifiers(a, b)
    signals += _addresses(a, b, common)
    signals += _titles(a, b)
    signals += _organisations(a, b)
    signals += _places_and_dates(a, b)
    if a.description and a.description == b.description and len(a.description) > 30:
        signals.append(Signal("same description", 2.5))
    elif _named_in(a, b) or _named_in(b, a):
        signals.append(Signal("one title named in the other's description", 1.5))
    if a.source_id == b.source_id:
        signals.append(Signal("same source", -3.0))
    return Score(tuple(signals))


def _identifiers(a: Features, b: Features) -> list[Signal]:
    shared = set(a.pids) & set(b.pids)
    if shared:
        return [Signal("same identifier", 10.0, min(shared))]
    if a.pids and b.pids:
        return [Signal("different persistent identifiers", -4.0)]
    return []


def _addresses(a: Features, b: Features, common: Common) -> list[Signal]:
    if not a.addresses and not b.addresses:
        return []
    sites_a, sites_b = a.sites, b.sites
    names_a = {x.name for x in sites_a if x.name}
    names_b = {x.name for x in sites_b if x.name}
    signals: list[Signal] = []
    keys = {k for k in set(a.addresses) & set(b.addresses) if not common("url", k)}
    hosts = {x.host for x in sites_a} & {x.host for x in sites_b}
    hosts = {h for h in hosts if not common("host", h)}
    names = {n for n in names_a & names_b if not common("word", n)}
    if keys:
        signals.append(Signal("same landing page", 6.0, min(keys)))
    elif hosts:
        signals.append(Signal("same site", 4.0, min(hosts)))
    elif names:
        signals.append(Signal("sites of the same name", 2.5, min(names)))
    elif sites_a and sites_b:
        signals.append(Signal("different sites", -1.0))
    words_a, words_b = set(a.words), set(b.words)
    named = {n for n in names_a if n == b.compact or n in words_b}
    named |= {n for n in names_b if n == a.compact or n in words_a}
    named = {n for n in named if len(n) >= 5 and not common("word", n)}
    if named:
        signals.append(Signal("a title names the other's site", 2.0, min(named)))
    return signals


def _named_in(a: Features, b: Features) -> bool:
    """True when ``a``'s title (two words or more) is written in ``b``'s description."""
    return len(a.words) >= 2 and f" {a.title} " in f" {b.description} "


def _titles(a: Features, b: Features) -> list[Signal]:
    if not a.title or not b.title:
        return []
    if a.title == b.title or (a.compact == b.compact and len(a.compact) >= 6):
        return [Signal("same title", 5.0)]
    names_a, names_b = {a.title, *a.alternatives}, {b.title, *b.alternatives}
    if names_a & names_b:
        return [Signal("same other name", 4.0, min(names_a & names_b))]
    signals: list[Signal] = []
    both = {*a.acronyms, a.compact} & {*b.acronyms, b.compact}
    shared_acronyms = {x for x in both if 2 < len(x) <= 10}
    if shared_acronyms and (a.acronyms or b.acronyms):
        signals.append(Signal("same acronym", 3.0, min(shared_acronyms)))
    similar = fuzz.token_sort_ratio(a.title, b.title)
    contained = fuzz.token_set_ratio(a.title, b.title)
    if similar >= 90:
        signals.append(Signal("similar titles", 4.0, f"{similar:.0f}"))
        signals += _part_of(a, b)
    elif contained >= 95 and a.words and b.words:
        signals.append(Signal("one title within the other", 3.0))
        signals += _part_of(a, b)
    elif similar >= 70:
        signals.append(Signal("related titles", 1.0, f"{similar:.0f}"))
    elif not shared_acronyms and not (set(a.words) & set(b.words)) and contained < 50:
        signals.append(Signal("different titles", -3.0))
    return signals


def _part_of(a: Features, b: Features) -> list[Signal]:
    """What the longer title adds, when it names a part of the other's project: a year
    (an edition), a country or any other distinctive word (a chapter, a spin-off)."""
    differing = (set(a.words) ^ set(b.words)) - GENERIC_WORDS - STOPWORDS
    extra = {w for w in differing if f" {w} " not in f" {a.description} {b.description} "}
    if not extra:
        return []
    if any(YEAR.match(w) for w in extra):
        return [
            Signal("an edition: a year in one title", -5.0, min(w for w in extra if YEAR.match(w)))
        ]
    countries = sorted(w for w in extra if _is_country(w))
    if countries:
        return [Signal("a national chapter: a country in one title", -5.0, countries[0])]
    listed = ", ".join(sorted(extra)[:3])
    return [Signal("a part? one title adds words", -1.5 * min(2, len(extra)), listed)]


def _organisations(a: Features, b: Features) -> list[Signal]:
    if not a.orgs or not b.orgs:
        return []
    best = max(fuzz.token_set_ratio(x, y) for x in a.orgs for y in b.orgs)
    if best >= 90:
        return [Signal("same organisation", 2.0)]
    initials = {initials_of(o.split()) for o in a.orgs + b.orgs}
    named = {w for o in a.orgs + b.orgs for w in o.split() if len(w) >= 3}
    if initials & named and best >= 40:
        return [Signal("organisation and its acronym", 1.5)]
    if best >= 70:
        return [Signal("related organisations", 1.0)]
    return []


def _places_and_dates(a: Features, b: Features) -> list[Signal]:
    signals: list[Signal] = []
    if a.countries and b.countries:
        if set(a.countries) & set(b.countries):
            signals.append(Signal("same country", 0.5))
        else:
            signals.append(Signal("different countries", -1.5))
    if a.start_year and b.start_year:
        gap = abs(a.start_year - b.start_year)
        if gap == 0:
            signals.append(Signal("same start year", 0.5))
        elif gap > 3:
            signals.append(Signal("start years far apart", -1.0))
    return signals


@lru_cache(maxsize=65_536)
def _is_country(word: str) -> bool:
    """True when a folded title word names a country (in any language the vocabulary
    knows); codes such as 'de' are too short to count."""
    return len(word) >= 4 and country_code(word) is not None
