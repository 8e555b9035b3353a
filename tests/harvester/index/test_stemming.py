"""Stems by language: tagged with their language, never for quoted words or prefixes."""

from __future__ import annotations

from harvester.enrich.languages import LanguageVersion
from harvester.index.stemming import stem_words, stemmable, stemmed_text, with_stems
from harvester.index.text import parse_text


def test_each_version_is_stemmed_by_its_language_and_tagged_with_it() -> None:
    versions = [
        LanguageVersion("en", "Counting birds", "Volunteers count garden birds."),
        LanguageVersion("de", "Vögel zählen", ""),
        LanguageVersion("sk", "Počítanie vtákov", ""),  # no Snowball rules: nothing kept
        LanguageVersion(None, "Untold", ""),
    ]
    stems = stemmed_text(versions).split()
    assert {"encount", "enbird", "envolunt", "envogel"} - set(stems) == {"envogel"}
    assert "devogel" in stems and "dezahl" in stems
    assert not any(stem.startswith(("sk", "untold")) for stem in stems)


def test_queries_are_stemmed_in_their_languages_but_quotes_and_prefixes_stay_exact() -> None:
    query = with_stems(parse_text('birds "citizens" sens* -counting'), ["en", "fr"])
    birds, citizens, prefix = (clause[0] for clause in query.clauses)
    assert set(birds.stems) == {"enbird", "frbird"}
    assert citizens.stems == () and prefix.stems == ()
    assert query.excluded[0].stems == ()
    assert query.languages == ("en", "fr")


def test_languages_without_rules_and_short_words_are_left_alone() -> None:
    assert with_stems(parse_text("vtákov"), ["sk"]).clauses[0][0].stems == ()
    assert stem_words(["no", "bird", "birds"], "en") == ["no", "bird", "bird"]
    assert stemmable("hr") and stemmable("pl") and not stemmable("bg")
