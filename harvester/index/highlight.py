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
from functools import lru_cache
from html import escape

from harvester.index.base import MARK_CLOSE, MARK_OPEN
from harvester.index.stemming import stem_of
from harvester.index.text import Atom, fold_word

START = "\x02"
END = "\x03"
SNIPPET_WORDS = 30
TOKEN = re.compile(r"[^\W_]+")
MARKS = re.compile("([\x02\x03])")
NON_ASCII_WORD_CHAR = re.compile(r"(?![\x00-\x7f])[^\W_]")


def marked_html(text: str) -> str:
    """Escape ``text`` and turn the engine's marks into ``<mark>`` elements."""
    html = escape(text, quote=True)
    if START not in html and END not in html:
        return html
    opened = False
    out: list[str] = []
    for part in MARKS.split(html):
        if part == START:
            if not opened:
                out.append(MARK_OPEN)
                opened = True
        elif part == END:
            if opened:
                out.append(MARK_CLOSE)
                opened = False
        else:
            out.append(part)
    if opened:
        out.append(MARK_CLOSE)
    return "".join(out)


def ascii_words(text: str) -> bool:
    """True when every word of ``text`` is ASCII (other characters, such as ``·`` between
    keywords, may not be): there folding a word is lower-casing it."""
    return text.isascii() or NON_ASCII_WORD_CHAR.search(text) is None


class WordMatcher:
    """Which words the atoms match: any of their words exactly, words starting with the
    last word of a prefix atom, or words whose stem in one of ``languages`` is one of the
    atoms' stems, compared folded. On text of ASCII words (where folding is lower-casing
    and keeps every position) and without stems, one regular expression finds them all;
    with stems, one finds the words that could match (starting as a word, prefix or stem
    of the atoms does), and only those are stemmed."""

    def __init__(self, atoms: Sequence[Atom], languages: Sequence[str] = ()) -> None:
        self.exact = frozenset(word for atom in atoms for word in atom.words)
        self.prefixes = tuple(atom.words[-1] for atom in atoms if atom.prefix and atom.words)
        self.stems = frozenset(stem for atom in atoms for stem in atom.stems)
        self.languages = tuple(languages) if self.stems else ()
        self._stem_heads = tuple({stem[2:4] for stem in self.stems})  # after the language
        self.fast = self._candidates() if self.languages else self._matching()

    def _matching(self) -> re.Pattern[str]:
        """The words the atoms match, on text of ASCII words (no stems)."""
        choices = []
        if self.exact:
            words = "|".join(re.escape(w) for w in sorted(self.exact))
            choices.append(f"(?:{words})(?![^\\W_])")
        if self.prefixes:
            choices.append(f"(?:{'|'.join(re.escape(p) for p in self.prefixes)})[^\\W_]*")
        return re.compile(
            f"(?<![^\\W_])(?:{'|'.join(choices) or '(?!)'})", re.IGNORECASE | re.ASCII
        )

    def _candidates(self) -> re.Pattern[str]:
        """The words that could match, on text of ASCII words (with stems): those starting
        as a word, prefix or stem of the atoms does."""
        heads = sorted({*self.exact, *self.prefixes, *self._stem_heads}, key=len, reverse=True)
        starts = "|".join(re.escape(head) for head in heads) or "(?!)"
        could = "[^\\W_]+" if "" in heads else f"(?:{starts})[^\\W_]*"  # a stem of a letter
        return re.compile(f"(?<![^\\W_]){could}", re.IGNORECASE | re.ASCII)

    def matches(self, word: str) -> bool:
        """True when the folded ``word`` is one the atoms match."""
        if word in self.exact or (bool(self.prefixes) and word.startswith(self.prefixes)):
            return True
        return (
            bool(self.languages)
            and word.startswith(self._stem_heads)
            and not self.stems.isdisjoint(stem_of(word, self.languages))
        )

    def first(self, text: str) -> int | None:
        """The index of the first matching word of ``text``, or None."""
        if not ascii_words(text):
            return self.first_by_words(text)
        if not self.languages:
            found = self.fast.search(text)
            return None if found is None else len(TOKEN.findall(text, 0, found.start()))
        for candidate in self.fast.finditer(text):
            if self.matches(candidate.group().lower()):
                return len(TOKEN.findall(text, 0, candidate.start()))
        return None

    def first_by_words(self, text: str) -> int | None:
        """:meth:`first` word by word, for any script."""
        for number, token in enumerate(TOKEN.finditer(text)):
            if self.matches(fold_word(token.group())):
                return number
        return None

    def mark(self, text: str) -> str:
        """``text`` with every matching word between the engine marks."""
        if not ascii_words(text):
            return self.mark_by_words(text)
        if not self.languages:
            return self.fast.sub(f"{START}\\g<0>{END}", text)
        out: list[str] = []
        last = 0
        for candidate in self.fast.finditer(text):
            if self.matches(candidate.group().lower()):
                out += [text[last : candidate.start()], START, candidate.group(), END]
                last = candidate.end()
        out.append(text[last:])
        return "".join(out)

    def mark_by_words(self, text: str) -> str:
        """:meth:`mark` word by word, for any script."""
        out: list[str] = []
        last = 0
        for match in TOKEN.finditer(text):
            if self.matches(fold_word(match.group())):
                out += [text[last : match.start()], START, match.group(), END]
                last = match.end()
        out.append(text[last:])
        return "".join(out)


@lru_cache(maxsize=1024)
def matcher(atoms: tuple[Atom, ...], languages: tuple[str, ...] = ()) -> WordMatcher:
    """The matcher of a query's atoms (built once per distinct query)."""
    return WordMatcher(atoms, languages)


def mark_words(text: str, atoms: Sequence[Atom], languages: Sequence[str] = ()) -> str:
    """``text`` with the words of ``atoms`` between the engine marks (folded comparison;
    stems in ``languages``)."""
    if not atoms:
        return text
    return matcher(tuple(atoms), tuple(languages)).mark(text)


def snippet(
    text: str, atoms: Sequence[Atom], words: int = SNIPPET_WORDS, languages: Sequence[str] = ()
) -> str:
    """About ``words`` words of ``text`` around its first match, marked, with ellipses."""
    tokens = list(TOKEN.finditer(text))
    if len(tokens) <= words:
        return mark_words(text, atoms, languages)
    found = matcher(tuple(atoms), tuple(languages))
    first = (found.first(text) if atoms else None) or 0
    start = max(0, min(first - words // 4, len(tokens) - words))
    end = start + words
    begin = tokens[start].start() if start else 0
    finish = tokens[end - 1].end() if end < len(tokens) else len(text)
    clipped = text[begin:finish]
    marked = mark_words(clipped, atoms, languages)
    return ("…" if begin else "") + marked + ("…" if finish < len(text) else "")


def best_snippet(
    fields: Sequence[str], atoms: Sequence[Atom], languages: Sequence[str] = ()
) -> str:
    """A snippet of the first field with a match (description, then keywords, ...), else of
    the first field."""
    found = matcher(tuple(atoms), tuple(languages))
    for text in fields:
        if found.first(text) is not None:
            return snippet(text, atoms, languages=languages)
    return snippet(fields[0], atoms, languages=languages) if fields else ""
