"""Telling a text's language, and splitting a record into its language versions."""

from __future__ import annotations

from harvester.enrich.languages import guess_language, language_versions


def test_clear_texts_are_told_and_short_or_unclear_ones_are_not() -> None:
    assert guess_language("Schüler sammeln Plastikmüll an Flussufern") is not None
    assert guess_language("Schüler sammeln Plastikmüll an Flussufern").lang == "de"  # type: ignore[union-attr]
    assert guess_language("Πολίτες καταγράφουν απορρίμματα").lang == "el"  # type: ignore[union-attr]
    assert guess_language("NO2") is None
    assert guess_language("") is None


def test_a_records_own_languages_narrow_the_guess() -> None:
    found = guess_language("water kwaliteit", among=["nl", "en"])
    assert found is not None and found.lang in ("nl", "en")
    assert guess_language("anything at all", among=["sv"]) == guess_language("x y z", ["sv"])
    only = guess_language("anything at all", among=["sv"])
    assert only is not None and (only.lang, only.confidence) == ("sv", 1.0)


def test_a_bilingual_record_gives_one_version_per_language() -> None:
    record = {
        "title": "Wintergäste am Futterhaus",
        "alternate_titles": [{"value": "Winter Guests at the Bird Feeder", "lang": "en"}],
        "description": "Einmal im Januar beobachten Teilnehmende eine Stunde lang ihr "
        "Vogelhäuschen und notieren jede Art.\n\nEach January, participants watch their "
        "bird feeder for one hour and record every species.",
        "languages": ["de", "en"],
    }
    versions = {v.lang: v for v in language_versions(record)}
    assert set(versions) == {"de", "en"}
    assert versions["de"].title == "Wintergäste am Futterhaus"
    assert versions["de"].text.startswith("Einmal im Januar")
    assert versions["en"].title == "Winter Guests at the Bird Feeder"
    assert versions["en"].text.startswith("Each January")
    assert "Each January" not in versions["de"].full


def test_one_language_gives_one_version_and_untold_text_joins_a_told_one() -> None:
    single = language_versions({"title": "Water", "description": "Water.", "languages": ["en"]})
    assert [(v.lang, v.full) for v in single] == [("en", "Water\nWater.")]
    unknown = language_versions({"title": "X-17", "description": "", "languages": []})
    assert [(v.lang, v.title) for v in unknown] == [(None, "X-17")]
    mixed = language_versions(
        {
            "title": "NO2",
            "description": "Les habitants mesurent la qualité de l'air de leur rue.",
            "languages": [],
        }
    )
    assert [(v.lang, v.title) for v in mixed] == [("fr", "NO2")]
