"""Transforms of plain lists and text: trimming, picking, joining and splitting values,
constants and defaults, text with its language, HTML and e-mail addresses removed, and
placeholders that say nothing is known dropped."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from harvester.core.model import public_text
from harvester.normalise import vocab
from harvester.normalise.transforms.common import as_texts
from harvester.normalise.transforms.registry import Issues, Values, transform
from harvester.normalise.values import XmlValue, as_text, lang_of

UNKNOWN_WORDS = frozenset(
    ["unknown", "not known", "n/a", "na", "none", "null", "-", "?", "tbd", "not specified"]
)
"""Placeholder texts (case-folded) that say nothing is known."""


@transform("text")
def _text(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Values as plain text, empty ones dropped."""
    return as_texts(values)


@transform("trim")
def _trim(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Collapse inner whitespace and strip the ends; keep ``xml:lang``."""
    out: Values = []
    for value in values:
        text = " ".join(as_text(value).split())
        if text:
            out.append(value.with_text(text) if isinstance(value, XmlValue) else text)
    return out


@transform("first")
def _first(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Only the first value."""
    return values[:1]


@transform("rest")
def _rest(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Every value but the first."""
    return values[1:]


@transform("unique")
def _unique(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Drop repeated values (by text, case-insensitively), keeping the first."""
    if len(values) < 2:
        return list(values)
    seen: set[str] = set()
    out: Values = []
    for value in values:
        key = (
            as_text(value).casefold()
            if not isinstance(value, dict)
            else repr(sorted(value.items()))
        )
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


@transform("join", argument=True)
def _join(values: Values, separator: Any, _issues: Issues) -> Values:
    """All values joined into one with the given separator."""
    texts = as_texts(values)
    return [str(separator).join(texts)] if texts else []


@transform("split", argument=True)
def _split(values: Values, separators: Any, _issues: Issues) -> Values:
    """Each value split on any of the given separator characters, made public first (so
    that a separator inside an address, such as the ";" of "&#64;", cannot cut it in
    pieces the scrubbing would no longer recognise)."""
    pattern = _separator_pattern(str(separators))
    return [
        part.strip()
        for text in as_texts(values)
        for part in pattern.split(public_text(text))
        if part.strip()
    ]


@lru_cache(maxsize=64)
def _separator_pattern(separators: str) -> re.Pattern[str]:
    """A pattern matching any one of the separator characters (compiled once)."""
    return re.compile("|".join(re.escape(s) for s in separators))


@transform("lower")
def _lower(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Lower-case text."""
    return [text.lower() for text in as_texts(values)]


@transform("const", argument=True)
def _const(values: Values, constant: Any, _issues: Issues) -> Values:
    """The given constant, whatever the values (for example a default ``kind``)."""
    return [constant]


@transform("default", argument=True)
def _default(values: Values, fallback: Any, _issues: Issues) -> Values:
    """The given value when there are none."""
    return values or [fallback]


@transform("lang-text")
def _lang_text(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Text with its language, as ``{value, lang}``."""
    out: Values = []
    for value in values:
        text = " ".join(as_text(value).split())
        if text:
            lang = lang_of(value)
            out.append({"value": text, "lang": vocab.language_code(lang) if lang else None})
    return out


@transform("strip-html")
def _strip_html(values: Values, _arg: Any, _issues: Issues) -> Values:
    """HTML (also double-escaped) reduced to plain text."""
    return [text for text in (vocab.plain_text(t) for t in as_texts(values)) if text]


@transform("markdown")
def _markdown(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Markdown (CommonMark, as Zooniverse and CitSci.org write) reduced to plain text:
    rendered with raw HTML off, then stripped like HTML."""
    return [text for text in (vocab.markdown_text(t) for t in as_texts(values)) if text]


@transform("clean-description")
def _clean_description(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Plain text with every e-mail address removed: what public descriptions carry."""
    return [text for text in (vocab.clean_description(t) for t in as_texts(values)) if text]


@transform("drop-unknown")
def _drop_unknown(values: Values, _arg: Any, _issues: Issues) -> Values:
    """Drop placeholder texts that say nothing is known ("Unknown", "n/a", "-", ...)."""
    return [
        value
        for value in values
        if not (
            isinstance(value, str | XmlValue) and as_text(value).strip().casefold() in UNKNOWN_WORDS
        )
    ]
