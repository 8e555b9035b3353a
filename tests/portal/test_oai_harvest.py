"""Sickle harvests the whole aggregate back from /oai over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from sickle import Sickle
from sickle.oaiexceptions import BadResumptionToken, NoRecordsMatch

from harvester.core.settings import Settings
from harvester.sample_provider import RunningServer, serve
from harvester.store import Store
from portal.app import create_app

PAGE = 5


@pytest.fixture
def portal_server(portal_settings: Settings) -> Iterator[RunningServer]:
    """The portal served by a threaded WSGI server on a free loopback port."""
    app = create_app(portal_settings, OAI_PAGE_SIZE=PAGE, SECRET_KEY="harvest-test-secret")
    with serve(app, host="127.0.0.1", port=0, path="/oai") as server:
        yield server


@pytest.fixture
def stored(portal_settings: Settings) -> dict[str, bool]:
    """Record id to deleted, for every normalised record of the demo."""
    store = Store(portal_settings.database_url)
    try:
        return {r.id: r.deleted for r in store.iter_normalised(include_deleted=True)}
    finally:
        store.close()


def record_id(oai_identifier: str) -> str:
    return oai_identifier.split(":", 2)[2]


@pytest.mark.parametrize("prefix", ["oai_dc", "oai_datacite"])
def test_sickle_harvests_every_page_and_every_deleted_record(
    portal_server: RunningServer, stored: dict[str, bool], prefix: str
) -> None:
    sickle = Sickle(portal_server.url, timeout=10)
    identify = sickle.Identify()
    assert identify.deletedRecord == "persistent"
    records = list(sickle.ListRecords(metadataPrefix=prefix, ignore_deleted=False))
    assert len(stored) // PAGE >= 3  # several pages
    got = {record_id(r.header.identifier): r.header.deleted for r in records}
    assert len(got) == len(records) == len(stored)
    assert got == stored
    assert sum(got.values()) == 2
    live = [r for r in records if not r.header.deleted]
    if prefix == "oai_dc":
        assert all(r.metadata.get("title") for r in live)


def test_sickle_lists_identifiers_sets_and_gets_records(
    portal_server: RunningServer, stored: dict[str, bool]
) -> None:
    sickle = Sickle(portal_server.url, timeout=10)
    headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False))
    assert {record_id(h.identifier) for h in headers} == set(stored)
    specs = {s.setSpec for s in sickle.ListSets()}
    assert {"kind:dataset", "kind:project", "source:demo-eu-cs-datasets"} <= specs
    datasets = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", set="kind:dataset"))
    assert datasets and all("kind:dataset" in h.setSpecs for h in datasets)
    one = sickle.GetRecord(identifier=headers[0].identifier, metadataPrefix="oai_datacite")
    assert one.header.identifier == headers[0].identifier
    with pytest.raises(NoRecordsMatch):
        list(sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": "2999-01-01"}))
    stamps = sorted(h.datestamp for h in headers)
    newest = list(
        sickle.ListIdentifiers(
            metadataPrefix="oai_dc", ignore_deleted=False, **{"from": stamps[-1]}
        )
    )
    assert len(newest) == stamps.count(stamps[-1])
    oldest = list(
        sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False, until=stamps[0])
    )
    assert len(oldest) == stamps.count(stamps[0])


def test_sickle_meets_bad_resumption_tokens(portal_server: RunningServer) -> None:
    first = requests.get(
        portal_server.url, params={"verb": "ListRecords", "metadataPrefix": "oai_dc"}, timeout=10
    )
    assert first.status_code == 200
    start = first.text.index('">', first.text.index("<resumptionToken")) + 2
    token = first.text[start : first.text.index("</resumptionToken>")]
    sickle = Sickle(portal_server.url, timeout=10)
    for bad in (token[:-3] + "abc", "not-a-token", token.replace(".", "x.", 1)):
        with pytest.raises(BadResumptionToken):
            sickle.ListRecords(resumptionToken=bad)
    assert sickle.ListRecords(resumptionToken=token) is not None
