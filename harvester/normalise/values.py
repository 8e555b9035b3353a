"""What flows through a crosswalk's transform chain."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import Any

LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_UNREAD: Any = object()
"""What a lazily read part of an :class:`XmlValue` holds until it is first asked for."""


class XmlValue:
    """The text of one selected XML node, with its ``xml:lang`` and attributes.

    ``node`` is the selected lxml element itself (None for attributes and text), for the
    few named transforms that read an element's structure (DataCite geo locations,
    organisations); it takes no part in comparisons. Immutable, compared and shown as a
    frozen dataclass of ``text``, ``lang`` and ``attrs`` would be. One made by
    :func:`element_value` reads its element's language, attributes and (for an element
    with children) text when first asked: most transforms read the text alone.
    """

    __slots__ = ("_attrs", "_lang", "_source", "_text", "node")

    _text: str
    _lang: str | None
    _attrs: dict[str, str]
    _source: Any
    node: Any

    def __init__(
        self,
        text: str,
        lang: str | None = None,
        attrs: dict[str, str] | None = None,
        node: Any = None,
    ) -> None:
        _fill(self, text, lang, {} if attrs is None else attrs, node, None)

    @property
    def text(self) -> str:
        """The node's text: an element's text with its descendants' text."""
        text = self._text
        if text is _UNREAD:
            text = "".join(self._source.itertext())
            _SET_TEXT(self, text)
        return text

    @property
    def lang(self) -> str | None:
        """The node's ``xml:lang``, if any."""
        lang = self._lang
        if lang is _UNREAD:
            lang = self._source.get(LANG)
            _SET_LANG(self, lang)
        return lang

    @property
    def attrs(self) -> dict[str, str]:
        """The node's attributes by local name."""
        attrs = self._attrs
        if attrs is _UNREAD:
            attrs = {name.rpartition("}")[2]: value for name, value in self._source.items()}
            _SET_ATTRS(self, attrs)
        return attrs

    def with_text(self, text: str) -> XmlValue:
        """This value's language and attributes with other text, and no node."""
        value = object.__new__(XmlValue)
        if self._source is not None and (self._lang is _UNREAD or self._attrs is _UNREAD):
            _fill(value, text, self._lang, self._attrs, None, self._source)
        else:
            _fill(value, text, self._lang, self._attrs, None, None)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, XmlValue)
        return (self.text, self.lang, self.attrs) == (other.text, other.lang, other.attrs)

    def __hash__(self) -> int:
        return hash((self.text, self.lang, self.attrs))

    def __repr__(self) -> str:
        return f"XmlValue(text={self.text!r}, lang={self.lang!r}, attrs={self.attrs!r})"

    def __str__(self) -> str:
        return self.text


_SET_TEXT = XmlValue.__dict__["_text"].__set__
_SET_LANG = XmlValue.__dict__["_lang"].__set__
_SET_ATTRS = XmlValue.__dict__["_attrs"].__set__
_SET_SOURCE = XmlValue.__dict__["_source"].__set__
_SET_NODE = XmlValue.__dict__["node"].__set__


def _fill(value: XmlValue, text: Any, lang: Any, attrs: Any, node: Any, source: Any) -> None:
    _SET_TEXT(value, text)
    _SET_LANG(value, lang)
    _SET_ATTRS(value, attrs)
    _SET_NODE(value, node)
    _SET_SOURCE(value, source)


def element_value(element: Any) -> XmlValue:
    """An element's XmlValue, which reads the element's language, attributes and (where it
    has children) text when first asked."""
    value = object.__new__(XmlValue)
    if len(element) == 0:
        _fill(value, element.text or "", _UNREAD, _UNREAD, element, element)
    else:
        _fill(value, _UNREAD, _UNREAD, _UNREAD, element, element)
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
