"""What clustering compares of a record, computed once from its stored document: folded
title words, acronyms, landing pages, persistent identifiers, organisations, countries,
years, kind and source.

Folding: case, accents and punctuation go; words in brackets stay words, and a bracketed
all-capital word also counts as an acronym (``... Monitoring Scheme (PECBMS)``).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from harvester.core.model import PERSISTENT_SCHEMES
from harvester.enrich.clusters.urls import Address, fold_url

WORD = re.compile(r"[^\W_]+")
ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]{1,9}\b")
BRACKETED = re.compile(r"[(\[]([^()\[\]]{2,40})[)\]]")
DESCRIPTION_CHARS = 200
YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
STOPWORDS = frozenset(
    (
        *("a", "an", "and", "at", "by", "de", "del", "der", "des", "di", "die", "do", "du"),
        *("een", "en", "et", "for", "from", "het", "i", "il", "in", "la", "las", "le", "les"),
        *("lo", "los", "of", "on", "op", "or", "the", "to", "und", "van", "von", "voor", "y"),
        *("za", "zu"),
    )
)
"""Words too common in titles (articles, prepositions; several languages) to tell anything."""
GENERIC_WORDS = frozenset(
    (
        *("project", "projects", "projekt", "projet", "proyecto", "progetto", "projecto"),
        *("program", "programme", "programa", "initiative", "app", "application", "platform"),
        *("portal", "website", "site", "online", "network", "netwerk", "citizen", "science"),
        *("sciences", "scientific", "wetenschap", "ciencia", "ciudadana", "burgerwetenschap"),
        *("campaign", "survey", "monitoring", "org", "com", "eu", "net", "www", "not", "current"),
    )
)
"""Words that a platform adds to or drops from a title without naming another project."""


@dataclass(frozen=True, slots=True)
class Features:
    """One record as clustering sees it."""

    record_id: str
    source_id: str
    kind: str
    title: str  # folded words joined by spaces, generic words out
    words: tuple[str, ...]  # folded title words, stopwords and generic words out
    alternatives: tuple[str, ...]  # other names: 'a / b', 'a (b)', alternate titles
    acronyms: tuple[str, ...]
    addresses: tuple[str, ...]  # folded landing pages (host and path)
    pids: tuple[str, ...]
    orgs: tuple[str, ...]  # folded organisation names
    countries: tuple[str, ...]
    start_year: int | None
    description: str  # folded start of the description
    quality: int
    richness: int  # top-level fields filled

    @property
    def compact(self) -> str:
        """The folded title without spaces: 'oldweather'."""
        return self.title.replace(" ", "")

    @property
    def sites(self) -> tuple[Address, ...]:
        """The landing pages, with their hosts and site names."""
        found = (fold_url(a) for a in self.addresses)
        return tuple(a for a in found if a is not None)

    @property
    def names(self) -> frozenset[str]:
        """The site names of the record's landing pages."""
        return frozenset(a.name for a in self.sites if a.name)


def fold(text: str) -> str:
    """Lower case, accents off (any script)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def _word(word: str) -> str:
    """One folded word, shared by every record that uses it (saves memory at scale)."""
    return sys.intern(word)


def folded_words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return [_word(w) for w in WORD.findall(fold(text))]


def acronyms_of(title: str) -> frozenset[str]:
    """Acronyms a title states: bracketed or all-capital words of 2-10 letters, folded."""
    found = {m.lower() for m in ACRONYM.findall(title) if not YEAR.match(m)}
    for inner in BRACKETED.findall(title):
        words = inner.split()
        if len(words) == 1 and words[0].isupper():
            found.add(fold(words[0]))
    return frozenset(found)


def initials_of(words: Iterable[str]) -> str:
    """The initials of a sequence of words (stopwords skipped): 'jrc' for 'joint research
    centre'."""
    return "".join(w[0] for w in words if w not in STOPWORDS)


def features_of(record: Mapping[str, Any]) -> Features:
    """The features of a record given in its JSON form (as the store keeps it)."""
    title = str(record.get("title") or "")
    words = [w for w in folded_words(title) if w not in GENERIC_WORDS] or folded_words(title)
    provenance = record.get("provenance") or {}
    addresses: dict[str, None] = {}
    pids: set[str] = set()
    for candidate in _urls(record):
        address = fold_url(candidate)
        if address is not None:
            addresses[address.key] = None
    for identifier in record.get("identifiers") or ():
        scheme = identifier.get("scheme")
        if scheme in PERSISTENT_SCHEMES:
            pids.add(f"{scheme}:{str(identifier.get('value', '')).lower()}")
    orgs = tuple(
        dict.fromkeys(
            " ".join(folded_words(str(o.get("name") or "")))
            for o in record.get("organisations") or ()
        )
    )
    description = " ".join(folded_words(str(record.get("description") or "")[:600]))
    return Features(
        record_id=str(record.get("id") or ""),
        source_id=sys.intern(str(provenance.get("source_id") or "")),
        kind=sys.intern(str(record.get("kind") or "resource")),
        title=" ".join(words),
        words=_shared(sorted({w for w in words if w not in STOPWORDS})),
        alternatives=_alternatives(title, record.get("alternate_titles") or ()),
        acronyms=_shared(sorted(acronyms_of(title))),
        addresses=_shared(list(addresses)),
        pids=_shared(sorted(pids)),
        orgs=_shared([o for o in orgs if o]),
        countries=_shared(sorted(sys.intern(str(c)) for c in record.get("countries") or ())),
        start_year=_year(record.get("start_date")),
        description=description[:DESCRIPTION_CHARS],
        quality=int((record.get("quality") or {}).get("score") or 0),
        richness=sum(
            1 for k, v in record.items() if v not in (None, "", [], {}) and k != "quality"
        ),
    )


def _shared(items: list[str]) -> tuple[str, ...]:
    """A tuple of the items (the one empty tuple when there are none: saves memory)."""
    return tuple(items) if items else ()


def _alternatives(title: str, alternates: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    """Other names a record gives: each side of ``a / b`` or ``a | b``, the text outside
    and inside brackets (``Vadonleső (The WildWatcher)``), and its alternate titles."""
    names = [p for p in re.split(r"\s+[/|]\s+", title) if p.strip()]
    outside = BRACKETED.sub(" ", title)
    if outside.strip() != title.strip():
        names.append(outside)
        names += BRACKETED.findall(title)
    names += [str(a.get("value") or "") for a in alternates]
    folded = (" ".join(w for w in folded_words(n) if w not in GENERIC_WORDS) for n in names)
    whole = " ".join(w for w in folded_words(title) if w not in GENERIC_WORDS)
    return _shared(list(dict.fromkeys(f for f in folded if f and f != whole)))


def _urls(record: Mapping[str, Any]) -> Iterable[str]:
    url = record.get("url")
    if url:
        yield str(url)
    for identifier in record.get("identifiers") or ():
        if identifier.get("scheme") == "url" and identifier.get("value"):
            yield str(identifier["value"])


def _year(value: Any) -> int | None:
    if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit():
        return int(value[:4])
    return None
