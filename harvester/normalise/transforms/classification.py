"""Transforms that classify a record: its kind (project, dataset, publication), project
status (PPSR Core), topics (fields of science), Sustainable Development Goals, languages
(ISO 639-1) and how people take part (tasks, audience, difficulty, from home, online)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from harvester.normalise import vocab
from harvester.normalise.transforms.common import as_texts, vocabulary_lookup
from harvester.normalise.transforms.registry import Issues, Values, transform
from harvester.normalise.values import as_text


@transform("language")
def _language(values: Values, _arg: Any, issues: Issues) -> Values:
    """Language names and codes to ISO 639-1."""
    return vocabulary_lookup(values, issues, "language", vocab.language_code)


@transform("status")
def _status(values: Values, _arg: Any, issues: Issues) -> Values:
    """Project status words (several languages) to the PPSR Core vocabulary."""
    return vocabulary_lookup(values, issues, "status", vocab.project_status)


@transform("topics")
def _topics(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Keywords and subjects to field-of-science ids (unplaced keywords are fine)."""
    return [topic for text in as_texts(values) for topic in vocab.topics(text)]


@transform("sdgs")
def _sdgs(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Sustainable Development Goals named or numbered in the text."""
    return [goal for text in as_texts(values) for goal in vocab.sdg_numbers(text)]


_KINDS = {
    "project": "project",
    "researchproject": "project",
    "dataset": "dataset",
    "data": "dataset",
    "datapaper": "publication",
    "text": "publication",
    "article": "publication",
    "publication": "publication",
    "journalarticle": "publication",
    "book": "publication",
    "bookpart": "publication",
    "report": "publication",
    "preprint": "publication",
    "conferencepaper": "publication",
    "doctoralthesis": "publication",
    "masterthesis": "publication",
    "dissertation": "publication",
}


@lru_cache(maxsize=4096)
def kind_of(text: str) -> str:
    """Resource types (DataCite, COAR/eu-repo, schema.org, dc:type) to the model's kinds
    (cached: a harvest has few distinct types)."""
    key = text.strip().rsplit("/", 1)[-1].rsplit("#", 1)[-1].rsplit(":", 1)[-1]
    return _KINDS.get("".join(ch for ch in key.lower() if ch.isalnum()), "resource")


@transform("kind")
def _kind(values: Values, _arg: Any, _issues: Issues) -> Values:
    """The first recognised resource type as project, dataset or publication."""
    kinds = [kind_of(text) for text in as_texts(values)]
    specific = [kind for kind in kinds if kind != "resource"]
    return specific[:1] or kinds[:1]


_DIFFICULTY = {
    "easy": "Easy",
    "beginner": "Easy",
    "medium": "Medium",
    "moderate": "Medium",
    "intermediate": "Medium",
    "hard": "Hard",
    "difficult": "Hard",
    "advanced": "Hard",
}
_FROM_HOME_TAGS = frozenset(["participate from home", "from home", "at home", "home"])
_ONLINE_TAGS = frozenset(["online", "participate online", "virtual"])


def _strings(value: Any) -> list[str]:
    """The texts in a value that is a text, or a list of texts or named objects."""
    items = value if isinstance(value, list) else [value]
    return [text for text in (" ".join(as_text(item).split()) for item in items) if text]


@transform("participation")
def _participation(values: Values, _arg: Any, issues: Issues) -> Values:
    """Objects ``{tasks, tags, audience, difficulty, from_home, online}`` (a JMESPath
    multi-select hash) to the model's participation; tags such as "Participate from home"
    set ``from_home`` or ``online``, difficulty is Easy, Medium or Hard."""
    out: Values = []
    for value in values:
        if not isinstance(value, dict):
            continue
        tags = {tag.casefold() for tag in _strings(value.get("tags"))}
        built: dict[str, Any] = {
            "tasks": _strings(value.get("tasks")),
            "audience": _strings(value.get("audience")),
        }
        for flag, words in (("from_home", _FROM_HOME_TAGS), ("online", _ONLINE_TAGS)):
            given = value.get(flag)
            if isinstance(given, bool):
                built[flag] = given
            elif tags & words:
                built[flag] = True
        for text in _strings(value.get("difficulty"))[:1]:
            level = _DIFFICULTY.get(text.casefold())
            if level is None:
                issues.reject("difficulty", text)
            else:
                built["difficulty"] = level
        if any(built.get(key) not in (None, []) for key in built):
            out.append(built)
    return out
