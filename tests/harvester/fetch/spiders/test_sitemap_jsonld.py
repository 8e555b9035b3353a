"""The ``sitemap-jsonld`` protocol end to end: a loopback site serving the recorded landing
pages of Zenodo and PANGAEA (JSON-LD) and the project's own pages (microdata, RDFa), found
through a sitemap or by following links, into a real store, normalised as it goes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harvester.core.sources import SourceConfig
from harvester.store import SUCCEEDED, Store
from tests.support.fixture_provider import SHARED_FIXTURES
from tests.support.harvesting import harvest_run
from tests.support.platforms import Site, shared

PAGES = Path(__file__).resolve().parents[3] / "fixtures" / "pages"
ROBOTS = "User-agent: *\nDisallow: /private/\n"


def site_source(url: str, **options: Any) -> SourceConfig:
    return SourceConfig.model_validate(
        {
            "id": "site",
            "name": "Test site",
            "platform": "test",
            "protocol": "sitemap-jsonld",
            "url": url,
            "crosswalk": "schema_org",
            **({"sitemap": options} if options else {}),
        }
    )


def own(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def documents(store: Store) -> dict[str, dict[str, Any]]:
    return {
        row.source_identifier: json.loads(row.document)
        for row in store.iter_normalised("site", include_deleted=True)
        if not row.deleted
    }


@pytest.fixture
def site() -> Site:
    if SHARED_FIXTURES is None or not shared("schema-org").is_dir():
        pytest.skip("shared/fixtures is not available beside the repository")
    pages = {
        "/record/1196821": shared(
            "schema-org", "zenodo_record_1196821.landing-page.html"
        ).read_bytes(),
        "/PANGAEA.836178": shared("schema-org", "pangaea_836178.landing-page.html").read_bytes(),
        "/projects/moth-night": own("microdata-project.html"),
        "/projects/rdfa-project": own("rdfa-project.html"),
        "/about": own("no-metadata.html"),
        "/private/draft": own("microdata-project.html"),
        "/start": own("start.html"),
    }
    listed: dict[str, str | None] = {
        "/record/1196821": "2021-06-01",
        "/PANGAEA.836178": None,
        "/projects/moth-night": "2025-03-01",
        "/projects/rdfa-project": None,
        "/about": None,
        "/private/draft": None,
    }
    return Site(pages=pages, listed=listed, robots=ROBOTS)


def test_sitemap_pages_give_json_ld_microdata_and_rdfa_records(serve, store, fast_settings, site):
    server = serve(site, "/sitemap.xml")
    run = harvest_run(site_source(server.url), store, fast_settings)
    assert run.status == SUCCEEDED, run.error
    docs = documents(store)
    assert set(docs) == {
        "https://doi.org/10.5281/zenodo.1196821",
        "https://doi.org/10.1594/PANGAEA.836178",
        "https://projects.csfinder.example/moth-night",
        "https://data.csfinder.example/lichen-air-quality",
    }
    assert run.counts.added == 4 and run.counts.failed == 0
    moth = docs["https://projects.csfinder.example/moth-night"]
    assert moth["title"] == "Moth Night Survey" and moth["kind"] == "project"
    lichen = docs["https://data.csfinder.example/lichen-air-quality"]
    assert lichen["title"] == "Lichen Air Quality Records" and lichen["kind"] == "dataset"
    assert docs["https://doi.org/10.5281/zenodo.1196821"]["title"]
    assert site.fetched("/private/draft") == 0  # robots.txt forbids it
    assert all(agent.startswith("csfinder/") for _, _, agent in site.log)
    stored = store.get_record("site", "https://projects.csfinder.example/moth-night")
    assert stored is not None and stored.record.datestamp == "2025-03-01"
    assert stored.record.media_type == "application/ld+json"


def test_start_page_and_follow_rules(serve, store, fast_settings, site):
    server = serve(site, "/start")
    run = harvest_run(site_source(server.url, follow=["/projects/"]), store, fast_settings)
    assert run.status == SUCCEEDED, run.error
    assert set(documents(store)) == {
        "https://projects.csfinder.example/moth-night",
        "https://data.csfinder.example/lichen-air-quality",
    }
    assert site.fetched("/news/today") == 0 and site.fetched("/about") == 0
    assert site.fetched("/projects/moth-night") == 1  # linked twice, fetched once


def test_vanished_pages_are_deleted_after_a_full_crawl_not_after_a_partial_one(
    serve, store, fast_settings, site
):
    server = serve(site, "/sitemap.xml")
    source = site_source(server.url)
    assert harvest_run(source, store, fast_settings).status == SUCCEEDED
    del site.listed["/PANGAEA.836178"]
    site.listed["/gone"] = None  # listed, but answers 404: the crawl is partial
    partial = harvest_run(source, store, fast_settings)
    assert partial.status == SUCCEEDED and partial.counts.failed == 1
    assert partial.counts.deleted == 0
    del site.listed["/gone"]
    full = harvest_run(source, store, fast_settings)
    assert full.status == SUCCEEDED and full.counts.deleted == 1
    assert "https://doi.org/10.1594/PANGAEA.836178" not in documents(store)
    stored = store.get_record("site", "https://doi.org/10.1594/PANGAEA.836178")
    assert stored is not None and stored.record.deleted


def test_an_unreadable_sitemap_fails_the_run(serve, store, fast_settings, site):
    server = serve(site, "/about")
    run = harvest_run(site_source(server.url, sitemaps=[server.url]), store, fast_settings)
    assert run.status == "failed" and "not a sitemap" in (run.error or "")
