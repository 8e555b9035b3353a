"""Every table in mappings/vocabularies is well-formed and unambiguous."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from harvester.normalise.vocab import VOCABULARY_DIR
from harvester.normalise.vocab._common import fold
from harvester.normalise.vocab.licenses import _access_key, license_key
from harvester.normalise.vocab.topics import _key as topic_key

# Each table is checked under the folding its loader uses.
KEYS: dict[str, Callable[[str], str]] = {
    "licenses": license_key,
    "access_rights": _access_key,
    "fields_of_science": topic_key,
}

NAME_TABLES = {"sdg_names.yaml"}
"""Tables of names by language, not vocabularies of terms (tested in tests/portal/i18n)."""

FILES = sorted(p for p in VOCABULARY_DIR.glob("*.yaml") if p.name not in NAME_TABLES)


def test_vocabulary_dir_is_in_the_repository() -> None:
    assert VOCABULARY_DIR.parts[-2:] == ("mappings", "vocabularies")
    assert {p.stem for p in FILES} >= {
        "access_rights",
        "countries",
        "fields_of_science",
        "languages",
        "licenses",
        "sdgs",
        "status",
    }


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_well_formed(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    assert isinstance(data.get("description"), str)
    assert data["description"].strip()
    terms = data["terms"]
    assert isinstance(terms, dict)
    assert terms
    key_of = KEYS.get(path.stem, fold)
    seen: dict[str, str] = {}
    for target, entry in terms.items():
        assert isinstance(target, str | int)
        assert not isinstance(target, bool), f"{path.name}: unquoted yes/no/on/off"
        entry = entry or {}
        assert isinstance(entry, dict)
        assert set(entry) <= {"label", "synonyms", "urls"}, f"{path.name}: {target}"
        words = list(entry.get("synonyms", []))
        if "label" in entry:
            assert isinstance(entry["label"], str)
            words.append(entry["label"])
        for word in [*words, *entry.get("urls", [])]:
            assert isinstance(word, str), f"{path.name}: {target}: {word!r}"
            assert word.strip(), f"{path.name}: {target}: empty synonym"
        for word in words:
            key = key_of(word)
            other = seen.setdefault(key, str(target))
            assert other == str(target), f"{path.name}: {word!r} → {other} and {target}"
    for section in ("ignore", "whole_value_only", "unknown"):
        if section in data:
            assert all(isinstance(word, str) for word in data[section]), section


def test_status_unknown_words_are_not_statuses() -> None:
    data = yaml.safe_load((VOCABULARY_DIR / "status.yaml").read_text(encoding="utf-8"))
    known = {fold(w) for e in data["terms"].values() for w in [e["label"], *e["synonyms"]]}
    assert not known & {fold(w) for w in data["unknown"]}


def test_country_ignore_words_are_not_aliases() -> None:
    data = yaml.safe_load((VOCABULARY_DIR / "countries.yaml").read_text(encoding="utf-8"))
    aliases = {fold(w) for e in data["terms"].values() for w in e["synonyms"]}
    assert not aliases & {fold(w) for w in data["ignore"]}


def test_tables_load_without_conflicts() -> None:
    """The loaders refuse one synonym for two targets under their own folding."""
    from harvester.normalise.vocab import countries, languages, licenses, sdgs, status
    from harvester.normalise.vocab.topics import _tables as topic_tables

    for build in (
        countries._tables,
        languages._tables,
        licenses._license_tables,
        licenses._access_table,
        sdgs._names,
        status._table,
        topic_tables,
    ):
        build.cache_clear()
        assert build()
