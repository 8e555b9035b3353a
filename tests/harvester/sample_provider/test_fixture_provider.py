"""The replay of recorded provider responses: plain requests get the recorded body and status."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from lxml import etree

from tests.harvester.sample_provider.oai import NS, error_code
from tests.support.fixture_provider import PROFILES, SHARED_FIXTURES, FixtureProvider

pytestmark = pytest.mark.skipif(
    SHARED_FIXTURES is None, reason="shared/fixtures is not available beside the repository"
)


def recorded(relative: str) -> bytes:
    assert SHARED_FIXTURES is not None
    return (SHARED_FIXTURES / "oai-pmh" / relative).read_bytes()


def fetch(url: str, **params: Any) -> requests.Response:
    return requests.get(url, params=params, timeout=10)


# ------------------------------------------------------------------------------ zenodo


def test_zenodo_replays_every_indexed_request_with_its_status(fixture_server):
    assert SHARED_FIXTURES is not None
    server = fixture_server("zenodo")
    index = json.loads((SHARED_FIXTURES / "oai-pmh" / "cassette-index.json").read_text("utf-8"))
    checked = 0
    for entry in index:
        if "/zenodo-" not in entry["file"]:
            continue
        query = entry["request"].split("?", 1)[1]
        response = requests.get(f"{server.url}?{query}", timeout=10)
        assert response.status_code == entry["http_status"], entry["file"]
        assert response.headers["Content-Type"] == entry["content_type"]
        assert response.content == (SHARED_FIXTURES / entry["file"]).read_bytes(), entry["file"]
        checked += 1
    assert checked >= 20
    assert [status for _, status in server.app.log].count(422) >= 8


def test_zenodo_error_statuses_are_422(fixture_server):
    server = fixture_server("zenodo")
    response = fetch(server.url, verb="ListRecords", metadataPrefix="oai_dc", set="XXX")
    assert response.status_code == 422
    assert response.content == recorded("zenodo-2026-08/ListRecords_noRecordsMatch_unknownSet.xml")
    assert error_code(etree.fromstring(response.content)) == "noRecordsMatch"


def test_zenodo_follows_the_recorded_token_chain(fixture_server):
    server = fixture_server("zenodo")
    first = fetch(server.url, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert first.content == recorded("zenodo-2026-04/ListIdentifiers_page1.xml")
    token = etree.fromstring(first.content).findtext(".//o:resumptionToken", namespaces=NS)
    second = fetch(server.url, verb="ListIdentifiers", resumptionToken=token)
    assert second.content == recorded("zenodo-2026-04/ListIdentifiers_page2.xml")
    token = etree.fromstring(second.content).findtext(".//o:resumptionToken", namespaces=NS)
    third = fetch(server.url, verb="ListIdentifiers", resumptionToken=token)
    assert third.content == recorded("zenodo-2026-04/ListIdentifiers_page3.xml")


@pytest.mark.parametrize(
    ("params", "file"),
    [
        (
            {"verb": "ListRecords", "resumptionToken": "not-a-recorded-token-at-all"},
            "zenodo-2026-08/ListRecords_badResumptionToken.xml",
        ),
        (
            {"verb": "ListIdentifiers", "resumptionToken": "unknown"},
            "zenodo-2026-04/ListIdentifiers_badResumptionToken.xml",
        ),
        (
            {"verb": "GetRecord", "identifier": "oai:zenodo.org:1", "metadataPrefix": "oai_dc"},
            "zenodo-2026-08/GetRecord_idDoesNotExist.xml",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "marcxml"},
            "zenodo-2026-08/ListRecords_badArgument_metadataPrefix.xml",
        ),
    ],
)
def test_zenodo_fallbacks_answer_like_zenodo(fixture_server, params, file):
    server = fixture_server("zenodo")
    response = fetch(server.url, **params)
    assert response.status_code == 422
    assert response.content == recorded(file)


def test_zenodo_unrecorded_requests_get_404(fixture_server):
    server = fixture_server("zenodo")
    assert (
        fetch(
            server.url, verb="ListRecords", metadataPrefix="oai_dc", until="2020-01-01"
        ).status_code
        == 404
    )


# ------------------------------------------------------------------------------ sickle


def test_sickle_tokens_are_file_names(fixture_server):
    server = fixture_server("sickle")
    first = fetch(server.url, verb="ListRecords", metadataPrefix="oai_dc")
    assert first.status_code == 200
    assert first.content == recorded("sickle-sample-data/ListRecords.xml")
    second = fetch(server.url, verb="ListRecords", resumptionToken="ListRecords2.xml")
    assert second.content == recorded("sickle-sample-data/ListRecords2.xml")
    gone = fetch(server.url, verb="ListRecords", resumptionToken="ListRecords4.xml")
    assert gone.content == recorded("sickle-sample-data/badResumptionToken.xml")
    sneaky = fetch(server.url, verb="ListRecords", resumptionToken="../../SOURCES.md")
    assert sneaky.content == recorded("sickle-sample-data/badResumptionToken.xml")


@pytest.mark.parametrize(
    ("params", "file"),
    [
        ({"verb": "Identify"}, "Identify.xml"),
        ({"verb": "GetRecord", "identifier": "x", "metadataPrefix": "oai_dc"}, "GetRecord.xml"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat.xml"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "s"}, "noRecordsMatch.xml"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "03:020:00Z"},
            "badArgument.xml",
        ),
    ],
)
def test_sickle_verbs_and_errors(fixture_server, params, file):
    server = fixture_server("sickle")
    response = fetch(server.url, **params)
    assert response.status_code == 200
    assert response.content == recorded(f"sickle-sample-data/{file}")


def test_sickle_list_sets_is_a_generated_no_set_hierarchy(fixture_server):
    server = fixture_server("sickle")
    response = fetch(server.url, verb="ListSets")
    assert error_code(etree.fromstring(response.content)) == "noSetHierarchy"


# ------------------------------------------------------------------------------ dspace


@pytest.mark.parametrize(
    ("verb", "file"),
    [
        ("ListSets", "fake1_00000.xml"),
        ("Identify", "fake1_00001.xml"),
        ("ListMetadataFormats", "fake1_00002.xml"),
        ("ListIdentifiers", "fake1_00003.xml"),
        ("GetRecord", "fake1_00004.xml"),
        ("ListRecords", "fake1_00005.xml"),
    ],
)
def test_dspace_one_file_per_verb(fixture_server, verb, file):
    server = fixture_server("dspace")
    response = fetch(server.url, verb=verb, metadataPrefix="oai_dc")
    assert response.status_code == 200
    assert response.content == recorded(f"pyoai-dspace-erasmus/{file}")


def test_dspace_malformed_identify(fixture_server):
    server = fixture_server("dspace", malformed_identify=True)
    response = fetch(server.url, verb="Identify")
    assert response.content == recorded("pyoai-dspace-erasmus/fake3_00001.xml")
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(response.content)  # the recorded <bogus> element is never closed


# ------------------------------------------------------------------------------ b2find


def test_b2find_wraps_recorded_records_in_list_records(fixture_server):
    server = fixture_server("b2find", page_size=3)
    identifiers = []
    params = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    for _ in range(10):
        response = fetch(server.url, **params)
        assert response.status_code == 200
        root = etree.fromstring(response.content)
        assert root.tag == "{http://www.openarchives.org/OAI/2.0/}OAI-PMH"
        assert root.find("o:request", NS).get("verb") == "ListRecords"  # type: ignore[union-attr]
        identifiers += root.xpath(
            "o:ListRecords/o:record/o:header/o:identifier/text()", namespaces=NS
        )
        assert all(
            r.find("o:metadata/oai_dc:dc", NS) is not None
            for r in root.iterfind("o:ListRecords/o:record", NS)
        )
        token = root.findtext("o:ListRecords/o:resumptionToken", namespaces=NS)
        if not token:
            break
        params = {"verb": "ListRecords", "resumptionToken": token}
    assert "oai:oai.da-ra.de:9367" in identifiers
    assert "oai:seanoe.org:41349" in identifiers
    assert len(identifiers) == len(set(identifiers)) == 5


def test_b2find_datacite_records_and_any_prefix(fixture_server):
    server = fixture_server("b2find", page_size=100)
    root = etree.fromstring(
        fetch(server.url, verb="ListIdentifiers", metadataPrefix="datacite").content
    )
    datacite = root.xpath("//o:header/o:identifier/text()", namespaces=NS)
    assert "oai:pangaea.de:doi:10.1594/PANGAEA.548413" in datacite
    everything = fixture_server("b2find", page_size=100, any_prefix=True)
    root = etree.fromstring(
        fetch(everything.url, verb="ListRecords", metadataPrefix="oai_dc").content
    )
    assert len(root.findall("o:ListRecords/o:record", NS)) == 25  # 26 files, one full response


def test_b2find_get_record_and_the_full_response_file(fixture_server):
    server = fixture_server("b2find")
    response = fetch(
        server.url, verb="GetRecord", identifier="oai:seanoe.org:41101", metadataPrefix="oai_dc"
    )
    root = etree.fromstring(response.content)
    assert root.findtext(".//o:header/o:identifier", namespaces=NS) == "oai:seanoe.org:41101"
    full = fetch(
        server.url,
        verb="GetRecord",
        identifier="oai:envidat.ch:f7160261-c98d-4d49-8966-10c1b0a32831",
        metadataPrefix="datacite",
    )
    assert full.content == recorded(
        "b2find-records/envidat-datacite__polygon_f7160261-c98d-4d49-8966-10c1b0a32831.xml"
    )
    missing = fetch(server.url, verb="GetRecord", identifier="nope", metadataPrefix="oai_dc")
    assert error_code(etree.fromstring(missing.content)) == "idDoesNotExist"
    formats = etree.fromstring(fetch(server.url, verb="ListMetadataFormats").content)
    assert formats.xpath("//o:metadataPrefix/text()", namespaces=NS) == [
        "datacite",
        "oai_datacite",
        "oai_dc",
    ]


def test_unknown_profile_is_refused():
    with pytest.raises(ValueError, match="unknown profile"):
        FixtureProvider("arxiv")
    assert set(PROFILES) == {"zenodo", "sickle", "dspace", "b2find"}
