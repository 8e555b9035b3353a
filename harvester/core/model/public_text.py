"""What every text of the model goes through before it can be published: no e-mail address,
no control character.

:func:`public_text` is applied by the model's base class to every string of every field of
every part (:class:`~harvester.core.model.fields._Model`), so a field added later is covered
without anyone naming it. It replaces every e-mail address by :data:`EMAIL_REMOVED` (every
address is treated as a person's): plain (``jo@example.org``, ``mailto:``), with the "@"
written otherwise (``%40``, ``&#64;``, ``\\u0040``, full-width ``＠``; dots full-width or
ideographic too), obfuscated ("jo [at] example [dot] org", "jo(at)example.org", "jo at
example dot org"), or hidden in an encoded token (``identifier=jo%28at%29example.org``). It
removes control characters that are never text: C0 and C1 controls but tab and line breaks,
the explicit bidirectional formatting characters (embeddings, overrides, isolates: "Invoice
\\u202egpj.exe" spoofs "Invoice exe.jpg"), the soft hyphen, invisible separators and tag
characters, surrogates and non-characters; the line and paragraph separators become line
breaks. Directional marks (LRM, RLM, ALM), ZWJ and
ZWNJ stay: scripts need them, and they move nothing around.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote, unquote_plus

EMAIL_REMOVED = "[e-mail removed]"
"""What an e-mail address is replaced by."""

_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 (but tab, LF, CR), DEL, C1
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides, isolates
    "\u00ad\u200b\u2060-\u2064\ufeff\u180e"  # soft hyphen, invisible separators, BOM
    "\ufff9-\ufffb\ufffe\uffff"  # interlinear annotations, non-characters
    "\ud800-\udfff"  # lone surrogates
    "\U000e0000-\U000e007f]"  # tag characters
)
_LINE_SEPARATORS = re.compile("[\u2028\u2029]")

# Possessive quantifiers and a look-behind keep matching linear on hostile input; the top-level
# domain is checked afterwards, in _replace, instead of by backtracking.
_AT_SIGN = r"(?:@|＠|﹫|%(?:25)?40|&#0*64;?|&#x0*40;?|&commat;?|\\u0040|\\uff20|\\ufe6b)"
_START = r"(?<![\w.+%'-])"
_LOCAL = r"(?:[\w.+'-]|%(?!(?:25)?40))++"  # "%" but not an encoded "@"
_LABEL = r"(?:[\w-]|%(?!(?:25)?40|2[Ee]))++"  # "%" but not an encoded "@" or "."
_AT_WORD = r"(?:at|ät|@)"
_DOT_WORD = r"(?:dot|punkt|point|punt|\.)"
_BRACKETED_AT = (
    rf"\s*+(?:\[\s*{_AT_WORD}\s*\]|\(\s*{_AT_WORD}\s*\)|\{{\s*{_AT_WORD}\s*\}}|<\s*at\s*>)\s*+"
)
_BRACKETED_DOT = rf"\s*+(?:\[\s*{_DOT_WORD}\s*\]|\(\s*{_DOT_WORD}\s*\)|\{{\s*{_DOT_WORD}\s*\}})\s*+"
_SPELLED_DOT = r"\s+(?:dot|punkt)\s+"
_FULL_STOP = r"[.．。｡]"  # and the full-width and ideographic full stops
_ANY_DOT = rf"(?:{_BRACKETED_DOT}|{_SPELLED_DOT}|{_FULL_STOP}|%2[Ee])"
_PLAIN_EMAIL = re.compile(
    rf"{_START}(?:mailto:)?{_LOCAL}\s*+{_AT_SIGN}\s*+{_LABEL}(?:{_ANY_DOT}{_LABEL})++",
    re.IGNORECASE,
)
# What is left of an address cut after its "@" (a transform split "jo&#64;example.org" at ";"):
# the local part is a person's, with or without the domain.
_CUT_EMAIL = re.compile(
    rf"{_START}(?:mailto:)?{_LOCAL}\s*+{_AT_SIGN}(?=\s*+(?:$|[;,|\"'\\)\]}}>]))", re.IGNORECASE
)
_BRACKETED_EMAIL = re.compile(
    rf"{_START}{_LOCAL}{_BRACKETED_AT}{_LABEL}(?:{_ANY_DOT}{_LABEL})++", re.IGNORECASE
)
# "name at example dot org": spelled-out separators only, so "look at example.org" stays
_SPELLED_EMAIL = re.compile(
    rf"{_START}{_LOCAL}\s+at\s+{_LABEL}(?:(?:{_BRACKETED_DOT}|{_SPELLED_DOT}){_LABEL})++",
    re.IGNORECASE,
)
_HAS_AT_SIGN = re.compile(
    r"[@＠﹫]|%(?:25)?40|&#0*64|&#x0*40|&commat|\\u(?:0040|ff20|fe6b)", re.IGNORECASE
)
_SIGNS = re.compile(r"[@＠﹫%&\\\[({<]")
"""One of these is in every address form but the spelled-out one ("jo at example dot org")."""
_HAS_BRACKETED_AT = re.compile(rf"[\[({{<]\s*{_AT_WORD}\s*[\])}}>]", re.IGNORECASE)
_HAS_SPELLED_DOT = re.compile(
    r"\b(?:dot|punkt)\b|[\[({]\s*(?:dot|punkt|point|punt|\.)\s*[\])}]", re.IGNORECASE
)
_TOP_LEVEL = re.compile(r"(?<![\w-])[^\W\d_]{2,24}[\w%-]*$")
"""The last label of an address: a top-level domain, or one run into what follows it
("jo@example.org2024", "jo@example.org-" still read as addresses)."""


def _replace(match: re.Match[str]) -> str:
    """Replace a candidate address whose last label looks like a top-level domain."""
    found = match.group(0)
    decoded = html.unescape(unquote(unquote(found))) if "%" in found or "&" in found else found
    return EMAIL_REMOVED if _TOP_LEVEL.search(decoded) else found


def scrub_emails(text: str) -> str:
    """Replace every e-mail address in ``text``, in any of its forms, by :data:`EMAIL_REMOVED`.

    An address may also hide in an encoded token (``identifier=jo%28at%29example.org`` in
    a URL, ``jo+at+example+dot+org`` in a query): a token that holds one once decoded is
    replaced whole, and a text whose decoded form still holds one is published decoded
    and scrubbed.

    Args:
        text: Any text.

    Returns:
        The text with addresses replaced; "" for non-strings.

    Examples:
        >>> scrub_emails("Write to jane.doe [at] example [dot] org or dave%40example.org.")
        'Write to [e-mail removed] or [e-mail removed].'
    """
    if not isinstance(text, str):
        return ""
    if not may_hold_address(text):
        return text
    return _scrub_every_form(text)


def _scrub_every_form(text: str) -> str:
    """:func:`scrub_emails` without its pre-check: every form looked for."""
    text = _scrub_forms(text)
    if ("%" in text or "&" in text or "+" in text) and _might_hide(text):
        decoded = _decoded(text)
        if decoded != text and _scrub_forms(decoded) != decoded:
            text = _TOKEN.sub(_encoded_token, text)  # the tokens hiding one, replaced whole
            decoded = _decoded(text)
            scrubbed = _scrub_forms(decoded)
            if scrubbed != decoded:  # hidden across tokens: published decoded, scrubbed
                return scrubbed
    return text


_SIGN_OR_SPELLED_AT = re.compile(r"[@＠﹫+%&\\\[({<]|\sat\s", re.IGNORECASE)
"""Where an address shape may start: one character class (or a spaced "at"), found fast."""
_ADDRESS_SHAPE = re.compile(
    r"[@＠﹫+]|%(?!3[adf]|2[cf])[0-9a-f]{2}|&(?:#|commat|\w+;)|\\u(?:0040|ff20|fe6b)"
    r"|[\[({<]\s*+(?:at|ät|@)\s*+[\])}>]|\sat\s",
    re.IGNORECASE,
)
"""What every address form needs, at one place: an "@" in any of its spellings, a
bracketed "at", a spaced "at" (the spelled-out form), or encoding that may hide one
(percent-escapes, HTML entities, "+" for a space). Each form :func:`_scrub_every_form`
replaces needs one of them, so a text with none is left as it is. The escapes of ":",
"/", "=", "?" and "," (``%3A`` in every OAI identifier in a URL) hide none: what they
decode to is neither an at sign, a bracket, a space, a letter nor an escape, so decoding
them completes no address form."""


def may_hold_address(text: str) -> bool:
    """Whether ``text`` may hold an e-mail address in a form :func:`scrub_emails` knows: a
    quick look for where one could start, and only there for its shape (a bracket or a
    sign alone, as in "(2019)" or "R&D", is no address)."""
    search = _SIGN_OR_SPELLED_AT.search
    match = _ADDRESS_SHAPE.match
    found = search(text)
    while found is not None:
        start = found.start()
        if match(text, start):
            return True
        found = search(text, start + 1)
    return False


_ENCODED = re.compile(r"%[0-9A-Fa-f]{2}|&#?\w+;|\+")
_HIDDEN_AT = re.compile(
    r"[@＠﹫]|%40|&#0*64|&#x0*40|&commat|\\u(?:0040|ff20|fe6b)|(?<![a-z])(?:at|ät)(?![a-z])",
    re.IGNORECASE,
)
"""What an address needs, looked for once the text is decoded once."""
_TOKEN = re.compile(r"\S+")


def _might_hide(text: str) -> bool:
    """Whether ``text`` holds encoding that could hide an address (cheap tests first)."""
    return bool(_ENCODED.search(text) and _HIDDEN_AT.search(unquote_plus(text)))


def _decoded(text: str) -> str:
    """``text`` with percent-encoding (twice, "+" as space) and HTML entities undone."""
    text = unquote_plus(text)
    if "%" in text:
        text = unquote_plus(text)
    return html.unescape(text) if _ENTITY.search(text) else text


_ENTITY = re.compile(r"&#?\w+;")


def _encoded_token(match: re.Match[str]) -> str:
    token = match.group(0)
    if not _might_hide(token):
        return token
    decoded = _decoded(token)
    return EMAIL_REMOVED if decoded != token and _scrub_forms(decoded) != decoded else token


def _scrub_forms(text: str) -> str:
    """The plain, bracketed and spelled-out forms replaced (:func:`scrub_emails` without
    decoding). Each costly pattern runs only where a cheap test (one character class, or
    substrings of the lower-cased text) finds what it needs."""
    if _SIGNS.search(text):
        if _HAS_AT_SIGN.search(text):
            text = _PLAIN_EMAIL.sub(_replace, text)
            text = _CUT_EMAIL.sub(EMAIL_REMOVED, text)
        if _HAS_BRACKETED_AT.search(text):
            text = _BRACKETED_EMAIL.sub(_replace, text)
    lower = text.lower()
    if _spelled_hint(lower) and _HAS_SPELLED_DOT.search(text):
        text = _SPELLED_EMAIL.sub(_replace, text)
    return text


def _spelled_hint(lower: str) -> bool:
    """Whether lower-cased text has both a spelled "at" and a spelled or bracketed dot."""
    return "at" in lower and ("dot" in lower or "punkt" in lower or "[" in lower or "(" in lower)


def contains_email(text: str) -> bool:
    """Tell whether ``text`` holds an e-mail address in any form :func:`scrub_emails` knows."""
    return isinstance(text, str) and scrub_emails(text) != text


def strip_controls(text: str) -> str:
    """``text`` without the control characters this module's docstring lists."""
    if text.isprintable():  # every character removed here is unprintable
        return text
    if "\u2028" in text or "\u2029" in text:
        text = _LINE_SEPARATORS.sub("\n", text)
    return _CONTROL.sub("", text)


def looks_public(text: str) -> bool:
    """Whether ``text`` is public as it is, by quick looks that most texts pass: nothing
    unprintable, nothing that may be an address (:func:`may_hold_address`)."""
    return text.isprintable() and not may_hold_address(text)


def public_text(text: str) -> str:
    """``text`` as it may be published: controls stripped, then addresses replaced."""
    return text if looks_public(text) else scrub_emails(strip_controls(text))


def excerpt(text: str, limit: int) -> str:
    """The start of ``text``, at most ``limit`` characters, made public first (so that a cut
    never leaves half an address behind), "…" where it was cut."""
    public = public_text(text)
    return public if len(public) <= limit else public[: limit - 1] + "…"
