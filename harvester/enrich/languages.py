"""The language of a text, and a record's text split into its language versions.

Records say which languages they are in (``languages``, the ``lang`` of alternate titles),
but rarely which text is in which: a demo record's description holds a German and an
English paragraph, a JRC record's an English one with a Dutch title. The guess comes from
py3langid (a naive Bayes model over byte n-grams, bundled in its wheel, about 0.1 ms a
text), restricted to the European languages csfinder serves; a record's own languages,
when it names some, narrow the guess further.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# The EU's official languages, and the other languages of European citizen science the
# model knows (Catalan, Norwegian, Icelandic, Russian, Ukrainian, Turkish).
EUROPEAN: tuple[str, ...] = (
    *("bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr", "hu", "it"),
    *("lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv"),
    *("ca", "no", "is", "ru", "uk", "tr"),
)
CONFIDENT = 0.5  # a guess below this probability is no guess
MIN_LETTERS = 3  # texts with fewer letters than this get no guess
PARAGRAPHS = re.compile(r"\n\s*\n")
LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Guess:
    """A language (ISO 639-1) and how sure the model is (0..1)."""

    lang: str
    confidence: float


@dataclass(frozen=True)
class LanguageVersion:
    """The text of a record in one language (``lang`` None when it could not be told)."""

    lang: str | None
    title: str
    text: str

    @property
    def full(self) -> str:
        """Title and text together, as encoders and stemmers read them."""
        return "\n".join(part for part in (self.title, self.text) if part)


@cache
def _identifier() -> LanguageIdentifier:
    """The model, loaded once per process (about 0.3 s), restricted to :data:`EUROPEAN`."""
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([lang for lang in EUROPEAN if lang in identifier.nb_classes])
    return identifier


def guess_language(text: str, among: Sequence[str] = ()) -> Guess | None:
    """The language of ``text`` when the model is confident (only ``among`` these when
    given and known to the model); None for texts too short or too mixed to tell."""
    if len(LETTER.findall(text[:200])) < MIN_LETTERS:
        return None
    identifier = _identifier()
    known = [lang for lang in among if lang in identifier.nb_classes]
    if len(known) == 1:
        return Guess(known[0], 1.0)
    if not known:
        lang, probability = identifier.classify(text[:2000])
        return Guess(str(lang), float(probability)) if probability >= CONFIDENT else None
    ranked = [(lang, p) for lang, p in identifier.rank(text[:2000]) if lang in known]
    total = sum(p for _lang, p in ranked)
    if not ranked or total <= 0:
        return None
    lang, probability = ranked[0]
    share = probability / total
    return Guess(str(lang), float(share)) if share >= CONFIDENT else None


def language_versions(record: Mapping[str, Any]) -> list[LanguageVersion]:
    """The record's title and description in each of its languages (the record's JSON
    form): alternate titles by their ``lang``, the title and each paragraph of the
    description by guess, narrowed to the record's ``languages`` when it lists several.

    A record in one language gives one version; text whose language cannot be told joins
    the version of the record's first language, or stands alone (``lang`` None).
    """
    listed = [str(lang) for lang in record.get("languages") or []]
    title = str(record.get("title") or "")
    titles: dict[str | None, list[str]] = {}
    texts: dict[str | None, list[str]] = {}
    for alternate in record.get("alternate_titles") or []:
        value = str(alternate.get("value") or "")
        if value:
            titles.setdefault(alternate.get("lang") or _lang_of(value, listed), []).append(value)
    if title:
        titles.setdefault(_lang_of(title, listed), []).insert(0, title)
    for paragraph in PARAGRAPHS.split(str(record.get("description") or "")):
        if paragraph.strip():
            texts.setdefault(_lang_of(paragraph, listed), []).append(paragraph.strip())
    keys = list(dict.fromkeys([*texts, *titles]))
    if None in keys and len(keys) > 1:  # untold text joins the first told language
        home = next(k for k in keys if k is not None)
        titles.setdefault(home, []).extend(titles.pop(None, []))
        texts.setdefault(home, []).extend(texts.pop(None, []))
        keys.remove(None)
    return [
        LanguageVersion(lang, " · ".join(titles.get(lang, [])), "\n\n".join(texts.get(lang, [])))
        for lang in keys
    ]


def _lang_of(text: str, listed: Sequence[str]) -> str | None:
    """The language of one text of a record that lists ``listed`` languages."""
    if len(listed) == 1:
        return listed[0]
    found = guess_language(text, listed)
    return found.lang if found is not None else (listed[0] if listed else None)
