"""Coded values shown in the reader's language: CLDR names, vocabulary labels (with their
vocabulary as context), SDG names from their sources, numbers and dates by CLDR."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from harvester.core.model import PPSR_STATUSES
from harvester.normalise.vocab.sdgs import sdg_labels
from portal.i18n import formats, labels
from portal.i18n.catalogues import OFFICIAL
from portal.i18n.labels import vocabulary_labels
from portal.i18n.sdg_names import sdg_name, sdg_source, sdg_table


@pytest.fixture
def german(app: Flask) -> Iterator[None]:
    with app.test_request_context("/?lang=de"):
        yield


@pytest.fixture
def irish(app: Flask) -> Iterator[None]:
    with app.test_request_context("/", headers={"Accept-Language": "ga"}):
        yield


@pytest.mark.usefixtures("german")
def test_vocabulary_labels_in_german() -> None:
    assert labels.kind_label("dataset") == "Datensatz"
    assert labels.status_label("Completed") == "Abgeschlossen"
    assert labels.status_label("completed") == "Abgeschlossen", "matched ignoring case"
    assert labels.access_label("embargoed") == "Zugang mit Sperrfrist"
    assert labels.topic_name("1.5") == "Geowissenschaften und verwandte Umweltwissenschaften"
    assert labels.task_label("Data Entry") == "Dateneingabe", "EU-Citizen.Science's spelling"
    assert labels.task_label("Counting frogs") == "Counting frogs", "the source's own words"
    assert labels.difficulty_label("Hard") == "Schwer"
    assert labels.audience_label("Families") == "Familien"
    assert labels.indicator_name("FsF-F1-02D") == "Persistenter Identifikator"
    assert labels.country_name("IE") == "Irland"
    assert labels.language_name("ga") == "Irisch"


@pytest.mark.usefixtures("german")
def test_facet_labels_in_german() -> None:
    assert labels.facet_label("kind", "project") == "Projekt"
    assert labels.facet_label("sdg", "14") == "SDG 14: Leben unter Wasser"
    assert labels.facet_label("has_pid", "true") == "Mit persistentem Identifikator"
    assert labels.facet_label("license", "CC-BY-4.0") == "CC-BY-4.0"
    assert labels.facet_label("sdg", "18") == "18", "no goal 18"


@pytest.mark.usefixtures("irish")
def test_labels_and_names_in_irish() -> None:
    assert labels.kind_label("project") == "Tionscadal"
    assert labels.sdg_label(13) == "SDG 13: Gníomhú ar son na haeráide"
    assert labels.country_name("MT") == "Málta"
    assert formats.number(1234567) == "1,234,567"


def test_unknown_codes_are_shown_as_they_are(app: Flask) -> None:
    with app.test_request_context("/?lang=fr"):
        assert labels.kind_label("map") == "map"
        assert labels.topic_name("9.9") == "9.9"
        assert labels.indicator_name("FsF-X") == "FsF-X"
        assert labels.country_name("XK") in ("Kosovo", "XK")


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", "1.234.567"), ("fr", "1\u202f234\u202f567"), ("bg", "1\xa0234\xa0567")],
)
def test_numbers_follow_the_locale(app: Flask, language: str, expected: str) -> None:
    with app.test_request_context(f"/?lang={language}"):
        assert formats.number(1234567) == expected


def test_dates_at_the_precision_known(app: Flask) -> None:
    with app.test_request_context("/?lang=de"):
        assert formats.iso_date("2024") == "2024"
        assert formats.iso_date("2024-03") == "März 2024"
        assert formats.iso_date("2024-03-05") == "5. März 2024"
        assert formats.utc_time("2024-03-05T14:30:00Z").endswith("UTC")
        assert "14:30" in formats.utc_time("2024-03-05T14:30:00Z")
        assert formats.iso_date("spring 2024") == "spring 2024", "unchanged when not a date"
        assert formats.percent(0.5) == "50\xa0%"
        assert formats.listed(["a", "b", "c"]) == "a, b und c"
    with app.test_request_context("/?lang=el"):
        assert formats.iso_date("2024-03") == "Μάρτιος 2024", "the month's stand-alone form"
        assert formats.coordinate(52.5) == "52,5000"


def test_sdg_names_for_every_official_language_with_their_source() -> None:
    table = sdg_table()
    assert set(table["languages"]) == set(OFFICIAL)
    english = [sdg_name(goal, "en") for goal in range(1, 18)]
    assert english == [label for _, label in sorted(sdg_labels().items())], (
        "the English names are the vocabulary's official short names"
    )
    for language in OFFICIAL:
        names = [sdg_name(goal, language) for goal in range(1, 18)]
        assert len(set(names)) == 17, f"{language}: 17 different names"
        source = sdg_source(language)
        assert source["publisher"] and source["title"]
        assert set(source["checked"]) <= set(range(1, 18))
        if source["source"] != "csfinder":
            assert source["checked"], f"{language}: an official source, read for some goals"
    assert sdg_source("de")["source"] == "eur-lex"
    assert sdg_name(1, "xx") == "No poverty", "English where a language has no names"


def test_vocabulary_tables_match_the_model() -> None:
    assert set(vocabulary_labels("kinds")) == {"project", "dataset", "publication", "resource"}
    assert sorted(vocabulary_labels("status").values()) == sorted(PPSR_STATUSES)
    assert set(vocabulary_labels("access_rights")) == {
        "open",
        "embargoed",
        "restricted",
        "closed",
        "metadata-only",
    }
