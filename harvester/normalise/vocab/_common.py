"""Shared helpers for the vocabulary normalisers: folding text and loading YAML tables."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from typing import Any

import yaml

from harvester.core import paths

VOCABULARY_DIR = paths.VOCABULARY_DIR
"""Folder holding the project's own vocabulary tables (``mappings/vocabularies/*.yaml``)."""

MAX_INPUT = 10_000
"""Longest input (characters) a field normaliser looks at; the rest is ignored."""

_WORD = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def as_text(value: object, limit: int = MAX_INPUT) -> str | None:
    """Return ``value`` as a stripped string cut to ``limit`` characters, or None if not a str.

    Args:
        value: Anything; only ``str`` is accepted.
        limit: Maximum number of characters kept.

    Returns:
        The cleaned string, or None for non-strings and blank strings.
    """
    if not isinstance(value, str):
        return None
    text = _CONTROL.sub(" ", value[:limit]).strip()
    return text or None


def strip_accents(text: str) -> str:
    """Return ``text`` case-folded and without combining accents ("Côte" → "cote")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Return a lookup key: case-folded, accent-free words joined by single spaces.

    Punctuation is dropped and ``&`` reads as "and", so "Bosnia & Herzegovina",
    "bosnia-and-herzegovina" and "BOSNIA AND HERZEGOVINA" all give the same key.
    """
    return " ".join(_WORD.findall(strip_accents(text.replace("&", " and ")).replace("_", " ")))


@cache
def load_vocabulary(name: str) -> dict[str, Any]:
    """Load ``mappings/vocabularies/<name>.yaml`` (cached).

    Args:
        name: File name without the ``.yaml`` suffix.

    Returns:
        The parsed mapping.

    Raises:
        ValueError: The file is not a mapping with a ``terms`` mapping.
    """
    path = VOCABULARY_DIR / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("terms"), dict):
        raise ValueError(f"{path}: expected a mapping with a 'terms' mapping")
    for target in data["terms"]:
        if isinstance(target, bool) or not isinstance(target, str | int):
            raise ValueError(f"{path}: term {target!r} must be a string (quote yes/no/on/off)")
    return data


def term_synonyms(name: str) -> dict[str, list[str]]:
    """Return ``{target: [label and synonyms...]}`` from a vocabulary file.

    Args:
        name: Vocabulary file name without suffix.

    Returns:
        Each target (as a string) with its label (if any) and synonyms.

    Raises:
        ValueError: A term is not a mapping or its synonyms are not strings.
    """
    out: dict[str, list[str]] = {}
    for target, entry in load_vocabulary(name)["terms"].items():
        entry = entry or {}
        if not isinstance(entry, dict):
            raise ValueError(f"{name}.yaml: term {target!r} must be a mapping")
        words = list(entry.get("synonyms") or [])
        if "label" in entry:
            words.insert(0, entry["label"])
        if not all(isinstance(word, str) for word in words):
            raise ValueError(f"{name}.yaml: term {target!r} has a synonym that is not a string")
        out[str(target)] = words
    return out


def build_index(
    pairs: list[tuple[str, str]], where: str, key: Callable[[str], str] = fold
) -> dict[str, str]:
    """Build ``{folded synonym: target}``, refusing one synonym for two targets.

    Args:
        pairs: ``(synonym, target)`` pairs.
        where: File name for error messages.
        key: Function turning a synonym into its lookup key.

    Returns:
        The lookup table.

    Raises:
        ValueError: Two targets share a synonym.
    """
    index: dict[str, str] = {}
    for synonym, target in pairs:
        k = key(synonym)
        if not k:
            continue
        if index.get(k, target) != target:
            raise ValueError(f"{where}: {synonym!r} maps to both {index[k]!r} and {target!r}")
        index[k] = target
    return index


def scan_phrases(key: str, index: Mapping[str, str], max_words: int) -> list[str]:
    """Targets of the phrases of ``index`` found in a folded text, longest match first."""
    words = key.split()
    found: list[str] = []
    i = 0
    while i < len(words):
        for size in range(min(max_words, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + size])
            if phrase in index:
                found.append(index[phrase])
                i += size
                break
        else:
            i += 1
    return found
