"""The named transforms behind the schema.org and DCAT crosswalks, and both crosswalks on
records written for these tests (what the real samples lack: projects, @graph, language-tagged
names, GeoShapes, EU authority IRIs, periods of time)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from harvester.core.records import RawRecord
from harvester.normalise.engine import SourceContext, normalise
from harvester.normalise.service import crosswalk_named
from harvester.normalise.transforms import REGISTRY, Issues, TransformError

CONTEXT = SourceContext("demo", "Demo source", "Demo", "file", "https://demo.example.org/")
HARVESTED_AT = "2026-01-01T00:00:00Z"


def run(name: str, values: list[Any], argument: Any = None) -> tuple[list[Any], list[str]]:
    issues = Issues()
    return REGISTRY[name].function(values, argument, issues), issues.invalid


def geo(values: list[Any]) -> tuple[list[Any], list[str]]:
    """Values through a shape transform and then ``geo-shapes``, issues of both."""
    return run("geo-shapes", values)


# -- drop-local-time -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2012-05-10T21:04", "2012-05-10"),
        ("2024-05-08T04:11:24.309486", "2024-05-08"),
        ("2020-04-21 11:59:53", "2020-04-21"),
        ("2013-04-26T00:00:00Z", "2013-04-26T00:00:00Z"),
        ("2014-10-17", "2014-10-17"),
        ("2013", "2013"),
    ],
)
def test_drop_local_time_keeps_the_day_of_a_time_without_zone(given: str, expected: str) -> None:
    assert run("drop-local-time", [given]) == ([expected], [])


def test_drop_local_time_leaves_other_values_alone() -> None:
    value = {"value": "2012-05-10T21:04"}
    assert run("drop-local-time", [value, 5]) == ([value, 5], [])


# -- period ----------------------------------------------------------------------------


def test_period_reads_dcat_and_schema_org_periods() -> None:
    dcat = {
        "@id": None,
        "dcat:startDate": [{"value": "2019-03-01", "lang": None}],
        "dcat:endDate": [{"value": "2021-12-31T10:00:00+01:00", "lang": None}],
    }
    schema = {"@id": None, "schema:startDate": [{"value": "1905-03-01", "lang": None}]}
    assert run("period", [dcat, schema], "start") == (["2019-03-01", "1905-03-01"], [])
    assert run("period", [dcat, schema], "end") == (["2021-12-31T10:00:00+01:00"], [])


def test_period_reads_owl_time_instants() -> None:
    time = "http://www.w3.org/2006/time#"
    period = {
        time + "hasBeginning": [{time + "inXSDDate": [{"value": "2010-01-01", "lang": None}]}],
        time + "hasEnd": [{time + "inXSDDateTime": [{"value": "2012-06-30T00:00:00Z"}]}],
    }
    assert run("period", [period], "start")[0] == ["2010-01-01"]
    assert run("period", [period], "end")[0] == ["2012-06-30T00:00:00Z"]


def test_period_reads_ranges_and_plain_objects() -> None:
    assert run("period", ["2019/2021"], "start")[0] == ["2019"]
    assert run("period", ["2019/2021"], "end")[0] == ["2021"]
    assert run("period", [{"value": "2009-09-01T12:00:00Z/2010-05-31T12:00:00Z"}], "end")[0] == [
        "2010-05-31T12:00:00Z"
    ]
    assert run("period", ["2019"], "end")[0] == []  # a date alone is a start, not an end
    assert run("period", [{"startDate": None, "endDate": "2022-05"}], "end")[0] == ["2022-05"]


def test_period_needs_start_or_end() -> None:
    with pytest.raises(TransformError):
        run("period", ["2019/2021"], "middle")


def test_period_survives_deep_or_empty_objects() -> None:
    deep: Any = {"startDate": []}
    for _ in range(50):
        deep = {"startDate": [deep]}
    assert run("period", [deep, {}, None, 7], "start")[0] == []


def test_period_reads_a_day_range_text() -> None:
    assert run("period", ["1905-03-01/2013-01-05"], "start")[0] == ["1905-03-01"]
    assert run("period", ["1905-03-01/2013-01-05"], "end")[0] == ["2013-01-05"]


# -- schema-geo ------------------------------------------------------------------------


def test_schema_geo_reads_coordinates_and_shapes() -> None:
    places = [
        {
            "@type": "Place",
            "geo": {"@type": "GeoCoordinates", "latitude": "37.05", "longitude": -119.2},
        },
        {"@type": "Place", "geo": [{"@type": "GeoShape", "box": "47.5 9.0 47.8 9.8"}]},
        {"geo": {"@type": "GeoShape", "box": "-10,170 10,-170"}},
        {"geo": {"@type": "GeoShape", "polygon": "1 2 3 4 1 6 1 2"}},
        {"geo": {"@type": "GeoShape", "circle": "52.5 13.4 1000"}},
        "Berlin",
    ]
    shapes, issues = run("schema-geo", places)
    assert issues == []
    assert shapes == [
        {"lat": "37.05", "lon": -119.2},
        {"west": 9.0, "south": 47.5, "east": 9.8, "north": 47.8},
        {"west": 170.0, "south": -10.0, "east": -170.0, "north": 10.0},
        {"west": 2.0, "south": 1.0, "east": 6.0, "north": 3.0},
        {"lat": 52.5, "lon": 13.4},
    ]
    [found], issues = geo(shapes)
    assert issues == []
    assert found["points"] == [{"lat": 37.05, "lon": -119.2}, {"lat": 52.5, "lon": 13.4}]
    assert len(found["boxes"]) == 3


def test_schema_geo_reports_broken_shapes() -> None:
    shapes, issues = run(
        "schema-geo",
        [
            {"geo": {"box": "north of here"}},
            {"geo": {"box": "1 2 3"}},
            {"geo": {"polygon": "1 2 3"}},
        ],
    )
    assert shapes == []
    assert len(issues) == 3
    assert issues[0].startswith("geo (box): 'north of here'")


def test_out_of_range_coordinates_are_reported_by_geo_shapes() -> None:
    shapes, _ = run("schema-geo", [{"geo": {"latitude": 95, "longitude": 10}}])
    found, issues = geo(shapes)
    assert found == []
    assert issues and "out of range" in issues[0]


# -- wkt -------------------------------------------------------------------------------

POLYGON = (
    "POLYGON ((11.9936 54.0486, 11.9936 54.2466, 12.3045 54.2466, 12.3045 54.0486, "
    "11.9936 54.0486))"
)
ROSTOCK = {"west": 11.9936, "south": 54.0486, "east": 12.3045, "north": 54.2466}


def test_wkt_polygon_gives_its_bounding_box() -> None:
    assert run("wkt", [{"value": POLYGON, "lang": None}]) == ([ROSTOCK], [])


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("POINT (13.4 52.5)", {"lat": 52.5, "lon": 13.4}),
        ("point z (13.4 52.5 34)", {"lat": 52.5, "lon": 13.4}),
        (
            "<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT(13.4 52.5)",
            {"lat": 52.5, "lon": 13.4},
        ),
        (
            "<http://www.opengis.net/def/crs/EPSG/0/4326> POINT(52.5 13.4)",
            {"lat": 52.5, "lon": 13.4},
        ),
        (
            "ENVELOPE(5.9, 15.0, 55.1, 47.3)",
            {"west": 5.9, "south": 47.3, "east": 15.0, "north": 55.1},
        ),
        (
            "MULTIPOLYGON (((1 1, 2 1, 2 2, 1 1)), ((-3 -4, -2 -4, -2 -3, -3 -4)))",
            {"west": -3.0, "south": -4.0, "east": 2.0, "north": 2.0},
        ),
    ],
)
def test_wkt_forms(given: str, expected: dict[str, float]) -> None:
    assert run("wkt", [given]) == ([expected], [])


def test_wkt_passes_geojson_on_to_geo_shapes() -> None:
    geojson = json.dumps(
        {"type": "Polygon", "coordinates": [[[11.9936, 54.0486], [12.3045, 54.2466]]]}
    )
    shapes, issues = run("wkt", [{"value": geojson, "lang": None}, POLYGON])
    assert issues == []
    [found], issues = geo(shapes)
    assert found == {"points": [], "boxes": [ROSTOCK, ROSTOCK]}  # the model keeps one


def test_wkt_reports_broken_geometry() -> None:
    shapes, issues = run("wkt", ["POLYGON ((a b, c d))", "ENVELOPE(1, 2)"])
    assert shapes == []
    assert len(issues) == 2


# -- schema_org crosswalk on a project -------------------------------------------------

PROJECT = {
    "@context": "https://schema.org/",
    "@graph": [
        {"@type": "WebSite", "name": "The site, not the project"},
        {
            "@type": ["ResearchProject"],
            "@id": "https://birds.example.org/#project",
            "schema:name": [
                {"@value": "Vogelzählung", "@language": "de"},
                {"@value": "Bird count", "@language": "en"},
            ],
            "alternateName": "BirdCount",
            "description": (
                "<p>Count birds. Write to <a href='mailto:jo@example.org'>jo@example.org</a></p>"
            ),
            "keywords": "birds, biodiversity, SDG 15",
            "temporalCoverage": "2019/2021",
            "dateModified": "2023-01-02T10:00:00+02:00",
            "location": {
                "@type": "Place",
                "name": "Bavaria",
                "address": {"@type": "PostalAddress", "addressCountry": "DE"},
            },
            "spatialCoverage": [
                {
                    "@type": "Place",
                    "name": "Lake Constance",
                    "geo": {"@type": "GeoShape", "box": "47.5 9.0 47.8 9.8"},
                },
                {
                    "@type": "Place",
                    "address": {"addressCountry": {"@type": "Country", "name": "Austria"}},
                },
            ],
            "inLanguage": ["de", "en"],
            "funder": {"@type": "Organization", "name": "DFG", "@id": "https://ror.org/018mejw64"},
            "sponsor": {"@type": "Person", "name": "A Person", "email": "p@example.org"},
            "sameAs": ["https://www.wikidata.org/wiki/Q1"],
            "identifier": {
                "@type": "PropertyValue",
                "propertyID": "DOI",
                "value": "doi:10.1234/ABC",
            },
            "license": {
                "@type": "CreativeWork",
                "name": "CC BY 4.0",
                "url": "https://creativecommons.org/licenses/by/4.0/",
            },
            "isAccessibleForFree": True,
        },
    ],
}


def test_schema_org_project_from_a_graph() -> None:
    raw = RawRecord("demo", "https://birds.example.org/", None, "schema_org", json.dumps(PROJECT))
    record = normalise(raw, crosswalk_named("schema_org"), CONTEXT, HARVESTED_AT)
    assert record.kind == "project"
    assert record.title == "Vogelzählung"
    assert [(t.value, t.lang) for t in record.alternate_titles] == [
        ("Bird count", "en"),
        ("BirdCount", None),
    ]
    assert record.description == "Count birds. Write to [e-mail removed]"
    assert record.keywords == ["birds", "biodiversity", "SDG 15"]
    assert record.sdgs == [15]
    assert (record.start_date, record.end_date) == ("2019", "2021")
    assert record.date_modified == "2023-01-02T08:00:00Z"
    assert record.countries == ["AT", "DE"]
    assert record.regions == ["Lake Constance", "Bavaria"]
    assert record.geo is not None
    assert [box.model_dump() for box in record.geo.boxes] == [
        {"west": 9.0, "south": 47.5, "east": 9.8, "north": 47.8}
    ]
    assert record.languages == ["de", "en"]
    assert [(o.name, o.role, o.identifier) for o in record.organisations] == [
        ("DFG", "funder", "https://ror.org/018mejw64")
    ]
    assert record.url == "https://birds.example.org/#project"
    assert [(i.scheme, i.value) for i in record.identifiers] == [
        ("url", "https://birds.example.org/#project"),
        ("doi", "10.1234/abc"),
        ("url", "https://www.wikidata.org/wiki/Q1"),
    ]
    assert record.license is not None and record.license.spdx == "CC-BY-4.0"
    assert record.access_rights == "open"
    assert "@" not in record.model_dump_json()


def test_schema_org_project_founding_and_dissolution_dates() -> None:
    node = {
        "@context": "http://schema.org",
        "@type": "Project",
        "name": "Old project",
        "foundingDate": "2001-04-01T09:00:00",
        "dissolutionDate": "2004",
    }
    raw = RawRecord("demo", "old", None, "schema_org", json.dumps(node))
    record = normalise(raw, crosswalk_named("schema_org"), CONTEXT, HARVESTED_AT)
    assert (record.kind, record.start_date, record.end_date) == ("project", "2001-04-01", "2004")
    assert record.url is None
    assert record.access_rights is None


# -- dcat crosswalk on DCAT-AP Turtle --------------------------------------------------

TURTLE = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix adms: <http://www.w3.org/ns/adms#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix locn: <http://www.w3.org/ns/locn#> .
@prefix gsp: <http://www.opengis.net/ont/geosparql#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix eu: <http://publications.europa.eu/resource/authority/> .

<https://data.example.eu/dataset/birds> a dcat:Dataset ;
    dct:title "Vogelzählung"@de, "Bird count"@en ;
    dct:description "Birds counted by volunteers. Contact birds@example.eu"@en ;
    dcat:keyword "birds"@en, "biodiversity"@en ;
    dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> ;
    dct:issued "2020-01-01"^^xsd:date ;
    dct:temporal [ a dct:PeriodOfTime ;
        dcat:startDate "2019-03-01"^^xsd:date ; dcat:endDate "2021-10-31"^^xsd:date ] ;
    dct:spatial <http://publications.europa.eu/resource/authority/country/AUT> ,
        [ a dct:Location ; skos:prefLabel "Tyrol"@en ;
          dcat:bbox "POLYGON((10.1 46.6, 12.9 46.6, 12.9 47.7, 10.1 46.6))"^^gsp:wktLiteral ] ;
    dct:language <http://publications.europa.eu/resource/authority/language/ENG> ;
    dct:accessRights <http://publications.europa.eu/resource/authority/access-right/RESTRICTED> ;
    dct:publisher <https://ror.org/000000000> ;
    dcat:contactPoint [ a vcard:Kind ; vcard:fn "Bird desk" ;
        vcard:hasEmail <mailto:desk@example.eu> ;
        vcard:hasURL <https://birds.example.eu/contact> ] ;
    adms:identifier [ a adms:Identifier ; skos:notation "BIRDS-2020" ] ;
    dcat:distribution [ a dcat:Distribution ;
        dct:license <https://creativecommons.org/licenses/by/4.0/> ] .

<https://ror.org/000000000> a foaf:Organization ; foaf:name "Bird Society" ;
    foaf:mbox <mailto:office@example.eu> .
"""


def test_dcat_ap_turtle_with_eu_authority_iris() -> None:
    raw = RawRecord("demo", "https://data.example.eu/dataset/birds", None, "dcat", TURTLE)
    record = normalise(raw, crosswalk_named("dcat"), CONTEXT, HARVESTED_AT)
    assert record.kind == "dataset"
    assert record.title in ("Vogelzählung", "Bird count")
    assert len(record.alternate_titles) == 1
    assert record.alternate_titles[0].lang in ("de", "en")
    assert record.alternate_titles[0].value != record.title
    assert record.description == "Birds counted by volunteers. Contact [e-mail removed]"
    assert sorted(record.keywords) == ["biodiversity", "birds"]
    assert (record.start_date, record.end_date) == ("2019-03-01", "2021-10-31")
    assert record.date_modified == "2020-01-01"
    assert record.countries == ["AT"]
    assert record.regions == ["Tyrol"]
    assert record.geo is not None
    assert [box.model_dump() for box in record.geo.boxes] == [
        {"west": 10.1, "south": 46.6, "east": 12.9, "north": 47.7}
    ]
    assert record.languages == ["en"]
    assert record.access_rights == "restricted"
    assert [(o.name, o.role, o.identifier) for o in record.organisations] == [
        ("Bird Society", "publisher", "https://ror.org/000000000")
    ]
    assert record.contact_page == "https://birds.example.eu/contact"
    assert record.url == "https://data.example.eu/dataset/birds"
    assert ("other", "BIRDS-2020") in [(i.scheme, i.value) for i in record.identifiers]
    assert record.license is not None and record.license.spdx == "CC-BY-4.0"
    text = record.model_dump_json()
    assert "mailto:" not in text and "@" not in text


def test_dcat_contact_point_with_only_an_email_gives_no_contact_page() -> None:
    turtle = TURTLE.replace(";\n        vcard:hasURL <https://birds.example.eu/contact> ", "")
    assert "hasURL" not in turtle
    raw = RawRecord("demo", "https://data.example.eu/dataset/birds", None, "dcat", turtle)
    record = normalise(raw, crosswalk_named("dcat"), CONTEXT, HARVESTED_AT)
    assert record.contact_page is None
    assert "mailto:" not in record.model_dump_json()
