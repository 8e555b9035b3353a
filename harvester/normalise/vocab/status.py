"""Project status to the PPSR Core ``projectStatus`` vocabulary.

Returns one of :data:`PPSR_STATUSES`, spelled exactly as PPSR Core does ("Active",
"Completed", ...), from the words in ``mappings/vocabularies/status.yaml`` ("ongoing", "laufend",
"en cours", "finished", "abgeschlossen", "terminé", "planned", "paused", ...). "Unknown" and
similar give None, as does anything not in the table.
"""

from __future__ import annotations

import re
from functools import lru_cache

from harvester.core.model import PPSR_STATUSES
from harvester.normalise.vocab._common import as_text, build_index, fold, load_vocabulary

_UNKNOWN = "\x00unknown"
_PARTS = re.compile(r"[;,()|/]+")


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    data = load_vocabulary("status")
    pairs: list[tuple[str, str]] = []
    for entry in data["terms"].values():
        label = str(entry["label"])
        if label not in PPSR_STATUSES:
            raise ValueError(f"status.yaml: {label!r} is not a PPSR Core status")
        pairs.append((label, label))
        pairs.extend((str(word), label) for word in entry.get("synonyms", []))
    pairs.extend((str(word), _UNKNOWN) for word in data.get("unknown", []))
    return build_index(pairs, "status.yaml")


@lru_cache(maxsize=4096)
def _lookup(text: str) -> str | None:
    table = _table()
    found = table.get(fold(text))
    if found is None:
        for part in _PARTS.split(text):
            found = table.get(fold(part))
            if found is not None:
                break
    return None if found is None or found == _UNKNOWN else found


def project_status(text: str) -> str | None:
    """Return the PPSR Core project status ``text`` states, or None.

    Args:
        text: A status word or phrase in English, German, French, Dutch, Spanish or Italian.

    Returns:
        One of :data:`PPSR_STATUSES`, or None when unknown or unrecognised.

    Examples:
        >>> project_status("laufend"), project_status("terminé")
        ('Active', 'Completed')
    """
    value = as_text(text, 200)
    if value is None:
        return None
    return _lookup(value)
