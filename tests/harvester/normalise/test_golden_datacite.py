"""Golden tests of the DataCite XML crosswalks: every real sample in, the expected records out.

Samples (read from ``shared/fixtures``, never copied): every DataCite kernel-4 example, the
B2FIND records whose metadata is a DataCite ``<resource>`` (kernel 3 or 4) or an OAI DataCite
``<oai_datacite>`` wrapper, and Zenodo's ``datacite`` responses (kernel 4.5). A sample whose
metadata root is ``<resource>`` is mapped with ``datacite``, an ``<oai_datacite>`` wrapper with
``oai_datacite``. The expected results in ``tests/fixtures/golden/<crosswalk>/<name>.json``
were written by the mapper once and then checked by eye against the source XML; where a
sample is odd, :data:`NOTES` says what its record should become, and the expected file
carries the same note.

To rewrite the expected files after a deliberate change, run with
``CSFINDER_WRITE_GOLDEN=1`` and read the diff before committing it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from lxml import etree

from harvester.cli.main import main
from harvester.core.records import RawRecord
from harvester.normalise.engine import SourceContext, normalise
from harvester.normalise.files import raw_records_from_file
from harvester.normalise.service import crosswalk_named
from tests.support import golden
from tests.support.fixture_provider import SHARED_FIXTURES

GOLDEN = golden.GOLDEN
HARVESTED_AT = golden.HARVESTED_AT
UPDATE = golden.WRITE
ROOTS = {"resource": "datacite", "oai_datacite": "oai_datacite"}

NOTES = {
    # The official "all fields" example is fabricated on purpose. Its geoLocationPoint gives
    # longitude 39.41 and latitude -77.43 for Frederick, MD (swapped: the place is at 39.4 N,
    # 77.4 W); both are in range, so the point is kept as the source states it. "Frederick,
    # MD" names no country: MD is Maryland here, not Moldova. "Created 321 BCE" and
    # "Copyrighted Yesterday" are not read (those date types are not mapped).
    "all-fields-v4.4.xml": "Fabricated example: the point is kept as stated (lat -77.425461, "
    "lon 39.412327, swapped in the source); 'Frederick, MD' gives no country (MD is "
    "Maryland, not Moldova); both Abstracts (en, eo) make the description.",
    # The OAI header's <identifier/> is empty: without the source's identifier the record
    # has no stable id, so harvesting refuses it (a failure, not a record). The payload
    # itself maps: test_payload_of_record_without_identifier_maps checks it.
    "ess-oai_datacite__6f44650e-3943-54d0-8673-1ceadab50c67_broken_oai_id.xml": "The OAI "
    "header's identifier is empty: the record is refused (no stable id can be made); its "
    "payload alone maps to 'Sample Data from NMX', DOI 10.17199/brightness/nmx0032, open.",
    # The ESS records give the DOI as identifierType="URL" (https://doi.org/...): the
    # identifier is read as the DOI it is, and the abstract is only a link to a wiki page.
    "ess-oai_datacite__0aa871e7-12c9-5283-8025-562414a73ecd.xml": "identifierType 'URL' "
    "holds a DOI URL: read as DOI 10.17199/brightness/v200111; no resourceType, so kind is "
    "the default dataset; the 'abstract' is only a link.",
    # The official dataset example is inconsistent: rightsIdentifier says CC-BY-4.0 while
    # its rightsURI and text say CC BY-NC 4.0. The URI (what a reader follows) wins, so the
    # record is not shown as more permissive than the licence it links to.
    "datacite-example-dataset-v4.xml": "rightsIdentifier CC-BY-4.0 contradicts rightsURI "
    "and text (CC BY-NC 4.0): the licence becomes CC-BY-NC-4.0, as the URI says.",
    # EnviDat's kernel-3 records write points as "lat lon" and boxes as "south west north
    # east" in the element text; the polygon record's box is the polygon's extent. One
    # affiliation is the text "None" (a leaked null): it is not an organisation.
    "envidat-datacite__point_list_9d490baa-18c7-569e-a393-2a5dbd63cec1.xml": "Kernel 3: "
    "nine 'lat lon' points, read latitude first; the affiliation 'None' is dropped.",
    "envidat-datacite__bbox_80e203d7-7c64-5c00-8d1f-a91d49b0fa16.xml": "Kernel 3: the box "
    "text is 'south west north east'.",
    "envidat-datacite__polygon_f7160261-c98d-4d49-8966-10c1b0a32831.xml": "A full OAI-PMH "
    "response, not a bare record; the polygon becomes its bounding box.",
    # PANGAEA gives collection periods as date-times without a time zone
    # ("1985-12-18T23:15:00/1990-01-15T00:04:00"): the time is ambiguous, the day is kept.
    "pangaea__5755f06f-a5a9-5794-9d05-ab23e51452be.xml": "Collected times have no zone: "
    "start and end keep only the day (1965-03-19, 1965-03-21).",
    # "Camp Norway" is a station in Antarctica (with Halley Bay, Lyddan Island, Weddell Sea);
    # the record should have no country (or AQ). Scanning place names for country names
    # reads NO: a known limit without a gazetteer, pinned here so a fix shows up.
    "pangaea__7c0209b8-6189-5bda-89eb-7d5231d6e72d.xml": "SHOULD have no country: 'Camp "
    "Norway' is in Antarctica, but name scanning reads NO (known limit, no gazetteer). "
    "Collected times without zone keep only the day.",
    # DANS gives the find's polygon near Wuerzburg (49.8 N, 9.7 E) while its places are
    # Zutphen and the Netherlands: the box is kept as stated, the country is NL.
    "danseasy__8139b942-59b8-54f2-aa8f-4a07435f7509.xml": "The polygon lies in Germany while "
    "the places say Zutphen, Netherlands: the box is kept as stated; countries NL.",
    # A RADAR record without identifier, publication year or description; its publisher
    # names two persons, which cannot be told from an organisation and is kept.
    "radar__d812138e-2e73-5dd3-8258-fc783f47db39.xml": "No identifier, no publication year, "
    "no description: no url or identifiers; date_modified falls back to Created (2020); the "
    "publisher 'Weber, Heiko,Ott, Christian' names persons but is kept as stated.",
    # One Zenodo creator's affiliation is an e-mail address: never published, so dropped.
    "ListRecords_datacite.xml": "The affiliation '...@mail.bnu.edu.cn' is an e-mail address "
    "and is not an organisation (e-mail addresses are never published).",
}


def _samples() -> list[tuple[str, Path]]:
    """(crosswalk, file) for every DataCite XML sample, found by its metadata root."""
    if SHARED_FIXTURES is None:
        return []
    files = [
        *sorted((SHARED_FIXTURES / "datacite" / "kernel-4-examples").glob("*.xml")),
        *sorted((SHARED_FIXTURES / "oai-pmh" / "b2find-records").glob("*.xml")),
        SHARED_FIXTURES / "oai-pmh" / "zenodo-2026-08" / "GetRecord_datacite.xml",
        SHARED_FIXTURES / "oai-pmh" / "zenodo-2026-08" / "ListRecords_datacite.xml",
    ]
    found = []
    for path in files:
        crosswalk = _crosswalk_for(path)
        if crosswalk is not None:
            found.append((crosswalk, path))
    return found


def _crosswalk_for(path: Path) -> str | None:
    for element in etree.parse(str(path)).getroot().iter():
        if isinstance(element.tag, str):
            name = etree.QName(element).localname
            if name in ROOTS:
                return ROOTS[name]
            if name == "dc":
                return None  # oai_dc: another crosswalk's samples
    return None


SAMPLES = _samples()
skip_without_fixtures = pytest.mark.skipif(
    SHARED_FIXTURES is None, reason="shared/fixtures is absent: no real samples to map"
)


def _context(path: Path) -> SourceContext:
    assert SHARED_FIXTURES is not None
    where = path.relative_to(SHARED_FIXTURES).as_posix()
    return SourceContext("golden", "Golden samples", "fixtures", "file", f"shared/fixtures/{where}")


def mapped(crosswalk_name: str, path: Path) -> dict[str, Any]:
    """What the file becomes: its records and the records refused, with reasons."""
    crosswalk = crosswalk_named(crosswalk_name)
    records: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    for item in raw_records_from_file(path, crosswalk, source_id="golden"):
        if isinstance(item, RawRecord):
            record = normalise(item, crosswalk, _context(path), HARVESTED_AT)
            records.append(record.model_dump(mode="json"))
        else:
            failures.append({"identifier": item.identifier, "reason": item.reason})
    result: dict[str, Any] = {"crosswalk": crosswalk_name, "sample": path.name}
    if path.name in NOTES:
        result["note"] = NOTES[path.name]
    result["failures"] = failures
    result["records"] = records
    return result


@skip_without_fixtures
@pytest.mark.parametrize(("crosswalk", "path"), SAMPLES, ids=[f"{c}:{p.name}" for c, p in SAMPLES])
def test_golden(crosswalk: str, path: Path) -> None:
    expected_file = GOLDEN / crosswalk / f"{path.stem}.json"
    actual = mapped(crosswalk, path)
    if UPDATE:
        expected_file.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(actual, indent=2, ensure_ascii=False) + "\n"
        expected_file.write_text(text, encoding="utf-8")
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    assert actual == expected


@skip_without_fixtures
def test_every_sample_has_a_golden_file_and_no_stale_ones() -> None:
    wanted = {GOLDEN / c / f"{p.stem}.json" for c, p in SAMPLES}
    present = {*GOLDEN.glob("datacite/*.json"), *GOLDEN.glob("oai_datacite/*.json")}
    assert wanted == present
    assert {c for c, _ in SAMPLES} == {"datacite", "oai_datacite"}


@skip_without_fixtures
def test_payload_of_record_without_identifier_maps() -> None:
    # The B2FIND sample has an empty OAI identifier, so harvesting refuses the record; the
    # oai_datacite payload itself is sound and maps (here under a stand-in identifier).
    assert SHARED_FIXTURES is not None
    path = (
        SHARED_FIXTURES
        / "oai-pmh"
        / "b2find-records"
        / next(name for name in NOTES if "broken_oai_id" in name)
    )
    metadata = etree.parse(str(path)).find(".//{http://www.openarchives.org/OAI/2.0/}metadata")
    assert metadata is not None
    payload = etree.tostring(metadata[0], encoding="unicode")
    raw = RawRecord("golden", "stand-in", None, "oai_datacite", payload)
    record = normalise(raw, crosswalk_named("oai_datacite"), _context(path), HARVESTED_AT)
    assert record.title == "Sample Data from NMX"
    assert record.kind == "dataset"
    assert [(i.scheme, i.value) for i in record.identifiers] == [
        ("doi", "10.17199/brightness/nmx0032")
    ]
    assert record.access_rights == "open"
    assert record.license is None  # "OpenAccess" is access, not a licence
    assert record.date_modified == "2018-01-01"
    assert [(o.name, o.role) for o in record.organisations] == [
        ("ESS", "publisher"),
        ("ESS", "affiliation"),
    ]


@skip_without_fixtures
@pytest.mark.parametrize(
    "name",
    [
        "ess-oai_datacite__0aa871e7-12c9-5283-8025-562414a73ecd.xml",
        "ivoa-oai_datacite__19cf53ec-4dc5-53d2-9da3-9b8b2ec2c1b7.xml",
    ],
)
def test_oai_datacite_takes_bare_resources(name: str) -> None:
    # These providers serve a bare <resource> under the oai_datacite prefix: the
    # oai_datacite crosswalk maps it exactly as the datacite crosswalk does.
    assert SHARED_FIXTURES is not None
    path = SHARED_FIXTURES / "oai-pmh" / "b2find-records" / name
    as_datacite = mapped("datacite", path)["records"]
    as_oai_datacite = mapped("oai_datacite", path)["records"]
    for record in (*as_datacite, *as_oai_datacite):
        record["provenance"].pop("metadata_format")
    assert as_oai_datacite == as_datacite


def test_oai_datacite_has_the_rules_of_datacite() -> None:
    datacite, oai_datacite = crosswalk_named("datacite"), crosswalk_named("oai_datacite")
    assert oai_datacite.format == datacite.format == "xml"
    assert oai_datacite.root == datacite.root
    assert [(r.field, r.paths, r.steps) for r in oai_datacite.rules] == [
        (r.field, r.paths, r.steps) for r in datacite.rules
    ]
    assert oai_datacite.ignore == datacite.ignore


@skip_without_fixtures
def test_map_command_prints_json_for_a_kernel_example() -> None:
    assert SHARED_FIXTURES is not None
    path = SHARED_FIXTURES / "datacite" / "kernel-4-examples" / "datacite-example-dataset-v4.xml"
    result = CliRunner().invoke(main, ["map", "datacite", str(path), "--json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert len(records) == 1
    assert records[0]["provenance"]["metadata_format"] == "datacite"
    assert records[0]["title"] == mapped("datacite", path)["records"][0]["title"]
