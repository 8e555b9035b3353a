"""Descriptions: HTML (also double-escaped) to clean plain text, and e-mail addresses removed.

:func:`plain_text` parses with lxml's HTML parser (no network, comments and processing
instructions dropped) and writes the text back out: block elements become paragraph breaks,
``<br>`` a newline, ``<li>`` a "- " line; ``script``, ``style`` and other non-content elements
are dropped with their content. Escaped markup (``&lt;p&gt;``, as Zenodo sends, and
``&amp;lt;p&amp;gt;`` twice escaped) is unescaped and parsed again, so no tag survives as text.
:func:`scrub_emails` (the model's own, from :mod:`harvester.core.model.public_text`, which
every text of every record goes through anyway) replaces every e-mail address, plain,
percent-encoded or obfuscated ("name [at] example [dot] org", "name(at)example.org"), by
:data:`EMAIL_REMOVED`: every address is treated as a person's.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from lxml import etree
from markdown_it import MarkdownIt

from harvester.core.model.public_text import EMAIL_REMOVED, scrub_emails

__all__ = ["EMAIL_REMOVED", "clean_description", "plain_text", "scrub_emails"]

_PARSER = etree.HTMLParser(
    remove_comments=True, remove_pis=True, no_network=True, recover=True, default_doctype=False
)
_DROP = frozenset(
    [
        "script",
        "style",
        "head",
        "title",
        "noscript",
        "template",
        "iframe",
        "object",
        "embed",
        "svg",
        "math",
        "canvas",
        "audio",
        "video",
        "select",
        "button",
        "input",
        "textarea",
        "form",
        "meta",
        "link",
        "base",
        "frame",
        "frameset",
        "applet",
    ]
)
_BLOCK = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "main",
        "blockquote",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "figure",
        "figcaption",
        "address",
        "hr",
        "details",
        "summary",
        "fieldset",
        "caption",
        "center",
        "body",
        "html",
    ]
)
_CELL = frozenset({"td", "th"})
_TAG_START = re.compile(r"<[A-Za-z!?/]")  # where an HTML tokenizer starts a tag
_ESCAPED_TAG = re.compile(r"&(?:amp;)*(?:lt|#0*60|#x0*3c);\s*/?\s*[A-Za-z!]", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ue000-\ue002\ufffe\uffff]")
_OTHER_ENTITY = re.compile(r"&(?!(?:lt|gt|amp|quot|apos|#39);)")
_SPACES = re.compile(r"[^\S\n]+")
_BREAKS = re.compile(r"\n{3,}")
_LINE_EDGES = re.compile(r" ?\n ?")
_WS = re.compile(r"\s+")
_EMPTY_ITEM = re.compile(r"^- ?\n+(?=\S)", re.MULTILINE)  # "<li><p>x</p></li>"


_PARAGRAPH = "\ue000"  # structural markers (private use); removed from the input first
_LINE = "\ue001"
_ITEM = "\ue002"


def _drop(element: etree._Element) -> None:
    """Remove ``element`` and its content, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _render(root: etree._Element) -> str:
    dropped = []
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        if tag in _BLOCK:
            element.text = _PARAGRAPH + element.text if element.text else _PARAGRAPH
            element.tail = _PARAGRAPH + element.tail if element.tail else _PARAGRAPH
        elif tag == "br":
            element.tail = _LINE + element.tail if element.tail else _LINE
        elif tag == "li":
            element.text = _ITEM + element.text if element.text else _ITEM
        elif tag in _CELL:
            element.tail = " " + element.tail if element.tail else " "
        elif tag in _DROP:
            dropped.append(element)
    for element in dropped:
        _drop(element)
    text = _WS.sub(" ", "".join(root.itertext()))
    return text.replace(_PARAGRAPH, "\n\n").replace(_LINE, "\n").replace(_ITEM, "\n- ")


def _tidy(text: str) -> str:
    """Single spaces, no space around line breaks, at most one blank line, items joined.

    Each substitution is skipped where plain substring tests show it has nothing to change
    (white space other than space and newline is never printable, so a printable text
    without double spaces has no run for ``_SPACES`` to collapse).
    """
    if "  " in text or not text.replace("\n", "").isprintable():
        text = _SPACES.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _LINE_EDGES.sub("\n", text)
    if "\n\n\n" in text:
        text = _BREAKS.sub("\n\n", text)
    if "-\n" in text or "- \n" in text:
        text = _EMPTY_ITEM.sub("- ", text)
    return text.strip()


def _unescape(text: str) -> str:
    """Undo one level of escaping; fast when only the five XML entities occur."""
    if _OTHER_ENTITY.search(text):
        return html.unescape(text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
    return text.replace("&#39;", "'").replace("&apos;", "'").replace("&amp;", "&")


def _unescape_markup(text: str) -> str:
    """Unescape entity-escaped markup (at most three levels) when it looks like tags."""
    for _ in range(3):
        if not _ESCAPED_TAG.search(text):
            break
        text = _unescape(text)
    return text


def _parse_text(text: str) -> str:
    try:
        root = etree.fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return html.unescape(_TAG_START.sub(" ", text))
    if root is None:
        return ""
    return _render(root)


def plain_text(html_or_text: str) -> str:
    """Return ``html_or_text`` as clean plain text with no markup left.

    Args:
        html_or_text: Plain text, an HTML fragment or document, or escaped HTML.

    Returns:
        Text with paragraphs separated by blank lines, entities decoded and whitespace
        normalised; "" for non-strings and empty input.

    Examples:
        >>> plain_text("&lt;p&gt;Count &lt;b&gt;birds&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Go!&lt;/p&gt;")
        'Count birds\\n\\nGo!'
    """
    if not isinstance(html_or_text, str):
        return ""
    text = _CONTROL.sub("", html_or_text).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ""
    text = _unescape_markup(text)
    for _ in range(3):
        if not _TAG_START.search(text):
            return _tidy(_neutralised(html.unescape(text) if "&" in text else text))
        text = _parse_text(text)
        text = _unescape_markup(_CONTROL.sub("", text))
        if not _TAG_START.search(text):
            return _tidy(text)
    # Pathological nesting of escaped markup: neutralise what is left rather than loop.
    return _tidy(_neutralised(text))


def _neutralised(text: str) -> str:
    """``<`` that would start a tag (e.g. from a loose ``&lt?``) made a harmless ``‹``."""
    return _TAG_START.sub(lambda m: "‹" + m.group(0)[1:], text)


def clean_description(text: str) -> str:
    """Return ``text`` as plain text without markup or e-mail addresses.

    Args:
        text: A description as a provider sends it (HTML, escaped HTML or text).

    Returns:
        ``scrub_emails(plain_text(text))``; "" for non-strings.
    """
    return _clean_description(text) if isinstance(text, str) else ""


@lru_cache(maxsize=2048)
def _clean_description(text: str) -> str:
    """:func:`clean_description` of a string, cached: sources repeat boilerplate
    descriptions across their records, and HTML parsing is the costliest transform."""
    return scrub_emails(plain_text(text))


_MARKDOWN = MarkdownIt("commonmark", {"html": False})
"""CommonMark with raw HTML off: HTML in the source stays text, to be stripped as such."""


def markdown_text(markdown: str) -> str:
    """Return Markdown as plain text: rendered to HTML (raw HTML not passed through), then
    reduced by :func:`plain_text`; link targets are dropped, their words kept.

    Examples:
        >>> markdown_text("**Spot** the [seasons](http://example.org)!")
        'Spot the seasons!'
    """
    if not isinstance(markdown, str) or not markdown.strip():
        return ""
    return plain_text(_MARKDOWN.render(markdown))
