"""The named transforms behind the DataCite XML crosswalks, and the crosswalk ``root`` key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from harvester.core.records import RawRecord
from harvester.normalise.crosswalk import CrosswalkError, load_crosswalk
from harvester.normalise.engine import SourceContext, normalise
from harvester.normalise.service import crosswalk_named
from harvester.normalise.transforms import REGISTRY, Issues
from harvester.normalise.values import XmlValue

K4 = "http://datacite.org/schema/kernel-4"


def run(name: str, values: list[Any], argument: Any = None) -> tuple[list[Any], list[str]]:
    issues = Issues()
    return REGISTRY[name].function(values, argument, issues), issues.invalid


def elements(xml: str) -> list[XmlValue]:
    """Each child of a wrapper element as the crosswalk engine hands it to transforms."""
    root = etree.fromstring(f'<wrap xmlns="{K4}">{xml}</wrap>')
    return [
        XmlValue(
            "".join(node.itertext()),
            None,
            {k.rpartition("}")[2]: v for k, v in node.attrib.items()},
            node,
        )
        for node in root
    ]


# -- dates -----------------------------------------------------------------------------


def test_date_range_spans_every_period() -> None:
    periods = ["2019-03-01/2019-12-31", "2018-06/2019-01", "2021"]
    assert run("date-range-start", periods) == (["2018-06"], [])
    assert run("date-range-end", periods) == (["2019-12-31"], [])


def test_date_range_reads_iso_ranges_end_by_end() -> None:
    # Whole, "2012-01-05/2013-01-05" would be read by dateutil as a single date-time.
    assert run("date-range-start", ["2012-01-05/2013-01-05"])[0] == ["2012-01-05"]
    assert run("date-range-end", ["2012-01-05/2013-01-05"])[0] == ["2013-01-05"]
    assert run("date-range-start", ["/2013"])[0] == []
    assert run("date-range-end", ["/2013"])[0] == ["2013"]
    assert run("date-range-end", ["2019/.."])[0] == []
    assert run("date-range-end", ["2020/2019"])[0] == []  # an end before its start
    assert run("date-range-start", ["14/09/2021"])[0] == ["2021-09-14"]


def test_date_range_keeps_only_the_day_of_a_time_without_zone() -> None:
    period = ["1985-12-18T23:15:00/1990-01-15T00:04:00"]
    assert run("date-range-start", period)[0] == ["1985-12-18"]
    assert run("date-range-end", period)[0] == ["1990-01-15"]
    zoned = ["2019-03-01T10:00:00Z/2019-03-02T10:00:00Z"]
    assert run("date-range-start", zoned)[0] == ["2019-03-01T10:00:00Z"]


def test_date_range_open_end_and_unreadable_values() -> None:
    assert run("date-range-end", ["2019-01-01/", "2020"]) == ([], [])
    found, invalid = run("date-range-start", ["321 BCE"])
    assert found == []
    assert invalid == ["date range: '321 BCE' not recognised"]
    assert run("date-range-end", ["321 BCE"]) == ([], [])  # reported once, by the start


# -- places ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "countries"),
    [
        ("Frederick, MD", []),
        ("MD", ["MD"]),
        ("Roof of National Gallery, London, UK", ["GB"]),
        ("Sperbelgraben and Rappengraben (Switzerland)", ["CH"]),
        ("Bern, CH, Switzerland", ["CH"]),
    ],
)
def test_two_letter_codes_count_only_as_the_whole_place(place: str, countries: list[str]) -> None:
    assert run("find-countries-in-places", [place]) == (countries, [])


# -- element structure -----------------------------------------------------------------


def test_xml_object_reads_text_attributes_and_children() -> None:
    values = elements(
        '<relatedIdentifier relationType="Cites" relatedIdentifierType="DOI">10.1/x'
        "</relatedIdentifier>"
        '<relatedItem relationType="IsPublishedIn"><relatedItemIdentifier '
        'relatedItemIdentifierType="ISSN">1234-5678</relatedItemIdentifier>'
        "<titles><title>Journal</title></titles></relatedItem>"
    )
    spec = {
        "identifier": ["relatedItemIdentifier", "text()"],
        "relation": "@relationType",
        "scheme": ["relatedItemIdentifier/@relatedItemIdentifierType", "@relatedIdentifierType"],
        "missing": "@nothing",
    }
    assert run("xml-object", values, spec)[0] == [
        {"identifier": "10.1/x", "relation": "Cites", "scheme": "DOI"},
        {"identifier": "1234-5678", "relation": "IsPublishedIn", "scheme": "ISSN"},
    ]


def test_xml_object_needs_a_mapping() -> None:
    with pytest.raises(ValueError, match="mapping"):
        run("xml-object", elements("<title>x</title>"), "text()")


def geo(xml: str) -> tuple[list[Any], list[str]]:
    shapes, invalid = run("datacite-geo", elements(xml))
    found, rejected = run("geo-shapes", shapes)
    return found, invalid + rejected


def test_geo_kernel_4_points_boxes_and_polygons() -> None:
    found, invalid = geo(
        "<geoLocationPoint><pointLongitude>8.55</pointLongitude>"
        "<pointLatitude>47.09</pointLatitude></geoLocationPoint>"
        "<geoLocationBox><westBoundLongitude>-71.0</westBoundLongitude>"
        "<eastBoundLongitude>-68.2</eastBoundLongitude>"
        "<southBoundLatitude>41.1</southBoundLatitude>"
        "<northBoundLatitude>42.9</northBoundLatitude></geoLocationBox>"
        "<geoLocationPolygon>"
        + "".join(
            f"<polygonPoint><pointLongitude>{lon}</pointLongitude>"
            f"<pointLatitude>{lat}</pointLatitude></polygonPoint>"
            for lon, lat in [(-74, 38), (-80, 39), (-78, 36), (-74, 38)]
        )
        + "</geoLocationPolygon><geoLocationPlace>Somewhere</geoLocationPlace>"
    )
    assert invalid == []
    assert found == [
        {
            "points": [{"lat": 47.09, "lon": 8.55}],
            "boxes": [
                {"west": -71.0, "south": 41.1, "east": -68.2, "north": 42.9},
                {"west": -80.0, "south": 36.0, "east": -74.0, "north": 39.0},
            ],
        }
    ]


def test_geo_kernel_3_text_is_lat_lon_and_south_west_north_east() -> None:
    found, invalid = geo(
        "<geoLocationPoint>47.01576 7.84273</geoLocationPoint>"
        "<geoLocationBox>45.81802 5.95587 47.80838 10.49203</geoLocationBox>"
    )
    assert invalid == []
    assert found == [
        {
            "points": [{"lat": 47.01576, "lon": 7.84273}],
            "boxes": [{"west": 5.95587, "south": 45.81802, "east": 10.49203, "north": 47.80838}],
        }
    ]


def test_geo_broken_coordinates_are_reported_not_raised() -> None:
    found, invalid = geo(
        "<geoLocationPoint>47.0</geoLocationPoint>"
        "<geoLocationPoint><pointLatitude>95</pointLatitude>"
        "<pointLongitude>8</pointLongitude></geoLocationPoint>"
    )
    assert found == []
    assert len(invalid) == 2


def test_organisations_from_publisher_creators_contributors_and_affiliations() -> None:
    values = elements(
        '<publisher publisherIdentifier="https://ror.org/04wxnsj81" '
        'publisherIdentifierScheme="ROR">DataCite</publisher>'
        '<creator><creatorName nameType="Personal">Doe, Jo</creatorName>'
        '<affiliation affiliationIdentifier="03yrm5c26" affiliationIdentifierScheme="ROR">'
        "California Digital Library</affiliation><affiliation>None</affiliation>"
        "<affiliation>jo.doe@example.org</affiliation></creator>"
        '<creator><creatorName nameType="Organizational">The Study Group</creatorName>'
        "</creator>"
        '<contributor contributorType="HostingInstitution"><contributorName>Helmholtz-Zentrum'
        '</contributorName><nameIdentifier nameIdentifierScheme="ROR" '
        'schemeURI="https://ror.org">02aj13c28</nameIdentifier></contributor>'
        '<contributor contributorType="DataCurator"><contributorName>Curator, Bob'
        "</contributorName></contributor>"
    )
    assert run("datacite-organisations", values)[0] == [
        {"name": "DataCite", "role": "publisher", "identifier": "https://ror.org/04wxnsj81"},
        {
            "name": "California Digital Library",
            "role": "affiliation",
            "identifier": "https://ror.org/03yrm5c26",
        },
        {"name": "The Study Group", "role": "creator", "identifier": None},
        {
            "name": "Helmholtz-Zentrum",
            "role": "HostingInstitution",
            "identifier": "https://ror.org/02aj13c28",
        },
    ]


# -- links and rights ------------------------------------------------------------------


def test_landing_url_resolves_persistent_identifiers() -> None:
    values = ["10.5281/zenodo.1", "oai:zenodo.org:1", "hdl:11304/abc", "https://x.org/p"]
    assert run("landing-url", values)[0] == [
        "https://doi.org/10.5281/zenodo.1",
        "https://hdl.handle.net/11304/abc",
        "https://x.org/p",
    ]


def test_license_from_rights_uri_identifier_and_text() -> None:
    values = elements(
        '<rights rightsURI="info:eu-repo/semantics/openAccess">OpenAccess</rights>'
        "<rights>All rights reserved</rights>"
        '<rights rightsIdentifier="CC-BY-4.0" '
        'rightsURI="https://creativecommons.org/licenses/by-nc/4.0/">CC BY-NC</rights>'
        '<rights rightsIdentifier="apache-2.0"/>'
    )
    assert run("datacite-license", values)[0] == [
        {
            "spdx": "CC-BY-NC-4.0",
            "text": "CC BY-NC",
            "url": "https://creativecommons.org/licenses/by-nc/4.0/",
        },
        {"spdx": "Apache-2.0", "text": "apache-2.0", "url": None},
        {"spdx": None, "text": "All rights reserved", "url": None},
    ]


# -- the root key ----------------------------------------------------------------------


def write(tmp_path: Path, head: str) -> Path:
    path = tmp_path / "probe.yaml"
    path.write_text(f"{head}fields:\n  title:\n    paths: ['*']\n", encoding="utf-8")
    return path


def test_root_is_checked_when_the_crosswalk_loads(tmp_path: Path) -> None:
    with pytest.raises(CrosswalkError, match="field 'root': XPath"):
        load_crosswalk(write(tmp_path, "format: xml\nroot: '*['\n"))
    with pytest.raises(CrosswalkError, match="only XML crosswalks"):
        load_crosswalk(write(tmp_path, "format: json\nroot: payload\n"))
    with pytest.raises(CrosswalkError, match="must be an XPath"):
        load_crosswalk(write(tmp_path, "format: xml\nroot: ''\n"))


CONTEXT = SourceContext("demo", "Demo", "Demo", "oai-pmh", "https://repo.example.org/oai")


def test_root_finds_the_resource_in_an_oai_datacite_payload() -> None:
    payload = (
        '<oai_datacite xmlns="http://schema.datacite.org/oai/oai-1.0/">'
        "<schemaVersion>4</schemaVersion><payload>"
        f'<resource xmlns="{K4}"><titles><title>Inside</title></titles></resource>'
        "</payload></oai_datacite>"
    )
    raw = RawRecord("demo", "oai:x:1", None, "oai_datacite", payload)
    record = normalise(raw, crosswalk_named("oai_datacite"), CONTEXT, "2026-01-01T00:00:00Z")
    assert record.title == "Inside"


def test_nothing_at_the_root_is_a_quality_issue_not_a_crash() -> None:
    raw = RawRecord("demo", "oai:x:2", None, "datacite", "<other><title>x</title></other>")
    record = normalise(raw, crosswalk_named("datacite"), CONTEXT, "2026-01-01T00:00:00Z")
    assert record.title == "[untitled]"
    details = [issue.detail for issue in record.quality.issues if issue.field == "-"]
    assert details
    assert "root path" in details[0]
