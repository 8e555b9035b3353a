"""A hypothesis strategy for small XML trees: namespaced and plain elements, attributes
(one namespaced), text (some only white space), comments, processing instructions and
entity references, with tails."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from lxml import etree

NAMES = ["t", "u", "title", "date"]
ATTRIBUTES = ["k", "type", "lang"]
VALUES = ["x", "y", ""]


@st.composite
def trees(draw: st.DrawFn, depth: int = 0) -> Any:
    """An element with namespaced and plain children, attributes, comments, PIs, entities."""
    namespace = draw(st.sampled_from([None, "urn:a", "urn:b"]))
    name = draw(st.sampled_from(NAMES))
    element = etree.Element(f"{{{namespace}}}{name}" if namespace else name)
    for attribute in draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=2, unique=True)):
        element.set(attribute, draw(st.sampled_from(VALUES)))
    if draw(st.booleans()):
        element.set("{urn:a}k", "x")  # a namespaced attribute is not @k
    element.text = draw(st.sampled_from([None, "", "text", " \n", "\xa0"]))
    if depth < 3:
        for _ in range(draw(st.integers(0, 4))):
            kind = draw(st.sampled_from(["element", "element", "comment", "pi", "entity"]))
            if kind == "element":
                element.append(draw(trees(depth + 1)))
            elif kind == "comment":
                element.append(etree.Comment("c"))
            elif kind == "pi":
                element.append(etree.ProcessingInstruction("p", "x"))
            else:
                element.append(etree.Entity("amp"))
            element[-1].tail = draw(st.sampled_from([None, " ", "tail"]))
    return element
