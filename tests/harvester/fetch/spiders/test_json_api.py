"""The ``json-api`` protocol end to end: a Scrapy crawl in a child process against a loopback
API serving recorded platform responses (GBIF, iNaturalist, DataCite, Zenodo) or the
project's invented projects, into a real SQLite store, normalised as it goes.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from harvester.core.errors import ConfigError
from harvester.core.settings import HarvestSettings
from harvester.core.sources import SourceConfig
from harvester.pipeline.harvest import HarvestRequest, harvest_source
from harvester.store import FAILED, SUCCEEDED, Store
from tests.support.harvesting import harvest_run
from tests.support.platforms import (
    Fault,
    ListAPI,
    datacite_resources,
    gbif_datasets,
    inaturalist_projects,
    own_items,
    zenodo_records,
)


def api_source(url: str, crosswalk: str, source_id: str = "api", **options: Any) -> SourceConfig:
    """A json-api source for a loopback API."""
    return SourceConfig.model_validate(
        {
            "id": source_id,
            "name": f"Test API {source_id}",
            "platform": "test",
            "protocol": "json-api",
            "url": url,
            "crosswalk": crosswalk,
            "json_api": options,
        }
    )


def invented(url: str, **options: Any) -> SourceConfig:
    """The invented projects served CKAN-style (start/rows, result.count)."""
    paging = {
        "type": "offset",
        "offset_param": "start",
        "limit_param": "rows",
        "limit": 5,
        "total_path": "result.count",
    }
    values = {
        "records_path": "result.results",
        "id_path": "id",
        "datestamp_path": "metadata_modified",
        "pagination": paging,
        **options,
    }
    return api_source(url, "ckan", **values)


def ids(store: Store, source_id: str = "api", deleted: bool = False) -> set[str]:
    return {
        stored.record.identifier
        for stored in store.iter_records(source_id)
        if stored.record.deleted == deleted
    }


@pytest.mark.usefixtures("recorded")
def test_gbif_offset_and_limit_until_end_of_records(serve, store, fast_settings):
    datasets = gbif_datasets()
    api = ListAPI(datasets, "gbif", page_size=30)
    server = serve(api, "/v1/dataset")
    options = {"type": "offset", "limit": 30, "end_path": "endOfRecords"}
    source = api_source(
        server.url,
        "gbif",
        records_path="results",
        id_path="key",
        datestamp_path="modified",
        pagination=options,
    )
    run = harvest_run(source, store, fast_settings)
    assert run.status == SUCCEEDED, run.error
    assert run.counts.seen == run.counts.added == 100
    assert ids(store) == {d["key"] for d in datasets}
    assert [q["offset"] for q, _, _ in api.log] == ["0", "30", "60", "90"]
    stored = store.get_record("api", datasets[0]["key"])
    assert stored is not None and stored.record.datestamp == datasets[0]["modified"]
    assert json.loads(stored.record.payload or "") == datasets[0]
    rows = {row.source_identifier: row for row in store.iter_normalised("api")}
    assert len(rows) == 100
    first = json.loads(rows[datasets[0]["key"]].document)
    assert first["title"] == datasets[0]["title"].strip()
    assert first["provenance"]["protocol"] == "json-api"
    agent = api.log[0][2]["user-agent"]
    assert agent.startswith("csfinder/") and fast_settings.contact_url in agent


@pytest.mark.usefixtures("recorded")
def test_inaturalist_pages_stop_at_the_total(serve, store, fast_settings):
    projects = inaturalist_projects()
    api = ListAPI(projects, "inaturalist", page_size=2)
    server = serve(api, "/v1/projects")
    paging = {"type": "page", "size": 2, "stop": "total", "total_path": "total_results"}
    source = api_source(
        server.url, "inaturalist", records_path="results", id_path="id", pagination=paging
    )
    run = harvest_run(source, store, fast_settings)
    assert run.status == SUCCEEDED, run.error
    assert run.counts.added == len(projects) == 6
    assert [q["page"] for q, _, _ in api.log] == ["1", "2", "3"]  # no empty fourth page
    titles = {json.loads(r.document)["title"] for r in store.iter_normalised("api")}
    assert {p["title"] for p in projects} == titles


@pytest.mark.usefixtures("recorded")
def test_page_numbers_stop_at_a_short_page(serve, store, fast_settings):
    api = ListAPI(inaturalist_projects(), "inaturalist", page_size=4)
    server = serve(api)
    paging = {"type": "page", "size": 4, "stop": "short"}
    source = api_source(
        server.url, "inaturalist", records_path="results", id_path="id", pagination=paging
    )
    run = harvest_run(source, store, fast_settings)
    assert run.status == SUCCEEDED and run.counts.added == 6
    assert len(api.log) == 2


@pytest.mark.usefixtures("recorded")
def test_datacite_next_link_from_the_body(serve, store, fast_settings):
    resources = datacite_resources()
    api = ListAPI(resources, "datacite", page_size=10)
    server = serve(api, "/dois")
    source = api_source(
        server.url,
        "datacite_rest",
        records_path="data",
        id_path="id",
        datestamp_path="attributes.updated",
        params={"page[size]": 10},
        pagination={"type": "next_link", "next_path": "links.next"},
    )
    run = harvest_run(source, store, fast_settings)
    assert run.status == SUCCEEDED, run.error
    assert ids(store) == {r["id"] for r in resources}
    assert len(api.log) == -(-len(resources) // 10)
    kinds = {json.loads(r.document)["kind"] for r in store.iter_normalised("api")}
    assert "dataset" in kinds


@pytest.mark.usefixtures("recorded")
def test_zenodo_next_link_from_the_link_header(serve, store, fast_settings):
    records = zenodo_records()
    api = ListAPI(records, "zenodo", page_size=1)
    server = serve(api, "/api/records")
    source = api_source(
        server.url,
        "zenodo_rest",
        records_path="hits.hits",
        id_path="id",
        datestamp_path="modified",
        params={"size": 1},
        pagination={"type": "next_link"},
    )
    run = harvest_run(source, store, fast_settings)
    assert run.status == SUCCEEDED, run.error
    assert ids(store) == {str(r["id"]) for r in records}
    assert [q.get("page") for q, _, _ in api.log] == [None, "2", "3", "4"]


def test_cursor_pagination(serve, store, fast_settings):
    items = own_items("invented_projects")
    api = ListAPI(items, "cursor", page_size=5)
    server = serve(api)
    source = api_source(
        server.url,
        "ckan",
        records_path="items",
        id_path="id",
        pagination={"type": "cursor", "cursor_param": "cursor", "cursor_path": "next_cursor"},
    )
    run = harvest_run(source, store, fast_settings)
    assert run.status == SUCCEEDED, run.error
    assert ids(store) == {i["id"] for i in items}
    assert [q.get("cursor") for q, _, _ in api.log] == [None, "c5", "c10"]


def test_offset_with_a_total_and_a_checkpoint_per_page(serve, store, fast_settings):
    items = own_items("invented_projects")
    server = serve(ListAPI(items, "ckan", page_size=5))
    run = harvest_run(invented(server.url), store, fast_settings)
    assert run.status == SUCCEEDED and run.counts.added == 12
    assert run.checkpoint.token is None  # the list is done
    titles = {json.loads(r.document)["title"] for r in store.iter_normalised("api")}
    assert "River Watch volunteers" in titles


def test_incremental_parameter_from_the_last_successful_run(serve, store, fast_settings):
    api = ListAPI(own_items("invented_projects"), "ckan", page_size=5)
    server = serve(api)
    source = invented(
        server.url,
        incremental={"param": "fq", "template": "metadata_modified:[{since} TO *]"},
    )
    first = harvest_run(source, store, fast_settings)
    assert first.status == SUCCEEDED and first.from_date is None
    assert first.response_date and first.response_date.endswith("Z")
    assert all("fq" not in q for q, _, _ in api.log)
    api.log.clear()
    second = harvest_run(source, store, fast_settings)
    assert second.status == SUCCEEDED and second.counts.unchanged == 12
    assert second.from_date == first.response_date
    assert {q["fq"] for q, _, _ in api.log} == {f"metadata_modified:[{first.response_date} TO *]"}
    api.log.clear()
    harvest_run(source, store, fast_settings, HarvestRequest(full=True))
    assert all("fq" not in q for q, _, _ in api.log)
    api.log.clear()
    harvest_run(source, store, fast_settings, HarvestRequest(from_date="2024-05-01"))
    assert api.log[0][0]["fq"] == "metadata_modified:[2024-05-01T00:00:00Z TO *]"


def test_429_with_retry_after_is_waited_out(serve, store, fast_settings):
    fault = Fault("status", pages=[2], status=429, retry_after="1", times=1)
    api = ListAPI(own_items("invented_projects"), "ckan", page_size=5, faults=[fault])
    server = serve(api)
    run = harvest_run(invented(server.url), store, fast_settings)
    assert run.status == SUCCEEDED, run.error
    assert run.counts.added == 12
    assert api.statuses == [200, 429, 200, 200]


def test_500_after_the_retries_fails_the_run_and_keeps_earlier_pages(serve, store, fast_settings):
    fault = Fault("status", pages=range(3, 10), status=500)
    api = ListAPI(own_items("invented_projects"), "ckan", page_size=5, faults=[fault])
    server = serve(api)
    source = invented(server.url)
    run = harvest_run(source, store, fast_settings)
    assert run.status == FAILED
    assert "HTTP 500" in (run.error or "") and "3 attempts" in (run.error or "")
    assert run.counts.added == 10  # the two pages before the failing one are kept
    assert run.checkpoint.token and "start=10" in run.checkpoint.token
    # the provider recovers: the next run resumes from the checkpoint, nothing doubled
    fault.pages = set()
    resumed = harvest_run(source, store, fast_settings)
    assert resumed.status == SUCCEEDED and resumed.resumed_run_id == run.id
    assert resumed.counts.added == 2 and resumed.counts.unchanged == 0
    assert len(ids(store)) == 12


def test_a_timeout_is_recorded(serve, store, fast_settings):
    fault = Fault("slow", pages=range(2, 10), delay=2.5)
    api = ListAPI(own_items("invented_projects"), "ckan", page_size=5, faults=[fault])
    server = serve(api)
    settings = HarvestSettings(timeout=1.0, max_retries=1, backoff_base=0.05, backoff_max=1.0)
    run = harvest_run(invented(server.url), store, settings)
    assert run.status == FAILED
    assert "timed out after 1 s" in (run.error or "")
    assert run.counts.added == 5


def test_invalid_json_fails_the_run_and_keeps_earlier_pages(serve, store, fast_settings):
    fault = Fault("invalid_json", pages=[2])
    api = ListAPI(own_items("invented_projects"), "ckan", page_size=5, faults=[fault])
    server = serve(api)
    run = harvest_run(invented(server.url), store, fast_settings)
    assert run.status == FAILED and "invalid JSON" in (run.error or "")
    assert run.counts.added == 5 and len(ids(store)) == 5


def test_a_page_that_repeats_ends_the_loop(serve, store, fast_settings):
    fault = Fault("repeat", pages=range(2, 100))
    api = ListAPI(own_items("invented_projects"), "ckan", page_size=5, faults=[fault])
    server = serve(api)
    run = harvest_run(invented(server.url), store, fast_settings)
    assert run.status == FAILED and "repeats" in (run.error or "")
    assert run.counts.added == 5 and len(api.log) == 2


def test_a_next_link_seen_before_ends_the_loop(serve, store, fast_settings):
    fault = Fault("repeat", pages=range(2, 100))
    api = ListAPI(own_items("invented_projects"), "drf", page_size=5, faults=[fault])
    server = serve(api)
    source = api_source(
        server.url,
        "ckan",
        records_path="results",
        id_path="id",
        pagination={"type": "next_link", "next_path": "next"},
    )
    run = harvest_run(source, store, fast_settings)
    assert run.status == FAILED
    assert "already read" in (run.error or "") or "repeats" in (run.error or "")
    assert len(api.log) <= 3


def test_records_missing_from_a_complete_listing_are_deleted(serve, store, fast_settings):
    items = own_items("invented_projects")
    api = ListAPI(items, "ckan", page_size=5)
    server = serve(api)
    source = invented(server.url)
    assert harvest_run(source, store, fast_settings).status == SUCCEEDED
    gone = {items[0]["id"], items[7]["id"]}
    api.items = [i for i in items if i["id"] not in gone]
    run = harvest_run(source, store, fast_settings)
    assert run.status == SUCCEEDED
    assert run.counts.deleted == 2 and run.counts.seen == 10 and run.counts.unchanged == 10
    assert ids(store, deleted=True) == gone
    normalised = {
        r.source_identifier: r for r in store.iter_normalised("api", include_deleted=True)
    }
    assert {k for k, r in normalised.items() if r.deleted} == gone
    stored = store.get_record("api", items[0]["id"])
    assert stored is not None and stored.record.payload  # the last payload is kept


def test_nothing_is_deleted_after_a_failed_or_capped_run(serve, store, fast_settings):
    items = own_items("invented_projects")
    api = ListAPI(items, "ckan", page_size=5)
    server = serve(api)
    assert harvest_run(invented(server.url), store, fast_settings).status == SUCCEEDED
    api.items = items[:3] + items[5:]  # two records gone...
    api.faults = [Fault("status", pages=range(3, 100), status=503)]  # ...and a failure
    failed = harvest_run(invented(server.url), store, fast_settings)
    assert failed.status == FAILED and failed.counts.deleted == 0
    api.faults = []
    capped = harvest_run(
        invented(server.url, max_pages=1), store, fast_settings, HarvestRequest(full=True)
    )
    assert capped.status == SUCCEEDED and capped.counts.deleted == 0
    notes = [s.reason for s in store.error_samples(capped.id)]
    assert any("page cap" in n for n in notes)
    assert ids(store, deleted=True) == set()


def test_secrets_come_from_the_environment_and_stay_out_of_the_store(
    serve, store, fast_settings, monkeypatch
):
    api = ListAPI(own_items("invented_projects"), "drf", page_size=5, require={"key": "s3cret"})
    server = serve(api)
    source = api_source(
        server.url,
        "ckan",
        records_path="results",
        id_path="id",
        params={"key": {"$env": "CSFINDER_TEST_KEY"}},
        headers={"X-Token": {"$env": "CSFINDER_TEST_TOKEN"}},
        pagination={"type": "next_link", "next_path": "next"},
    )
    monkeypatch.delenv("CSFINDER_TEST_KEY", raising=False)
    monkeypatch.setenv("CSFINDER_TEST_TOKEN", "t0ken")
    with pytest.raises(ConfigError) as raised:
        harvest_source(source, store, fast_settings)
    said = "source 'api': environment variable CSFINDER_TEST_KEY is not set (it gives params.key)"
    assert str(raised.value) == said
    missing = store.runs("api", limit=1)[0]
    assert missing.status == FAILED and missing.error == said and api.log == []
    monkeypatch.setenv("CSFINDER_TEST_KEY", "s3cret")
    api.faults = [Fault("status", pages=range(2, 100), status=500)]
    failed = harvest_run(source, store, fast_settings)
    assert failed.status == FAILED and failed.counts.added == 5
    assert all(h["x-token"] == "t0ken" for _, _, h in api.log)
    token = failed.checkpoint.token or ""
    assert "page=2" in token and "s3cret" not in token
    assert "s3cret" not in (failed.error or "")
    assert all("s3cret" not in s.reason for s in store.error_samples(failed.id))
    api.faults = []
    resumed = harvest_run(source, store, fast_settings)
    assert resumed.status == SUCCEEDED and len(ids(store)) == 12


def test_robots_txt_is_obeyed(serve, store, fast_settings):
    api = ListAPI(own_items("invented_projects"), "ckan", robots="User-agent: *\nDisallow: /api\n")
    server = serve(api)
    run = harvest_run(invented(server.url), store, fast_settings)
    assert run.status == FAILED and "robots.txt" in (run.error or "")
    assert api.robots_fetched == 1 and api.log == []
