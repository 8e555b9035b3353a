"""The JSON API under /api/v1/ over records harvested by the demo: answers, errors, CORS."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator

from harvester.core.settings import Settings, load_settings
from harvester.index.query import FACETS, SORTS
from harvester.store import FAILED, Store
from portal.app import create_app
from portal.openapi.record import RECORD_SCHEMA_PATH
from portal.records import load_record
from portal.services import services

ERROR_KEYS = {"status", "code", "message"}


def assert_error(response: Any, status: int, code: str, *, says: str = "") -> dict[str, Any]:
    """The response is an API error in the one shape."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS
    assert body["error"]["status"] == status and body["error"]["code"] == code
    assert says in body["error"]["message"]
    error: dict[str, Any] = body["error"]
    return error


# -- search ------------------------------------------------------------------------------


def test_search_answers_the_page_parameters_with_facets(app: Flask, client: FlaskClient) -> None:
    response = client.get("/api/v1/search?per_page=5")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"total", "page", "per_page", "sort", "mode", "hits", "facets", "links"}
    with app.test_request_context():
        assert body["total"] == services().index.count() > 20
    assert (body["page"], body["per_page"], body["sort"]) == (1, 5, "newest")
    assert len(body["hits"]) == 5
    for hit in body["hits"]:
        assert {"id", "title_html", "snippet_html", "title", "kind", "countries"} <= set(hit)
    assert set(body["facets"]) <= set(FACETS) and "country" in body["facets"]
    assert all({"value", "count", "selected"} == set(c) for c in body["facets"]["country"])
    assert body["links"]["next"] == "/api/v1/search?per_page=5&page=2"
    assert body["links"]["prev"] is None


def test_search_filters_and_text_work_as_on_the_page(client: FlaskClient) -> None:
    def search(query: str) -> dict[str, Any]:
        response = client.get("/api/v1/search" + query)
        assert response.status_code == 200, response.get_data(as_text=True)
        found: dict[str, Any] = response.get_json()
        return found

    spain, italy = search("?country=ES"), search("?country=IT")
    both = search("?country=ES&country=it")
    assert both["total"] == spain["total"] + italy["total"] > 0
    assert all({"ES", "IT"} & set(hit["countries"]) for hit in both["hits"])
    selected = [c["value"] for c in both["facets"]["country"] if c["selected"]]
    assert sorted(selected) == ["ES", "IT"]
    water = search("?q=water&sort=relevance")
    assert water["total"] > 0 and water["sort"] == "relevance"
    assert any("<mark>" in hit["title_html"] + hit["snippet_html"] for hit in water["hits"])
    for sort in SORTS:
        assert search(f"?q=water&sort={sort}")["sort"] == sort
    page_two = search("?per_page=5&page=2")
    assert page_two["links"]["prev"] == "/api/v1/search?per_page=5&page=1"
    assert {h["id"] for h in page_two["hits"]}.isdisjoint(
        h["id"] for h in search("?per_page=5")["hits"]
    )


def test_search_totals_match_the_search_page(client: FlaskClient) -> None:
    api = client.get("/api/v1/search?kind=dataset").get_json()
    page = client.get("/?kind=dataset").get_data(as_text=True)
    assert f"{api['total']} result" in page


@pytest.mark.parametrize(
    ("query", "says"),
    [
        # checked against the OpenAPI document: the message names the parameter and value
        ("sort=sideways", "sort: Input should be 'relevance', 'newest' or 'title', not 'sid"),
        ("country=Spain", "country[0]: String should match pattern '^[A-Za-z]{2}$', not 'Sp"),
        ("page=0", "page: Input should be greater than or equal to 1, not '0'"),
        ("page=x", "page: a whole number written in digits, not 'x'"),
        ("per_page=101", "per_page: Input should be less than or equal to 100, not '101'"),
        ("page=200&per_page=100", "only the first 10,000 results"),
        ("year_from=2020&year_to=2010", "is after year_to"),
        ("bbox=1,2,3", "bbox[3]: Field required"),
        ("sdg=18", "sdg[0]: Input should be less than or equal to 17, not '18'"),
        ("access=secret", "access[0]: Input should be 'closed', 'embargoed', 'metadata-only'"),
        ("contry=NL", "unknown parameter 'contry'"),
    ],
)
def test_bad_parameters_answer_400_in_the_error_shape(
    client: FlaskClient, query: str, says: str
) -> None:
    assert_error(client.get(f"/api/v1/search?{query}"), 400, "bad-parameter", says=says)


def test_a_superscript_digit_is_a_bad_parameter_not_a_crash(portal_settings: Settings) -> None:
    client = create_app(portal_settings, PROPAGATE_EXCEPTIONS=False).test_client()
    assert_error(client.get("/api/v1/search?sdg=²"), 400, "bad-parameter")
    assert_error(client.get("/api/v1/search?year_from=٢٠٢٠"), 400, "bad-parameter")


# -- records -------------------------------------------------------------------------------


def first_id(client: FlaskClient, query: str = "") -> str:
    hits = client.get(f"/api/v1/search?{query}").get_json()["hits"]
    assert hits
    return str(hits[0]["id"])


def test_a_record_is_the_stored_record_in_the_common_model(app: Flask, client: FlaskClient) -> None:
    record_id = first_id(client, "q=water")
    response = client.get(f"/api/v1/records/{record_id}")
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    listings = body.pop("listings")
    assert record_id in listings  # with the other listings of its cluster, when there are any
    with app.test_request_context():
        assert body == load_record(record_id)
    assert body["cluster_id"].startswith("cl-")
    schema = json.loads(RECORD_SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(body)
    assert "Accept" in response.headers["Vary"]


def test_a_record_as_json_ld(client: FlaskClient) -> None:
    record_id = first_id(client)
    response = client.get(f"/api/v1/records/{record_id}", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    data = json.loads(response.get_data())
    assert data["@context"]["@vocab"] == "https://schema.org/"
    assert data["@id"].endswith(f"/records/{record_id}")


def test_unknown_and_withdrawn_records_are_404(
    portal_settings: Settings, client: FlaskClient
) -> None:
    assert_error(
        client.get("/api/v1/records/demo-x:0000000000000000"), 404, "not-found", says="no record"
    )
    store = Store(portal_settings.database_url)
    try:
        withdrawn = [row.id for row in store.iter_normalised(include_deleted=True) if row.deleted]
    finally:
        store.close()
    assert withdrawn, "the demo withdraws records"
    for record_id in withdrawn:
        assert_error(client.get(f"/api/v1/records/{record_id}"), 404, "not-found")


# -- sources and runs -----------------------------------------------------------------------


def test_sources_list_every_source_with_its_last_run(client: FlaskClient) -> None:
    response = client.get("/api/v1/sources")
    assert response.status_code == 200
    sources = {s["id"]: s for s in response.get_json()["sources"]}
    assert {"demo-eu-cs-projects", "demo-eu-cs-datasets"} <= set(sources)
    projects = sources["demo-eu-cs-projects"]
    assert projects["protocol"] == "oai-pmh" and projects["platform"] == "csfinder demo"
    assert projects["records"] > 0 and projects["last_run"]["status"] == "succeeded"
    assert projects["last_run"]["mode"] == "incremental"


def test_runs_of_a_source_newest_first_with_error_samples(client: FlaskClient) -> None:
    body = client.get("/api/v1/sources/demo-eu-cs-projects/runs").get_json()
    assert body["source"] == "demo-eu-cs-projects"
    runs = body["runs"]
    assert [r["mode"] for r in runs] == ["incremental", "full"]
    assert runs[0]["id"] > runs[1]["id"]
    assert all(r["error_samples"] == [] and r["counts"]["failed"] == 0 for r in runs)
    assert (
        len(client.get("/api/v1/sources/demo-eu-cs-projects/runs?limit=1").get_json()["runs"]) == 1
    )


def test_unknown_sources_and_bad_limits(client: FlaskClient) -> None:
    assert_error(client.get("/api/v1/sources/no-such/runs"), 404, "not-found", says="no source")
    for limit in ("0", "201", "many"):
        assert_error(
            client.get(f"/api/v1/sources/demo-eu-cs-projects/runs?limit={limit}"),
            400,
            "bad-parameter",
            says="limit",
        )


# -- suggestions and the document -----------------------------------------------------------


def test_suggestions_are_titles(client: FlaskClient) -> None:
    body = client.get("/api/v1/suggest?q=wat").get_json()
    assert body["q"] == "wat" and body["suggestions"]
    assert all(set(s) == {"id", "title"} for s in body["suggestions"])
    assert len(client.get("/api/v1/suggest?q=a&limit=1").get_json()["suggestions"]) <= 1
    assert client.get("/api/v1/suggest").get_json()["suggestions"] == []
    assert_error(client.get("/api/v1/suggest?q=a&limit=99"), 400, "bad-parameter")


def test_the_openapi_document_is_served(client: FlaskClient) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.get_json()["openapi"] == "3.1.0"


# -- one error shape -----------------------------------------------------------------------


def test_unknown_paths_and_methods_answer_in_the_error_shape(client: FlaskClient) -> None:
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not-found", says="openapi.json")
    assert_error(client.get("/api/v1"), 404, "not-found")
    response = client.post("/api/v1/search")
    assert_error(response, 405, "method-not-allowed")
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "HEAD"}
    assert_error(client.delete("/api/v1/records/x:0000000000000000"), 405, "method-not-allowed")
    assert_error(client.put("/export.csv"), 405, "method-not-allowed")


def test_pages_outside_the_api_keep_their_own_errors(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_a_server_error_is_in_the_error_shape_and_tells_nothing_inside(
    portal_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = create_app(portal_settings, PROPAGATE_EXCEPTIONS=False)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret path /srv/db password=hunter2")

    with app.app_context():
        monkeypatch.setattr(services().index, "search", broken)
    response = app.test_client().get("/api/v1/search")
    error = assert_error(response, 500, "internal-error")
    assert "hunter2" not in error["message"] and "/srv" not in error["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


# -- CORS ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/api/v1/search", "/api/v1/sources", "/api/v1/openapi.json", "/api/v1/nope", "/export.csv"],
)
def test_any_origin_may_get(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Origin": "https://elsewhere.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_preflight_requests_are_answered(client: FlaskClient) -> None:
    response = client.options(
        "/api/v1/search",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Accept-Language, X-Requested-With",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "Accept-Language, X-Requested-With"
    assert int(response.headers["Access-Control-Max-Age"]) > 0
    odd = client.options(
        "/api/v1/search", headers={"Access-Control-Request-Headers": "X-Foo, <script>"}
    )
    assert "Access-Control-Allow-Headers" not in odd.headers


def test_pages_do_not_allow_other_origins(client: FlaskClient) -> None:
    response = client.get("/", headers={"Origin": "https://elsewhere.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


# -- no e-mail addresses -----------------------------------------------------------------


@pytest.fixture
def leaky_client(tmp_path: Path) -> FlaskClient:
    """A portal whose source file and failed run mention people's e-mail addresses."""
    config = tmp_path / "config"
    (config / "sources").mkdir(parents=True)
    (config / "sources" / "leaky.yaml").write_text(
        "name: Leaky repository (ask jane.doe@example.org)\n"
        "platform: test\nprotocol: oai-pmh\n"
        "url: https://example.org/oai?contact=joe@example.org\n"
        "metadata_prefix: oai_dc\ncrosswalk: oai_dc\n",
        encoding="utf-8",
    )
    settings = load_settings(
        {"CSFINDER_HOME": str(tmp_path / "var"), "CSFINDER_CONFIG": str(config)}
    )
    settings.home.mkdir(parents=True)
    store = Store(settings.database_url)
    run = store.start_run(
        "leaky", mode="full", from_date=None, pid=os.getpid(), host=socket.gethostname()
    )
    store.add_run_error(run.id, "record rejected: contact mary@example.org", "oai:x:1")
    store.finish_run(run.id, FAILED, error="HTTP 500; the admin is admin@example.org")
    store.close()
    return create_app(settings, TESTING=True).test_client()


def test_no_email_address_in_sources_or_runs(leaky_client: FlaskClient) -> None:
    sources = leaky_client.get("/api/v1/sources")
    runs = leaky_client.get("/api/v1/sources/leaky/runs")
    assert sources.status_code == runs.status_code == 200
    for response in (sources, runs):
        text = response.get_data(as_text=True)
        assert "@example.org" not in text and "[e-mail removed]" in text
    last = runs.get_json()["runs"][0]
    assert last["status"] == "failed" and last["error_samples"][0]["identifier"] == "oai:x:1"


def test_no_email_address_anywhere_in_the_demo_api(client: FlaskClient) -> None:
    hits = client.get("/api/v1/search?per_page=100").get_json()["hits"]
    paths = ["/api/v1/search?per_page=100", "/api/v1/sources", "/export.csv", "/export.json"]
    paths += [f"/api/v1/records/{hit['id']}" for hit in hits]
    paths += [f"/api/v1/sources/{source}/runs" for source in {hit["source_id"] for hit in hits}]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.get_data(as_text=True)
        assert "mailto:" not in text
        assert not [word for word in text.replace('"', " ").split() if "@" in word and "." in word]


def test_search_reports_the_engines_cache_of_its_worker(client: FlaskClient) -> None:
    def counters() -> dict[str, str]:
        response = client.get("/api/v1/search?q=water&per_page=3")
        assert response.status_code == 200 and response.data.endswith(b"\n")
        header = response.headers["X-Search-Cache"]
        return dict(part.strip().split("=") for part in header.split(";"))

    first, second = counters(), counters()
    assert first["worker"] == second["worker"]
    assert int(second["hits"]) > int(first["hits"])
    assert int(second["misses"]) == int(first["misses"])
