"""The highlighter's regular-expression path marks exactly what the word-by-word one does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from harvester.index.highlight import WordMatcher, ascii_words
from harvester.index.stemming import stem_of
from harvester.index.text import Atom

ATOMS = (Atom(("water",)), Atom(("bird", "count")), Atom(("hedge",), prefix=True))
PIECES = ["water", "Water", "WATERS", "bird", "count", "hedgehog", "Hedge", "x", "2012", "_"]
PIECES += [" ", " · ", "’", "–", "«", "»", "“", "-", ", ", "…", "\u00a0", "é", "²", "waterß"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12))
def test_both_paths_agree_on_text_of_ascii_words(pieces: list[str]) -> None:
    text = "".join(pieces)
    matcher = WordMatcher(ATOMS)
    if ascii_words(text):
        assert matcher.mark(text) == matcher.mark_by_words(text)
        assert matcher.first(text) == matcher.first_by_words(text)


STEMMED = (Atom(("birds",), stems=tuple(stem_of("birds", ["en"]))), Atom(("counting",)))
STEMMED_PIECES = [*PIECES, "Birding", "birds", "BIRD", "bi", "counted", "counting", "counts"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(STEMMED_PIECES), max_size=12))
def test_with_stems_the_candidate_words_path_agrees_with_the_word_by_word_one(
    pieces: list[str],
) -> None:
    text = "".join(pieces)
    matcher = WordMatcher(STEMMED, ["en"])
    if ascii_words(text):
        assert matcher.mark(text) == matcher.mark_by_words(text)
        assert matcher.first(text) == matcher.first_by_words(text)


def test_stems_mark_other_forms_of_a_word_on_the_candidate_words_path() -> None:
    marked = WordMatcher(STEMMED, ["en"]).mark("A bird, two Birds · counting")
    assert marked == "A \x02bird\x03, two \x02Birds\x03 · \x02counting\x03"


def test_punctuation_outside_ascii_keeps_the_fast_path() -> None:
    assert ascii_words("water · birds – «hedge»")
    assert not ascii_words("Müll im Fluss")
    assert not ascii_words("H²O")
    marked = WordMatcher(ATOMS).mark("water · hedgehogs")
    assert marked == "\x02water\x03 · \x02hedgehogs\x03"
