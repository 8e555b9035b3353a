"""No output of the portal carries a planted e-mail address, a control character, or a whole
100 KB title: a hostile provider on loopback (every Dublin Core element and identifier of
every record carries an address, in ten forms) is harvested into a store and index, and
every surface is read: search page and snippets, suggestions, record pages (HTML, JSON,
JSON-LD), the API, both exports, OAI-PMH (oai_dc and oai_datacite), the sources pages with
their quality issues, FAIR reasons and licence texts."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from harvester.core.model import MAX_TEXT
from harvester.core.settings import Settings, load_settings
from harvester.core.sources import SourceConfig
from harvester.index.service import open_index
from harvester.pipeline.harvest import harvest_source
from harvester.sample_provider import OAIProvider
from harvester.sample_provider.hostile import TOKEN, hostile_repository
from harvester.store import SUCCEEDED, Store
from portal.app import create_app
from tests.support.servers import start

RECORDS = 10
CONTROLS = ("\u202e", "\u2066", "\u2069", "\u200b", "\x07", "\x7f")


@pytest.fixture(scope="module")
def hostile_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A data folder holding the hostile provider's records, harvested and indexed."""
    home = tmp_path_factory.mktemp("hostile")
    (home / "config" / "sources").mkdir(parents=True)
    settings = load_settings({"CSFINDER_HOME": str(home), "CSFINDER_CONFIG": str(home / "config")})
    with start(OAIProvider(hostile_repository(RECORDS), page_size=4)) as server:
        source = SourceConfig(
            id="hostile",
            name="Hostile provider",
            platform="test",
            protocol="oai-pmh",
            url=server.url,
            metadata_prefix="oai_dc",
            crosswalk="oai_dc",
        )
        (home / "config" / "sources" / "hostile.yaml").write_text(
            json.dumps(source.model_dump(exclude={"id"}, mode="json"))
        )
        store = Store(settings.database_url)
        run = harvest_source(source, store, settings.harvest, index=open_index(settings))
        assert run.status == SUCCEEDED, run.error
        assert run.counts.added == RECORDS
        store.close()
    return settings


@pytest.fixture(scope="module")
def hostile_app(hostile_settings: Settings) -> Flask:
    return create_app(hostile_settings, TESTING=True, SECRET_KEY="no-addresses")


@pytest.fixture
def portal(hostile_app: Flask) -> FlaskClient:
    return hostile_app.test_client()


def record_ids(portal: FlaskClient) -> list[str]:
    found = portal.get("/api/v1/search?per_page=50").get_json()
    return [hit["id"] for hit in found["hits"]]


def outputs(portal: FlaskClient) -> Iterator[tuple[str, str]]:
    """Every surface, as (what, body text)."""
    ids = record_ids(portal)
    assert len(ids) == RECORDS
    plain = {
        "search page": "/?q=birds",
        "search page, no query": "/",
        "search page, licence facet": "/?license=other",
        "API search with snippets": "/api/v1/search?q=birds&per_page=50",
        "API search of 'contact'": "/api/v1/search?q=contact&per_page=50",
        "API search of 'example'": "/api/v1/search?q=example&per_page=50",
        "suggestions": "/suggest?q=Inv",
        "API suggestions": "/api/v1/suggest?q=Lon",
        "CSV export": "/export.csv",
        "JSON export": "/export.json",
        "sources page": "/sources",
        "source page (quality issues)": "/sources/hostile",
        "API sources": "/api/v1/sources",
        "API runs": "/api/v1/sources/hostile/runs",
        "OAI ListRecords oai_dc": "/oai?verb=ListRecords&metadataPrefix=oai_dc",
        "OAI ListRecords oai_datacite": "/oai?verb=ListRecords&metadataPrefix=oai_datacite",
        "OAI ListIdentifiers": "/oai?verb=ListIdentifiers&metadataPrefix=oai_dc",
    }
    for what, path in plain.items():
        yield what, _body(portal, path)
    for record_id in ids:
        page = f"/records/{record_id}"
        yield f"record page {record_id}", _body(portal, page)
        yield f"record JSON {record_id}", _body(portal, page, "application/json")
        yield f"record JSON-LD {record_id}", _body(portal, page, "application/ld+json")
        yield f"API record {record_id}", _body(portal, f"/api/v1/records/{record_id}")
        oai_id = f"oai:localhost:{record_id}"
        for prefix in ("oai_dc", "oai_datacite"):
            yield (
                f"OAI GetRecord {prefix} {record_id}",
                _body(portal, f"/oai?verb=GetRecord&metadataPrefix={prefix}&identifier={oai_id}"),
            )


def _body(portal: FlaskClient, path: str, accept: str | None = None) -> str:
    headers = {"Accept": accept} if accept else {}
    response = portal.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code, response.data[:300])
    return response.get_data(as_text=True)


def readable(body: str) -> str:
    """The body as a reader sees it: HTML entities and JSON escapes undone."""
    text = html.unescape(body)
    return text.encode("utf-8", "surrogatepass").decode("unicode_escape", "ignore") + text


def test_no_planted_address_in_any_output(portal: FlaskClient) -> None:
    leaks: dict[str, list[str]] = {}
    seen = 0
    for what, body in outputs(portal):
        seen += 1
        shown = readable(body)
        if TOKEN in shown:
            start = shown.index(TOKEN)
            leaks[what] = [shown[max(0, start - 80) : start + 40]]
    assert seen > 40
    assert leaks == {}


def test_no_control_character_in_any_output(portal: FlaskClient) -> None:
    found = {
        what: [repr(c) for c in CONTROLS if c in body or c in html.unescape(body)]
        for what, body in outputs(portal)
    }
    assert {what: chars for what, chars in found.items() if chars} == {}


def test_the_long_title_is_served_cut(portal: FlaskClient) -> None:
    hits = portal.get("/api/v1/search?per_page=50").get_json()["hits"]
    longest = max(len(hit["title"]) for hit in hits)
    assert 1000 < longest <= MAX_TEXT
    record = next(h for h in hits if len(h["title"]) == longest)
    full: dict[str, Any] = portal.get(f"/api/v1/records/{record['id']}").get_json()
    assert any(i["problem"] == "truncated" for i in full["quality"]["issues"])
    page = portal.get(f"/records/{record['id']}").get_data(as_text=True)
    assert len(page) < 60_000


def test_the_spoofed_title_reads_as_it_is_stored(portal: FlaskClient) -> None:
    titles = [h["title"] for h in portal.get("/api/v1/search?per_page=50").get_json()["hits"]]
    assert any(t.startswith("Invoice gpj.exe") for t in titles), titles


def test_stored_documents_hold_no_address_either(hostile_settings: Settings) -> None:
    """What the store keeps for the portal (raw payloads aside) is already public."""
    store = Store(hostile_settings.database_url)
    try:
        documents = [row.document for row in store.iter_normalised("hostile")]
    finally:
        store.close()
    assert len(documents) == RECORDS
    assert not any(TOKEN in document for document in documents)


def test_the_hostile_repository_plants_every_element() -> None:
    repository = hostile_repository(3)
    for record in repository.records:
        assert TOKEN in record.identifier
        assert all(TOKEN in values[0][0] for values in record.dc.values())
