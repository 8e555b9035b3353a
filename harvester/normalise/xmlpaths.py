"""Child-step paths served without XPath: the shape most crosswalk paths have.

A path such as ``dc:title`` or
``*[local-name()='titles']/*[local-name()='title'][@titleType]`` selects children of
children by name and attributes, ending at an element or at one of its attributes
(``.../@rightsURI``). A predicate may also ask for text (``[normalize-space()]``), for a
child (``[*[local-name()='relatedItemIdentifier']]``) or for no such sibling
(``[not(../*[local-name()='date'][@dateType='Collected'])]``), the inner step being of the
same kind. Walking the children gives the same nodes, in the same (document) order, as the
XPath. :func:`child_path` compiles such a path, or returns None for anything else (other
axes, functions, positions), which then stays an XPath.

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

from lxml import etree

_NAME = r"[A-Za-z_][A-Za-z0-9_.-]*"
_STRING = r"'[^']*'|\"[^\"]*\""
_TEST = re.compile(rf"(?:(?P<prefix>{_NAME}):)?(?P<name>{_NAME}|\*)")
_PREDICATE = re.compile(
    rf"\[\s*(?:local-name\(\)\s*=\s*(?P<local>{_STRING})"
    rf"|not\(\s*@(?P<absent>{_NAME})\s*\)"
    rf"|@(?P<attribute>{_NAME})(?:\s*=\s*(?P<value>{_STRING}))?)\s*\]"
)
_FINAL_ATTRIBUTE = re.compile(rf"@(?P<name>{_NAME})")
_HAS_TEXT = re.compile(r"\[\s*normalize-space\(\s*\)\s*\]")
_NO_SIBLING = re.compile(r"\[\s*not\(\s*\.\./")
_CLOSE = re.compile(r"\s*\)\s*\]")
_XML_SPACE = " \t\r\n"
"""What XPath's normalize-space() takes for white space (no other Unicode space)."""
_NORMALIZED = etree.XPath("boolean(normalize-space())")


@dataclass(frozen=True, slots=True)
class Step:
    """One child step: a name test (lxml's tag filter), then the predicates it leaves."""

    tag: str
    """``*``, ``{uri}name``, ``{}name`` (no namespace) or ``{*}name`` (any namespace)."""
    local_names: tuple[str, ...] = ()
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    equal: tuple[tuple[str, str], ...] = ()
    text: bool = False
    """``[normalize-space()]``: the element's text is not only white space."""
    children: tuple[Step, ...] = ()
    """``[step]``: the element has a child each of these steps selects."""
    no_siblings: tuple[Step, ...] = ()
    """``[not(../step)]``: the element's parent has no child these steps select."""
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
        for name, value in self.equal:
            if get(name) != value:
                return False
        if self.text and not has_text(element):
            return False
        return not self.children or all(step.select((element,)) for step in self.children)

    def select(self, nodes: Iterable[Any]) -> list[Any]:
        """The children of ``nodes`` this step selects, in document order."""
        tag = self.tag
        if self.no_siblings:
            nodes = [node for node in nodes if self.parent_allows(node)]
        found = [child for node in nodes for child in node.iterchildren(tag)]
        if self.filtered:
            accepts = self.accepts
            return [child for child in found if accepts(child)]
        return found

    def takes(self, element: Any) -> bool:
        """Whether ``element`` itself passes this step's name test and predicates (sibling
        predicates aside), as ``self::`` reads the step."""
        tag, name = self.tag, element.tag
        if not isinstance(name, str):
            return False  # a comment or processing instruction
        if tag.startswith("{*}"):
            matched = name.rpartition("}")[2] == tag[3:]
        elif tag.startswith("{}"):
            matched = name == tag[2:]
        else:
            matched = tag in ("*", name)
        return matched and (not self.filtered or self.accepts(element))

    def choose(self, candidates: list[Any], parents: list[Any]) -> list[Any]:
        """What :meth:`select` gives for ``parents``, from ``candidates``: their children
        that pass this step's tag filter."""
        if self.no_siblings:
            return self.select(parents)
        if self.filtered:
            accepts = self.accepts
            return [child for child in candidates if accepts(child)]
        return candidates

    def parent_allows(self, parent: Any) -> bool:
        """Whether children of ``parent`` may pass :attr:`no_siblings`."""
        return not any(step.select((parent,)) for step in self.no_siblings)

    def pick(self, groups: dict[str, list[Any]], parent: Any) -> list[Any]:
        """What :meth:`select` gives for ``parent`` (the record itself), from its children
        grouped as :func:`group_children` groups them for :attr:`grouping`."""
        if self.no_siblings and not self.parent_allows(parent):
            return []
        found = groups.get(self.group_key, [])
        if self.filtered:
            accepts = self.accepts
            return [child for child in found if accepts(child)]
        return found


def has_text(element: Any) -> bool:
    """XPath's ``boolean(normalize-space())`` for an element: its string value (the text
    of every descendant, comments and processing instructions left out) is not only XML
    white space. lxml gives an entity reference's text as ``&name;``, not its value, so an
    element holding one is left to the XPath."""
    text = element.text if len(element) == 0 else "".join(element.itertext())
    if not text or not text.strip(_XML_SPACE):
        return False
    if "&" in text and next(element.iter(etree.Entity), None) is not None:
        return bool(_NORMALIZED(element))
    return True


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


@dataclass(frozen=True, slots=True)
class RootPath:
    """A crosswalk's root path ``self::step | path`` (either part may be missing): calling
    it gives the first element the XPath selects, or None. The record itself comes before
    whatever lies below it in document order, so it is first whenever the step takes it."""

    self_step: Step | None
    path: ChildPath | None

    def __call__(self, document: Any) -> Any | None:
        """The first element selected under (or at) ``document``, or None."""
        if self.self_step is not None and self.self_step.takes(document):
            return document
        found = self.path(document) if self.path is not None else []
        return found[0] if found else None


def root_path(path: str, namespaces: dict[str, str]) -> RootPath | None:
    """Compile a root path made of a ``self::`` step and a child path joined by ``|``,
    else None (keep the XPath)."""
    parts = _split_steps(path, "|")
    if parts is None:
        return None
    self_step, child = None, None
    for part in (part.strip() for part in parts):
        if part.startswith("self::") and self_step is None:
            parsed = _step(part, len("self::"), namespaces)
            if parsed is None or parsed[1] != len(part) or parsed[0].no_siblings:
                return None
            self_step = parsed[0]
        elif not part.startswith("self::") and child is None:
            child = child_path(part, namespaces)
            if child is None or child.attribute is not None:
                return None
        else:
            return None
    return RootPath(self_step, child)


@dataclass
class _Branch:
    """A step of the path trie: the paths that end after it, and the steps that follow."""

    step: Step
    ends: list[tuple[str, ChildPath]] = field(default_factory=list)
    branches: dict[Step, _Branch] = field(default_factory=dict)
    by_tag: list[tuple[str, list[_Branch]]] = field(default_factory=list)
    """The following steps grouped by their tag filter, whose children they share."""

    def group(self) -> None:
        """Fill :attr:`by_tag` here and below."""
        tags: dict[str, list[_Branch]] = {}
        for following in self.branches.values():
            tags.setdefault(following.step.tag, []).append(following)
            following.group()
        self.by_tag = list(tags.items())


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
            branch.group()
            self._top.setdefault(branch.step.grouping, []).append(branch)

    def select(self, root: Any) -> dict[str, list[Any]]:
        """Each path's selection under ``root``, by path text; the same as calling each."""
        found: dict[str, list[Any]] = {text: [] for text in self.paths}
        for grouping, branches in self._top.items():
            groups = group_children(root, grouping)
            for branch in branches:
                nodes = branch.step.pick(groups, root)
                if nodes:
                    _walk(branch, nodes, found)
        return found


def _walk(branch: _Branch, nodes: list[Any], found: dict[str, list[Any]]) -> None:
    for text, path in branch.ends:
        found[text] = path.finish(nodes)
    for tag, group in branch.by_tag:
        candidates = [child for node in nodes for child in node.iterchildren(tag)]
        if candidates:
            for following in group:
                selected = following.step.choose(candidates, nodes)
                if selected:
                    _walk(following, selected, found)


def child_path(path: str, namespaces: dict[str, str]) -> ChildPath | None:
    """Compile ``path`` if it is a chain of child steps, else None (keep the XPath)."""
    parts = _split_steps(path)
    if parts is None:
        return None
    attribute = None
    final = _FINAL_ATTRIBUTE.fullmatch(parts[-1])
    if final is not None and len(parts) > 1:
        attribute = final.group("name")
        parts = parts[:-1]
    steps = []
    for part in parts:
        parsed = _step(part, 0, namespaces)
        if parsed is None or parsed[1] != len(part):
            return None
        steps.append(parsed[0])
    return ChildPath(tuple(steps), attribute)


def _split_steps(path: str, separator: str = "/") -> list[str] | None:
    """``path`` split at each ``separator`` outside predicates and quotes; None where
    brackets do not balance."""
    parts, depth, quote, start = [], 0, "", 0
    for position, char in enumerate(path):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth < 0:
                return None
        elif char == separator and depth == 0:
            parts.append(path[start:position])
            start = position + 1
    if depth or quote:
        return None
    parts.append(path[start:])
    return parts


def _step(text: str, position: int, namespaces: dict[str, str]) -> tuple[Step, int] | None:
    """The step at ``position`` of ``text`` and where it ends, or None if there is none."""
    test = _TEST.match(text, position)
    if test is None:
        return None
    tag = _tag(test.group("prefix"), test.group("name"), namespaces)
    if tag is None:
        return None
    local_names: list[str] = []
    present: list[str] = []
    absent: list[str] = []
    equal: list[tuple[str, str]] = []
    children: list[Step] = []
    no_siblings: list[Step] = []
    text_wanted = False
    position = test.end()
    while position < len(text) and text[position] == "[":
        if (predicate := _PREDICATE.match(text, position)) is not None:
            if predicate.group("local"):
                local_names.append(_unquote(predicate.group("local")))
            elif predicate.group("absent"):
                absent.append(predicate.group("absent"))
            elif predicate.group("value") is not None:
                equal.append((predicate.group("attribute"), _unquote(predicate.group("value"))))
            else:
                present.append(predicate.group("attribute"))
            position = predicate.end()
        elif (found := _HAS_TEXT.match(text, position)) is not None:
            text_wanted, position = True, found.end()
        elif (found := _NO_SIBLING.match(text, position)) is not None:
            inner = _inner_step(text, found.end(), namespaces, _CLOSE)
            if inner is None:
                return None
            no_siblings.append(inner[0])
            position = inner[1]
        else:
            inner = _inner_step(text, position + 1, namespaces, _CLOSE_BRACKET)
            if inner is None:
                return None
            children.append(inner[0])
            position = inner[1]
    if not all(re.fullmatch(_NAME, name) for name in local_names):
        return None
    if tag == "*" and local_names:
        tag = "{*}" + local_names.pop(0)
    filtered = bool(local_names or present or absent or equal or text_wanted or children)
    grouping = "all" if tag == "*" else "local" if tag.startswith("{*}") else "tag"
    group_key = tag.removeprefix("{*}").removeprefix("{}")
    step = Step(
        tag,
        tuple(local_names),
        tuple(present),
        tuple(absent),
        tuple(equal),
        text_wanted,
        tuple(children),
        tuple(no_siblings),
        filtered,
        grouping,
        group_key,
    )
    return step, position


_CLOSE_BRACKET = re.compile(r"\s*\]")


def _inner_step(
    text: str, position: int, namespaces: dict[str, str], close: re.Pattern[str]
) -> tuple[Step, int] | None:
    """A step inside a predicate, which ``close`` ends; and where the predicate ends."""
    inner = _step(text, position, namespaces)
    if inner is None:
        return None
    end = close.match(text, inner[1])
    return None if end is None else (inner[0], end.end())


def _tag(prefix: str | None, name: str, namespaces: dict[str, str]) -> str | None:
    """lxml's tag filter for a name test: ``*``, ``{uri}name`` or ``{}name``."""
    if prefix is None:
        return "*" if name == "*" else "{}" + name
    uri = namespaces.get(prefix)
    if not uri or name == "*":
        return None
    return f"{{{uri}}}{name}"


def _unquote(literal: str) -> str:
    return literal[1:-1]
