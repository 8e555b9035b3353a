"""Free text as people type it, parsed into a small query that no engine sees raw.

The grammar is forgiving: words, ``"quoted phrases"`` (an unclosed quote runs to the end),
``word*`` prefixes, ``-word`` or ``-"a phrase"`` exclusions and ``OR`` between two parts.
Anything else (lone operators, brackets, SQL or query-syntax characters) is dropped, so
every input gives a query, possibly an empty one.
"""

# A parser library (lark, pyparsing) is not used: the grammar is five token kinds read by
# one regular expression, and it must never fail on any input.

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

MIN_PREFIX = 2
MAX_ATOMS = 32
WORD = re.compile(r"[^\W_]+")  # letters and digits, as FTS5's unicode61 splits
TOKEN = re.compile(r'(?P<neg>-)?(?:"(?P<phrase>[^"]*)(?:"|$)|(?P<word>[^\s"]+))')


@cache
def _marks() -> re.Pattern[str]:
    """Every combining mark of the Basic Multilingual Plane (one pattern: removing them
    with it is faster than a translation table)."""
    marks = (chr(code) for code in range(0x10000) if unicodedata.combining(chr(code)))
    return re.compile("[" + "".join(re.escape(mark) for mark in marks) + "]")


def fold(text: str) -> str:
    """Case-folded with diacritics removed (any script): how both backends compare words."""
    if text.isascii():
        return text.lower()
    return _marks().sub("", unicodedata.normalize("NFKD", text.casefold()))


@lru_cache(maxsize=65_536)
def fold_word(word: str) -> str:
    """:func:`fold` for one word, remembered (words repeat across hits)."""
    return fold(word)


def words_of(text: str) -> list[str]:
    """The folded words of a text, split as the index splits them."""
    return WORD.findall(fold(text))


@dataclass(frozen=True)
class Atom:
    """One word or phrase; ``prefix`` matches words starting with the last word; ``stems``
    (of a single word, in the query's languages) match the stems of records' words too."""

    words: tuple[str, ...]
    prefix: bool = False
    stems: tuple[str, ...] = ()
    quoted: bool = False  # written in quotes: matched exactly, never by stems

    @property
    def text(self) -> str:
        """The atom as a person would write it."""
        body = " ".join(self.words)
        body = f'"{body}"' if len(self.words) > 1 or self.quoted else body
        return body + ("*" if self.prefix else "")


@dataclass(frozen=True)
class TextQuery:
    """All ``clauses`` must match (each clause: any of its atoms); no ``excluded`` may."""

    clauses: tuple[tuple[Atom, ...], ...] = ()
    excluded: tuple[Atom, ...] = ()
    languages: tuple[str, ...] = ()  # the languages the atoms' stems are in

    @property
    def empty(self) -> bool:
        """True when nothing constrains the text (the query matches every record)."""
        return not self.clauses and not self.excluded

    @property
    def atoms(self) -> tuple[Atom, ...]:
        """Every positive atom, for highlighting and suggestions."""
        return tuple(atom for clause in self.clauses for atom in clause)


def parse_text(text: str) -> TextQuery:
    """Parse what a person typed. Never raises."""
    clauses: list[list[Atom]] = []
    excluded: list[Atom] = []
    join_next = False
    for match in TOKEN.finditer(text or ""):
        raw_word = match.group("word")
        if raw_word == "OR":
            join_next = bool(clauses)
            continue
        atom = _atom(match.group("phrase"), raw_word)
        if atom is None:
            continue
        if match.group("neg"):
            excluded.append(atom)
        elif join_next:
            clauses[-1].append(atom)
        else:
            clauses.append([atom])
        join_next = False
        if len(clauses) + len(excluded) >= MAX_ATOMS:
            break
    return TextQuery(tuple(_distinct(c) for c in clauses), _distinct(excluded))


def _atom(phrase: str | None, raw_word: str | None) -> Atom | None:
    if phrase is not None:
        words = words_of(phrase)
        return Atom(tuple(words), quoted=True) if words else None
    raw = raw_word or ""
    prefix = raw.endswith("*")
    words = words_of(raw)
    if not words:
        return None
    prefix = prefix and len(words[-1]) >= MIN_PREFIX
    return Atom(tuple(words), prefix)


def _distinct(atoms: list[Atom]) -> tuple[Atom, ...]:
    return tuple(dict.fromkeys(atoms))


def positive_text(text: str) -> str:
    """What a query asks for in its own words, for an encoder: its words and phrases as
    typed (accents kept), without exclusions, ``OR`` and the syntax around them."""
    kept: list[str] = []
    for match in TOKEN.finditer(text or ""):
        if match.group("neg") or match.group("word") == "OR":
            continue
        value = match.group("phrase") if match.group("phrase") is not None else match.group("word")
        value = (value or "").rstrip("*").strip()
        if WORD.search(value):
            kept.append(value)
    return " ".join(kept)[:1000]
