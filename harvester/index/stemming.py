"""Words reduced to their stems by each text's language (Snowball, through PyStemmer).

The embedded index keeps, beside a record's words, the stems of its title and description,
each language version stemmed by its own language's rules ("birds" → "bird", "Vögel" →
"vogel"); a query's single words are stemmed by the query's languages and may match those
stems as well as the exact words. Both sides stem folded words (case and diacritics
removed, as the index compares words), so they agree even where Snowball would rather see
the accents. A stem is kept tagged with its language ("en" + "bird" → ``enbird``: one
token, as languages have two letters), so that Spanish "aire" (stem "air") never meets the
English "air". Phrases, prefixes and exclusions stay exact.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

import Stemmer

from harvester.enrich.languages import LanguageVersion
from harvester.index.text import Atom, TextQuery, words_of

# ISO 639-1 → Snowball algorithm, for the European languages Snowball has rules for.
# Croatian is stemmed by the Serbian rules (one Latin-script standard, Snowball's Serbian
# stemmer reads both scripts); Bulgarian, Latvian, Maltese, Slovak and Slovenian have none.
SNOWBALL: dict[str, str] = {
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "et": "estonian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hr": "serbian",
    "hu": "hungarian",
    "it": "italian",
    "lt": "lithuanian",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sv": "swedish",
    "tr": "turkish",
}
MIN_STEMMED = 3  # shorter words are kept as they are (codes, "no", "de")
STEM_CACHE_WORDS = 0
"""Words each stemmer remembers: none. PyStemmer's own cache (10,000 words by default, per
language and thread) fills up to megabytes per language as a harvest goes, while stemming
a word afresh costs a fraction of a microsecond."""

_local = threading.local()  # PyStemmer's stemmers are not to be shared between threads


def _stemmer(lang: str) -> Stemmer.Stemmer | None:
    """This thread's stemmer for ``lang``, or None when Snowball has no rules for it."""
    algorithm = SNOWBALL.get(lang)
    if algorithm is None:
        return None
    held: dict[str, Stemmer.Stemmer] | None = getattr(_local, "stemmers", None)
    if held is None:
        held = _local.stemmers = {}
    if lang not in held:
        held[lang] = Stemmer.Stemmer(algorithm, STEM_CACHE_WORDS)
    return held[lang]


def stemmable(lang: str | None) -> bool:
    """True when words of ``lang`` can be stemmed."""
    return lang is not None and lang in SNOWBALL


def stem_words(words: Sequence[str], lang: str) -> list[str]:
    """The stems of folded ``words`` in ``lang`` (the words themselves without rules)."""
    stemmer = _stemmer(lang)
    if stemmer is None:
        return list(words)
    stems: list[str] = stemmer.stemWords(words)
    pairs = zip(words, stems, strict=True)
    return [stem if len(word) >= MIN_STEMMED else word for word, stem in pairs]


def stemmed_text(versions: Iterable[LanguageVersion]) -> str:
    """What the index keeps of a record's stems: the words of each language version (its
    title and description) stemmed by that version's language; versions in a language
    without rules, or in none that could be told, add nothing."""
    parts: list[str] = []
    for version in versions:
        if version.lang is not None and stemmable(version.lang):
            lang = version.lang
            parts.append(" ".join(lang + stem for stem in stem_words(words_of(version.full), lang)))
    return " ".join(parts)


def with_stems(text: TextQuery, languages: Sequence[str]) -> TextQuery:
    """The query with each single, positive, non-prefix word also given its stems in
    ``languages`` (phrases, prefixes and exclusions stay exact)."""
    usable = [lang for lang in dict.fromkeys(languages) if stemmable(lang)]
    if not usable or not text.clauses:
        return text
    return TextQuery(
        tuple(tuple(_stemmed_atom(atom, usable) for atom in clause) for clause in text.clauses),
        text.excluded,
        tuple(usable),
    )


def _stemmed_atom(atom: Atom, languages: Sequence[str]) -> Atom:
    if atom.prefix or atom.quoted or len(atom.words) != 1:
        return atom
    word = atom.words[0]
    stems = tuple(dict.fromkeys(lang + stem_words([word], lang)[0] for lang in languages))
    return Atom(atom.words, atom.prefix, stems, atom.quoted)


def stem_of(word: str, languages: Sequence[str]) -> set[str]:
    """The stems of one folded word in each of ``languages``, tagged with the language."""
    return {lang + stem_words([word], lang)[0] for lang in languages}
