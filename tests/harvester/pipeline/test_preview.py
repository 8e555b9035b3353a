"""The registration's live check reads a JSON API page with the source's own paths."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from harvester.core.settings import HarvestSettings
from harvester.core.sources import SourceConfig
from harvester.fetch.http import http_client_for
from harvester.pipeline.preview import preview_source
from harvester.sample_provider import RunningServer
from tests.support.servers import server_factory  # noqa: F401

PAGE = {
    "payload": {
        "total": 3,
        "datasets": [
            {"key": "ds-1", "title": "Hedgehog sightings in Flanders", "modified": "2025-03-01"},
            {"key": "ds-2", "title": "Urban bat counts", "modified": "2025-04-11"},
            {"title": "An entry without a key"},
        ],
    }
}


def json_app(body: bytes) -> Callable[..., list[bytes]]:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]

    return app


def source_for(url: str, records_path: str = "payload.datasets") -> SourceConfig:
    return SourceConfig.model_validate(
        {
            "id": "preview-test",
            "name": "Preview test",
            "platform": "Test platform",
            "protocol": "json-api",
            "url": url,
            "crosswalk": "gbif",
            "json_api": {"records_path": records_path, "id_path": "key"},
        }
    )


def preview(url: str, records_path: str = "payload.datasets") -> Any:
    source = source_for(url, records_path)
    return preview_source(source, http_client_for(source, HarvestSettings()))


def test_records_are_found_at_the_sources_records_path(
    server_factory: Callable[..., RunningServer],  # noqa: F811
) -> None:
    server = server_factory(json_app(json.dumps(PAGE).encode()), path="/api")
    result = preview(server.url)
    assert [record.title for record in result.records] == [
        "Hedgehog sightings in Flanders",
        "Urban bat counts",
    ]
    assert result.problems == []


def test_a_records_path_that_finds_nothing_is_named(
    server_factory: Callable[..., RunningServer],  # noqa: F811
) -> None:
    server = server_factory(json_app(json.dumps(PAGE).encode()), path="/api")
    result = preview(server.url, records_path="results")
    assert result.records == []
    assert result.problems == ["no records at 'results' in the first page"]


def test_an_answer_that_is_not_json_is_named(
    server_factory: Callable[..., RunningServer],  # noqa: F811
) -> None:
    server = server_factory(json_app(b"<html>not json</html>"), path="/api")
    result = preview(server.url)
    assert result.records == []
    assert result.problems == ["the endpoint did not answer with JSON"]


def test_items_without_identifiers_only_are_named(
    server_factory: Callable[..., RunningServer],  # noqa: F811
) -> None:
    page = {"payload": {"datasets": [{"title": "No key here"}]}}
    server = server_factory(json_app(json.dumps(page).encode()), path="/api")
    result = preview(server.url)
    assert result.records == []
    assert result.problems == ["no identifier at 'key'"]
