"""Insights over real clusters, end to end on both index backends: listings sharing a
landing page are stored, clustered by the enrich stage (:func:`rebuild_clusters`) and
indexed as a deployment indexes them (:func:`reindex`); then the insights page,
``/api/v1/insights`` and ``/insights.csv`` count what the search page and
``/api/v1/search`` find for the same parameters, collapsed (the default) or not."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from harvester.core.settings import load_settings
from harvester.enrich.clusters.runs import rebuild_clusters
from harvester.index.insights import DIMENSIONS
from harvester.index.query import FACETS
from harvester.index.service import open_index, reindex
from harvester.store import Store
from portal.app import create_app
from tests.harvester.enrich.clusters.records import listing
from tests.harvester.enrich.clusters.test_runs import write
from tests.support.elastic_gaps import EsCluster
from tests.support.engine_fixtures import ES_PARAM

SKY = "https://www.darkskymeter.com"
WATER = "https://freshwaterwatch.example.org/"
LISTINGS = [
    listing(
        "eucs",
        "104",
        "Dark Sky Meter",
        url=SKY,
        countries=["NL"],
        topics=["1.5"],
        sdg_impacts=[{"goal": 11, "impact": "direct"}],
        status="Active",
        start_date="2017",
        score=80,
    ),
    listing(
        "jrc",
        "116",
        "Dark sky meter / Waarnemen",
        url="http://www.darkskymeter.com/",
        countries=["US"],
        start_date="2017",
        score=40,
    ),
    listing(
        "ppsr",
        "9",
        "Dark Sky Meter",
        url=f"{SKY}/",
        countries=["NL"],
        status="Active",
        start_date="2017",
        score=50,
    ),
    listing(
        "eucs",
        "13",
        "Fresh Water Watch",
        url=WATER,
        countries=["GB"],
        topics=["1.5"],
        start_date="2013",
        score=70,
    ),
    listing(
        "jrc",
        "164",
        "FreshWater Watch",
        url=WATER,
        countries=["IE"],
        sdg_impacts=[{"goal": 6, "impact": "direct"}],
        start_date="2013",
        score=50,
    ),
    listing("eucs", "7", "Garden Birds", url="https://birds.example.org", countries=["NL"]),
    listing("jrc", "21", "Noise map", url="https://noise.example.org", countries=["ES"]),
]
QUERIES = [
    "",
    "country=NL",
    "country=US",
    "country=IE",
    "country=GB&country=NL",
    "q=sky",
    "q=water&country=IE",
    "topic=1.5",
    "sdg=11",
    "sdg=6&country=GB",  # only as a whole: the cluster, not a listing, has both
    "status=Active",
    "year_from=2015",
    "q=nothing-matches-this",
]


@pytest.fixture(params=["sqlite", ES_PARAM])
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FlaskClient]:
    """A portal over the listings, clustered and indexed, on each index backend."""
    env = {
        "CSFINDER_HOME": str(tmp_path / "home"),
        "CSFINDER_CONFIG": str(tmp_path / "config"),
        "CSFINDER_ENCODER": "none",
    }
    if request.param != "sqlite":
        cluster: EsCluster = request.getfixturevalue("es_cluster")
        template = tmp_path / "template.json"
        template.write_text(json.dumps(cluster.template()), encoding="utf-8")
        env |= {
            "CSFINDER_INDEX": "elasticsearch",
            "CSFINDER_ES_URL": cluster.url,
            "CSFINDER_ES_INDEX": f"csfinder-insights-{uuid.uuid4().hex[:10]}",
            "CSFINDER_ES_TEMPLATE": str(template),
        }
    settings = load_settings(env)
    settings.home.mkdir(parents=True, exist_ok=True)
    store = Store(settings.database_url)
    write(store, *LISTINGS)
    rebuild_clusters(store)
    index = open_index(settings)
    reindex(store, index)
    store.close()
    yield create_app(settings, TESTING=True).test_client()
    drop = getattr(index, "drop", None)
    if callable(drop):  # leave nothing behind on a shared cluster
        drop()
    index.close()


def api(client: FlaskClient, path: str) -> dict[str, Any]:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def counts(entries: list[dict[str, Any]]) -> dict[str, int]:
    return {e["value"]: e["count"] for e in entries if e["count"]}


def test_the_enrich_stage_made_two_clusters_of_several(client: FlaskClient) -> None:
    every = api(client, "/api/v1/search?collapse=false&per_page=100")
    assert every["total"] == len(LISTINGS)
    clusters: dict[str, int] = {}
    for hit in every["hits"]:
        clusters[hit["cluster_id"]] = clusters.get(hit["cluster_id"], 0) + 1
    assert sorted(clusters.values()) == [1, 1, 2, 3]
    assert api(client, "/api/v1/search")["total"] == len(clusters)


@pytest.mark.parametrize("query", QUERIES)
def test_insights_count_what_the_collapsed_search_finds(client: FlaskClient, query: str) -> None:
    searched = api(client, f"/api/v1/search?{query}")
    counted = api(client, f"/api/v1/insights?{query}")
    assert counted["total"] == counted["records"] == searched["total"]
    assert api(client, f"/api/v1/insights?{query}&collapse=true")["total"] == searched["total"]
    chosen = {"year" if p.startswith("year_") else p.split("=")[0] for p in query.split("&")}
    for facet in FACETS:
        if facet in DIMENSIONS and facet not in chosen:  # a filtered facet counts its others
            assert counts(counted["dimensions"][facet]) == counts(searched["facets"][facet])
    page = client.get(f"/insights?{query}").get_data(as_text=True)
    shown = re.search(r'<p class="total"[^>]*>\s*([\d,]+) record', page)
    assert shown and int(shown.group(1).replace(",", "")) == searched["total"]
    assert "listings)" not in page  # one document per cluster: nothing to tell apart
    exported = client.get(f"/insights.csv?dimension=country&{query}").get_data(as_text=True)
    rows = csv.DictReader(io.StringIO(exported.removeprefix("\ufeff")))
    assert {r["value"]: int(r["count"]) for r in rows if int(r["count"])} == counts(
        counted["dimensions"]["country"]
    )


@pytest.mark.parametrize("query", QUERIES)
def test_every_listing_matched_still_counts_each_cluster_once(
    client: FlaskClient, query: str
) -> None:
    searched = api(client, f"/api/v1/search?{query}&collapse=false&per_page=100")
    counted = api(client, f"/api/v1/insights?{query}&collapse=false")
    assert counted["records"] == searched["total"]
    assert counted["total"] == len({hit["cluster_id"] for hit in searched["hits"]})
    by_cluster: dict[str, set[str]] = {}
    for hit in searched["hits"]:
        record = api(client, f"/api/v1/records/{hit['id']}")
        for country in record.get("countries") or []:
            by_cluster.setdefault(country, set()).add(hit["cluster_id"])
    assert counts(counted["dimensions"]["country"]) == {c: len(s) for c, s in by_cluster.items()}
    page = client.get(f"/insights?{query}&collapse=false").get_data(as_text=True)
    shown = re.search(r'<p class="total"[^>]*>\s*([\d,]+) record', page)
    assert shown and int(shown.group(1).replace(",", "")) == counted["total"]


def test_a_project_on_three_platforms_is_one_project_in_each_country_named(
    client: FlaskClient,
) -> None:
    body = api(client, "/api/v1/insights?country=NL")
    assert (body["total"], body["records"]) == (2, 2)  # the sky meter and the birds
    assert counts(body["dimensions"]["country"]) == {"NL": 2, "US": 1}
    listed = api(client, "/api/v1/insights?country=NL&collapse=false")
    assert (listed["total"], listed["records"]) == (2, 3)  # two sky listings name NL
    assert counts(listed["dimensions"]["country"]) == {"NL": 2}
    page = client.get("/insights?country=NL&collapse=false").get_data(as_text=True)
    assert re.search(r'<p class="total"[^>]*>\s*2 records \(3 listings\)', page)
    assert "counted once, however many platforms list them" in page


def test_the_search_page_links_to_insights_of_the_same_view(client: FlaskClient) -> None:
    page = client.get("/?collapse=false&country=NL&page=1").get_data(as_text=True)
    assert 'href="/insights?collapse=false&amp;country=NL"' in page
    insights = client.get("/insights?collapse=false&country=NL").get_data(as_text=True)
    assert "collapse=false" in insights  # the figures' links and downloads keep the view


def test_collapse_is_documented_and_checked(client: FlaskClient) -> None:
    refused = client.get("/api/v1/insights?collapse=perhaps")
    assert refused.status_code == 400
    assert "collapse" in refused.get_data(as_text=True)
    spec = api(client, "/api/v1/openapi.json")
    named = {p["name"]: p for p in spec["paths"]["/api/v1/insights"]["get"]["parameters"]}
    assert named["collapse"]["schema"]["default"] is True
    assert "Accepted and ignored" not in named["collapse"]["description"]
    assert {"mode", "lang", "collapse"} <= set(named)
