"""The OAI-PMH provider over real HTTP on 127.0.0.1: every verb, paging, filters, errors."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
import requests
from lxml import etree

from harvester.fetch.oai.protocol import GRANULARITY_DAY
from harvester.sample_provider import (
    ListRepository,
    OAIProvider,
    SampleRecord,
    SyntheticRepository,
    demo_repositories,
)
from harvester.sample_provider.rendering import render_error, xml_escape
from harvester.sample_provider.tokens import decode_token, encode_token
from tests.harvester.sample_provider.oai import (
    NS,
    XML_LANG,
    error_code,
    get,
    headers_of,
    identifiers_of,
    oai_dc_schema,
    walk,
)
from tests.support.servers import sample_repository

ID = "oai:test.csfinder.example:cs-{:04d}"
ALL = [ID.format(i) for i in range(1, 13)]
WATER = [ID.format(i) for i in (2, 4, 5, 8, 9, 12)]
POLLINATORS = [ID.format(i) for i in (1, 3, 5, 7, 10)]


# --------------------------------------------------------------------------- Identify


def test_identify(sample_server):
    response, root = get(sample_server.url, verb="Identify")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    identify = root.find("o:Identify", NS)
    assert identify is not None
    assert identify.findtext("o:repositoryName", namespaces=NS) == (
        "csfinder test repository: ponds & pollinators"
    )
    assert identify.findtext("o:baseURL", namespaces=NS) == sample_server.url
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:adminEmail", namespaces=NS)
    assert identify.findtext("o:earliestDatestamp", namespaces=NS) == "2022-01-01T00:00:00Z"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    request = root.find("o:request", NS)
    assert request is not None
    assert request.text == sample_server.url
    assert dict(request.attrib) == {"verb": "Identify"}


def test_response_date_is_the_current_utc_time(sample_server):
    _, root = get(sample_server.url, verb="Identify")
    stamp = datetime.strptime(
        root.findtext("o:responseDate", namespaces=NS) or "", "%Y-%m-%dT%H:%M:%SZ"
    )
    assert abs(stamp.replace(tzinfo=UTC) - datetime.now(UTC)) < timedelta(seconds=5)


# --------------------------------------------------------------- ListMetadataFormats


def test_list_metadata_formats(sample_server):
    for params in ({}, {"identifier": ID.format(3)}, {"identifier": ID.format(9)}):
        response, root = get(sample_server.url, verb="ListMetadataFormats", **params)
        assert response.status_code == 200
        prefixes = root.xpath("//o:metadataFormat/o:metadataPrefix/text()", namespaces=NS)
        assert prefixes == ["oai_dc"]
        assert root.xpath("//o:metadataNamespace/text()", namespaces=NS) == [
            "http://www.openarchives.org/OAI/2.0/oai_dc/"
        ]
    response, root = get(sample_server.url, verb="ListMetadataFormats", identifier="oai:x:y")
    assert response.status_code == 200
    assert error_code(root) == "idDoesNotExist"


# ---------------------------------------------------------------------------- ListSets


def test_list_sets(sample_server):
    _, root = get(sample_server.url, verb="ListSets")
    sets = [
        (s.findtext("o:setSpec", namespaces=NS), s.findtext("o:setName", namespaces=NS))
        for s in root.iterfind("o:ListSets/o:set", NS)
    ]
    assert sets == [("pollinators", "Pollinator monitoring"), ("water", "Ponds, ditches & streams")]


def test_no_set_hierarchy(server_factory):
    server = server_factory(OAIProvider(SyntheticRepository(20, sets=0)))
    for params in (
        {"verb": "ListSets"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "x"},
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "x"},
    ):
        response, root = get(server.url, **params)
        assert response.status_code == 200
        assert error_code(root) == "noSetHierarchy"


# ---------------------------------------------------------------- ListRecords / paging


def test_list_records_pages_cover_every_record_exactly_once(sample_server):
    pages = walk(sample_server.url)
    assert len(pages) == 3
    assert identifiers_of(pages) == ALL
    tokens = [page.find("o:ListRecords/o:resumptionToken", NS) for page in pages]
    assert all(t is not None for t in tokens)
    assert [(t.get("cursor"), t.get("completeListSize")) for t in tokens if t is not None] == [
        ("0", "12"),
        ("5", "12"),
        ("10", "12"),
    ]
    last = tokens[-1]
    assert last is not None
    assert last.text is None  # the last page of a resumed list has an empty token
    assert all(len(page.findall("o:ListRecords/o:record", NS)) <= 5 for page in pages)
    for page in pages:
        request = page.find("o:request", NS)
        assert request is not None
        assert request.get("verb") == "ListRecords"


def test_list_records_content_and_deleted_records(sample_server):
    pages = walk(sample_server.url)
    records = {
        r.findtext("o:header/o:identifier", namespaces=NS): r
        for page in pages
        for r in page.iterfind("o:ListRecords/o:record", NS)
    }
    first = records[ID.format(1)]
    titles = [(t.text, t.get(XML_LANG)) for t in first.iterfind(".//dc:title", NS)]
    assert titles == [
        ("Bumblebee walks on the Eastfield allotments", "en"),
        ("Hummelspaziergänge in den Kleingärten Ostfeld", "de"),
    ]
    assert first.findtext("o:header/o:datestamp", namespaces=NS) == "2023-01-15T08:00:00Z"
    assert first.xpath("o:header/o:setSpec/text()", namespaces=NS) == ["pollinators"]
    assert first.findtext(".//dc:creator", namespaces=NS) == "Eastfield Allotment Society"
    both = records[ID.format(5)]
    assert both.xpath("o:header/o:setSpec/text()", namespaces=NS) == ["pollinators", "water"]
    escaped = records[ID.format(3)]
    assert escaped.findtext(".//dc:title", namespaces=NS) == "Solitary bee hotels <2023 season>"
    deleted = records[ID.format(9)]
    header = deleted.find("o:header", NS)
    assert header is not None
    assert header.get("status") == "deleted"
    assert deleted.find("o:metadata", NS) is None
    statuses = [h.get("status") for r in records.values() for h in r.iterfind("o:header", NS)]
    assert statuses.count("deleted") == 1
    assert statuses.count(None) == 11


def test_list_identifiers_pages_and_deleted_headers(sample_server):
    pages = walk(sample_server.url, "ListIdentifiers")
    assert identifiers_of(pages) == ALL
    assert not any(page.findall(".//o:metadata", NS) for page in pages)
    statuses = {
        h.findtext("o:identifier", namespaces=NS): h.get("status") for h in headers_of(pages)
    }
    assert statuses[ID.format(9)] == "deleted"
    assert sum(1 for s in statuses.values() if s) == 1


def test_single_page_lists_have_no_resumption_token(server_factory):
    server = server_factory(OAIProvider(sample_repository(), page_size=100))
    pages = walk(server.url)
    assert len(pages) == 1
    assert pages[0].find("o:ListRecords/o:resumptionToken", NS) is None
    assert identifiers_of(pages) == ALL


@pytest.mark.parametrize(("set_spec", "expected"), [("water", WATER), ("pollinators", POLLINATORS)])
def test_set_filtering(sample_server, set_spec, expected):
    for verb in ("ListRecords", "ListIdentifiers"):
        pages = walk(sample_server.url, verb, set=set_spec)
        assert identifiers_of(pages) == expected


def test_hierarchical_sets(server_factory):
    records = [
        SampleRecord("a", datetime(2024, 1, 1, tzinfo=UTC), ("parks",)),
        SampleRecord("b", datetime(2024, 1, 2, tzinfo=UTC), ("parks:north",)),
        SampleRecord("c", datetime(2024, 1, 3, tzinfo=UTC), ("parkside",)),
    ]
    sets = {"parks": "Parks", "parks:north": "North parks", "parkside": "Parkside"}
    server = server_factory(OAIProvider(ListRepository("h", records, sets)))
    assert identifiers_of(walk(server.url, set="parks")) == ["a", "b"]
    assert identifiers_of(walk(server.url, set="parks:north")) == ["b"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"from": "2024-01-01"}, [8, 9, 10, 11, 12]),
        ({"until": "2023-02-01"}, [1, 2]),
        ({"until": "2023-02-01T12:30:00Z"}, [1, 2]),
        ({"until": "2023-02-01T12:29:59Z"}, [1]),
        ({"from": "2023-09-30T23:59:59Z", "until": "2023-10-01T00:00:00Z"}, [6, 7]),
        ({"from": "2024-03-01", "until": "2024-03-01"}, [10, 11]),
        ({"from": "2024-03-01T08:00:01Z"}, [11, 12]),
        ({"from": "2023-01-01", "until": "2023-12-31", "set": "water"}, [2, 4, 5]),
    ],
)
def test_from_until(sample_server, params, expected):
    for verb in ("ListRecords", "ListIdentifiers"):
        pages = walk(sample_server.url, verb, **params)
        assert identifiers_of(pages) == [ID.format(i) for i in expected]
        request = pages[0].find("o:request", NS)
        assert request is not None
        for name, value in params.items():
            assert request.get(name) == value


def test_resumption_tokens_keep_the_filters(sample_server):
    pages = walk(sample_server.url, set="water", **{"from": "2023-03-01"})
    assert identifiers_of(pages) == [ID.format(i) for i in (4, 5, 8, 9, 12)]
    assert len(pages) == 1
    water_pages = walk(sample_server.url, set="water")
    assert len(water_pages) == 2
    token = water_pages[0].find("o:ListRecords/o:resumptionToken", NS)
    assert token is not None
    assert token.get("completeListSize") == "6"


def test_day_granularity_repository(server_factory):
    records = [
        SampleRecord(
            f"r{i}", datetime(2024, 1, 1 + i, tzinfo=UTC), (), False, {"title": (("t", None),)}
        )
        for i in range(6)
    ]
    repo = ListRepository("days", records, granularity=GRANULARITY_DAY)
    server = server_factory(OAIProvider(repo, page_size=4))
    _, root = get(server.url, verb="Identify")
    assert root.findtext("o:Identify/o:granularity", namespaces=NS) == "YYYY-MM-DD"
    assert root.findtext("o:Identify/o:earliestDatestamp", namespaces=NS) == "2024-01-01"
    pages = walk(server.url, **{"from": "2024-01-02", "until": "2024-01-04"})
    assert identifiers_of(pages) == ["r1", "r2", "r3"]
    assert [h.findtext("o:datestamp", namespaces=NS) for h in headers_of(pages)] == [
        "2024-01-02",
        "2024-01-03",
        "2024-01-04",
    ]
    _, root = get(
        server.url, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2024-01-02T00:00:00Z"}
    )
    assert error_code(root) == "badArgument"


# ---------------------------------------------------------------------------- GetRecord


def test_get_record(sample_server):
    response, root = get(
        sample_server.url, verb="GetRecord", identifier=ID.format(4), metadataPrefix="oai_dc"
    )
    assert response.status_code == 200
    record = root.find("o:GetRecord/o:record", NS)
    assert record is not None
    assert record.findtext("o:header/o:identifier", namespaces=NS) == ID.format(4)
    assert [(t.text, t.get(XML_LANG)) for t in record.iterfind(".//dc:title", NS)] == [
        ("Slootwatermonitoring Groene Polder", "nl"),
        ("Ditch water monitoring in the Green Polder", "en"),
    ]
    assert record.xpath(".//dc:subject/text()", namespaces=NS) == [
        "nitrate",
        "phosphate",
        "ditches",
    ]


def test_get_record_of_a_deleted_record(sample_server):
    _, root = get(
        sample_server.url, verb="GetRecord", identifier=ID.format(9), metadataPrefix="oai_dc"
    )
    record = root.find("o:GetRecord/o:record", NS)
    assert record is not None
    assert record.find("o:header", NS).get("status") == "deleted"  # type: ignore[union-attr]
    assert record.find("o:metadata", NS) is None


# ------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("query", "code", "echo"),
    [
        ("", "badVerb", False),
        ("verb=Frobnicate", "badVerb", False),
        ("verb=Identify&verb=ListSets", "badVerb", False),
        ("verb=Identify&set=water", "badArgument", False),
        ("verb=ListRecords", "badArgument", False),
        ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=oai_dc", "badArgument", False),
        ("verb=ListRecords&metadataPrefix=oai_dc&resumptionToken=abc", "badArgument", False),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-13-01", "badArgument", False),
        ("verb=ListRecords&metadataPrefix=oai_dc&until=03:020:00Z", "badArgument", False),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2024-02-01T00:00:00Z",
            "badArgument",
            False,
        ),
        (
            "verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-01&until=2024-01-01",
            "badArgument",
            False,
        ),
        ("verb=ListRecords&metadataPrefix=oai_dc&set=no%20such", "badArgument", False),
        ("verb=ListRecords&metadataPrefix=", "badArgument", False),
        ("verb=GetRecord&identifier=" + ID.format(1), "badArgument", False),
        ("verb=ListRecords&resumptionToken=XXX", "badResumptionToken", True),
        ("verb=ListSets&resumptionToken=XXX", "badResumptionToken", True),
        ("verb=ListRecords&metadataPrefix=marcxml", "cannotDisseminateFormat", True),
        ("verb=ListIdentifiers&metadataPrefix=datacite", "cannotDisseminateFormat", True),
        (
            "verb=GetRecord&metadataPrefix=marcxml&identifier=" + ID.format(1),
            "cannotDisseminateFormat",
            True,
        ),
        ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:nope:1", "idDoesNotExist", True),
        ("verb=ListRecords&metadataPrefix=oai_dc&set=unknownset", "noRecordsMatch", True),
        ("verb=ListRecords&metadataPrefix=oai_dc&from=2030-01-01", "noRecordsMatch", True),
        ("verb=ListIdentifiers&metadataPrefix=oai_dc&until=2000-01-01", "noRecordsMatch", True),
    ],
)
def test_errors_are_answered_with_http_200(sample_server, query, code, echo):
    response = requests.get(f"{sample_server.url}?{query}", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
    root = etree.fromstring(response.content)
    assert error_code(root) == code
    assert root.findtext("o:error", namespaces=NS)
    request = root.find("o:request", NS)
    assert request is not None
    assert request.text == sample_server.url
    if echo:
        assert request.get("verb")
    else:
        assert dict(request.attrib) == {}


def test_a_token_for_another_verb_or_altered_is_rejected(sample_server):
    pages = walk(sample_server.url, "ListIdentifiers")
    token = pages[0].findtext("o:ListIdentifiers/o:resumptionToken", namespaces=NS)
    assert token
    _, root = get(sample_server.url, verb="ListRecords", resumptionToken=token)
    assert error_code(root) == "badResumptionToken"
    altered = token[:-1] + ("0" if token[-1] != "0" else "1")
    _, root = get(sample_server.url, verb="ListIdentifiers", resumptionToken=altered)
    assert error_code(root) == "badResumptionToken"
    _, root = get(sample_server.url, verb="ListIdentifiers", resumptionToken=token)
    assert error_code(root) is None


def test_token_encoding_round_trip_and_past_the_end(sample_server):
    first = walk(sample_server.url)[0]
    token = first.findtext("o:ListRecords/o:resumptionToken", namespaces=NS) or ""
    request = decode_token(token)
    assert (request.verb, request.metadata_prefix, request.offset) == ("ListRecords", "oai_dc", 5)
    beyond = encode_token(type(request)("ListRecords", "oai_dc", None, None, None, 99))
    _, root = get(sample_server.url, verb="ListRecords", resumptionToken=beyond)
    assert error_code(root) == "badResumptionToken"


def test_other_paths_and_methods(sample_server):
    assert requests.get(sample_server.base + "/elsewhere", timeout=10).status_code == 404
    assert requests.put(sample_server.url, timeout=10).status_code == 405
    assert requests.get(sample_server.url + "/?verb=Identify", timeout=10).status_code == 200


def test_post_requests_are_answered_like_get(sample_server):
    response = requests.post(
        sample_server.url,
        data={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "water"},
        timeout=10,
    )
    root = etree.fromstring(response.content)
    ids = root.xpath("//o:header/o:identifier/text()", namespaces=NS)
    assert ids == WATER[:5]


# ------------------------------------------------------------------------ escaping


def test_text_is_escaped_and_illegal_characters_replaced(server_factory):
    nasty = "a & b < c > d \" ' ]]> é 😀"
    record = SampleRecord(
        "oai:x:1&2",
        datetime(2024, 1, 1, tzinfo=UTC),
        (),
        False,
        {
            "title": ((nasty, 'e"n'),),
            "description": (("bell\x07 and vt\x0b and nul\x00 and line\r\nend", None),),
        },
    )
    server = server_factory(OAIProvider(ListRepository("R & D <test>", [record])))
    _, root = get(server.url, verb="GetRecord", identifier="oai:x:1&2", metadataPrefix="oai_dc")
    assert root.findtext(".//o:header/o:identifier", namespaces=NS) == "oai:x:1&2"
    title = root.find(".//dc:title", NS)
    assert title is not None
    assert title.text == nasty
    assert title.get(XML_LANG) == 'e"n'
    assert root.findtext(".//dc:description", namespaces=NS) == (
        "bell\ufffd and vt\ufffd and nul\ufffd and line\r\nend"
    )
    _, root = get(server.url, verb="Identify")
    assert root.findtext("o:Identify/o:repositoryName", namespaces=NS) == "R & D <test>"


def test_xml_escape_fast_path_returns_the_same_object():
    text = "plain text with ümlauts and 'quotes'"
    assert xml_escape(text) is text
    assert xml_escape("<&>") == "&lt;&amp;&gt;"


# -------------------------------------------------------------------- schema validity


@pytest.fixture(scope="module")
def schema():
    loaded = oai_dc_schema()
    if loaded is None:
        pytest.skip("shared/fixtures/schemas is not available beside the repository")
    return loaded


def _assert_valid(schema: etree.XMLSchema, root: etree._Element) -> None:
    if not schema.validate(root):
        raise AssertionError(str(schema.error_log.filter_from_errors()))


def test_schema_accepts_the_recorded_zenodo_oai_dc_page(schema):
    from tests.support.fixture_provider import SHARED_FIXTURES

    assert SHARED_FIXTURES is not None
    path = SHARED_FIXTURES / "oai-pmh" / "zenodo-2026-08" / "ListRecords_oai_dc_page1.xml"
    _assert_valid(schema, etree.parse(str(path)).getroot())


QUERIES = [
    {"verb": "Identify"},
    {"verb": "ListMetadataFormats"},
    {"verb": "ListMetadataFormats", "identifier": ID.format(1)},
    {"verb": "ListSets"},
    {"verb": "GetRecord", "identifier": ID.format(1), "metadataPrefix": "oai_dc"},
    {"verb": "GetRecord", "identifier": ID.format(9), "metadataPrefix": "oai_dc"},
    {"verb": "GetRecord", "identifier": ID.format(3), "metadataPrefix": "oai_dc"},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "water"},
    {
        "verb": "ListRecords",
        "metadataPrefix": "oai_dc",
        "from": "2023-01-01",
        "until": "2024-12-31",
    },
    {"verb": "Nope"},
    {"verb": "ListRecords"},
    {"verb": "ListRecords", "metadataPrefix": "marcxml"},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2031-01-01"},
    {"verb": "GetRecord", "identifier": "oai:x:y", "metadataPrefix": "oai_dc"},
    {"verb": "ListRecords", "resumptionToken": "garbage"},
]


@pytest.mark.parametrize("params", QUERIES, ids=lambda p: "-".join(p.values()))
def test_responses_are_schema_valid(sample_server, schema, params):
    _, root = get(sample_server.url, **params)
    _assert_valid(schema, root)


def test_every_list_page_is_schema_valid(sample_server, schema):
    for verb in ("ListRecords", "ListIdentifiers"):
        for page in walk(sample_server.url, verb):
            _assert_valid(schema, page)


@pytest.mark.parametrize("name", sorted(demo_repositories()) or ["(none shipped)"])
def test_demo_repositories_are_served_schema_valid(server_factory, schema, name):
    repositories = demo_repositories()
    if name not in repositories:
        pytest.skip("no demo repository is shipped yet")
    repository = repositories[name]
    server = server_factory(OAIProvider(repository, page_size=7))
    pages = walk(server.url)
    assert len(identifiers_of(pages)) == len(repository.records)
    for page in [*pages, *walk(server.url, "ListIdentifiers")]:
        _assert_valid(schema, page)
    for query in ({"verb": "Identify"}, {"verb": "ListSets"}):
        _assert_valid(schema, get(server.url, **query)[1])


def test_synthetic_pages_are_schema_valid(server_factory, schema):
    server = server_factory(OAIProvider(SyntheticRepository(1_000_000, seed=5), page_size=100))
    _, first = get(server.url, verb="ListRecords", metadataPrefix="oai_dc", set="environment")
    _assert_valid(schema, first)
    _assert_valid(schema, get(server.url, verb="ListSets")[1])
    _assert_valid(schema, get(server.url, verb="Identify")[1])


# ---------------------------------------------------------------- synthetic over HTTP


def test_synthetic_million_over_http(server_factory):
    repo = SyntheticRepository(1_000_000)
    server = server_factory(OAIProvider(repo, page_size=100))
    _, first = get(server.url, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.find("o:ListIdentifiers/o:resumptionToken", NS)
    assert token is not None
    assert token.get("completeListSize") == "1000000"
    _, root = get(
        server.url,
        verb="GetRecord",
        identifier=repo.identifier_of(999_999),
        metadataPrefix="oai_dc",
    )
    assert root.findtext(".//o:header/o:identifier", namespaces=NS) == repo.identifier_of(999_999)
    until = repo.datestamp_of(250).strftime("%Y-%m-%dT%H:%M:%SZ")
    pages = walk(server.url, "ListIdentifiers", until=until, set="biodiversity")
    assert identifiers_of(pages) == [repo.identifier_of(i) for i in range(0, 251, 3)]


def test_pages_render_fast_enough_for_the_benchmark():
    app = OAIProvider(SyntheticRepository(1_000_000), page_size=100)
    request = {"verb": ["ListRecords"], "metadataPrefix": ["oai_dc"]}
    body = app.render(request, "http://127.0.0.1/oai")
    token = etree.fromstring(body).findtext(".//o:resumptionToken", namespaces=NS) or ""
    began = time.perf_counter()
    pages = 40
    for _ in range(pages):
        app.render({"verb": ["ListRecords"], "resumptionToken": [token]}, "http://127.0.0.1/oai")
    per_page = (time.perf_counter() - began) / pages
    # About 3.5 ms here; a generous bound that still catches an accidental O(n) path.
    assert per_page < 0.05


def test_render_error_helper():
    body = render_error(
        "http://h/oai",
        "badResumptionToken",
        "gone",
        {"verb": "ListRecords", "resumptionToken": "t"},
    )
    root = etree.fromstring(body)
    assert error_code(root) == "badResumptionToken"
    with pytest.raises(ValueError, match="error code"):
        render_error("http://h/oai", "notACode")


def test_schema_rejects_what_it_should(schema):
    """The validator is not vacuous: stray text inside oai_dc:dc and unknown DC elements fail."""
    from tests.support.fixture_provider import SHARED_FIXTURES

    assert SHARED_FIXTURES is not None
    stray = SHARED_FIXTURES / "oai-pmh" / "sickle-sample-data" / "ListRecords.xml"
    assert not schema.validate(etree.parse(str(stray)).getroot())
    app = OAIProvider(sample_repository())
    body = app.render(
        {"verb": ["GetRecord"], "identifier": [ID.format(1)], "metadataPrefix": ["oai_dc"]},
        "http://h/oai",
    )
    broken = body.replace(b"<dc:creator>", b"<dc:author>").replace(
        b"</dc:creator>", b"</dc:author>"
    )
    assert schema.validate(etree.fromstring(body))
    assert not schema.validate(etree.fromstring(broken))
