"""The common record model: ids, validators, and the published JSON Schema."""

from __future__ import annotations

import json
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import ValidationError

from harvester.core.model import (
    SCHEMA_ID,
    BoundingBox,
    FairIndicator,
    Identifier,
    LangText,
    Point,
    QualityIssue,
    Record,
    record_id,
    record_json_schema,
)

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "mappings" / "record.schema.json"
REGENERATE = "run: .venv/bin/python -m harvester.core.model > mappings/record.schema.json"

PROVENANCE = {
    "source_id": "zenodo",
    "source_name": "Zenodo",
    "platform": "zenodo",
    "protocol": "oai-pmh",
    "endpoint": "https://zenodo.org/oai2d",
    "metadata_format": "oai_datacite",
    "source_identifier": "oai:zenodo.org:123",
    "datestamp": "2024-01-02T03:04:05Z",
    "harvested_at": "2024-02-01T00:00:00Z",
    "original_url": "https://zenodo.org/oai2d?verb=GetRecord&identifier=oai:zenodo.org:123",
}


def minimal(**fields: Any) -> dict[str, Any]:
    """A valid record as a mapping, with ``fields`` laid over it."""
    data: dict[str, Any] = {
        "id": record_id("zenodo", "oai:zenodo.org:123"),
        "kind": "dataset",
        "title": "Bird counts",
        "provenance": PROVENANCE,
    }
    data.update(fields)
    return data


def full() -> dict[str, Any]:
    """A record with every field filled."""
    return minimal(
        description="Counts of garden birds made by volunteers across Europe.",
        alternate_titles=[{"value": "Vogelzählung", "lang": "de"}],
        keywords=["birds", "garden"],
        topics=["1.6", "1.5"],
        sdgs=[15, 13],
        status="Active",
        start_date="2019",
        end_date="2021-05",
        date_modified="2021-05-04T10:00:00Z",
        countries=["DE", "AT"],
        regions=["Europe - Western Europe (155)"],
        geo={
            "points": [{"lat": 48.2, "lon": 16.37}],
            "boxes": [{"west": 5.9, "south": 47.3, "east": 15.0, "north": 55.1}],
        },
        languages=["de", "en"],
        participation={
            "tasks": ["Observation"],
            "from_home": True,
            "online": False,
            "audience": ["General public"],
            "difficulty": "Easy",
        },
        organisations=[
            {"name": "NABU", "role": "Partner", "identifier": "https://ror.org/04ka7zw69"}
        ],
        contact_page="https://example.org/contact",
        url="https://example.org/birds",
        identifiers=[{"scheme": "doi", "value": "10.5281/zenodo.123"}],
        related=[{"relation": "IsPartOf", "identifier": "10.5281/zenodo.1", "scheme": "DOI"}],
        license={"spdx": "CC-BY-4.0", "text": None, "url": None},
        access_rights="open",
        quality={
            "issues": [{"field": "url", "problem": "missing", "detail": "no landing page"}],
            "indicators": [
                {
                    "id": "F1-persistent-id",
                    "principle": "F",
                    "passed": True,
                    "reason": "DOI",
                    "weight": 20,
                }
            ],
            "score": 20,
        },
        cluster_id="c-1",
    )


def errors_of(data: dict[str, Any]) -> str:
    """The validation message for ``data``, which must be invalid."""
    with pytest.raises(ValidationError) as caught:
        Record.model_validate(data)
    return str(caught.value)


# --- the published schema -----------------------------------------------------------------


def test_schema_on_disk_matches_the_model() -> None:
    on_disk = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert on_disk == record_json_schema(), f"{SCHEMA_PATH.name} is out of date; {REGENERATE}"


def test_module_command_prints_the_schema_on_disk_byte_for_byte() -> None:
    printed = subprocess.run(
        [sys.executable, "-m", "harvester.core.model"], capture_output=True, check=True
    ).stdout
    assert printed == SCHEMA_PATH.read_bytes(), f"{SCHEMA_PATH.name} is out of date; {REGENERATE}"


def test_schema_is_valid_draft_2020_12_with_an_id() -> None:
    schema = record_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID


def test_every_property_in_the_schema_has_a_description() -> None:
    schema = record_json_schema()
    objects = [schema, *schema["$defs"].values()]
    undocumented = [
        f"{obj.get('title')}.{name}"
        for obj in objects
        for name, prop in obj.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert undocumented == []


def test_full_record_round_trips_and_validates_against_the_schema() -> None:
    record = Record.model_validate(full())
    assert Record.model_validate_json(record.model_dump_json()) == record
    jsonschema.validate(record.model_dump(mode="json"), record_json_schema())


def test_minimal_record_validates_against_the_schema() -> None:
    record = Record.model_validate(minimal())
    jsonschema.validate(record.model_dump(mode="json"), record_json_schema())
    assert record.quality.score == 0
    assert record.keywords == []


def test_schema_rejects_what_the_model_rejects() -> None:
    dumped = Record.model_validate(full()).model_dump(mode="json")
    dumped["countries"] = ["Germany"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(dumped, record_json_schema())


def test_list_fields_are_plain_lists_for_the_crosswalk_engine() -> None:
    for name in ("keywords", "countries", "identifiers", "sdgs"):
        assert typing.get_origin(Record.model_fields[name].annotation) is list


# --- ids ----------------------------------------------------------------------------------


def test_record_id_is_stable_forever() -> None:
    assert record_id("zenodo", "oai:zenodo.org:123") == "zenodo:3b35c3625e629791"


def test_record_id_differs_between_sources_and_identifiers() -> None:
    ids = {
        record_id("a", "x"),
        record_id("b", "x"),
        record_id("a", "y"),
        record_id("a", "X"),
    }
    assert len(ids) == 4


def test_record_id_is_url_safe() -> None:
    made = record_id("eu-cs_1", "https://example.org/p?id=ä ö&x=1")
    assert made.replace(":", "").replace("-", "").replace("_", "").isalnum()
    assert made.isascii()


@pytest.mark.parametrize(("source", "identifier"), [("Zenodo", "x"), ("a:b", "x"), ("a", "")])
def test_record_id_rejects_bad_inputs(source: str, identifier: str) -> None:
    with pytest.raises(ValueError, match=r"source id|identifier"):
        record_id(source, identifier)


def test_id_must_match_the_provenance() -> None:
    message = errors_of(minimal(id=record_id("zenodo", "oai:zenodo.org:999")))
    assert "does not match the provenance" in message


# --- normalisation ------------------------------------------------------------------------


def test_blank_strings_become_none_and_lists_lose_blanks_and_repeats() -> None:
    record = Record.model_validate(
        minimal(
            description="  ",
            status="",
            url="",
            keywords=["birds", " ", "birds", "garden", "birds"],
            countries=["de", "DE", "at"],
            sdgs=[3, 3, 1],
            identifiers=[
                {"scheme": "doi", "value": "10.5281/ZENODO.1"},
                {"scheme": "doi", "value": "https://doi.org/10.5281/zenodo.1"},
            ],
        )
    )
    assert record.description is None
    assert record.status is None
    assert record.url is None
    assert record.keywords == ["birds", "garden"]
    assert record.countries == ["DE", "AT"]
    assert record.sdgs == [3, 1]
    assert record.identifiers == [Identifier(scheme="doi", value="10.5281/zenodo.1")]


def test_whitespace_is_trimmed() -> None:
    assert Record.model_validate(minimal(title="  Birds \n")).title == "Birds"


def test_empty_geo_and_participation_become_none() -> None:
    record = Record.model_validate(
        minimal(geo={"points": [], "boxes": []}, participation={"tasks": [], "audience": []})
    )
    assert record.geo is None
    assert record.participation is None


def test_languages_are_reduced_to_iso_639_1() -> None:
    record = Record.model_validate(minimal(languages=["en-GB", "EN", "de_AT"]))
    assert record.languages == ["en", "de"]
    assert LangText(value="Hallo", lang="DE").lang == "de"


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("2021", "2021"),
        ("2021-05", "2021-05"),
        ("2021-05-04", "2021-05-04"),
        ("2021-05-04T10:00:00Z", "2021-05-04T10:00:00Z"),
        ("2021-05-04T12:00:00+02:00", "2021-05-04T10:00:00Z"),
        ("2021-05-04T10:00:00.123456Z", "2021-05-04T10:00:00Z"),
    ],
)
def test_dates_keep_their_precision_and_become_utc(given: str, kept: str) -> None:
    assert Record.model_validate(minimal(start_date=given)).start_date == kept


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("2021-13", "not a real date"),
        ("2021-02-30", "not a real date"),
        ("04/05/2021", "not an ISO 8601 date"),
        ("May 2021", "not an ISO 8601 date"),
        ("2021-05-04T10:00:00", "has no time zone"),
    ],
)
def test_bad_dates_are_rejected(given: str, message: str) -> None:
    assert message in errors_of(minimal(end_date=given))


def test_identifier_urls() -> None:
    assert Identifier(scheme="doi", value="doi:10.1234/AB").url == "https://doi.org/10.1234/ab"
    assert Identifier(scheme="handle", value="hdl:11304/x").url == "https://hdl.handle.net/11304/x"
    assert Identifier(scheme="url", value="https://example.org/a").url == "https://example.org/a"
    assert Identifier(scheme="isbn", value="978-3-16-148410-0").url is None
    assert Identifier(scheme="other", value="anything at all").url is None


def test_geo_parts() -> None:
    assert Point(lat=-90, lon=180).lat == -90
    assert BoundingBox(west=170, south=-10, east=-170, north=10).west == 170  # antimeridian


def test_models_are_frozen_and_forbid_unknown_fields() -> None:
    record = Record.model_validate(minimal())
    with pytest.raises(ValidationError, match="frozen"):
        record.title = "Other"
    assert "Extra inputs are not permitted" in errors_of(minimal(colour="blue"))


# --- rejections ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": " "}, "title"),
        ({"kind": "event"}, "kind"),
        ({"countries": ["DE", "Germany"]}, "'Germany' is not an ISO 3166-1 alpha-2 country code"),
        ({"countries": ["UK"]}, "'UK' is not an ISO 3166-1 alpha-2"),
        ({"languages": ["English"]}, "'English' is not an ISO 639-1 language code"),
        ({"languages": ["xx"]}, "'xx' is not an ISO 639-1"),
        ({"topics": ["Biology"]}, "not a field-of-science code"),
        ({"sdgs": [18]}, "less than or equal to 17"),
        ({"access_rights": "free"}, "access_rights"),
        ({"geo": {"points": [{"lat": 91, "lon": 0}]}}, "less than or equal to 90"),
        ({"geo": {"boxes": [{"west": 0, "south": 10, "east": 1, "north": 5}]}}, "north of"),
        ({"license": {}}, "a licence needs an SPDX id, a text or a URL"),
        ({"license": {"url": "ftp://example.org/l"}}, "not an http:// or https:// URL"),
        ({"identifiers": [{"scheme": "doi", "value": "zenodo.123"}]}, "is not a DOI"),
        ({"identifiers": [{"scheme": "orcid", "value": "0000-0002"}]}, "is not an ORCID"),
        ({"identifiers": [{"scheme": "uuid", "value": "x"}]}, "scheme"),
        ({"quality": {"score": 101}}, "less than or equal to 100"),
        ({"provenance": {**PROVENANCE, "harvested_at": "2024-02-01"}}, "date-time"),
    ],
)
def test_bad_values_are_rejected_with_clear_errors(fields: dict[str, Any], message: str) -> None:
    assert message in errors_of(minimal(**fields))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mailto:jane.doe@example.org", "mailto:"),
        ("jane.doe@example.org", "e-mail address"),
        ("https://example.org/contact?to=jane.doe@example.org", "e-mail address"),
        ("https://example.org/contact?to=jane.doe%40example.org", "e-mail address"),
        ("https://jane@intranet/", "user name"),
        ("jane@localhost", "looks like an e-mail address"),
        ("javascript:alert(1)", "not an http:// or https:// URL"),
        ("www.example.org", "not an http:// or https:// URL"),
        ("https://example.org/a page", "white space"),
    ],
)
@pytest.mark.parametrize("field", ["url", "contact_page"])
def test_urls_never_carry_email_addresses(field: str, url: str, message: str) -> None:
    assert message in errors_of(minimal(**{field: url}))


def test_at_signs_inside_web_paths_are_fine() -> None:
    record = Record.model_validate(minimal(contact_page="https://social.example/@birdcount"))
    assert record.contact_page == "https://social.example/@birdcount"


# --- parts built by trusted code ----------------------------------------------------------


def test_a_trusted_part_equals_the_part_validated_from_the_same_values() -> None:
    values = {
        "id": "FsF-F1-01D",
        "principle": "F",
        "passed": True,
        "reason": "the record page's URL is a unique IRI",
        "weight": 1,
        "earned": 1.0,
        "applicable": True,
    }
    trusted = FairIndicator.trusted(dict(values))
    validated = FairIndicator.model_validate(values)
    assert trusted == validated
    assert trusted.model_dump_json() == validated.model_dump_json()
    assert trusted.model_fields_set == validated.model_fields_set
    with pytest.raises(ValidationError):  # frozen, as a validated part
        trusted.reason = "changed"


def test_a_trusted_part_needs_exactly_its_fields() -> None:
    with pytest.raises(ValueError, match="exactly its fields"):
        QualityIssue.trusted({"field": "title", "problem": "missing"})
    with pytest.raises(ValueError, match="exactly its fields"):
        QualityIssue.trusted({"field": "title", "problem": "missing", "detail": "d", "x": 1})
