"""Texts in several languages: the language each declares, the main version (the first
text's language, with texts that declare none), and the other languages' versions."""

from typing import Any

from harvester.core.records import RawRecord
from harvester.normalise.engine import SourceContext, normalise
from harvester.normalise.service import crosswalk_named
from harvester.normalise.transforms import REGISTRY, Issues
from harvester.normalise.values import XmlValue


def run(name: str, values: list[Any], argument: Any = None) -> list[Any]:
    return REGISTRY[name].function(values, argument, Issues())


TEXTS = [
    XmlValue("Zählungen am Futterhaus", "de"),
    XmlValue("Counts at the feeder", "en-GB"),
    XmlValue("Ohne Sprachangabe"),
    XmlValue("Zweiter Absatz", "DE"),
    XmlValue("   "),
    XmlValue("Compteurs", "fra"),
    XmlValue("Second paragraph", "en"),
]


def test_lang_gives_the_declared_languages_as_iso_639_1() -> None:
    assert run("lang", TEXTS) == ["de", "en", "de", "fr", "en"]
    assert run("lang", [XmlValue("x", "klingon-ish")]) == [], "an unknown code is no language"


def test_the_main_version_is_the_first_texts_language_and_undeclared_texts() -> None:
    main = run("in-first-language", TEXTS)
    assert [v.text for v in main] == [
        "Zählungen am Futterhaus",
        "Ohne Sprachangabe",
        "Zweiter Absatz",
    ]


def test_the_other_versions_are_grouped_by_language_in_order() -> None:
    others = run("other-languages", TEXTS)
    assert run("by-language", others, "\n\n") == [
        {"value": "Counts at the feeder\n\nSecond paragraph", "lang": "en"},
        {"value": "Compteurs", "lang": "fr"},
    ]


def test_nothing_is_lost_between_the_two() -> None:
    texts = [v.text for v in TEXTS if v.text.strip()]
    split = run("in-first-language", TEXTS) + run("other-languages", TEXTS)
    assert sorted(v.text for v in split) == sorted(texts)


def test_a_first_text_without_language_keeps_the_undeclared_ones_together() -> None:
    texts = [XmlValue("plain"), XmlValue("also plain"), XmlValue("Deutsch", "de")]
    assert [v.text for v in run("in-first-language", texts)] == ["plain", "also plain"]
    assert run("by-language", run("other-languages", texts), "\n\n") == [
        {"value": "Deutsch", "lang": "de"}
    ]


def test_clean_description_keeps_the_language() -> None:
    cleaned = run("clean-description", [XmlValue("<p>Hallo <b>Welt</b></p>", "de")])
    assert [(v.text, v.lang) for v in cleaned] == [("Hallo Welt", "de")]


def test_an_oai_dc_record_in_two_languages() -> None:
    payload = """<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
        xmlns:dc="http://purl.org/dc/elements/1.1/">
      <dc:title xml:lang="nl">Vogels tellen</dc:title>
      <dc:title xml:lang="en">Counting birds</dc:title>
      <dc:description xml:lang="nl">Tel de vogels in je tuin.</dc:description>
      <dc:description xml:lang="en">Count the birds in your garden.</dc:description>
      <dc:description xml:lang="nl">Een uur lang.</dc:description>
      <dc:type>Project</dc:type>
    </oai_dc:dc>"""
    record = normalise_one(payload)
    assert (record.title, record.title_lang) == ("Vogels tellen", "nl")
    assert (record.description, record.description_lang) == (
        "Tel de vogels in je tuin.\n\nEen uur lang.",
        "nl",
    )
    assert [(t.value, t.lang) for t in record.alternate_descriptions] == [
        ("Count the birds in your garden.", "en")
    ]
    assert [(t.value, t.lang) for t in record.alternate_titles] == [("Counting birds", "en")]


def normalise_one(payload: str) -> Any:
    context = SourceContext("t", "Test", "Test", "oai-pmh", "https://repo.example.org/oai")
    raw = RawRecord("t", "oai:t:1", "2024-01-01T00:00:00Z", "oai_dc", payload)
    return normalise(raw, crosswalk_named("oai_dc"), context, "2024-01-02T00:00:00Z")
