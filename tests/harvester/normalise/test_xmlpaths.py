"""Child-step paths select exactly what their XPath selects, alone and walked together."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from harvester.core.errors import MalformedResponseError
from harvester.core.records import RawRecord
from harvester.normalise.crosswalk import load_crosswalks
from harvester.normalise.engine import _prefetched
from harvester.normalise.files import raw_records_from_file
from harvester.normalise.readers import read_document
from harvester.normalise.xmlpaths import ChildPaths, child_path, root_path
from tests.support.fixture_provider import SHARED_FIXTURES
from tests.support.xml_trees import ATTRIBUTES, NAMES, VALUES, trees

NAMESPACES = {"a": "urn:a", "b": "urn:b"}

XML_CROSSWALKS = sorted(
    (name, crosswalk) for name, crosswalk in load_crosswalks().items() if crosswalk.format == "xml"
)


def _xpath(path: str, namespaces: dict[str, str]) -> etree.XPath:
    return etree.XPath(path, namespaces=namespaces, smart_strings=False)


@st.composite
def steps(draw: st.DrawFn, depth: int = 0) -> str:
    test = draw(st.sampled_from(["*", "a:*", "b:t", "a:title", "t", "date", "*"]))
    simple = [
        st.sampled_from([*NAMES, "", "a:t"]).map(lambda n: f"[local-name()='{n}']"),
        st.sampled_from(ATTRIBUTES).map(lambda a: f"[@{a}]"),
        st.sampled_from(ATTRIBUTES).map(lambda a: f"[not(@{a})]"),
        st.tuples(st.sampled_from(ATTRIBUTES), st.sampled_from(VALUES)).map(
            lambda pair: f"[@{pair[0]}='{pair[1]}']"
        ),
        st.just("[1]"),
        st.just("[normalize-space()]"),
        st.just("[ normalize-space( ) ]"),
        st.just("[text()]"),
    ]
    nested = [
        steps(depth + 1).map(lambda step: f"[{step}]"),
        steps(depth + 1).map(lambda step: f"[not(../{step})]"),
        steps(depth + 1).map(lambda step: f"[not({step})]"),
    ]
    kinds = simple + nested if depth < 2 else simple
    return test + "".join(draw(st.lists(st.one_of(*kinds), max_size=3)))


@st.composite
def paths(draw: st.DrawFn) -> str:
    path = "/".join(draw(st.lists(steps(), min_size=1, max_size=3)))
    if draw(st.booleans()):
        path += "/@" + draw(st.sampled_from(ATTRIBUTES))
    return path


@settings(max_examples=400, deadline=None)
@given(trees(), paths())
def test_child_path_selects_what_the_xpath_selects(root: Any, path: str) -> None:
    compiled = child_path(path, NAMESPACES)
    if compiled is None:
        return  # not a chain of child steps: the XPath is kept
    assert compiled(root) == _xpath(path, NAMESPACES)(root)


@settings(max_examples=200, deadline=None)
@given(trees(), st.lists(paths(), min_size=1, max_size=6))
def test_paths_walked_together_select_what_each_selects(root: Any, texts: list[str]) -> None:
    compiled = {text: child_path(text, NAMESPACES) for text in texts}
    walkable = {text: path for text, path in compiled.items() if path is not None}
    together = ChildPaths(walkable).select(root)
    assert together == {text: _xpath(text, NAMESPACES)(root) for text in walkable}


@pytest.mark.parametrize(
    "path",
    [
        "*[local-name()='dates']/*[local-name()='date'][not(../*[local-name()='x'])]",
        "*[local-name()='relatedItem'][*[local-name()='relatedItemIdentifier']]",
        "*[local-name()='description'][normalize-space()]",
        "*[local-name()='d'][not(../*[local-name()='d'][@t='A'][normalize-space()])]",
        "x/y[not(../z[w])]/@k",
    ],
)
def test_text_child_and_sibling_predicates_are_walked(path: str) -> None:
    assert child_path(path, {"dc": "urn:dc", "a": "urn:a"}) is not None


@pytest.mark.parametrize(
    "path",
    [
        "*[local-name()='dates']/*[local-name()='date'][not(../*[local-name()='x']/y)]",
        "*[local-name()='dates']/*[local-name()='date'][not(*[local-name()='x'])]",
        "*[*[1]]",
        "*[normalize-space(.)]",
        "*[x='y']",
        "self::*[local-name()='resource']",
        "//dc:title",
        "dc:title/text()",
        "@xml:lang",
        "a:*",
        "x:title",
        "*[local-name()='']",
    ],
)
def test_other_paths_stay_xpaths(path: str) -> None:
    assert child_path(path, {"dc": "urn:dc", "a": "urn:a"}) is None


@st.composite
def root_paths(draw: st.DrawFn) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append("self::" + draw(steps()))
    if not parts or draw(st.booleans()):
        parts.append(draw(paths()))
    return " | ".join(draw(st.permutations(parts)))


@settings(max_examples=400, deadline=None)
@given(trees(), root_paths())
def test_root_path_finds_the_first_element_the_xpath_selects(root: Any, path: str) -> None:
    compiled = root_path(path, NAMESPACES)
    if compiled is None:
        return  # kept as an XPath
    found = [node for node in _xpath(path, NAMESPACES)(root) if isinstance(node, etree._Element)]
    assert compiled(root) is (found[0] if found else None)


@pytest.mark.parametrize(
    "path",
    [
        "self::a:t | self::t",
        "t | a:t",
        "self::t[not(../u)]",
        "t/@k",
        "self::t/u",
        "//t",
    ],
)
def test_other_root_paths_stay_xpaths(path: str) -> None:
    assert root_path(path, NAMESPACES) is None


def _samples(fixtures: Path) -> list[tuple[str, Any, RawRecord]]:
    found: list[tuple[str, Any, RawRecord]] = []
    for name, crosswalk in XML_CROSSWALKS:
        for path in sorted(fixtures.rglob("*.xml")):
            with contextlib.suppress(MalformedResponseError):  # not XML: nothing to compare
                items = raw_records_from_file(path, crosswalk, "fx")
                found.extend((name, crosswalk, i) for i in items if isinstance(i, RawRecord))
    return found


@pytest.mark.skipif(SHARED_FIXTURES is None, reason="shared fixtures not present")
def test_crosswalk_paths_select_what_their_xpaths_select_on_every_sample() -> None:
    assert SHARED_FIXTURES is not None
    samples = _samples(SHARED_FIXTURES)
    assert samples
    for _name, crosswalk, raw in samples:
        try:
            document = read_document(raw.payload or "", "xml")
        except ValueError:
            continue
        if crosswalk.root_xpath is not None:
            roots = [n for n in crosswalk.root_xpath(document) if isinstance(n, etree._Element)]
            assert crosswalk.root_path is not None
            assert crosswalk.root_path(document) is (roots[0] if roots else None)
            if not roots:
                continue
            document = roots[0]
        assert crosswalk.child_paths is not None
        prefetched = _prefetched(crosswalk, document)
        for rule in crosswalk.rules:
            for path, extract in rule.sources:
                by_xpath = _xpath(path, crosswalk.namespaces)(document)
                if path in prefetched:
                    assert prefetched[path] == extract(document)
                    selected = [v.node if v.node is not None else v.text for v in prefetched[path]]
                    assert selected == by_xpath
