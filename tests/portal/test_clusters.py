"""The portal over clustered records: one hit per project with where else it is listed,
``collapse=false``, record pages and the API with every listing, exports per record, and
curators splitting and joining clusters (login, CSRF)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from harvester.core.settings import load_settings
from harvester.enrich.clusters.runs import rebuild_clusters
from harvester.index.service import open_index, reindex
from harvester.store import Store
from portal.app import create_app
from tests.harvester.enrich.clusters.records import dark_sky_eu, dark_sky_jrc, listing
from tests.harvester.enrich.clusters.test_runs import write

PASSWORD = "correct horse battery staple"
SKY_EU = dark_sky_eu(countries=["NL"], description="Measure how dark the night sky is.")
SKY_JRC = dark_sky_jrc(countries=["US"], description="Waarnemen van de nachtelijke hemel.")
BIRDS = listing(
    "eucs",
    "7",
    "Garden <b>Birds</b> & Co",
    url="https://birds.example.org",
    countries=["NL"],
    score=60,
)


@pytest.fixture
def client(tmp_path: Path) -> FlaskClient:
    env = {
        "CSFINDER_HOME": str(tmp_path / "home"),
        "CSFINDER_CONFIG": str(tmp_path / "config"),
        "CSFINDER_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD),
        "CSFINDER_SECURE_COOKIES": "0",
    }
    settings = load_settings(env)
    settings.home.mkdir(parents=True, exist_ok=True)
    store = Store(settings.database_url)
    write(store, SKY_EU, SKY_JRC, BIRDS)
    rebuild_clusters(store)
    index = open_index(settings)
    reindex(store, index)
    index.close()
    store.close()
    return create_app(settings, TESTING=True).test_client()


def token(client: FlaskClient, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).get_data(as_text=True))
    assert found
    return found.group(1)


def login(client: FlaskClient) -> None:
    form = {"user": "admin", "password": PASSWORD, "csrf_token": token(client, "/admin/login")}
    assert client.post("/admin/login", data=form).status_code == 302


def test_search_shows_a_project_once_with_where_else_it_is_listed(client: FlaskClient) -> None:
    api = client.get("/api/v1/search").get_json()
    assert api["total"] == 2
    sky = next(h for h in api["hits"] if h["id"] == SKY_EU["id"])
    assert sky["cluster_id"].startswith("cl-")
    assert [x["id"] for x in sky["listings"]] == [SKY_JRC["id"]]
    assert counts(api, "country") == {"NL": 2, "US": 1}
    page = client.get("/").get_data(as_text=True)
    assert "Also listed on:" in page and f"/records/{SKY_JRC['id']}" in page
    assert "<b>Birds</b>" not in page  # harvested text stays escaped


def test_collapse_false_lists_every_listing(client: FlaskClient) -> None:
    api = client.get("/api/v1/search?collapse=false").get_json()
    assert api["total"] == 3
    assert counts(api, "country") == {"NL": 2, "US": 1}
    assert client.get("/api/v1/search?collapse=perhaps").status_code == 400
    page = client.get("/?collapse=false").get_data(as_text=True)
    assert "Show each project once" in page


def counts(answer: dict[str, object], facet: str) -> dict[str, int]:
    return {c["value"]: c["count"] for c in answer["facets"][facet]}  # type: ignore[index]


def test_a_record_names_its_cluster_and_every_listing(client: FlaskClient) -> None:
    body = client.get(f"/api/v1/records/{SKY_JRC['id']}").get_json()
    assert body["listings"] == [SKY_EU["id"], SKY_JRC["id"]]  # representative first
    eu = client.get(f"/api/v1/records/{SKY_EU['id']}").get_json()
    assert body["cluster_id"] == eu["cluster_id"]
    page = client.get(f"/records/{SKY_JRC['id']}").get_data(as_text=True)
    assert "Listed on 2 platforms" in page
    assert f"/records/{SKY_EU['id']}" in page and "(this page)" in page
    alone = client.get(f"/records/{BIRDS['id']}").get_data(as_text=True)
    assert "Listed on" not in alone


def test_exports_have_one_row_per_record_with_its_cluster(client: FlaskClient) -> None:
    text = client.get("/export.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["id"] for r in rows) == sorted([SKY_EU["id"], SKY_JRC["id"], BIRDS["id"]])
    by_id = {r["id"]: r["cluster_id"] for r in rows}
    assert by_id[SKY_EU["id"]] == by_id[SKY_JRC["id"]] != by_id[BIRDS["id"]]


def test_curation_needs_a_login_and_its_form_token(client: FlaskClient) -> None:
    assert client.get("/admin/clusters/").status_code == 403
    login(client)
    cluster = client.get(f"/api/v1/records/{SKY_EU['id']}").get_json()["cluster_id"]
    refused = client.post(f"/admin/clusters/{cluster}/split", data={"record_id": SKY_JRC["id"]})
    assert refused.status_code == 400  # no CSRF token
    assert client.get(f"/api/v1/records/{SKY_JRC['id']}").get_json()["cluster_id"] == cluster


def test_a_curator_splits_and_joins_and_search_follows(client: FlaskClient) -> None:
    login(client)
    page = client.get("/admin/clusters/").get_data(as_text=True)
    assert "same landing page" in page and "darkskymeter.com" in page  # the evidence
    cluster = client.get(f"/api/v1/records/{SKY_EU['id']}").get_json()["cluster_id"]
    form = {
        "record_id": SKY_JRC["id"],
        "note": "the app, not the project",
        "csrf_token": token(client, "/admin/clusters/"),
    }
    assert client.post(f"/admin/clusters/{cluster}/split", data=form).status_code == 302
    assert client.get(f"/api/v1/records/{SKY_JRC['id']}").get_json()["listings"] == [SKY_JRC["id"]]
    assert client.get("/api/v1/search").get_json()["total"] == 3
    shown = client.get("/admin/clusters/").get_data(as_text=True)
    assert "are different projects" in shown and "the app, not the project" in shown
    join = {
        "record_a": SKY_JRC["id"],
        "record_b": BIRDS["id"],
        "csrf_token": token(client, "/admin/clusters/"),
    }
    assert client.post("/admin/clusters/join", data=join).status_code == 302
    assert client.get("/api/v1/search").get_json()["total"] == 2
    joined = client.get(f"/api/v1/records/{BIRDS['id']}").get_json()["listings"]
    assert set(joined) == {SKY_JRC["id"], BIRDS["id"]}
    bad = {
        "record_a": BIRDS["id"],
        "record_b": "nope:0000000000000000",
        "csrf_token": token(client, "/admin/clusters/"),
    }
    assert client.post("/admin/clusters/join", data=bad).status_code == 400
