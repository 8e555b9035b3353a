"""Registered sources are harvested through the URL guard, in every protocol; sources from
config files stay trusted.

Each test serves a "provider" on one loopback port, which the allowlist lets through (it
stands for a public endpoint), and an "inside" service on another loopback port, which
stands for an address the portal's machine can reach and the world must not: every way the
provider can point the harvester there (a redirect, a next-page link, a sitemap entry) is
refused, and the inside service never sees a request.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harvester.core.settings import HarvestSettings, load_settings
from harvester.core.sources import SourceConfig
from harvester.sample_provider import OAIProvider, RunningServer
from harvester.store import FAILED, SUCCEEDED, Store
from harvester.store.registrations import load_all_sources, review, source_from_form, submit
from tests.support.harvesting import harvest_run
from tests.support.servers import sample_repository

WSGI = Callable[..., Any]


class Inside:
    """A service that must never be reached: it records every request it gets."""

    def __init__(self) -> None:
        self.hits: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        self.hits.append(environ.get("PATH_INFO", "") + "?" + environ.get("QUERY_STRING", ""))
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"results": [{"id": "secret", "title": "inside"}], "next": null}']


def redirecting(target: str) -> WSGI:
    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("302 Found", [("Location", target)])
        return [b""]

    return app


def json_pages(next_url: str) -> WSGI:
    """One page of two records whose next link points at ``next_url``."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        body = {
            "results": [{"id": "a", "title": "Moths"}, {"id": "b", "title": "Bats"}],
            "next": next_url,
        }
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    return app


def site(inside_url: str) -> WSGI:
    """robots.txt, a sitemap listing one page here and one on the inside service."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        path = environ.get("PATH_INFO", "")
        host = f"http://{environ['HTTP_HOST']}"
        if path == "/robots.txt":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"User-agent: *\nAllow: /\n"]
        if path == "/sitemap.xml":
            sitemap = (
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<url><loc>{host}/projects/moths</loc></url>"
                f"<url><loc>{inside_url}</loc></url></urlset>"
            )
            start_response("200 OK", [("Content-Type", "application/xml")])
            return [sitemap.encode()]
        page = (
            '<html><head><script type="application/ld+json">'
            '{"@context": "https://schema.org", "@type": "Dataset", "name": "Moths"}'
            "</script></head><body>Moths</body></html>"
        )
        start_response("200 OK", [("Content-Type", "text/html")])
        return [page.encode()]

    return app


@pytest.fixture
def inside(server_factory: Callable[..., RunningServer]) -> tuple[Inside, RunningServer]:
    service = Inside()
    return service, server_factory(service, "/")


def allowing(server: RunningServer) -> HarvestSettings:
    """Harvest settings as the portal's machine reads them, the provider's port allowed."""
    settings = load_settings(
        {
            "CSFINDER_CONFIG": "/nonexistent",
            "CSFINDER_PRIVATE_URL_ALLOWLIST": f"127.0.0.1:{server.port}",
        }
    ).harvest
    return HarvestSettings(
        **{**vars(settings), "timeout": 3.0, "max_retries": 0, "backoff_base": 0.05}
    )


def registered(store: Store, tmp_path: Path, values: dict[str, Any]) -> SourceConfig:
    """Register, approve and load a source as the scheduler would."""
    submit(store, source_from_form(values), "ops@provider.example.org", "CC0-1.0")
    review(store, values["id"], "approve", "admin")
    return load_all_sources(tmp_path, store).get(values["id"])


def oai(source_id: str, url: str) -> dict[str, Any]:
    return {
        "id": source_id,
        "name": "Provider",
        "platform": "test",
        "protocol": "oai-pmh",
        "url": url,
        "metadata_prefix": "oai_dc",
        "crosswalk": "oai_dc",
    }


def json_api(source_id: str, url: str) -> dict[str, Any]:
    return {
        "id": source_id,
        "name": "Provider",
        "platform": "test",
        "protocol": "json-api",
        "url": url,
        "crosswalk": "ckan",
        "json_api": {
            "records_path": "results",
            "id_path": "id",
            "pagination": {"type": "next_link", "next_path": "next"},
        },
    }


def test_an_oai_pmh_endpoint_that_redirects_inside_is_refused(
    server_factory, inside, store, tmp_path
):
    service, target = inside
    provider = server_factory(redirecting(f"{target.url}oai?verb=Identify"))
    source = registered(store, tmp_path, oai("redirector", provider.url))
    run = harvest_run(source, store, allowing(provider))
    assert run.status == FAILED
    assert f"127.0.0.1:{target.port}" in (run.error or "") and "loopback" in (run.error or "")
    assert service.hits == []


def test_a_registered_oai_pmh_endpoint_that_is_allowed_is_harvested(
    server_factory, store, tmp_path
):
    provider = server_factory(OAIProvider(sample_repository(), page_size=5))
    source = registered(store, tmp_path, oai("allowed", provider.url))
    run = harvest_run(source, store, allowing(provider))
    assert run.status == SUCCEEDED, run.error
    assert run.counts.seen == 12


def test_a_name_that_resolves_inside_is_refused_before_connecting(server_factory, store, tmp_path):
    """``localhost`` is the allowed port's host under another name: the guard resolves it
    and refuses the loopback address it gets (DNS pointing inside later is the same case)."""
    service = Inside()
    provider = server_factory(service, "/oai")
    source = registered(store, tmp_path, oai("renamed", f"http://localhost:{provider.port}/oai"))
    run = harvest_run(source, store, allowing(provider))
    assert run.status == FAILED and "resolves to" in (run.error or "")
    assert "loopback" in (run.error or "") and service.hits == []


def test_a_json_api_next_link_inside_is_refused(server_factory, inside, store, tmp_path):
    service, target = inside
    provider = server_factory(json_pages(f"{target.url}page2"), "/api")
    source = registered(store, tmp_path, json_api("pager", provider.url))
    run = harvest_run(source, store, allowing(provider))
    assert run.counts.added == 2  # the provider's own page is kept
    assert service.hits == []
    said = " ".join([run.error or "", *(s.reason for s in store.error_samples(run.id))])
    assert f"127.0.0.1:{target.port}" in said and "loopback" in said


def test_a_json_api_redirect_inside_is_refused(server_factory, inside, store, tmp_path):
    service, target = inside
    provider = server_factory(redirecting(f"{target.url}api"), "/api")
    source = registered(store, tmp_path, json_api("jumper", provider.url))
    run = harvest_run(source, store, allowing(provider))
    assert run.status == FAILED and run.counts.added == 0
    assert f"refused by the URL guard: {target.url}api" in (run.error or "")
    assert service.hits == []


def test_a_sitemap_entry_inside_is_refused(server_factory, inside, store, tmp_path):
    service, target = inside
    provider = server_factory(site(f"{target.url}projects/secret"), "/")
    values = {
        "id": "mapper",
        "name": "Provider",
        "platform": "test",
        "protocol": "sitemap-jsonld",
        "url": f"{provider.url}sitemap.xml",
        "crosswalk": "schema_org",
    }
    source = registered(store, tmp_path, values)
    run = harvest_run(source, store, allowing(provider))
    assert run.counts.added == 1, run.error
    failures = [s.reason for s in store.error_samples(run.id)]
    assert any("refused by the URL guard" in f and "loopback" in f for f in failures), failures
    assert service.hits == []


def test_sources_from_config_files_stay_trusted(server_factory, inside, store, tmp_path):
    service, target = inside
    provider = server_factory(json_pages(f"{target.url}page2"), "/api")
    source = SourceConfig.model_validate(json_api("trusted", provider.url))
    run = harvest_run(source, store, allowing(provider))
    assert run.status == SUCCEEDED, run.error
    assert run.counts.added == 3 and "/page2?" in service.hits


def test_a_csv_file_that_redirects_inside_is_refused(server_factory, inside, store, tmp_path):
    service, target = inside
    provider = server_factory(redirecting(f"{target.url}list.csv"), "/list.csv")
    values = {
        "id": "tabular",
        "name": "Provider",
        "platform": "test",
        "protocol": "csv",
        "url": provider.url,
        "crosswalk": "jrc_citsci",
    }
    source = registered(store, tmp_path, values)
    run = harvest_run(source, store, allowing(provider))
    assert run.status == FAILED and "loopback" in (run.error or "")
    assert service.hits == []
