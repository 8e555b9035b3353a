"""Free text parsing: forgiving, and nothing typed reaches an engine raw."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from harvester.index.sqlite.matching import fts_expression
from harvester.index.sqlite.schema import COLUMNS
from harvester.index.stemming import with_stems
from harvester.index.text import Atom, TextQuery, fold, parse_text, words_of


def test_words_are_and_clauses() -> None:
    assert parse_text("water Quality") == TextQuery(((Atom(("water",)),), (Atom(("quality",)),)))


def test_phrases_prefixes_exclusions_and_or() -> None:
    parsed = parse_text('"air quality" sens* -indoor OR -"smoke" noise OR light')
    assert parsed.clauses == (
        (Atom(("air", "quality"), quoted=True),),
        (Atom(("sens",), prefix=True),),
        (Atom(("noise",)), Atom(("light",))),
    )
    assert parsed.excluded == (Atom(("indoor",)), Atom(("smoke",), quoted=True))


def test_an_unclosed_quote_runs_to_the_end() -> None:
    assert parse_text('"light pollution').clauses == ((Atom(("light", "pollution"), quoted=True),),)


def test_lone_operators_and_syntax_are_dropped() -> None:
    assert parse_text('OR - * " ( ) AND:').clauses == ((Atom(("and",), quoted=True),),)
    assert parse_text("").empty
    assert parse_text("  -  ").empty


def test_a_prefix_needs_two_letters() -> None:
    assert parse_text("a*").clauses == ((Atom(("a",)),),)


def test_hyphenated_words_become_a_phrase() -> None:
    assert parse_text("co-design").clauses == ((Atom(("co", "design")),),)


def test_folding_removes_case_and_diacritics_in_any_script() -> None:
    assert fold("Évora ÜBER Straße") == "evora uber strasse"
    assert fold("Θαλάσσια") == "θαλασσια"
    assert words_of("snake_case, x²") == ["snake", "case", "x2"]


def test_repeated_atoms_count_once() -> None:
    assert parse_text("water water -oil -oil").excluded == (Atom(("oil",)),)


def test_very_long_input_is_bounded() -> None:
    parsed = parse_text(" ".join(f"w{n}" for n in range(500)))
    assert len(parsed.clauses) == 32


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_a_query_fts5_accepts(text: str) -> None:
    parsed = with_stems(parse_text(text), ["en", "de"])
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE t USING fts5 ({', '.join(COLUMNS)})")
    for clauses in (parsed.clauses, [parsed.excluded]):
        if any(clauses):
            conn.execute("SELECT rowid FROM t WHERE t MATCH ?", (fts_expression(clauses),))
