"""What flows through a crosswalk's transform chain."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class XmlValue:
    """The text of one selected XML node, with its ``xml:lang`` and attributes.

    ``node`` is the selected lxml element itself (None for attributes and text), for the
    few named transforms that read an element's structure (DataCite geo locations,
    organisations); it takes no part in comparisons.
    """

    text: str
    lang: str | None = None
    attrs: dict[str, str] = field(default_factory=dict)
    node: Any = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        return self.text


_SET_TEXT = XmlValue.__dict__["text"].__set__
_SET_LANG = XmlValue.__dict__["lang"].__set__
_SET_ATTRS = XmlValue.__dict__["attrs"].__set__
_SET_NODE = XmlValue.__dict__["node"].__set__


def xml_value(text: str, lang: str | None, attrs: dict[str, str], node: Any) -> XmlValue:
    """``XmlValue(text, lang, attrs, node)``, made faster by filling its slots directly
    (a frozen dataclass's ``__init__`` goes through ``object.__setattr__`` field by
    field); for the extractor, which makes one per selected element."""
    value = object.__new__(XmlValue)
    _SET_TEXT(value, text)
    _SET_LANG(value, lang)
    _SET_ATTRS(value, attrs)
    _SET_NODE(value, node)
    return value


class TransformError(ValueError):
    """A transform could not handle a value; becomes a quality issue, never a crash."""


def as_text(value: Any) -> str:
    """The text of a value: an XML node's text, a JSON scalar, or ``""`` for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, XmlValue):
        return value.text
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dict):
        for key in ("value", "name", "@value", "title", "text"):
            if isinstance(value.get(key), str):
                return str(value[key])
    return ""


def lang_of(value: Any) -> str | None:
    """The language a value declares, if any (``xml:lang``, JSON-LD ``@language``)."""
    if isinstance(value, XmlValue):
        return value.lang
    if isinstance(value, dict):
        for key in ("lang", "@language", "language"):
            if isinstance(value.get(key), str):
                return str(value[key])
    return None
