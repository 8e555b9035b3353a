"""The 17 Sustainable Development Goals' short names in each official EU language, from
``mappings/vocabularies/sdg_names.yaml``: official translations where the UN or the EU
publish them, each language naming its source (or "csfinder's translation")."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from harvester.core.paths import VOCABULARY_DIR

SDG_NAMES = VOCABULARY_DIR / "sdg_names.yaml"
GOALS = 17


@cache
def sdg_table() -> dict[str, Any]:
    """The file's content: ``sources`` and ``languages`` (each with ``source``, ``names``)."""
    data = yaml.safe_load(SDG_NAMES.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("languages"), dict):
        raise ValueError(f"{SDG_NAMES}: expected 'languages' with each language's names")
    for code, entry in data["languages"].items():
        names = entry.get("names") if isinstance(entry, dict) else None
        if not isinstance(names, list) or len(names) != GOALS or not all(names):
            raise ValueError(f"{SDG_NAMES}: {code} must name each of the {GOALS} goals")
        if entry.get("source") not in data.get("sources", {}):
            raise ValueError(f"{SDG_NAMES}: {code} names no known source")
    return data


def sdg_name(goal: int, language: str) -> str:
    """Goal ``goal``'s short name in ``language`` (English where that language has none)."""
    languages = sdg_table()["languages"]
    entry = languages.get(language) or languages["en"]
    return str(entry["names"][goal - 1])


def sdg_source(language: str) -> dict[str, Any]:
    """Where ``language``'s names come from: publisher, title, URL, and how it was checked."""
    table = sdg_table()
    entry = table["languages"][language]
    return {**table["sources"][entry["source"]], **{k: v for k, v in entry.items() if k != "names"}}
