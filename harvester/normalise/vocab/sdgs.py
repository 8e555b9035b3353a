"""UN Sustainable Development Goals stated in text, to goal numbers 1-17.

Recognised: "SDG 3", "SDG3", "sdg-15", "SDGs 3, 14 and 15", "Goal 14: Life below water",
"Ziel 13", "ODD 6"/"ODS 6" (French/Spanish/Portuguese), UN URLs (``sdgs.un.org/goals/goal14``,
``metadata.un.org/sdg/14``, ``unstats.un.org/sdgs/...Goal=14``), the official short names and
variants in ``mappings/vocabularies/sdgs.yaml`` ("Life below water"), and a value that is only
numbers ("14" or "3, 14"), for fields that hold goal numbers. Numbers outside 1-17 are ignored.
"""

from __future__ import annotations

import re
from functools import lru_cache

from harvester.normalise.vocab._common import as_text, build_index, fold, load_vocabulary

_PREFIX = r"(?:sdgs?|goals?|ziele?|objectifs?|objetivos?|odd|ods|doelen?|obiettivi|obiettivo)"
_MENTION = re.compile(
    _PREFIX + r"[\s#:._-]*(\d{1,2}(?:\s*(?:,|&|and|und|et|y|e|en|/|;)\s*\d{1,2}\b)*)\b",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:/goals?[/-]?|/sdg/|[?&]goal=)(\d{1,2})\b", re.IGNORECASE)
_NUMBER = re.compile(r"\d{1,2}")
_ONLY_NUMBERS = re.compile(r"^\s*\d{1,2}(?:\s*[,;/ ]\s*\d{1,2})*\s*$")
_MAX_WORDS = 16


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    terms = load_vocabulary("sdgs")["terms"]
    pairs = [
        (str(word), str(goal))
        for goal, entry in terms.items()
        for word in [entry["label"], *(entry.get("synonyms") or [])]
    ]
    return build_index(pairs, "sdgs.yaml")


def sdg_labels() -> dict[int, str]:
    """Return ``{goal number: official short name}``."""
    terms = load_vocabulary("sdgs")["terms"]
    return {int(goal): str(entry["label"]) for goal, entry in terms.items()}


def _scan_names(key: str, names: dict[str, str]) -> list[int]:
    words = key.split()
    found: list[int] = []
    i = 0
    while i < len(words):
        for size in range(min(_MAX_WORDS, len(words) - i), 1, -1):
            phrase = " ".join(words[i : i + size])
            if phrase in names:
                found.append(int(names[phrase]))
                i += size
                break
        else:
            i += 1
    return found


@lru_cache(maxsize=8192)
def _goals(text: str) -> tuple[int, ...]:
    found: list[int] = []
    if _ONLY_NUMBERS.match(text):
        found.extend(int(n) for n in _NUMBER.findall(text))
    for match in _URL.finditer(text):
        found.append(int(match.group(1)))
    for match in _MENTION.finditer(text):
        found.extend(int(n) for n in _NUMBER.findall(match.group(1)))
    names = _names()
    key = fold(text)
    if key in names:
        found.append(int(names[key]))
    else:
        found.extend(_scan_names(key, names))
    return tuple(dict.fromkeys(goal for goal in found if 1 <= goal <= 17))


def sdg_numbers(text: str) -> list[int]:
    """Return the Sustainable Development Goals ``text`` states, in order, without repeats.

    Args:
        text: A goal mention, URL, official name, or a list of them.

    Returns:
        Goal numbers between 1 and 17; empty when none is stated.

    Examples:
        >>> sdg_numbers("SDG 3; Goal 14: Life below water")
        [3, 14]
    """
    value = as_text(text, 5000)
    if value is None:
        return []
    return list(_goals(value))
