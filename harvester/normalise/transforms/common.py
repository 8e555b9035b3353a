"""What most transforms share: their values read as plain texts, or looked up one by one in a
vocabulary that reports, through :class:`~harvester.normalise.transforms.registry.Issues`,
what it cannot place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from harvester.normalise.transforms.registry import Issues, Values
from harvester.normalise.values import as_text


def as_texts(values: Values) -> list[str]:
    """The values as stripped texts, empty ones dropped."""
    return [text for value in values if (text := as_text(value).strip())]


def vocabulary_lookup(
    values: Values, issues: Issues | None, what: str, lookup: Callable[[str], Any]
) -> Values:
    """Look every value up; unplaced ones are reported, unless ``issues`` is ``None``."""
    out: Values = []
    for value in values:
        text = as_text(value).strip()
        if not text:
            continue
        found = lookup(text)
        if found is None or found == []:
            if issues is not None:
                issues.reject(what, text)
        elif isinstance(found, list):
            out.extend(found)
        else:
            out.append(found)
    return out
