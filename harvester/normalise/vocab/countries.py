"""Countries: names (English and every EU official language), codes and place strings to ISO 3166-1.

Every value becomes a list of upper-case ISO 3166-1 alpha-2 codes. A value is read as a list of
parts separated by ``,``, ``;``, ``|``, ``/``, newlines or parentheses; a part is first looked up
whole (alpha-2 or alpha-3 code, a name from pycountry in English or an EU language, or an alias
from ``mappings/vocabularies/countries.yaml``), then scanned for country names inside it
("Région Bretagne (France)", "Lakes of northern Italy"). Codes count only as whole parts, so
"IT" in a sentence is never Italy. Regions such as "Europe" or "World" give no code.
"""

from __future__ import annotations

import gettext
import re
from collections import Counter, defaultdict
from functools import lru_cache

import pycountry

from harvester.normalise.vocab._common import (
    MAX_INPUT,
    as_text,
    build_index,
    fold,
    load_vocabulary,
    scan_phrases,
)

EU_LANGUAGES = (
    "bg", "cs", "da", "de", "el", "es", "et", "fi", "fr", "ga", "hr", "hu",
    "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
)  # fmt: skip
"""EU official languages other than English whose country names are recognised."""

_SEPARATORS = re.compile(r"[,;|/\n\r\t()\[\]]+")
_NAME_SCAN_MAX_WORDS = 8


def _english_names(country: object) -> list[str]:
    return [
        str(getattr(country, attr))
        for attr in ("name", "official_name", "common_name")
        if hasattr(country, attr)
    ]


@lru_cache(maxsize=1)
def _tables() -> tuple[
    dict[str, str], dict[str, str], frozenset[str], frozenset[str], dict[str, str]
]:
    """Build (codes, names, ignored, whole-only, scannable) once."""
    codes: dict[str, str] = {}
    english: dict[str, str] = {}
    translated: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for country in pycountry.countries:
        alpha_2 = str(country.alpha_2)
        codes[alpha_2] = alpha_2
        codes[str(country.alpha_3)] = alpha_2
        for name in _english_names(country):
            english[fold(name)] = alpha_2
    for lang in EU_LANGUAGES:
        try:
            catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        except OSError:  # pragma: no cover - pycountry ships all of them
            continue
        for country in pycountry.countries:
            for name in _english_names(country):
                translated[fold(catalogue.gettext(name))][str(country.alpha_2)] += 1
    names: dict[str, str] = {}
    for key, votes in translated.items():
        ranked = votes.most_common(2)
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            names[key] = ranked[0][0]  # a lone mistranslation is outvoted
    names.update(english)
    data = load_vocabulary("countries")
    aliases = [(s, str(t)) for t, e in data["terms"].items() for s in (e or {}).get("synonyms", [])]
    names.update(build_index(aliases, "countries.yaml"))
    ignored = frozenset(fold(str(word)) for word in data.get("ignore", []))
    whole_only = frozenset(fold(str(word)) for word in data.get("whole_value_only", []))
    english_keys = set(english) | {fold(s) for s, _ in aliases}
    scannable = {
        key: code
        for key, code in names.items()
        if key not in whole_only
        and key not in ignored
        and len(key) >= (4 if key in english_keys else 5)
    }
    names.pop("", None)
    return codes, names, ignored, whole_only, scannable


def _part_codes(part: str) -> list[str]:
    codes, names, ignored, _whole_only, scannable = _tables()
    stripped = part.strip(" .-'\"")
    if not stripped:
        return []
    upper = stripped.upper()
    if len(upper) in (2, 3) and upper in codes:
        return [codes[upper]]
    key = fold(stripped)
    words = key.split(" ")
    if words and words[0] == "the":
        key = " ".join(words[1:])
    if key in ignored:
        return []
    if key in names:
        return [names[key]]
    return scan_phrases(key, scannable, _NAME_SCAN_MAX_WORDS)


@lru_cache(maxsize=32768)
def _codes(text: str) -> tuple[str, ...]:
    _codes_table, names, _ignored, _whole_only, _scannable = _tables()
    parts = [p for p in _SEPARATORS.split(text) if p.strip()]
    found: list[str] = []
    i = 0
    while i < len(parts):
        # "Korea, Republic of", "Korea (the Republic of)": a name may contain a separator.
        if i + 1 < len(parts):
            joined = fold(parts[i] + " " + parts[i + 1])
            if joined in names:
                found.append(names[joined])
                i += 2
                continue
        found.extend(_part_codes(parts[i]))
        i += 1
    return tuple(dict.fromkeys(found))


def country_codes(text: str) -> list[str]:
    """Return every country named in ``text`` as ISO 3166-1 alpha-2 codes, in order, no repeats.

    Args:
        text: A code, a name in English or an EU language, a list, or a place string.

    Returns:
        Upper-case alpha-2 codes; empty when no country is recognised.

    Examples:
        >>> country_codes("Berlin, Germany; Frankreich")
        ['DE', 'FR']
    """
    value = as_text(text, MAX_INPUT)
    if value is None:
        return []
    return list(_codes(value))


def country_code(text: str) -> str | None:
    """Return the single country named in ``text``, or None when none or several are.

    Args:
        text: A code, a name, or a place string naming one country.

    Returns:
        An upper-case ISO 3166-1 alpha-2 code, or None.
    """
    found = country_codes(text)
    return found[0] if len(found) == 1 else None
