"""The OAI-PMH provider at /oai: every verb and every error, validated against the official
schemas; formats, sets, datestamps and resumption tokens over the demo's records."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from harvester.core.settings import Settings, load_settings
from harvester.store import NormalisedRow, Store
from portal.app import create_app
from portal.oai import tokens
from portal.oai.config import signing_key
from tests.support.oai_schemas import (
    DATACITE_NS,
    OAI_DATACITE_NS,
    OAI_DC_NS,
    OAI_NS,
    PROVENANCE_NS,
    SKIP_REASON,
    provider_schema,
)

NS = {
    "o": OAI_NS,
    "oai_dc": OAI_DC_NS,
    "dc": "http://purl.org/dc/elements/1.1/",
    "od": OAI_DATACITE_NS,
    "d": DATACITE_NS,
    "p": PROVENANCE_NS,
}
SECRET = "test-secret-not-for-production"
PAGE = 7


@pytest.fixture
def oai_app(portal_settings: Settings) -> Flask:
    """The portal with small OAI pages and a known secret."""
    return create_app(portal_settings, TESTING=True, OAI_PAGE_SIZE=PAGE, SECRET_KEY=SECRET)


@pytest.fixture
def oai(oai_app: Flask) -> FlaskClient:
    """A test client of that portal."""
    return oai_app.test_client()


def fetch(client: FlaskClient, method: str = "GET", **params: Any) -> etree._Element:
    """Ask /oai; the answer is HTTP 200 XML, valid against the schemas where they exist."""
    if method == "POST":
        response = client.post("/oai", data=params)
    else:
        response = client.get("/oai", query_string=params)
    assert response.status_code == 200
    assert response.content_type == "text/xml; charset=utf-8"
    root = etree.fromstring(response.data)
    schema = provider_schema()
    if schema is not None:
        assert schema.validate(root), (schema.error_log, response.data[:2000])
    return root


def error_code(root: etree._Element) -> str | None:
    error = root.find("o:error", NS)
    return None if error is None else error.get("code")


def walk(client: FlaskClient, verb: str, **params: Any) -> Iterator[etree._Element]:
    """Every page of a list, following resumption tokens."""
    args: dict[str, Any] = {"verb": verb, **params}
    for _ in range(1000):
        root = fetch(client, **args)
        assert error_code(root) is None, etree.tostring(root)
        yield root
        token = root.find(f"o:{verb}/o:resumptionToken", NS)
        if token is None or not token.text:
            return
        args = {"verb": verb, "resumptionToken": token.text}
    raise AssertionError("the list never ended")


def headers(pages: list[etree._Element]) -> list[etree._Element]:
    return [h for page in pages for h in page.iterfind(".//o:header", NS)]


def live_ids(settings: Settings) -> list[str]:
    store = Store(settings.database_url)
    try:
        return [row.id for row in store.iter_normalised(include_deleted=True)]
    finally:
        store.close()


# ---------------------------------------------------------------------------- schemas


def test_the_schemas_are_there_or_the_validation_is_skipped() -> None:
    if provider_schema() is None:
        pytest.skip(SKIP_REASON)


def test_identify(oai: FlaskClient) -> None:
    root = fetch(oai, verb="Identify")
    identify = root.find("o:Identify", NS)
    assert identify is not None
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("o:adminEmail", namespaces=NS) == "oai-admin@csfinder.invalid"
    assert identify.findtext("o:baseURL", namespaces=NS) == "http://localhost/oai"
    earliest = identify.findtext("o:earliestDatestamp", namespaces=NS) or ""
    assert earliest.endswith("Z") and len(earliest) == 20


def test_identify_takes_the_namespace_and_address_from_the_configuration(
    portal_settings: Settings,
) -> None:
    app = create_app(
        portal_settings,
        TESTING=True,
        OAI_NAMESPACE="csfinder.example.org",
        OAI_ADMIN_EMAIL="helpdesk@csfinder.example.org",
    )
    root = fetch(app.test_client(), verb="Identify")
    assert root.findtext(".//o:adminEmail", namespaces=NS) == "helpdesk@csfinder.example.org"
    sample = root.findtext(".//{*}sampleIdentifier") or ""
    assert sample.startswith("oai:csfinder.example.org:")
    listed = fetch(app.test_client(), verb="ListIdentifiers", metadataPrefix="oai_dc")
    first = listed.findtext(".//o:identifier", namespaces=NS) or ""
    assert first.startswith("oai:csfinder.example.org:")


def test_list_metadata_formats(oai: FlaskClient, portal_settings: Settings) -> None:
    root = fetch(oai, verb="ListMetadataFormats")
    prefixes = [e.text for e in root.iterfind(".//o:metadataPrefix", NS)]
    assert prefixes == ["oai_dc", "oai_datacite"]
    one = fetch(
        oai,
        verb="ListMetadataFormats",
        identifier=f"oai:localhost:{live_ids(portal_settings)[0]}",
    )
    assert len(one.findall(".//o:metadataFormat", NS)) == 2


def test_list_sets_has_platform_source_kind_and_country(oai: FlaskClient) -> None:
    root = fetch(oai, verb="ListSets")
    specs = {
        s.findtext("o:setSpec", namespaces=NS): s.findtext("o:setName", namespaces=NS)
        for s in root.iterfind(".//o:set", NS)
    }
    assert {"platform", "source", "kind", "country"} <= specs.keys()
    assert specs["kind:dataset"] == "Datasets" and specs["kind:project"] == "Projects"
    assert specs["country:ES"] == "Spain"
    assert specs["source:demo-eu-cs-datasets"] == "Citizen Science Data Repository (demo)"
    assert any((spec or "").startswith("platform:") for spec in specs)


@pytest.mark.parametrize("prefix", ["oai_dc", "oai_datacite"])
def test_list_records_pages_validate_and_cover_everything(
    oai: FlaskClient, portal_settings: Settings, prefix: str
) -> None:
    pages = list(walk(oai, "ListRecords", metadataPrefix=prefix))
    assert len(pages) > 2
    listed = headers(pages)
    ids = [h.findtext("o:identifier", namespaces=NS) for h in listed]
    assert len(ids) == len(set(ids)) == len(live_ids(portal_settings))
    deleted = [h for h in listed if h.get("status") == "deleted"]
    assert len(deleted) == 2
    tokens_seen = [p.find(".//o:resumptionToken", NS) for p in pages[:-1]]
    assert [int(t.get("cursor") or -1) for t in tokens_seen if t is not None] == [
        PAGE * i for i in range(len(pages) - 1)
    ]
    for token in tokens_seen:
        assert token is not None and token.get("completeListSize") == str(len(ids))
        assert token.get("expirationDate")
    last = pages[-1].find(".//o:resumptionToken", NS)
    assert last is not None and not last.text  # the empty token ends the list
    for record in (r for p in pages for r in p.iterfind(".//o:record", NS)):
        header = record.find("o:header", NS)
        assert header is not None
        if header.get("status") == "deleted":
            assert record.find("o:metadata", NS) is None
            continue
        assert record.find("o:about/p:provenance/p:originDescription", NS) is not None
        if prefix == "oai_dc":
            assert record.find("o:metadata/oai_dc:dc/dc:title", NS) is not None
        else:
            resource = record.find("o:metadata/od:oai_datacite/od:payload/d:resource", NS)
            assert resource is not None
            assert resource.find("d:creators/d:creator/d:creatorName", NS) is not None


def test_list_identifiers_and_post(oai: FlaskClient) -> None:
    pages = list(walk(oai, "ListIdentifiers", metadataPrefix="oai_dc"))
    assert pages[0].find(".//o:record", NS) is None
    posted = fetch(oai, "POST", verb="ListIdentifiers", metadataPrefix="oai_dc")
    got = [e.text for e in posted.iterfind(".//o:identifier", NS)]
    assert got == [e.text for e in pages[0].iterfind(".//o:identifier", NS)]


def test_get_record_both_formats_with_provenance(
    oai: FlaskClient, portal_settings: Settings
) -> None:
    record_id = live_ids(portal_settings)[0]
    root = fetch(
        oai, verb="GetRecord", metadataPrefix="oai_dc", identifier=f"oai:localhost:{record_id}"
    )
    origin = root.find(".//p:originDescription", NS)
    assert origin is not None and origin.get("altered") == "true"
    assert origin.findtext("p:baseURL", namespaces=NS, default="").startswith("http://127.0.0.1")
    assert origin.findtext("p:identifier", namespaces=NS, default="").startswith("oai:")
    assert origin.findtext("p:metadataNamespace", namespaces=NS) == OAI_DC_NS
    root = fetch(
        oai,
        verb="GetRecord",
        metadataPrefix="oai_datacite",
        identifier=f"oai:localhost:{record_id}",
    )
    assert root.find(".//d:resource/d:identifier", NS) is not None


def test_a_deleted_record_is_a_header_with_status_deleted(
    oai: FlaskClient, portal_settings: Settings
) -> None:
    store = Store(portal_settings.database_url)
    deleted = [r.id for r in store.iter_normalised(include_deleted=True) if r.deleted]
    store.close()
    root = fetch(
        oai, verb="GetRecord", metadataPrefix="oai_dc", identifier=f"oai:localhost:{deleted[0]}"
    )
    header = root.find(".//o:header", NS)
    assert header is not None and header.get("status") == "deleted"
    assert root.find(".//o:metadata", NS) is None
    specs = {spec.text for spec in header.findall("o:setSpec", NS)}
    # withdrawn before the provider first answered, it still lists every set it was in
    assert any(spec.startswith("kind:") for spec in specs if spec), specs
    assert any(spec.startswith("platform:") for spec in specs if spec), specs


# ----------------------------------------------------------------------------- errors

ERRORS = [
    ({}, "badVerb"),
    ({"verb": "Explode"}, "badVerb"),
    ({"verb": ["Identify", "Identify"]}, "badVerb"),
    ({"verb": "Identify", "set": "x"}, "badArgument"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-45"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "03:020:00Z"}, "badArgument"),
    (
        {
            "verb": "ListRecords",
            "metadataPrefix": "oai_dc",
            "from": "2025-01-02",
            "until": "2025-01-01",
        },
        "badArgument",
    ),
    (
        {
            "verb": "ListRecords",
            "metadataPrefix": "oai_dc",
            "from": "2025-01-01",
            "until": "2025-01-02T00:00:00Z",
        },
        "badArgument",
    ),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "ListRecords", "resumptionToken": "garbage"}, "badResumptionToken"),
    ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "datacite"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:y"}, "idDoesNotExist"),
    ({"verb": "ListMetadataFormats", "identifier": "oai:localhost:nope:0"}, "idDoesNotExist"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "country:AQ"}, "noRecordsMatch"),
    (
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": "2999-01-01"},
        "noRecordsMatch",
    ),
    (
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "until": "1999-01-01T00:00:00Z"},
        "noRecordsMatch",
    ),
]


@pytest.mark.parametrize(("params", "code"), ERRORS)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_errors_are_http_200_with_the_oai_code(
    oai: FlaskClient, params: dict[str, Any], code: str, method: str
) -> None:
    root = fetch(oai, method, **params)
    assert error_code(root) == code
    request = root.find("o:request", NS)
    assert request is not None
    if code in ("badVerb", "badArgument"):
        assert not request.attrib  # the spec: no arguments echoed


def test_a_cannot_disseminate_on_get_record(oai: FlaskClient, portal_settings: Settings) -> None:
    identifier = f"oai:localhost:{live_ids(portal_settings)[0]}"
    root = fetch(oai, verb="GetRecord", metadataPrefix="marc21", identifier=identifier)
    assert error_code(root) == "cannotDisseminateFormat"


# ----------------------------------------------------------------------------- tokens


def first_token(client: FlaskClient, verb: str = "ListRecords") -> str:
    root = fetch(client, verb=verb, metadataPrefix="oai_dc")
    token = root.findtext(f".//o:{verb}/o:resumptionToken", namespaces=NS)
    assert token
    return token


def test_a_tampered_token_is_refused(oai: FlaskClient) -> None:
    token = first_token(oai)
    body, _, signature = token.partition(".")
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    for bad in (f"{flipped}.{signature}", f"{body}.{signature[:-1]}", body, token + "x"):
        assert error_code(fetch(oai, verb="ListRecords", resumptionToken=bad)) == (
            "badResumptionToken"
        )


def test_a_token_of_another_key_or_verb_is_refused(
    oai: FlaskClient, portal_settings: Settings
) -> None:
    token = first_token(oai)
    other = create_app(portal_settings, TESTING=True, OAI_PAGE_SIZE=PAGE, SECRET_KEY="other")
    root = fetch(other.test_client(), verb="ListRecords", resumptionToken=token)
    assert error_code(root) == "badResumptionToken"
    root = fetch(oai, verb="ListIdentifiers", resumptionToken=token)
    assert error_code(root) == "badResumptionToken"


def test_an_expired_token_is_refused(oai: FlaskClient, oai_app: Flask) -> None:
    now = datetime.now(UTC)
    state = tokens.ListState("ListRecords", "oai_dc", None, None, now, None, 0)
    key = signing_key(oai_app)
    fresh = tokens.encode(state, key, now + timedelta(minutes=5))
    assert error_code(fetch(oai, verb="ListRecords", resumptionToken=fresh)) is None
    stale = tokens.encode(state, key, now - timedelta(seconds=1))
    root = fetch(oai, verb="ListRecords", resumptionToken=stale)
    assert error_code(root) == "badResumptionToken"
    assert "expired" in (root.findtext("o:error", namespaces=NS) or "")


def test_the_secret_comes_from_the_environment(
    portal_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSFINDER_SECRET_KEY", "from-the-environment")
    one = create_app(portal_settings, TESTING=True, OAI_PAGE_SIZE=PAGE)
    two = create_app(portal_settings, TESTING=True, OAI_PAGE_SIZE=PAGE)
    token = first_token(one.test_client())
    assert error_code(fetch(two.test_client(), verb="ListRecords", resumptionToken=token)) is None


def test_without_a_secret_each_process_makes_one_and_warns(
    portal_settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("CSFINDER_SECRET_KEY", raising=False)
    app = create_app(portal_settings, TESTING=True, OAI_PAGE_SIZE=PAGE)
    with caplog.at_level("WARNING"):
        token = first_token(app.test_client())
    assert "CSFINDER_SECRET_KEY is not set" in caplog.text
    assert error_code(fetch(app.test_client(), verb="ListRecords", resumptionToken=token)) is None


# ------------------------------------------------------------------ sets and datestamps


def test_sets_select_and_every_header_names_its_sets(oai: FlaskClient) -> None:
    everything = headers(list(walk(oai, "ListIdentifiers", metadataPrefix="oai_dc")))
    by_set: dict[str, set[str]] = {}
    for header in everything:
        specs = [s.text or "" for s in header.iterfind("o:setSpec", NS)]
        assert any(s.startswith("source:") for s in specs)
        for spec in specs:
            by_set.setdefault(spec, set()).add(header.findtext("o:identifier", namespaces=NS) or "")
    for spec in ("kind:dataset", "country:ES", "source:demo-eu-cs-projects"):
        got = headers(list(walk(oai, "ListIdentifiers", metadataPrefix="oai_dc", set=spec)))
        assert {h.findtext("o:identifier", namespaces=NS) for h in got} == by_set[spec]
    kinds = headers(list(walk(oai, "ListIdentifiers", metadataPrefix="oai_dc", set="kind")))
    assert len(kinds) == len(by_set["kind:dataset"] | by_set["kind:project"])


def test_from_and_until_at_seconds_and_days(oai: FlaskClient) -> None:
    everything = headers(list(walk(oai, "ListIdentifiers", metadataPrefix="oai_dc")))
    stamps = sorted({h.findtext("o:datestamp", namespaces=NS) or "" for h in everything})
    middle = stamps[len(stamps) // 2]

    def count(**bounds: str) -> int:
        pages = list(walk(oai, "ListIdentifiers", metadataPrefix="oai_dc", **bounds))
        return len(headers(pages))

    def expected(low: str = "", high: str = "~") -> int:
        return sum(
            1 for h in everything if low <= (h.findtext("o:datestamp", namespaces=NS) or "") <= high
        )

    assert count(**{"from": middle}) == expected(low=middle)
    assert count(until=middle) == expected(high=middle)
    assert count(**{"from": middle, "until": middle}) == expected(middle, middle)
    day = stamps[0][:10]
    assert count(**{"from": day, "until": day}) == expected(day, day + "T23:59:59Z")


# -------------------------------------------------------- a store that changes underneath


@pytest.fixture
def own_home(demo_home: Path, tmp_path: Path) -> Settings:
    """A copy of the demo's data folder that a test may change."""
    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    return load_settings({"CSFINDER_HOME": str(home), "CSFINDER_CONFIG": str(home / "config")})


def _rewrite(store: Store, record_id: str, **changes: Any) -> NormalisedRow:
    row = store.get_normalised(record_id)
    assert row is not None
    document = json.loads(row.document)
    document.update(changes)
    new = NormalisedRow(
        source_id=row.source_id,
        source_identifier=row.source_identifier,
        id=row.id,
        kind=row.kind,
        document=json.dumps(document),
        content_hash=f"changed-{datetime.now(UTC).timestamp()}",
        score=row.score,
    )
    store.write_normalised([new])
    return new


def test_harvested_text_is_escaped_not_markup(own_home: Settings) -> None:
    store = Store(own_home.database_url)
    record_id = next(r.id for r in store.iter_normalised())
    _rewrite(store, record_id, title='<b>bold</b> & \x07bell ]]> "quoted"')
    store.close()
    client = create_app(own_home, TESTING=True).test_client()
    identifier = f"oai:localhost:{record_id}"
    for prefix in ("oai_dc", "oai_datacite"):
        root = fetch(client, verb="GetRecord", metadataPrefix=prefix, identifier=identifier)
        title = root.findtext(".//dc:title", namespaces=NS) or root.findtext(
            ".//d:title", namespaces=NS
        )
        assert title == '<b>bold</b> & \ufffdbell ]]> "quoted"'


def test_pages_stay_stable_while_records_change(own_home: Settings) -> None:
    app = create_app(own_home, TESTING=True, OAI_PAGE_SIZE=PAGE, SECRET_KEY=SECRET)
    client = app.test_client()
    first = fetch(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    seen = [e.text for e in first.iterfind(".//o:identifier", NS)]
    total = int(first.find(".//o:resumptionToken", NS).get("completeListSize") or 0)  # type: ignore[union-attr]
    store = Store(own_home.database_url)
    ids = [r.id for r in store.iter_normalised(include_deleted=True)]
    seen_ids = {s.rsplit(":", 2)[-2] + ":" + s.rsplit(":", 1)[-1] for s in seen if s}
    later = next(i for i in ids if i not in seen_ids)
    _rewrite(store, later, title="Changed during the harvest")  # moves it past the snapshot
    store.close()
    token = first.findtext(".//o:resumptionToken", namespaces=NS)
    for page in walk(client, "ListIdentifiers", resumptionToken=token):
        seen += [e.text for e in page.iterfind(".//o:identifier", NS)]
    assert len(seen) == len(set(seen)) == total - 1  # no repeats; the changed one comes next time
    again = headers(list(walk(client, "ListIdentifiers", metadataPrefix="oai_dc")))
    assert len(again) == total


def test_a_record_deleted_after_it_was_listed_keeps_its_sets(own_home: Settings) -> None:
    client = create_app(own_home, TESTING=True).test_client()
    fetch(client, verb="ListSets")  # the provider records every live record's sets
    store = Store(own_home.database_url)
    row = next(r for r in store.iter_normalised() if r.kind == "dataset")
    store.write_normalised(
        [
            NormalisedRow(
                source_id=row.source_id,
                source_identifier=row.source_identifier,
                id=row.id,
                kind="resource",
                document="{}",
                content_hash="gone",
                score=0,
                deleted=True,
            )
        ]
    )
    store.close()
    pages = list(walk(client, "ListIdentifiers", metadataPrefix="oai_dc", set="kind:dataset"))
    mine = [
        h
        for h in headers(pages)
        if (h.findtext("o:identifier", namespaces=NS) or "").endswith(row.id)
    ]
    assert len(mine) == 1 and mine[0].get("status") == "deleted"


def test_texts_in_several_languages_are_re_exposed_with_their_language(
    oai: FlaskClient, client: FlaskClient
) -> None:
    """A record whose source gave its title and description in German and English keeps
    both, each with its xml:lang, in Dublin Core and in DataCite."""
    query = {"q": "Futterhaus", "kind": "project"}
    record_id = client.get("/api/v1/search", query_string=query).get_json()["hits"][0]["id"]
    identifier = f"oai:localhost:{record_id}"
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    dc = fetch(oai, verb="GetRecord", metadataPrefix="oai_dc", identifier=identifier)
    titles = {t.get(lang): t.text for t in dc.iterfind(".//dc:title", NS)}
    assert titles == {"de": "Wintergäste am Futterhaus", "en": "Winter Guests at the Bird Feeder"}
    described = [d.get(lang) for d in dc.iterfind(".//dc:description", NS)]
    assert described == ["de", "en"]
    datacite = fetch(oai, verb="GetRecord", metadataPrefix="oai_datacite", identifier=identifier)
    abstracts = [d.get(lang) for d in datacite.iterfind(".//d:descriptions/d:description", NS)]
    assert abstracts == ["de", "en"]
