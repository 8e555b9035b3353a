"""Golden tests of the JSON crosswalks: the real samples in ``shared/fixtures`` mapped, and
compared with the records the project wrote and checked in
``tests/fixtures/golden/<crosswalk>/<sample file name>``.

An expected file holds what each record of the sample becomes (``map --json`` form: a record,
or ``{"failed", "reason"}`` for what is not a record); for an odd sample it is
``{"note", "records"}``, the note (from :data:`NOTES`) saying what the sample becomes. For
the big multi-record samples (100 GBIF datasets, 342 PPSR Core projects) it holds a handful
of records chosen by source identifier; every record of the file is still mapped and checked
for the invariants below.

Odd samples, and what they become:

* ``datacite/rest-api/dois_10.4124_..._HTTP404.json`` is the body of an HTTP 404 (unknown DOI),
  a JSON:API error document: it is no record, but a failure naming "404 The resource you are
  looking for doesn't exist.".
* ``platforms/inaturalist/v1_place_by_id.json`` is a /v1/places answer, not a project: it
  becomes an ``[untitled]`` record of kind ``resource`` with no landing page (never a made-up
  project URL), its quality report saying the title is missing.
* ``ppsr-core/CSInventory_PPSR.json`` writes years as the last second of the year
  (``2011-12-31T23:59:59+00:00``): they become ``"2011"``. "Unknown" end dates become none;
  ``language`` is "UTF-8" (PPSR Core's character encoding), so no language; the inventory
  has no country, URL or licence, and its last-updated dates repeat the start year, so
  ``date_modified`` stays empty. Contact e-mail addresses are dropped, contact web pages kept.
* ``dcat/ckan_full_dataset_dcat_ap.json`` is hand-written by the ckanext-dcat authors: its
  spatial geometry, box and centroid name three different places; the box and the centroid
  are kept as they are. ``b2find_ckan_package_darus.json`` has a bare DOI as ``url`` (it becomes
  the identifier, and its DOI URL the landing page) and title and subtitle on two lines.

Set ``CSFINDER_WRITE_GOLDEN=1`` to rewrite the expected files, then read every change.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from harvester.core.model import UNTITLED, Record, contains_email
from tests.support import golden
from tests.support.fixture_provider import SHARED_FIXTURES

GOLDEN = golden.GOLDEN
HARVESTED_AT = golden.HARVESTED_AT
WRITE = golden.WRITE

SAMPLES: dict[str, tuple[str, ...]] = {
    "datacite_rest": ("datacite/rest-api/*.json",),
    "zenodo_rest": ("platforms/zenodo-rest/*.json",),
    "inaturalist": ("platforms/inaturalist/*.json",),
    "gbif": ("platforms/gbif/*.json",),
    "ckan": ("dcat/ckan_full_dataset_dcat_ap.json", "dcat/b2find_ckan_package_darus.json"),
    "ppsr_core": ("ppsr-core/CSInventory_PPSR.json",),
    "dcat_us": ("dcat/dataset.json", "dcat/catalog_pod.jsonld"),
}

SELECTED: dict[str, tuple[str, ...]] = {
    # GBIF: a Plazi checklist, a sampling event with box and dates, Spanish metadata, a
    # country named in a place description, a verbatim (geological) period that is no date.
    "dataset_limit100.json": (
        "ae367f51-e458-44c1-81b1-b55ac45ffa23",
        "b54a9760-1077-43ae-b22a-857dd0c89e97",
        "b9d6d7ee-16fb-46ed-bb40-f75cfa16e48c",
        "b02d28a4-a874-49f3-935b-f33d0d8b5d1a",
    ),
    # PPSR Core: e-mail contact (dropped), web-page contact (kept), completed with start and
    # end year, a start in 1816, and a "Website" contact that is an e-mail address (dropped).
    "CSInventory_PPSR.json": ("1", "2", "28", "8", "82"),
}

NOTES: dict[str, str] = {
    # Written into the expected file beside the records: what an odd sample becomes.
    "dois_10.4124_05f6c379-dd68-4cdb-880d-33d3e9576d52_1_HTTP404.json": (
        "HTTP 404 body (JSON:API error document): no record, a failure naming the error."
    ),
    "dois_10.15125_bath-00114.json": (
        "The licence is the first rights statement, which says a file has no licence: kept "
        "as the source's text."
    ),
    "dois_10.23640_07243.5153971.json": (
        "The abstract starts with CSS rules the source left in its text; kept as text."
    ),
    "v1_place_by_id.json": (
        "A /v1/places answer, not a project: an [untitled] resource with no landing page."
    ),
    "CSInventory_PPSR.json": (
        "Five of 342 projects. Year placeholders (YYYY-12-31T23:59:59+00:00) become YYYY; "
        "'Unknown' end dates none; language 'UTF-8' is an encoding, so no language; no "
        "country, URL or licence in the inventory; last-updated dates repeat the start year, "
        "so no date_modified; e-mail contacts dropped, contact web pages kept."
    ),
    "ckan_full_dataset_dcat_ap.json": (
        "Hand-written example: geometry, box and centroid name three places; box and centroid "
        "kept as given. Contact e-mail addresses dropped, the contact web page kept."
    ),
    "b2find_ckan_package_darus.json": (
        "url is a bare DOI: it becomes the identifier and its DOI URL the landing page; the "
        "second title line becomes an alternate title."
    ),
    "dataset_limit100.json": "Four of 100 datasets; every one is checked for the invariants.",
    "dataset.json": (
        "Plain DCAT-US/POD JSON without @context (the RDF crosswalk dcat reads nothing in "
        "it): read as JSON; publisher and creator e-mail addresses never copied."
    ),
}

ALPHA_2 = re.compile(r"^[A-Z]{2}$")
ISO_639_1 = re.compile(r"^[a-z]{2}$")

pytestmark = pytest.mark.skipif(SHARED_FIXTURES is None, reason="shared/fixtures is absent")


def sample_files() -> list[tuple[str, str]]:
    """Every (crosswalk, sample path relative to shared/fixtures)."""
    if SHARED_FIXTURES is None:
        return []
    found = []
    for name, patterns in SAMPLES.items():
        for pattern in patterns:
            for path in sorted(SHARED_FIXTURES.glob(pattern)):
                found.append((name, path.relative_to(SHARED_FIXTURES).as_posix()))
    return found


def map_sample(name: str, relative: str) -> list[dict[str, Any]]:
    """Map one sample file as ``csfinder map --json`` does."""
    assert SHARED_FIXTURES is not None
    return golden.map_sample(name, SHARED_FIXTURES / relative, f"fixtures/{relative}")


def check_invariants(record: dict[str, Any]) -> None:
    """What holds for every record of every JSON crosswalk."""
    Record.model_validate(record)
    assert record["title"].strip()
    assert not contains_email(json.dumps(record, ensure_ascii=False))
    assert all(ALPHA_2.fullmatch(code) for code in record["countries"])
    assert all(ISO_639_1.fullmatch(code) for code in record["languages"])
    assert record["provenance"]["source_identifier"]


def expected_path(name: str, relative: str) -> Path:
    return GOLDEN / name / Path(relative).name


@pytest.mark.parametrize(("name", "relative"), sample_files())
def test_sample_maps_to_the_expected_records(name: str, relative: str) -> None:
    mapped = map_sample(name, relative)
    assert mapped
    for record in mapped:
        if "failed" not in record:
            check_invariants(record)
    chosen = SELECTED.get(Path(relative).name)
    if chosen is not None:
        by_id = {r["provenance"]["source_identifier"]: r for r in mapped if "failed" not in r}
        mapped = [by_id[identifier] for identifier in chosen]
    path = expected_path(name, relative)
    note = NOTES.get(Path(relative).name)
    if WRITE:
        path.parent.mkdir(parents=True, exist_ok=True)
        written: Any = mapped if note is None else {"note": note, "records": mapped}
        path.write_text(json.dumps(written, indent=2, ensure_ascii=False) + "\n", "utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(expected, dict):
        assert expected["note"] == note
        expected = expected["records"]
    assert mapped == expected


def test_datacite_error_document_is_a_failure_not_a_record() -> None:
    [only] = map_sample(
        "datacite_rest",
        "datacite/rest-api/dois_10.4124_05f6c379-dd68-4cdb-880d-33d3e9576d52_1_HTTP404.json",
    )
    assert only["failed"].endswith("_HTTP404.json")
    assert only["reason"] == ("error document: 404 The resource you are looking for doesn't exist.")


def test_inaturalist_place_is_no_project() -> None:
    [place] = map_sample("inaturalist", "platforms/inaturalist/v1_place_by_id.json")
    assert place["title"] == UNTITLED
    assert place["kind"] == "resource"
    assert place["url"] is None
    assert ("title", "missing") in {(i["field"], i["problem"]) for i in place["quality"]["issues"]}


def test_every_ppsr_inventory_project_is_mapped() -> None:
    records = map_sample("ppsr_core", "ppsr-core/CSInventory_PPSR.json")
    assert len(records) == 342
    assert all(r["kind"] == "project" and r["title"] != UNTITLED for r in records)
    assert {r["status"] for r in records} == {"Active", "Completed"}
    # year placeholders became years; nothing kept the fake time of day
    assert all(r["start_date"] is None or re.fullmatch(r"\d{4}", r["start_date"]) for r in records)
    assert all(r["end_date"] is None or re.fullmatch(r"\d{4}", r["end_date"]) for r in records)
    assert all(r["languages"] == [] and r["date_modified"] is None for r in records)
    assert sum(1 for r in records if r["contact_page"]) >= 50


def test_every_gbif_dataset_is_mapped() -> None:
    records = map_sample("gbif", "platforms/gbif/dataset_limit100.json")
    assert len(records) == 100
    assert all(r["kind"] == "dataset" for r in records)
    assert all(r["url"].startswith("https://www.gbif.org/dataset/") for r in records)
    assert all(r["license"]["spdx"] in ("CC0-1.0", "CC-BY-4.0", "CC-BY-NC-4.0") for r in records)
    assert all(r["identifiers"][0]["scheme"] == "doi" for r in records)
