"""Golden tests of the ``schema_org`` and ``dcat`` crosswalks on the real samples in
``shared/fixtures/schema-org`` and ``shared/fixtures/dcat``, compared with the records the
project wrote and checked in ``tests/fixtures/golden/<crosswalk>/<sample file name>.json``.

An expected file holds what each record of the sample becomes (``map --json`` form). For
``bolognese_schema_org_list.jsonld`` (214 Datasets) it holds two records chosen by source
identifier; all 214 are still mapped and checked for the invariants below. A landing page and
the JSON-LD taken from it map to the same record, so pages are compared with the JSON-LD's
expected file.

Odd samples, and what they become:

* ``bolognese_schema_org.jsonld`` is a ``BlogPosting``: no node of a wanted type, so no
  record but a failure naming the types looked for.
* ``bolognese_schema_org_geolocation.jsonld`` has no ``url``: its DOI (``@id``) is the landing
  page. Its place is only an address text in ``geo`` ("Providence Creek ..."): a region, no
  country. Its last author, a "Person" named after the observatory, is not copied.
* ``bolognese_schema_org_topmed.jsonld`` / ``_list.jsonld``: checksums given as
  ``identifier`` (``propertyID`` md5) are not identifiers and are dropped; ``minid`` ARKs are
  kept, ``dataguid`` values become scheme ``other``; DataCite as ``provider`` is kept with its
  role. No licence: the record says so.
* ``pangaea_836178``: e-mail addresses of creators are never copied; the point lies in
  Greenland but no country is named, so none is given (no reverse geocoding).
* ``dcat/dataset.rdf`` (hand-written by the ckanext-dcat authors): a Zimbabwe survey whose
  polygon lies at Rostock, kept as given; the EU authority IRI ``mdr/authority/country/ZWE``
  gives ZW; ``dct:accessRights`` "public" gives open; the contact point gives the web page
  ``https://example.org`` and never its ``mailto:``; ``dct:modified`` "2012-05-10T21:04"
  has no time zone and keeps its day.
* ``dcat/dataset_gov_de.rdf`` (Rostock open data, DCAT-AP.de): EU authority IRIs give language
  de and access rights open; the place is a German regional key with no country in the record,
  so no country (the region "Rostock" is kept); the GeoJSON and WKT forms of the same polygon
  give one box.
* ``dcat/catalog_pod.jsonld`` (US Project Open Data as JSON-LD with an inline context): the
  context maps ``identifier`` to ``dcat:identifier``, which is read; ``spatial`` "United
  States" gives US; the contact's ``mailto:`` is never copied.
* ``dcat/dataset.ttl`` uses the prefix ``healthdcatap:`` without declaring it: rdflib cannot
  parse the file, and reading it fails naming that prefix.
* ``dcat/dataset.json`` is plain DCAT-US/POD JSON without ``@context``: as JSON-LD it holds no
  statement, so no record but a failure (the ``dcat_us`` crosswalk reads it as JSON). The CKAN
  package dicts in ``dcat/`` are no RDF either; the ``ckan`` crosswalk maps them.

Named resources (a publisher or distribution with an IRI, as in ``dataset.rdf`` and
``dataset_gov_de.rdf``) travel with the dataset's record: their names and licences are kept.
DCAT-AP.de states licences on distributions only (``dcat-ap.de/def/licenses/cc-zero``, not yet
an SPDX id in the licence vocabulary: the URL is kept).

Set ``CSFINDER_WRITE_GOLDEN=1`` to rewrite the expected files, then read every change.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from harvester.core.errors import MalformedResponseError
from harvester.core.model import UNTITLED, Record, contains_email
from harvester.core.records import RecordFailure
from harvester.normalise.files import raw_records_from_file
from harvester.normalise.service import crosswalk_named
from tests.support import golden
from tests.support.fixture_provider import SHARED_FIXTURES

GOLDEN = golden.GOLDEN
HARVESTED_AT = golden.HARVESTED_AT
WRITE = golden.WRITE

GOLDEN_SAMPLES: dict[str, tuple[str, ...]] = {
    "schema_org": (
        "schema-org/bolognese_schema_org_geolocation.jsonld",
        "schema-org/bolognese_schema_org_list.jsonld",
        "schema-org/bolognese_schema_org_topmed.jsonld",
        "schema-org/pangaea_836178.jsonld",
        "schema-org/zenodo_record_1196821.jsonld",
    ),
    "dcat": (
        "dcat/dataset.rdf",
        "dcat/catalog.rdf",
        "dcat/dataset_gov_de.rdf",
        "dcat/catalog_pod.jsonld",
    ),
}
LANDING_PAGES = {
    "schema-org/pangaea_836178.landing-page.html": "schema-org/pangaea_836178.jsonld",
    "schema-org/zenodo_record_1196821.landing-page.html": "schema-org/zenodo_record_1196821.jsonld",
}
SELECTED = {
    # the first Dataset (no DOI among its identifiers, only the @id), and one whose identifier
    # list starts with its DOI
    "bolognese_schema_org_list.jsonld": (
        "https://doi.org/10.23725/7jg3-v803",
        "https://doi.org/10.23725/nt4z-b975",
    ),
}
NOT_RECORDS = {
    ("schema_org", "schema-org/bolognese_schema_org.jsonld"): (
        "no JSON-LD node of type Dataset, ResearchProject, Project"
    ),
    ("dcat", "dcat/dataset.json"): "no RDF resource of type dcat:Dataset",
    ("dcat", "dcat/b2find_ckan_package_darus.json"): "no RDF resource of type dcat:Dataset",
    ("dcat", "dcat/ckan_full_dataset_dcat_ap.json"): "no RDF resource of type dcat:Dataset",
}
MAILTO = re.compile(r"mailto:", re.IGNORECASE)
MD5 = re.compile(r"[0-9a-f]{32}")
ALPHA_2 = re.compile(r"^[A-Z]{2}$")
ISO_639_1 = re.compile(r"^[a-z]{2}$")

pytestmark = pytest.mark.skipif(SHARED_FIXTURES is None, reason="shared/fixtures is absent")


def map_sample(name: str, relative: str) -> list[dict[str, Any]]:
    """Map one sample file as ``csfinder map --json`` does."""
    assert SHARED_FIXTURES is not None
    return golden.map_sample(name, SHARED_FIXTURES / relative, "fixtures")


def check_invariants(record: dict[str, Any]) -> None:
    """What holds for every record of both crosswalks."""
    Record.model_validate(record)
    assert record["title"].strip() and record["title"] != UNTITLED
    assert record["kind"] in ("dataset", "project")
    text = json.dumps(record, ensure_ascii=False)
    assert not contains_email(text)
    assert not MAILTO.search(text)
    assert all(ALPHA_2.fullmatch(code) for code in record["countries"])
    assert all(ISO_639_1.fullmatch(code) for code in record["languages"])
    assert record["url"] is None or record["url"].startswith(("http://", "https://"))
    assert "<" not in (record["description"] or "")


def golden_cases() -> list[tuple[str, str]]:
    return [(name, relative) for name, files in GOLDEN_SAMPLES.items() for relative in files]


def expected_path(name: str, relative: str) -> Path:
    return GOLDEN / name / (Path(relative).name + ".json")


@pytest.mark.parametrize(("name", "relative"), golden_cases())
def test_sample_maps_to_the_expected_records(name: str, relative: str) -> None:
    mapped = map_sample(name, relative)
    assert mapped
    for record in mapped:
        assert "failed" not in record, record
        check_invariants(record)
    chosen = SELECTED.get(Path(relative).name)
    if chosen is not None:
        by_id = {r["provenance"]["source_identifier"]: r for r in mapped}
        mapped = [by_id[identifier] for identifier in chosen]
    path = expected_path(name, relative)
    if WRITE:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(mapped, indent=2, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
    assert mapped == json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("page", "jsonld"), sorted(LANDING_PAGES.items()))
def test_landing_page_maps_like_its_json_ld(page: str, jsonld: str) -> None:
    from_page = map_sample("schema_org", page)
    assert from_page == map_sample("schema_org", jsonld)
    assert from_page == json.loads(expected_path("schema_org", jsonld).read_text("utf-8"))


@pytest.mark.parametrize(("name", "relative"), sorted(NOT_RECORDS))
def test_sample_without_a_wanted_record_is_a_clear_failure(name: str, relative: str) -> None:
    assert map_sample(name, relative) == [
        {"failed": Path(relative).name, "reason": NOT_RECORDS[(name, relative)]}
    ]


def test_every_sample_file_is_covered() -> None:
    assert SHARED_FIXTURES is not None
    covered = {r for files in GOLDEN_SAMPLES.values() for r in files}
    covered |= set(LANDING_PAGES) | {relative for _, relative in NOT_RECORDS}
    covered.add("dcat/dataset.ttl")
    on_disk = {
        path.relative_to(SHARED_FIXTURES).as_posix()
        for folder in ("schema-org", "dcat")
        for path in (SHARED_FIXTURES / folder).iterdir()
    }
    assert on_disk == covered


def test_turtle_with_an_unbound_prefix_fails_naming_it() -> None:
    assert SHARED_FIXTURES is not None
    path = SHARED_FIXTURES / "dcat" / "dataset.ttl"
    with pytest.raises(MalformedResponseError, match=r'Prefix "healthdcatap:" not bound'):
        list(raw_records_from_file(path, crosswalk_named("dcat"), "golden"))


def test_plain_pod_json_is_no_dcat_record() -> None:
    """DCAT-US (Project Open Data) JSON without ``@context`` states nothing in RDF: the RDF
    crosswalk gives a failure, never an empty record (the ``dcat_us`` crosswalk reads it as
    JSON: see test_golden_json)."""
    assert SHARED_FIXTURES is not None
    found = list(
        raw_records_from_file(
            SHARED_FIXTURES / "dcat" / "dataset.json", crosswalk_named("dcat"), "golden"
        )
    )
    assert len(found) == 1
    assert isinstance(found[0], RecordFailure)
    assert "dcat:Dataset" in found[0].reason


def test_every_dataset_of_the_bolognese_list_is_mapped() -> None:
    records = map_sample("schema_org", "schema-org/bolognese_schema_org_list.jsonld")
    assert len(records) == 214
    assert len({r["id"] for r in records}) == 214
    for record in records:
        check_invariants(record)
        source = record["provenance"]["source_identifier"]
        assert record["kind"] == "dataset"
        assert record["title"].startswith("NWD")
        doi = source.removeprefix("https://doi.org/").lower()
        assert {"scheme": "doi", "value": doi} in record["identifiers"]
        assert not any(MD5.fullmatch(i["value"]) for i in record["identifiers"])  # checksums
        assert record["url"].startswith("https://ors.datacite.org/doi:/10.23725/")
        assert record["date_modified"] == "2017-11-30"
        assert record["keywords"] == ["topmed", "whole genome sequencing"]
        roles = {(o["name"], o["role"]) for o in record["organisations"]}
        assert {("TOPMed", "publisher"), ("TOPMed", "creator"), ("DataCite", "provider")} <= roles
        assert record["license"] is None
        assert [(i["field"], i["problem"]) for i in record["quality"]["issues"]] == [
            ("license", "missing")
        ]
    funded = [r for r in records if any(o["role"] == "funder" for o in r["organisations"])]
    assert len(funded) == 214  # 213 through "funding", one through "funder"


def test_catalog_gives_each_dataset_once() -> None:
    records = map_sample("dcat", "dcat/catalog.rdf")
    assert [r["title"] for r in records] == ["Example dataset 1", "Example dataset 2"]
    assert records[1]["license"] is None  # dataset 2 and its distributions state none


def test_no_email_address_in_any_mapped_output() -> None:
    assert SHARED_FIXTURES is not None
    cases = golden_cases() + [("schema_org", page) for page in LANDING_PAGES]
    for name, relative in cases:
        text = json.dumps(map_sample(name, relative), ensure_ascii=False)
        assert not contains_email(text), relative
        assert not MAILTO.search(text), relative


def test_named_publisher_and_distribution_licences_are_kept() -> None:
    [zimbabwe] = map_sample("dcat", "dcat/dataset.rdf")
    assert [(o["name"], o["role"], o["identifier"]) for o in zimbabwe["organisations"]] == [
        ("Publishing Organization for dataset 1", "publisher", "https://ror.org/05wg1m734"),
        ("Creating Organization for dataset 1", "creator", "https://ror.org/05wg1m735"),
    ]
    [rostock] = map_sample("dcat", "dcat/dataset_gov_de.rdf")
    assert ("Hanse- und Universitätsstadt Rostock", "publisher") in {
        (o["name"], o["role"]) for o in rostock["organisations"]
    }
    assert rostock["license"] == {  # DCAT-AP.de's cc-zero is CC0 1.0
        "spdx": "CC0-1.0",
        "text": None,
        "url": "http://dcat-ap.de/def/licenses/cc-zero",
    }
