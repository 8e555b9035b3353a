"""Transforms that classify a record: its kind (project, dataset, publication), project
status (PPSR Core), topics (fields of science), Sustainable Development Goals (stated, or
graded by impact), languages (ISO 639-1), how people take part (tasks, audience, difficulty,
from home, online, schools, counts) and the project's link to policy."""

from __future__ import annotations

import re
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


@transform("eu-data-themes")
def _eu_data_themes(values: Values, _arg: Any, _issues: Issues) -> Values:
    """EU data-theme IRIs (DCAT-AP ``dcat:theme``) to field-of-science ids; other values
    pass unchanged (for ``topics`` after it)."""
    out: Values = []
    for value in values:
        text = as_text(value).strip()
        if text and vocab.is_data_theme(text):
            out.extend(vocab.data_theme_topics(text))
        else:
            out.append(value)
    return out


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
_SCHOOL_TAGS = frozenset(
    [
        "suitable for children",
        "teaching materials available",
        "for schools",
        "schools",
        "classroom",
        "suitable for schools",
    ]
)
_FLAGS = (("from_home", _FROM_HOME_TAGS), ("online", _ONLINE_TAGS), ("for_schools", _SCHOOL_TAGS))
_COUNTS = ("participants", "contributions")


def _strings(value: Any) -> list[str]:
    """The texts in a value that is a text, or a list of texts or named objects."""
    items = value if isinstance(value, list) else [value]
    return [text for text in (" ".join(as_text(item).split()) for item in items) if text]


def _count(value: Any) -> int | None:
    """A count: a non-negative whole number, also given as digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, int) and value >= 0:
        return value
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    return None


@transform("participation")
def _participation(values: Values, _arg: Any, issues: Issues) -> Values:
    """Objects ``{tasks, tags, audience, difficulty, from_home, online, for_schools,
    participants, contributions, social_uptake}`` (a JMESPath multi-select hash) to the
    model's participation; tags such as "Participate from home" or "Suitable for children"
    set ``from_home``, ``online`` or ``for_schools``; difficulty is Easy, Medium or Hard
    ("Not indicated" says nothing); counts are whole numbers."""
    out: Values = []
    for value in values:
        if not isinstance(value, dict):
            continue
        tags = {tag.casefold() for tag in _strings(value.get("tags"))}
        built: dict[str, Any] = {
            "tasks": _strings(value.get("tasks")),
            "audience": _strings(value.get("audience")),
        }
        for flag, words in _FLAGS:
            given = value.get(flag)
            if isinstance(given, bool):
                built[flag] = given
            elif tags & words:
                built[flag] = True
        for text in _strings(value.get("difficulty"))[:1]:
            level = _DIFFICULTY.get(text.casefold())
            if level is not None:
                built["difficulty"] = level
            elif text.casefold() not in ("not indicated", "unknown", "n/a"):
                issues.reject("difficulty", text)
        for key in _COUNTS:
            if value.get(key) is not None:
                built[key] = _count(value.get(key))
                if built[key] is None:
                    issues.reject(key, str(value.get(key)))
        for text in _strings(value.get("social_uptake"))[:1]:
            built["social_uptake"] = text
        if any(built.get(key) not in (None, []) for key in built):
            out.append(built)
    return out


_YES = frozenset(["yes", "y", "true", "1", "ja", "oui", "si", "sí"])
_NO = frozenset(["no", "n", "false", "0", "nee", "nein", "non"])


def yes_no(value: Any) -> bool | None:
    """A yes or no (booleans, "Yes"/"No" in a few languages, 1/0); None for anything else."""
    if isinstance(value, bool):
        return value
    text = as_text(value).strip().casefold()
    return True if text in _YES else False if text in _NO else None


@transform("policy")
def _policy(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Objects ``{aims, explanation, relevance}`` (a JMESPath multi-select hash) to the
    model's policy part: aims a yes or no, relevance the policy-cycle phases named
    ("NA: ..." and unknown words say there is none)."""
    out: Values = []
    for value in values:
        if not isinstance(value, dict):
            continue
        explanation = " ".join(as_text(value.get("explanation")).split())
        relevance = [
            text
            for text in _strings(value.get("relevance"))
            if not text.casefold().startswith(("na:", "n/a")) and text.casefold() != "unknown"
        ]
        built = {
            "aims": yes_no(value.get("aims")),
            "explanation": None if explanation.casefold() in ("", "unknown") else explanation,
            "relevance": relevance,
        }
        if built["aims"] is not None or built["explanation"] or relevance:
            out.append(built)
    return out


_SDG_COLUMN = re.compile(r"^\s*SDG\s*(\d{1,2})\b", re.IGNORECASE)
_IMPACTS = {"1": "indirect", "2": "direct"}


@transform("sdg-impacts")
def _sdg_impacts(values: Values, _arg: Any, issues: Issues) -> Values:
    """Graded SDG columns to ``{goal, impact}``: each object's keys named "SDG <n> ..." with
    0 (no impact), 1 (indirect) or 2 (direct), as the JRC inventory grades them. Another
    grade is reported."""
    out: Values = []
    for value in values:
        if not isinstance(value, dict):
            continue
        for key, grade in value.items():
            match = _SDG_COLUMN.match(str(key))
            goal = int(match.group(1)) if match else 0
            if not 1 <= goal <= 17:
                continue
            text = as_text(grade).strip()
            if text in _IMPACTS:
                out.append({"goal": goal, "impact": _IMPACTS[text]})
            elif text not in ("", "0"):
                issues.reject(f"SDG {goal} grade", text)
    return out
