"""Highlighted text as safe HTML: escaped, with ``<mark>`` around the matched words.

Matches are first marked with two control characters (never present in indexed text, see
:func:`harvester.index.documents.clean`): by Elasticsearch's highlighter, or here by
:func:`mark_words` comparing folded words as the embedded index does. The text is escaped
next and the marks become HTML only afterwards, so nothing harvested reaches a page
unescaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from harvester.index.base import MARK_CLOSE, MARK_OPEN
from harvester.index.text import Atom, fold_word

START = "\x02"
END = "\x03"
SNIPPET_WORDS = 30
TOKEN = re.compile(r"[^\W_]+")


def marked_html(text: str) -> str:
    """Escape ``text`` and turn the engine's marks into ``<mark>`` elements."""
    html = escape(text, quote=True)
    opened = False
    out: list[str] = []
    for char in html:
        if char == START and not opened:
            out.append(MARK_OPEN)
            opened = True
        elif char == END and opened:
            out.append(MARK_CLOSE)
            opened = False
        elif char not in (START, END):
            out.append(char)
    if opened:
        out.append(MARK_CLOSE)
    return "".join(out)


def _matches(word: str, atoms: Sequence[Atom]) -> bool:
    for atom in atoms:
        for position, wanted in enumerate(atom.words):
            last = position == len(atom.words) - 1
            if word == wanted or (atom.prefix and last and word.startswith(wanted)):
                return True
    return False


def mark_words(text: str, atoms: Sequence[Atom]) -> str:
    """``text`` with the words of ``atoms`` between the engine marks (folded comparison)."""
    if not atoms:
        return text
    out: list[str] = []
    last = 0
    for match in TOKEN.finditer(text):
        if _matches(fold_word(match.group()), atoms):
            out += [text[last : match.start()], START, match.group(), END]
            last = match.end()
    out.append(text[last:])
    return "".join(out)


def snippet(text: str, atoms: Sequence[Atom], words: int = SNIPPET_WORDS) -> str:
    """About ``words`` words of ``text`` around its first match, marked, with ellipses."""
    tokens = list(TOKEN.finditer(text))
    if len(tokens) <= words:
        return mark_words(text, atoms)
    first = next((i for i, t in enumerate(tokens) if _matches(fold_word(t.group()), atoms)), 0)
    start = max(0, min(first - words // 4, len(tokens) - words))
    end = start + words
    begin = tokens[start].start() if start else 0
    finish = tokens[end - 1].end() if end < len(tokens) else len(text)
    clipped = text[begin:finish]
    return ("…" if begin else "") + mark_words(clipped, atoms) + ("…" if finish < len(text) else "")


def best_snippet(fields: Sequence[str], atoms: Sequence[Atom]) -> str:
    """A snippet of the first field with a match (description, then keywords, ...), else of
    the first field."""
    for text in fields:
        if any(_matches(fold_word(t.group()), atoms) for t in TOKEN.finditer(text)):
            return snippet(text, atoms)
    return snippet(fields[0], atoms) if fields else ""
