"""Topics: free keywords, subjects and domains to OECD Fields of Science (FOS 2007) ids.

The controlled list and its synonyms are ``mappings/vocabularies/fields_of_science.yaml``:
6 broad fields ("1" Natural sciences ... "6" Humanities) and 42 sub-fields ("1.6" Biological
sciences). A value is tried whole (so DataCite's "FOS: Biological sciences" and the JRC field
"Biodiversity, nature and landscapes" match), then split into parts at ``,;|/``, and each part is
scanned for known words and phrases, longest first ("Bird monitoring" → 1.6). Matching ignores
case, accents and a plural "s". A FOS id given as such ("1.6", "FOS 1.6") is accepted.
"""

from __future__ import annotations

import re
from functools import lru_cache

from harvester.normalise.vocab._common import (
    as_text,
    build_index,
    fold,
    load_vocabulary,
    scan_phrases,
)

_PARTS = re.compile(r"[,;|/\n]+| - | and (?=[A-Z])")
_PREFIX = re.compile(r"^\s*(?:fos|oecd(?: fos)?)\s*[:\-]?\s*", re.IGNORECASE)
_ID = re.compile(r"^\s*(?:fos\s*)?([1-6](?:\.(?:[1-9]|1[01]))?)\s*$", re.IGNORECASE)
_MAX_WORDS = 6


def _key(text: str) -> str:
    """Fold ``text`` and drop a plural "s" from longer words."""
    return " ".join(w[:-1] if len(w) > 4 and w.endswith("s") else w for w in fold(text).split())


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """Build (synonym index, labels) once."""
    terms = load_vocabulary("fields_of_science")["terms"]
    labels = {str(field): str(entry["label"]) for field, entry in terms.items()}
    pairs = [
        (str(word), str(field))
        for field, entry in terms.items()
        for word in [entry["label"], *(entry.get("synonyms") or [])]
    ]
    return build_index(pairs, "fields_of_science.yaml", _key), labels


def fields_of_science() -> dict[str, str]:
    """Return the controlled list: ``{FOS id: English label}``."""
    return dict(_tables()[1])


def _one(part: str, index: dict[str, str], labels: dict[str, str]) -> list[str]:
    match = _ID.match(part)
    if match and match.group(1) in labels:
        return [match.group(1)]
    key = _key(_PREFIX.sub("", part))
    if key in index:
        return [index[key]]
    return scan_phrases(key, index, _MAX_WORDS)


@lru_cache(maxsize=16384)
def _topics(text: str) -> tuple[str, ...]:
    index, labels = _tables()
    found = _one(text, index, labels)
    if not found or len(found) > 1:
        parts = [p for p in _PARTS.split(text) if p.strip()]
        if len(parts) > 1:
            found = [field for part in parts for field in _one(part, index, labels)]
    return tuple(dict.fromkeys(found))


def topics(text: str) -> list[str]:
    """Return the FOS ids of the fields ``text`` names, in order, without repeats.

    Args:
        text: A keyword, subject, domain, FOS label or id, or a list of them.

    Returns:
        FOS ids such as "1.6"; empty when nothing is recognised.

    Examples:
        >>> topics("Birds; air quality")
        ['1.6', '1.5']
    """
    value = as_text(text, 2000)
    if value is None:
        return []
    return list(_topics(value))
