"""Reading provider XML safely: repair what can be repaired, never resolve entities.

The fast path hands the bytes to libxml2 as they are, except UTF-8 bytes under a declared
single-byte encoding, which are read as UTF-8. Only when that fails is the body repaired:
decoded with the declared encoding, else the HTTP charset, else Windows-1252; characters
XML 1.0 forbids (raw or as character references) removed; then parsed again.
A DTD is refused outright, so neither external entities (XXE) nor entity expansion
("billion laughs") can happen.
"""

# Hand-written on purpose: lxml's recover=True drops what it cannot parse without saying
# what, and charset guessing (charset-normalizer) can read two pages of one provider
# differently; here the declaration, then the HTTP charset, then Windows-1252 (as browsers
# do, WHATWG) are tried in order and every repair is reported. defusedxml is not used: its
# lxml support is deprecated, and the parser options below plus the DTD refusal cover it.

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from lxml import etree

from harvester.core.errors import MalformedResponseError, UnsafeXMLError

_ILLEGAL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ILLEGAL_CHAR_REFS = re.compile(
    r"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF])"
    r"|0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]));"
)
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*?\?>", re.DOTALL)
_DECLARED_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']""")
_SINGLE_BYTE_CODECS = ("iso8859", "cp125", "mac-", "koi8")  # Python codec names


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        recover=False,
        remove_comments=True,
        remove_pis=True,
    )


@dataclass
class ParsedXML:
    """A parsed document and the repairs that were needed to parse it."""

    root: etree._Element
    repairs: list[str] = field(default_factory=list)


def parse_xml(body: bytes, http_charset: str | None = None) -> ParsedXML:
    """Parse a response body, repairing encodings and illegal characters if needed.

    Args:
        body: the raw response bytes.
        http_charset: the charset the HTTP headers claimed, tried when the XML's own is wrong.

    Raises:
        UnsafeXMLError: the document carries a DTD (entities are never processed).
        MalformedResponseError: the document is not well-formed, even after repair.
    """
    if not body.strip():
        raise MalformedResponseError("empty response body")
    _refuse_dtd(body)
    relabelled: list[str] = []
    mislabel = _utf8_declared_single_byte(body)
    if mislabel is not None:
        # libxml2 would obey the declaration and turn every accented letter into mojibake.
        body = _without_declaration(body.decode("utf-8")).encode("utf-8")
        relabelled.append(f"decoded as utf-8: the bytes are not {mislabel}")
    try:
        return ParsedXML(_checked(etree.fromstring(body, _parser())), relabelled)
    except etree.XMLSyntaxError as first_error:
        repaired, repairs = _repair(body, http_charset)
        repairs = relabelled + repairs
        if not repairs:
            raise MalformedResponseError(_describe(first_error)) from None
        try:
            return ParsedXML(_checked(etree.fromstring(repaired, _parser())), repairs)
        except etree.XMLSyntaxError as exc:
            raise MalformedResponseError(
                f"{_describe(exc)} (after repair: {', '.join(repairs)})"
            ) from None


def _checked(root: etree._Element) -> etree._Element:
    if root.getroottree().docinfo.doctype:
        raise UnsafeXMLError("response declares a DTD; DTDs and entities are never processed")
    return root


def _refuse_dtd(body: bytes) -> None:
    head = body[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in body or b"<\x00!\x00D\x00O\x00C" in head:
        raise UnsafeXMLError(
            "response declares a DTD or entities; DTDs and entities are never processed"
        )


def _utf8_declared_single_byte(body: bytes) -> str | None:
    """The declared encoding, when it is a single-byte one but the bytes are UTF-8.

    Providers that declare ISO-8859-1 (or another 8-bit encoding) while sending UTF-8 are
    common. Text in an 8-bit encoding is almost never valid UTF-8 once it holds a byte over
    0x7F, so a body that decodes as UTF-8 is taken as UTF-8.
    """
    head = body[:200].lstrip()
    if not head.startswith(b"<?xml") or body.isascii():
        return None
    match = _DECLARED_ENCODING.search(head)
    if match is None:
        return None
    declared = match.group(1).decode("ascii")
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        return None
    if codec != "ascii" and not codec.startswith(_SINGLE_BYTE_CODECS):
        return None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return declared


def _repair(body: bytes, http_charset: str | None) -> tuple[bytes, list[str]]:
    repairs: list[str] = []
    text = _decode(body, http_charset, repairs)
    cleaned = _ILLEGAL_CHARS.sub("", text)
    cleaned = _ILLEGAL_CHAR_REFS.sub("", cleaned)
    if cleaned != text:
        repairs.append("removed characters XML 1.0 does not allow")
    return cleaned.encode("utf-8"), repairs


def _decode(body: bytes, http_charset: str | None, repairs: list[str]) -> str:
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if body.startswith(bom):
            return _without_declaration(body[len(bom) :].decode(name, errors="replace"))
    declared = None
    if body.lstrip().startswith(b"<?xml"):
        match = _DECLARED_ENCODING.search(body[:200])
        declared = match.group(1).decode("ascii") if match else None
    candidates = [declared or "utf-8", http_charset, "cp1252"]
    for position, name in enumerate(dict.fromkeys(c for c in candidates if c)):
        try:
            text = body.decode(_codec(name))
        except (UnicodeDecodeError, LookupError):
            continue
        if position:
            repairs.append(f"decoded as {name}: the bytes are not {declared or 'utf-8'}")
        return _without_declaration(text)
    repairs.append("replaced bytes that fit no known encoding")
    return _without_declaration(body.decode("utf-8", errors="replace"))


def _codec(name: str) -> str:
    codec = codecs.lookup(name).name
    # Windows-1252 is what "ISO-8859-1" means on the web (WHATWG Encoding Standard).
    return "cp1252" if codec in ("latin-1", "iso8859-1") else codec


def _without_declaration(text: str) -> str:
    return _DECLARATION.sub("", text, count=1)


def _describe(exc: etree.XMLSyntaxError) -> str:
    line, column = exc.position if exc.position else (0, 0)
    return f"not well-formed XML at line {line}, column {column}: {exc.msg}"
