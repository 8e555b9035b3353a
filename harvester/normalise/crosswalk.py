"""Crosswalks are data: ``mappings/crosswalks/<name>.yaml``, checked when they load.

A crosswalk names its source format and namespaces, then for each field of the record
model the source paths (XPath for XML, JMESPath for JSON) and a chain of named transforms
from :data:`harvester.normalise.transforms.REGISTRY`. An unknown field, transform or
namespace prefix, or a path that does not compile, fails the load with the file, the field
and the reason: not at record 40,000. ``ignore`` lists source elements dropped on purpose.
An XML crosswalk may name a ``root``: an XPath evaluated first, whose first element is what
the field paths run from (a metadata wrapper such as OAI DataCite's ``<payload>``).
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path
from typing import Any, Literal

import jmespath
import jmespath.exceptions
import yaml
from lxml import etree

from harvester.core import paths
from harvester.core.errors import ConfigError
from harvester.core.model import Record
from harvester.normalise.transforms import (
    REGISTRY,
    TransformFunction,
    unknown_transform_message,
)
from harvester.normalise.values import XmlValue, element_value
from harvester.normalise.xmlpaths import ChildPaths, child_path, root_path

CROSSWALK_DIR = paths.CROSSWALK_DIR
ENGINE_FIELDS = frozenset({"id", "provenance", "quality", "cluster_id"})
FORMATS = ("xml", "json", "jsonld", "rdf")

Extractor = Callable[[Any], list[Any]]


class CrosswalkError(ConfigError):
    """A crosswalk file is wrong: names the file, the field and the reason."""

    def __init__(self, path: str, field: str, reason: str) -> None:
        self.path = path
        self.field = field
        self.reason = reason
        super().__init__(f"{path}: field '{field}': {reason}")


@dataclass(frozen=True)
class Step:
    """One transform of a chain, with its argument."""

    name: str
    argument: Any = None


@dataclass(frozen=True)
class FieldRule:
    """How one model field is filled: where to look, and what to do with what is found."""

    field: str
    paths: tuple[str, ...]
    extractors: tuple[Extractor, ...]
    steps: tuple[Step, ...]
    sources: tuple[tuple[str, Extractor], ...] = dataclass_field(
        init=False, compare=False, repr=False
    )
    """Each path with its extractor."""
    chain: tuple[tuple[TransformFunction, Any], ...] = dataclass_field(
        init=False, compare=False, repr=False
    )
    """Each step's registered function with its argument, looked up once."""
    read: Callable[[Any, dict[str, list[Any]]], list[Any]] = dataclass_field(
        init=False, compare=False, repr=False
    )
    """The values of every path, in order, as a new list: from what the record's paths
    selected together where a path was walked already, else by its extractor (kept)."""
    shape: Callable[[list[Any]], Any] = dataclass_field(init=False, compare=False, repr=False)
    """The field's value from what the chain gave: a list of plain values for a list
    field, else the first one (XML values as their text)."""

    def __post_init__(self) -> None:
        sources = tuple(zip(self.paths, self.extractors, strict=True))
        chain = tuple((REGISTRY[step.name].function, step.argument) for step in self.steps)
        object.__setattr__(self, "sources", sources)
        object.__setattr__(self, "chain", chain)
        object.__setattr__(self, "read", _reader(sources))
        object.__setattr__(self, "shape", _plain_list if _is_list(self.field) else _plain_first)


def _reader(
    sources: tuple[tuple[str, Extractor], ...],
) -> Callable[[Any, dict[str, list[Any]]], list[Any]]:
    """:attr:`FieldRule.read` for these paths, bound once (one path: no loop)."""
    if len(sources) == 1:
        ((path, extract),) = sources

        def read_one(document: Any, extracted: dict[str, list[Any]]) -> list[Any]:
            selected = extracted.get(path)
            if selected is None:
                selected = extracted[path] = extract(document)
            return list(selected)  # transforms get a list of their own

        return read_one

    def read_each(document: Any, extracted: dict[str, list[Any]]) -> list[Any]:
        found: list[Any] = []
        for path, extract in sources:
            selected = extracted.get(path)
            if selected is None:
                selected = extracted[path] = extract(document)
            found.extend(selected)
        return found

    return read_each


def _is_list(field: str) -> bool:
    """Whether the record model's ``field`` holds a list (an unknown field: no, and the
    crosswalk's load refuses it)."""
    known = Record.model_fields.get(field)
    return known is not None and typing.get_origin(known.annotation) is list


def _plain_list(found: list[Any]) -> list[Any]:
    return [value.text if isinstance(value, XmlValue) else value for value in found]


def _plain_first(found: list[Any]) -> Any:
    first = found[0]
    return first.text if isinstance(first, XmlValue) else first


@dataclass(frozen=True)
class Crosswalk:
    """A loaded, checked crosswalk."""

    name: str
    format: Literal["xml", "json", "jsonld", "rdf"]
    description: str
    namespaces: dict[str, str]
    types: tuple[str, ...]
    rules: tuple[FieldRule, ...]
    ignore: tuple[str, ...]
    path: str
    root: str | None = None
    root_xpath: etree.XPath | None = dataclass_field(default=None, compare=False, repr=False)
    root_path: Callable[[Any], Any] | None = dataclass_field(
        default=None, compare=False, repr=False
    )
    """The first element at :attr:`root` (or None): walked where it is a ``self::`` step and
    a child path, else by the XPath."""
    child_paths: ChildPaths | None = dataclass_field(default=None, compare=False, repr=False)
    """The rules' XML paths that are chains of child steps, walked together per record."""


def model_fields() -> frozenset[str]:
    """The record model's fields a crosswalk may fill."""
    return frozenset(Record.model_fields) - ENGINE_FIELDS


def load_crosswalk(path: Path) -> Crosswalk:
    """Load and check one crosswalk file.

    Raises:
        CrosswalkError: the file is unreadable, or a field, transform or path is wrong.
    """
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CrosswalkError(where, "-", f"cannot read: {' '.join(str(exc).split())}") from exc
    if not isinstance(data, dict):
        raise CrosswalkError(where, "-", "must be a mapping")
    unknown = set(data) - {
        "name",
        "format",
        "description",
        "namespaces",
        "types",
        "root",
        "fields",
        "ignore",
    }
    if unknown:
        raise CrosswalkError(where, sorted(unknown)[0], "unknown top-level key")
    name = data.get("name") or path.stem
    kind = data.get("format")
    if kind not in FORMATS:
        raise CrosswalkError(where, "format", f"must be one of {', '.join(FORMATS)}, not {kind!r}")
    types = data.get("types") or []
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise CrosswalkError(where, "types", "must be a list of type names")
    if kind in ("jsonld", "rdf") and not types:
        raise CrosswalkError(where, "types", f"format {kind} needs the types of record to read")
    namespaces = data.get("namespaces") or {}
    if not isinstance(namespaces, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in namespaces.items()
    ):
        raise CrosswalkError(where, "namespaces", "must map prefixes to namespace URIs")
    root = data.get("root")
    root_xpath = _root_xpath(where, root, kind, namespaces) if root is not None else None
    fields = data.get("fields")
    if not isinstance(fields, dict) or not fields:
        raise CrosswalkError(where, "fields", "must map model fields to rules")
    allowed = model_fields()
    rules = []
    for field, spec in fields.items():
        if field not in allowed:
            reason = (
                "filled by the engine, not by crosswalks"
                if field in ENGINE_FIELDS
                else f"not a field of the record model (fields: {', '.join(sorted(allowed))})"
            )
            raise CrosswalkError(where, str(field), reason)
        rules.append(_rule(where, field, spec, kind, namespaces))
    ignore = data.get("ignore") or []
    if not isinstance(ignore, list) or not all(isinstance(item, str) for item in ignore):
        raise CrosswalkError(where, "ignore", "must be a list of source element names")
    return Crosswalk(
        name=str(name),
        format=kind,
        description=str(data.get("description") or ""),
        namespaces=dict(namespaces),
        types=tuple(types),
        rules=tuple(rules),
        ignore=tuple(ignore),
        path=where,
        root=root,
        root_xpath=root_xpath,
        root_path=_root_path(str(root), root_xpath, namespaces) if root_xpath is not None else None,
        child_paths=_child_paths(rules, namespaces) if kind == "xml" else None,
    )


def _child_paths(rules: list[FieldRule], namespaces: dict[str, str]) -> ChildPaths:
    compiled = {path: child_path(path, namespaces) for rule in rules for path in rule.paths}
    return ChildPaths({path: walk for path, walk in compiled.items() if walk is not None})


def _root_xpath(where: str, root: Any, kind: str, namespaces: dict[str, str]) -> etree.XPath:
    if kind != "xml":
        raise CrosswalkError(where, "root", "only XML crosswalks have a root path")
    if not isinstance(root, str) or not root.strip():
        raise CrosswalkError(where, "root", "must be an XPath selecting the element to map")
    try:
        xpath = etree.XPath(root, namespaces=namespaces, smart_strings=False)
        xpath(etree.Element("probe"))
    except (etree.XPathSyntaxError, etree.XPathEvalError) as exc:
        raise CrosswalkError(where, "root", f"XPath {root!r}: {exc}") from None
    return xpath


def _root_path(root: str, xpath: etree.XPath, namespaces: dict[str, str]) -> Callable[[Any], Any]:
    compiled = root_path(root, namespaces)
    if compiled is not None:
        return compiled

    def first_by_xpath(document: Any) -> Any:
        found = xpath(document)
        found = found if isinstance(found, list) else []  # a number or text is no element
        return next((node for node in found if isinstance(node, etree._Element)), None)

    return first_by_xpath


def load_crosswalks(folder: Path = CROSSWALK_DIR) -> dict[str, Crosswalk]:
    """Load every crosswalk in a folder, by name; the first broken one raises."""
    loaded = {}
    for path in sorted(folder.glob("*.yaml")):
        crosswalk = load_crosswalk(path)
        loaded[crosswalk.name] = crosswalk
    return loaded


def _rule(where: str, field: str, spec: Any, kind: str, namespaces: dict[str, str]) -> FieldRule:
    if not isinstance(spec, dict) or set(spec) - {"paths", "transforms"}:
        raise CrosswalkError(where, field, "a rule has 'paths' and 'transforms' only")
    paths = spec.get("paths") or []
    if isinstance(paths, str):
        paths = [paths]
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise CrosswalkError(where, field, "'paths' must be a list of strings")
    extractors = tuple(_extractor(where, field, p, kind, namespaces) for p in paths)
    steps = tuple(_step(where, field, item) for item in spec.get("transforms") or [])
    if not paths and not any(step.name in ("const", "default") for step in steps):
        raise CrosswalkError(where, field, "no paths, and no const or default transform")
    return FieldRule(field, tuple(paths), extractors, steps)


def _step(where: str, field: str, item: Any) -> Step:
    if isinstance(item, str):
        name, argument, given = item, None, False
    elif isinstance(item, dict) and len(item) == 1:
        name, argument = next(iter(item.items()))
        given = True
    else:
        raise CrosswalkError(where, field, f"a transform is a name or {{name: argument}}: {item!r}")
    known = REGISTRY.get(str(name))
    if known is None:
        raise CrosswalkError(where, field, unknown_transform_message(str(name)))
    if known.argument != given:
        need = "needs an argument" if known.argument else "takes no argument"
        raise CrosswalkError(where, field, f"transform '{name}' {need}")
    return Step(str(name), argument)


def _extractor(
    where: str, field: str, path: str, kind: str, namespaces: dict[str, str]
) -> Extractor:
    if kind != "xml":
        try:
            compiled = jmespath.compile(path)
        except jmespath.exceptions.JMESPathError as exc:
            raise CrosswalkError(where, field, f"JMESPath {path!r}: {exc}") from None
        return _json_extractor(compiled)
    try:
        xpath = etree.XPath(path, namespaces=namespaces, smart_strings=False)
        xpath(etree.Element("probe"))
    except (etree.XPathSyntaxError, etree.XPathEvalError) as exc:
        raise CrosswalkError(where, field, f"XPath {path!r}: {exc}") from None
    return _xml_extractor(xpath, path, namespaces)


def _json_extractor(compiled: Any) -> Extractor:
    def extract(document: Any) -> list[Any]:
        found = compiled.search(document)
        if found is None:
            return []
        return [item for item in found if item is not None] if isinstance(found, list) else [found]

    return extract


def _xml_extractor(xpath: etree.XPath, path: str, namespaces: dict[str, str]) -> Extractor:
    """Read a path's nodes as :class:`XmlValue` s: by walking children where the path is a
    chain of child steps (see :mod:`harvester.normalise.xmlpaths`), else by the XPath."""
    select = child_path(path, namespaces)
    if select is not None:
        selected = select

        def extract(document: Any) -> list[Any]:
            return xml_values(selected(document))

        return extract

    def extract_by_xpath(document: Any) -> list[Any]:
        found = xpath(document)
        if not isinstance(found, list):
            return [] if found in (None, "") else [str(found)]
        return xml_values(found)

    return extract_by_xpath


def xml_values(nodes: list[Any]) -> list[Any]:
    """Selected elements as XmlValues (text, ``xml:lang``, attributes by local name, the
    element; see :func:`element_value`); attribute values and text as XmlValues of their
    text alone."""
    return [
        element_value(node) if isinstance(node, etree._Element) else XmlValue(str(node))
        for node in nodes
    ]
