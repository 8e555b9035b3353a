"""Server-rendered pages, read as a browser without JavaScript would read them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from harvester.core.settings import Settings, load_settings
from harvester.index.service import apply_rows, open_index
from harvester.store import NormalisedRow, Store
from portal.app import create_app
from tests.harvester.index.corpus import record


def first_hit(client: FlaskClient, query: str) -> str:
    page = client.get(query).get_data(as_text=True)
    found = re.search(r'href="/records/([^"]+)"', page)
    assert found, page
    return found.group(1)


def test_the_search_page_lists_records_with_facets(client: FlaskClient) -> None:
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r"\d+ results", page)
    assert "<legend>Country</legend>" in page and "Spain" in page  # names, not codes
    assert 'name="country" value="ES"' in page
    assert "Earth and related environmental sciences" in page  # fields of science by name
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_text_and_filters_live_in_the_url(client: FlaskClient) -> None:
    page = client.get("/?q=water&country=ES").get_data(as_text=True)
    assert 'value="water"' in page
    assert re.search(r'name="country" value="ES" checked', page)
    assert "<mark>" in page
    chip = re.search(r'<a class="chip" href="([^"]+)">Spain', page)
    assert chip and "country=ES" not in chip.group(1) and "q=water" in chip.group(1)
    assert "Clear all filters" in page


def test_several_values_of_a_facet_widen_the_results(client: FlaskClient) -> None:
    def total(query: str) -> int:
        found = re.search(r"([\d,]+) results?", client.get(query).get_data(as_text=True))
        assert found
        return int(found.group(1).replace(",", ""))

    spain, italy = total("/?country=ES"), total("/?country=IT")
    assert total("/?country=ES&country=IT") == spain + italy
    assert total("/?country=ES&kind=dataset") <= spain


def test_an_empty_result_helps(client: FlaskClient) -> None:
    page = client.get("/?q=zzzznotaword&country=ES").get_data(as_text=True)
    assert "0 results" in page and "Nothing matches this search." in page
    assert "search without filters" in page


def test_a_bad_parameter_is_explained_not_a_crash(client: FlaskClient) -> None:
    response = client.get("/?country=Spain")
    assert response.status_code == 400
    assert "country must be a two-letter code" in response.get_data(as_text=True)
    assert client.get("/?page=x").status_code == 400


def test_hostile_queries_answer(client: FlaskClient) -> None:
    for text in ['"', "OR", "-", "'; DROP TABLE docs; --", "<script>alert(1)</script>"]:
        response = client.get("/", query_string={"q": text})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)


def test_paging_links_keep_the_search(client: FlaskClient) -> None:
    page = client.get("/?per_page=5").get_data(as_text=True)
    assert 'rel="next" href="/?per_page=5&amp;page=2"' in page
    second = client.get("/?per_page=5&page=2").get_data(as_text=True)
    assert 'aria-current="page">2<' in second


def test_the_record_page_shows_fields_provenance_and_quality(client: FlaskClient) -> None:
    record_id = first_hit(client, "/?q=water")
    response = client.get(f"/records/{record_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for heading in ("Facts", "Where this record comes from", "Quality and FAIR"):
        assert heading in page
    assert "Original identifier" in page and "Harvested" in page
    assert re.search(r"<td class=\"(pass|fail)\">", page)
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert embedded
    data = json.loads(embedded.group(1))
    assert data["@context"]["@vocab"] == "https://schema.org/" and data["name"]


def test_records_negotiate_json_and_json_ld(client: FlaskClient) -> None:
    record_id = first_hit(client, "/?q=water")
    as_json = client.get(f"/records/{record_id}", headers={"Accept": "application/json"})
    assert as_json.mimetype == "application/json"
    assert as_json.get_json()["id"] == record_id
    as_ld = client.get(f"/records/{record_id}", headers={"Accept": "application/ld+json"})
    assert as_ld.mimetype == "application/ld+json"
    assert json.loads(as_ld.get_data())["@type"] in (
        "Dataset",
        "ResearchProject",
        "CreativeWork",
        "ScholarlyArticle",
    )
    assert client.get("/records/demo-x:0000000000000000").status_code == 404


def test_sources_pages_show_runs_and_counts(client: FlaskClient) -> None:
    page = client.get("/sources").get_data(as_text=True)
    assert "demo-eu-cs-projects" in page or "European" in page
    assert "succeeded" in page
    source = re.search(r'href="/sources/([^"]+)"', page)
    assert source
    detail = client.get(f"/sources/{source.group(1)}").get_data(as_text=True)
    assert "Harvest runs" in detail and "incremental" in detail and "full" in detail
    assert client.get("/sources/no-such-source").status_code == 404


def test_a_source_page_shows_how_its_records_fare(
    client: FlaskClient, portal_settings: Settings
) -> None:
    store = Store(portal_settings.database_url)
    source_id = "demo-eu-cs-projects"
    documents = [json.loads(row.document) for row in store.iter_normalised(source_id)]
    with_pid = sum(
        indicator["passed"]
        for document in documents
        for indicator in document["quality"]["indicators"]
        if indicator["id"] == "FsF-F1-02D"
    )
    page = client.get(f"/sources/{source_id}").get_data(as_text=True)
    share = f"{with_pid / len(documents):.0%}"
    row = re.search(r"Persistent identifier <code>FsF-F1-02D</code></th><td>([^<]+)<", page)
    assert row and row.group(1) == share


def test_a_source_page_links_an_example_of_each_common_problem(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "contract.yaml").write_text(
        "name: Contract\nplatform: test\nprotocol: oai-pmh\nurl: https://example.org/oai\n"
        "metadata_prefix: oai_dc\ncrosswalk: oai_dc\n",
        encoding="utf-8",
    )
    settings = load_settings({"CSFINDER_HOME": str(tmp_path), "CSFINDER_CONFIG": str(tmp_path)})
    issue = {"field": "dates", "problem": "unparseable date", "detail": "'spring-ish 2019'"}
    data = record("odd", "Moth night")
    data["quality"]["issues"] = [issue]
    row = NormalisedRow("contract", "odd", data["id"], "project", json.dumps(data), "h", 40, False)
    Store(settings.database_url).write_normalised([row])
    apply_rows(open_index(settings), [row])
    client = create_app(settings, TESTING=True).test_client()
    page = client.get("/sources/contract").get_data(as_text=True)
    assert "unparseable date" in page
    example = re.search(r'for example <a href="(/records/[^"]+)">', page)
    assert example and example.group(1) == f"/records/{data['id']}"
    assert client.get(example.group(1)).status_code == 200


def test_health_reports_store_and_index(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["status"], body["checks"]) == ("ok", {"store": "ok", "index": "ok"})
    assert body["notices"] == []  # the test environment installs the multilingual encoder


def test_suggestions_are_titles(client: FlaskClient) -> None:
    found = client.get("/suggest?q=wat").get_json()
    assert found and all("title" in item and "id" in item for item in found)


@pytest.fixture
def hostile_client(tmp_path: Path) -> FlaskClient:
    """A portal whose only record carries markup, a script and an e-mail address."""
    settings = load_settings({"CSFINDER_HOME": str(tmp_path), "CSFINDER_CONFIG": str(tmp_path)})
    data = record(
        "evil",
        'Plankton <script>alert("x")</script> & <b>bold</b>',
        description="Write to <img src=x onerror=alert(1)> now",
        keywords=["</script><script>alert(2)</script>"],
        url="https://example.org/?a=<b>",
    )
    row = NormalisedRow("contract", "evil", data["id"], "project", json.dumps(data), "h", 50, False)
    store = Store(settings.database_url)
    store.write_normalised([row])
    apply_rows(open_index(settings), [row])
    return create_app(settings, TESTING=True).test_client()


def test_harvested_text_is_always_escaped(hostile_client: FlaskClient) -> None:
    search = hostile_client.get("/?q=plankton").get_data(as_text=True)
    assert "<script>alert" not in search and "<b>bold" not in search
    assert "&lt;script&gt;" in search
    record_id = first_hit(hostile_client, "/?q=plankton")
    page = hostile_client.get(f"/records/{record_id}").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert embedded and "</script" not in embedded.group(1)
    assert json.loads(embedded.group(1))["keywords"] == ["</script><script>alert(2)</script>"]


def test_metrics_report_sources_runs_and_search_latency(client: FlaskClient) -> None:
    client.get("/?q=water")
    response = client.get("/metrics")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert re.search(
        r'csfinder_harvest_runs_total\{outcome="succeeded",source="demo-[^"]+"\} [1-9]', text
    )
    assert re.search(r"csfinder_search_latency_seconds_count [1-9]", text)
    assert re.search(r"csfinder_index_documents [1-9]", text)
