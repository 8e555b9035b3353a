"""Child-step paths served without XPath: the shape most crosswalk paths have.

A path such as ``dc:title`` or
``*[local-name()='titles']/*[local-name()='title'][@titleType]`` selects children of
children by name and attributes, ending at an element or at one of its attributes
(``.../@rightsURI``). Walking the children gives the same nodes, in the same (document)
order, as the XPath. :func:`child_path` compiles such a path, or returns None for anything
else (other axes, functions, positions, nested predicates), which then stays an XPath.

:class:`ChildPaths` walks all of a crosswalk's child paths over one record at once: the
record's top-level elements are grouped by name in one pass, and the steps paths share
(``dates`` for five date paths) are taken once, which costs far less than one XPath call
a path.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

_NAME = r"[A-Za-z_][A-Za-z0-9_.-]*"
_STRING = r"'[^']*'|\"[^\"]*\""
_TEST = re.compile(rf"(?:(?P<prefix>{_NAME}):)?(?P<name>{_NAME}|\*)")
_PREDICATE = re.compile(
    rf"\[\s*(?:local-name\(\)\s*=\s*(?P<local>{_STRING})"
    rf"|not\(\s*@(?P<absent>{_NAME})\s*\)"
    rf"|@(?P<attribute>{_NAME})(?:\s*=\s*(?P<value>{_STRING}))?)\s*\]"
)
_FINAL_ATTRIBUTE = re.compile(rf"@(?P<name>{_NAME})")


@dataclass(frozen=True, slots=True)
class Step:
    """One child step: a name test (lxml's tag filter), then the predicates it leaves."""

    tag: str
    """``*``, ``{uri}name``, ``{}name`` (no namespace) or ``{*}name`` (any namespace)."""
    local_names: tuple[str, ...] = ()
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    equal: tuple[tuple[str, str], ...] = ()
    filtered: bool = False
    """Whether any predicate is left after the tag filter."""
    grouping: str = "all"
    """How a record's children are grouped for this step: ``all``, by ``tag`` or ``local``
    name (see :func:`group_children`)."""
    group_key: str = "*"
    """The key of this step's candidates among a record's grouped children."""

    def accepts(self, element: Any) -> bool:
        """Whether ``element`` (already matching :attr:`tag`) meets every predicate."""
        if self.local_names:
            local = element.tag.rpartition("}")[2]
            if any(name != local for name in self.local_names):
                return False
        get = element.get
        for name in self.present:
            if get(name) is None:
                return False
        for name in self.absent:
            if get(name) is not None:
                return False
        return all(get(name) == value for name, value in self.equal)

    def select(self, nodes: Iterable[Any]) -> list[Any]:
        """The children of ``nodes`` this step selects, in document order."""
        tag = self.tag
        found = [child for node in nodes for child in node.iterchildren(tag)]
        if self.filtered:
            accepts = self.accepts
            return [child for child in found if accepts(child)]
        return found

    def pick(self, groups: dict[str, list[Any]]) -> list[Any]:
        """What :meth:`select` gives for the record itself, from its children grouped as
        :func:`group_children` groups them for :attr:`grouping`."""
        found = groups.get(self.group_key, [])
        if self.filtered:
            accepts = self.accepts
            return [child for child in found if accepts(child)]
        return found


def group_children(root: Any, grouping: str) -> dict[str, list[Any]]:
    """``root``'s child elements grouped for :meth:`Step.pick`: ``all`` under ``"*"``,
    ``tag`` by tag (``{uri}name``, or ``name`` in no namespace), ``local`` by local name."""
    groups: dict[str, list[Any]] = {}
    if grouping == "all":
        groups["*"] = list(root.iterchildren("*"))
    elif grouping == "tag":
        for element in root.iterchildren("*"):
            groups.setdefault(element.tag, []).append(element)
    else:
        for element in root.iterchildren("*"):
            groups.setdefault(element.tag.rpartition("}")[2], []).append(element)
    return groups


@dataclass(frozen=True, slots=True)
class ChildPath:
    """A compiled child-step path; calling it selects what the XPath would."""

    steps: tuple[Step, ...]
    attribute: str | None = None

    def __call__(self, context: Any) -> list[Any]:
        """The selected elements (or attribute values) under ``context``, in document order."""
        nodes = [context]
        for step in self.steps:
            nodes = step.select(nodes)
        return self.finish(nodes)

    def finish(self, nodes: list[Any]) -> list[Any]:
        """The path's result from the elements its steps selected."""
        if self.attribute is None:
            return nodes
        name = self.attribute
        return [value for node in nodes if (value := node.get(name)) is not None]


@dataclass
class _Branch:
    """A step of the path trie: the paths that end after it, and the steps that follow."""

    step: Step
    ends: list[tuple[str, ChildPath]] = field(default_factory=list)
    branches: dict[Step, _Branch] = field(default_factory=dict)


class ChildPaths:
    """Several child paths walked together over one record, sharing their common steps."""

    def __init__(self, paths: dict[str, ChildPath]) -> None:
        self.paths = dict(paths)
        top: dict[Step, _Branch] = {}
        for text, path in self.paths.items():
            branches = top
            for step in path.steps:
                branch = branches.setdefault(step, _Branch(step))
                branches = branch.branches
            branch.ends.append((text, path))
        self._top: dict[str, list[_Branch]] = {}  # first steps, by how they group children
        for branch in top.values():
            self._top.setdefault(branch.step.grouping, []).append(branch)

    def select(self, root: Any) -> dict[str, list[Any]]:
        """Each path's selection under ``root``, by path text; the same as calling each."""
        found: dict[str, list[Any]] = {text: [] for text in self.paths}
        for grouping, branches in self._top.items():
            groups = group_children(root, grouping)
            for branch in branches:
                nodes = branch.step.pick(groups)
                if nodes:
                    _walk(branch, nodes, found)
        return found


def _walk(branch: _Branch, nodes: list[Any], found: dict[str, list[Any]]) -> None:
    for text, path in branch.ends:
        found[text] = path.finish(nodes)
    for following in branch.branches.values():
        selected = following.step.select(nodes)
        if selected:
            _walk(following, selected, found)


def child_path(path: str, namespaces: dict[str, str]) -> ChildPath | None:
    """Compile ``path`` if it is a chain of child steps, else None (keep the XPath)."""
    parts = path.split("/")
    attribute = None
    final = _FINAL_ATTRIBUTE.fullmatch(parts[-1])
    if final is not None and len(parts) > 1:
        attribute = final.group("name")
        parts = parts[:-1]
    steps = []
    for part in parts:
        step = _step(part, namespaces)
        if step is None:
            return None
        steps.append(step)
    return ChildPath(tuple(steps), attribute)


def _step(text: str, namespaces: dict[str, str]) -> Step | None:
    test = _TEST.match(text)
    if test is None:
        return None
    predicates = []
    position = test.end()
    while position < len(text):
        predicate = _PREDICATE.match(text, position)
        if predicate is None:
            return None
        predicates.append(predicate)
        position = predicate.end()
    tag = _tag(test.group("prefix"), test.group("name"), namespaces)
    local_names = [_unquote(p.group("local")) for p in predicates if p.group("local")]
    if tag is None or not all(re.fullmatch(_NAME, name) for name in local_names):
        return None
    if tag == "*" and local_names:
        tag = "{*}" + local_names.pop(0)
    present = tuple(p.group("attribute") for p in predicates if _presence(p))
    absent = tuple(p.group("absent") for p in predicates if p.group("absent"))
    equal = tuple(
        (p.group("attribute"), _unquote(p.group("value")))
        for p in predicates
        if p.group("value") is not None
    )
    filtered = bool(local_names or present or absent or equal)
    grouping = "all" if tag == "*" else "local" if tag.startswith("{*}") else "tag"
    group_key = tag.removeprefix("{*}").removeprefix("{}")
    return Step(tag, tuple(local_names), present, absent, equal, filtered, grouping, group_key)


def _tag(prefix: str | None, name: str, namespaces: dict[str, str]) -> str | None:
    """lxml's tag filter for a name test: ``*``, ``{uri}name`` or ``{}name``."""
    if prefix is None:
        return "*" if name == "*" else "{}" + name
    uri = namespaces.get(prefix)
    if not uri or name == "*":
        return None
    return f"{{{uri}}}{name}"


def _presence(predicate: re.Match[str]) -> bool:
    return predicate.group("attribute") is not None and predicate.group("value") is None


def _unquote(literal: str) -> str:
    return literal[1:-1]
