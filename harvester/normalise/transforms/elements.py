"""Reading the XML elements handed to transforms: local names, children and texts in any
namespace or none, and ``xml-object``, which turns elements into objects by a mapping of
keys to texts, attributes and children."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from harvester.normalise.transforms.registry import Issues, Values, transform
from harvester.normalise.values import TransformError, XmlValue

_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def local_name(node: Any) -> str:
    """The tag of ``node`` without its namespace ("" for comments and the like)."""
    tag = node.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def child_elements(node: Any, name: str) -> list[Any]:
    """The child elements of ``node`` whose local name is ``name``, in any namespace."""
    tag = _any_namespace(name)
    if tag is None:
        return [child for child in node if local_name(child) == name]
    return list(node.iterchildren(tag))


@lru_cache(maxsize=256)
def _any_namespace(name: str) -> str | None:
    """lxml's tag filter for elements of local name ``name`` in any namespace or none
    (``{*}name``), where ``name`` is a plain name the filter reads as such."""
    return "{*}" + name if _PLAIN_NAME.fullmatch(name) else None


def child_text(node: Any, name: str) -> str | None:
    """The whitespace-normalised text of the first child element called ``name``."""
    for child in child_elements(node, name):
        text = " ".join("".join(child.itertext()).split())
        return text or None
    return None


def node_text(node: Any) -> str:
    """All the text in ``node``, whitespace-normalised."""
    return " ".join("".join(node.itertext()).split())


def _lookup(value: XmlValue, spec: str) -> str | None:
    """``text()``, ``@attribute``, ``child`` or ``child/@attribute`` of one element."""
    if spec == "text()":
        return " ".join(value.text.split()) or None
    if spec.startswith("@"):
        return value.attrs.get(spec[1:]) or None
    node = value.node
    if node is None or len(node) == 0:
        return None  # no children to look in
    child_name, _, attribute = spec.partition("/@")
    for child in child_elements(node, child_name):
        if attribute:
            found = {k.rpartition("}")[2]: v for k, v in child.attrib.items()}.get(attribute)
            return " ".join(str(found or "").split()) or None
        return node_text(child) or None
    return None


@transform("xml-object", argument=True)
def _xml_object(values: Values, spec: Any, _issues: Issues) -> Values:
    """XML elements to objects: the argument maps each key to ``text()``, ``@attribute``,
    a child element's local name or ``child/@attribute`` (or a list of these, the first
    found wins); keys found empty are left out."""
    if not isinstance(spec, dict):
        raise TransformError("xml-object needs a mapping of keys to text(), @attr or child")
    out: Values = []
    for value in values:
        if not isinstance(value, XmlValue):
            continue
        built: dict[str, str] = {}
        for key, where in spec.items():
            for choice in where if isinstance(where, list) else [where]:
                found = _lookup(value, str(choice))
                if found is not None:
                    built[str(key)] = found
                    break
        if built:
            out.append(built)
    return out
