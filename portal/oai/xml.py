"""Writing OAI-PMH XML safely: harvested text only ever becomes element text or attribute
values, which lxml escapes; characters XML 1.0 forbids are replaced by U+FFFD."""

from __future__ import annotations

import re
from typing import Final

from lxml import etree

XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"

_ILLEGAL_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean(text: object) -> str:
    """Text safe for an XML 1.0 document (forbidden characters become U+FFFD)."""
    return _ILLEGAL_XML.sub("\ufffd", str(text))


def sub(
    parent: etree._Element, tag: str, text: object = None, **attrib: str | None
) -> etree._Element:
    """Append a child element with escaped text and attributes (None values left out)."""
    element = etree.SubElement(parent, tag)
    for name, value in attrib.items():
        if value is not None:
            element.set(XML_LANG if name == "lang" else name, clean(value))
    if text is not None:
        element.text = clean(text)
    return element
