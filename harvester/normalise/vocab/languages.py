"""Languages: codes, BCP 47 tags and names (English, native, EU languages) to ISO 639-1.

A value is tried whole, as an ISO 639-1 / 639-2 (B or T) / 639-3 code, then as a BCP 47 or POSIX
tag ("en-GB", "pt_BR", "zh-Hant-TW": the primary subtag decides), then as a name: English names
from pycountry, each language's name in itself ("Deutsch", "polski", "Ελληνικά"), its names in the
EU official languages ("allemand", "Englisch") and aliases from
``mappings/vocabularies/languages.yaml``. A list ("en; de") gives its first recognised language.
Languages without an ISO 639-1 code give None.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter, defaultdict
from functools import lru_cache

import pycountry

from harvester.normalise.vocab._common import as_text, build_index, fold, load_vocabulary
from harvester.normalise.vocab.countries import EU_LANGUAGES

_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*$")
_LIST = re.compile(r"[,;|/\n]+")
_PAREN = re.compile(r"\([^)]*\)")


def _names(language: object) -> list[str]:
    names = []
    for attr in ("name", "inverted_name", "common_name"):
        if hasattr(language, attr):
            value = str(getattr(language, attr))
            names.append(value)
            bare = _PAREN.sub("", value).strip()
            names.append(bare)
            if "," in bare:
                names.append(bare.split(",")[0])
    return names


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """Build (codes, names) once."""
    codes: dict[str, str] = {}
    english: dict[str, str] = {}
    votes: defaultdict[str, Counter[str]] = defaultdict(Counter)
    languages = [lang for lang in pycountry.languages if hasattr(lang, "alpha_2")]
    catalogues: dict[str, gettext.NullTranslations] = {}
    for code in {str(lang.alpha_2) for lang in languages} | set(EU_LANGUAGES):
        try:
            catalogues[code] = gettext.translation(
                "iso639-3", pycountry.LOCALES_DIR, languages=[code]
            )
        except OSError:
            continue
    for lang in languages:
        alpha_2 = str(lang.alpha_2)
        codes[alpha_2] = alpha_2
        codes[str(lang.alpha_3)] = alpha_2
        if hasattr(lang, "bibliographic"):
            codes[str(lang.bibliographic)] = alpha_2
        names = _names(lang)
        for name in names:
            english[fold(name)] = alpha_2
        own = catalogues.get(alpha_2)
        if own is not None:
            english[fold(_PAREN.sub("", own.gettext(str(lang.name))))] = alpha_2
        for code in EU_LANGUAGES:
            catalogue = catalogues.get(code)
            if catalogue is not None:
                for name in names:
                    votes[fold(_PAREN.sub("", catalogue.gettext(name)))][alpha_2] += 1
    names_index: dict[str, str] = {}
    for key, counter in votes.items():
        ranked = counter.most_common(2)
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            names_index[key] = ranked[0][0]
    names_index.update(english)
    data = load_vocabulary("languages")
    aliases = [(s, str(t)) for t, e in data["terms"].items() for s in (e or {}).get("synonyms", [])]
    alias_index = build_index(aliases, "languages.yaml")
    for key, target in alias_index.items():
        if len(key) <= 3 and key.isascii() and key.isalpha():
            codes[key] = target
        else:
            names_index[key] = target
    names_index.pop("", None)
    return codes, names_index


def _one(text: str) -> str | None:
    codes, names = _tables()
    value = text.strip(" .'\"")
    match = _TAG.match(value)
    if match:
        code = codes.get(match.group(1).lower())
        if code is not None:
            return code
    key = fold(value)
    if key in names:
        return names[key]
    bare = fold(_PAREN.sub(" ", value))  # "English (UK)", "Deutsch (Schweiz)"
    return names.get(bare)


@lru_cache(maxsize=16384)
def _lookup(text: str) -> str | None:
    found = _one(text)
    if found is not None:
        return found
    for part in _LIST.split(text):
        if part.strip() and part.strip() != text:
            found = _one(part)
            if found is not None:
                return found
    return None


def language_code(text: str) -> str | None:
    """Return the ISO 639-1 code of the language ``text`` names, or None.

    Args:
        text: A code ("de", "ger", "deu"), a tag ("en-GB", "pt_BR") or a name ("Deutsch").

    Returns:
        A two-letter lower-case ISO 639-1 code, or None.

    Examples:
        >>> language_code("pt_BR"), language_code("français"), language_code("ger")
        ('pt', 'fr', 'de')
    """
    value = as_text(text, 200)
    if value is None:
        return None
    return _lookup(value)
