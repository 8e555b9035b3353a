"""Insights in the portal: the page, compare, each figure's downloads, the JSON API and its
CSV; totals and counts checked against the search for the same parameters, over the demo's
harvested records and over records carrying every policy dimension."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient
from lxml import etree

from harvester.core.settings import load_settings
from harvester.index.insights import DIMENSIONS
from harvester.index.query import FACETS
from harvester.index.service import apply_rows, open_index
from harvester.store import NormalisedRow, Store
from portal.app import create_app
from portal.insights.figures import FIGURES
from tests.harvester.index.insights_corpus import funder, record, records

SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True)
HOSTILE = '<script>alert("x")</script>'


def api(client: FlaskClient, path: str) -> dict[str, Any]:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    body: dict[str, Any] = response.get_json()
    return body


def read_csv(response: Any) -> list[dict[str, str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def svg_root(text: str) -> Any:
    return etree.fromstring(text.encode("utf-8"), SAFE_XML)


@pytest.fixture(scope="module")
def policy_client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    """A portal over records carrying every dimension, one of them hostile."""
    home = tmp_path_factory.mktemp("insights")
    settings = load_settings({"CSFINDER_HOME": str(home), "CSFINDER_CONFIG": str(home)})
    hostile = record(
        "hostile",
        f"Evil {HOSTILE}",
        countries=["DE"],
        participation={"tasks": [HOSTILE]},
        organisations=[funder(f"Fund {HOSTILE} & co")],
        start_date="2019-01-01",
    )
    rows = [
        NormalisedRow("policy", r["id"], r["id"], r["kind"], json.dumps(r), "h", 50, False)
        for r in [*records(), hostile]
    ]
    Store(settings.database_url).write_normalised(rows)
    apply_rows(open_index(settings), rows)
    return create_app(settings, TESTING=True).test_client()


# -- totals and counts agree with the search ------------------------------------------


@pytest.mark.parametrize(
    "query", ["", "country=IT", "q=water", "kind=dataset&country=ES", "year_from=2020", "q=zzzz"]
)
def test_insights_totals_are_the_search_totals(client: FlaskClient, query: str) -> None:
    searched = api(client, f"/api/v1/search?{query}")
    counted = api(client, f"/api/v1/insights?{query}")
    assert counted["total"] == searched["total"]
    page = client.get(f"/insights?{query}").get_data(as_text=True)
    shown = re.search(r'<p class="total"[^>]*>\s*([\d,]+) record', page)
    assert shown and int(shown.group(1).replace(",", "")) == searched["total"]


def test_dimension_counts_are_the_search_facet_counts(client: FlaskClient) -> None:
    searched = api(client, "/api/v1/search?kind=project")
    counted = api(client, "/api/v1/insights?kind=project")
    assert set(counted["dimensions"]) == set(DIMENSIONS)
    for facet in FACETS:
        expected = {c["value"]: c["count"] for c in searched["facets"][facet]}
        found = {c["value"]: c["count"] for c in counted["dimensions"][facet]}
        if facet == "kind":  # filtered: the selected value counts alike
            assert found["project"] == expected["project"]
        else:
            assert found == expected, facet


def test_the_api_answer_labels_values_and_links_to_the_pages(client: FlaskClient) -> None:
    body = api(client, "/api/v1/insights?country=IT")
    keys = {"total", "counted", "records", "dimensions", "fair", "snapshot", "sources", "links"}
    assert keys == set(body)
    assert body["counted"] == "clusters" and body["records"] == body["total"]  # no clusters
    assert body["dimensions"]["country"][0] == {
        "value": "IT",
        "label": "Italy",
        "count": body["total"],
    }
    assert all(
        set(c) == {"value", "label", "count"} for d in body["dimensions"].values() for c in d
    )
    assert body["links"]["page"] == "/insights?country=IT"
    assert body["links"]["search"] == "/?country=IT"
    assert body["sources"] and body["snapshot"]
    for share in body["fair"]:
        assert 0 <= share["passed"] <= share["applicable"] and share["label"]


def test_insights_csv_is_the_api_dimension(client: FlaskClient) -> None:
    response = client.get("/insights.csv?dimension=topic&kind=project")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    expected = api(client, "/api/v1/insights?kind=project")["dimensions"]["topic"]
    assert rows == [{k: str(v) for k, v in c.items()} for c in expected]


@pytest.mark.parametrize(
    ("path", "says"),
    [
        ("/insights.csv?dimension=colour", "dimension: Input should be 'kind'"),
        ("/insights.csv", "dimension: Field required"),
        ("/api/v1/insights?page=2", "unknown parameter 'page'"),
        ("/api/v1/insights?country=Spain", "country[0]: String should match"),
        ("/api/v1/insights?policy_aims=maybe", "policy_aims[0]: Input should be 'true'"),
    ],
)
def test_bad_api_parameters_are_refused_in_the_api_shape(
    client: FlaskClient, path: str, says: str
) -> None:
    response = client.get(path)
    assert response.status_code == 400 and response.mimetype == "application/json"
    assert says in response.get_json()["error"]["message"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


# -- the page --------------------------------------------------------------------------


def test_the_map_links_each_country_with_records_to_its_search(client: FlaskClient) -> None:
    page = client.get("/insights?kind=project").get_data(as_text=True)
    countries = api(client, "/api/v1/insights?kind=project")["dimensions"]["country"]
    svg = re.search(r'<svg[^>]*class="chart map".*?</svg>', page, re.S)
    assert svg, "the map is drawn in the page"
    root = svg_root(svg.group(0))
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.find("s:title", ns).text and root.find("s:desc", ns).text
    shapes = {p.get("data-country"): p for p in root.iterfind(".//s:path", ns)}
    for count in countries:
        shape = shapes[count["value"]]
        assert shape.get("data-count") == str(count["count"])
        assert shape.find("s:title", ns).text.startswith(count["label"] + ": ")
        link = shape.getparent()
        query = parse_qs(urlsplit(link.get("href")).query)
        assert query == {"kind": ["project"], "country": [count["value"]]}
    empty = [p for code, p in shapes.items() if p.get("data-count") == "0"]
    assert empty and all(p.getparent().tag != "{http://www.w3.org/2000/svg}a" for p in empty)


def test_the_world_view_and_the_table_of_numbers(client: FlaskClient) -> None:
    page = client.get("/insights?map=world").get_data(as_text=True)
    assert "Records per country, world" in page
    assert 'aria-current="true">World<' in page
    assert client.get("/insights?map=mars").status_code == 400


def test_every_figure_downloads_as_csv_json_and_svg(policy_client: FlaskClient) -> None:
    page = policy_client.get("/insights").get_data(as_text=True)
    for figure in FIGURES:
        assert f'id="figure-{figure.id}"' in page, figure.id
        csv_rows = read_csv(policy_client.get(f"/insights/figures/{figure.id}.csv"))
        data = api(policy_client, f"/insights/figures/{figure.id}.json")
        assert data["columns"] == list(csv_rows[0]) and len(data["rows"]) == len(csv_rows)
        assert data["permalink"].startswith("http://localhost/insights")
        assert data["permalink"].endswith(f"#figure-{figure.id}")
        assert data["csfinder_version"] in data["citation"]
        assert data["selections"][0]["total"] == len(records()) + 1
        drawn = policy_client.get(f"/insights/figures/{figure.id}.svg")
        assert drawn.mimetype == "image/svg+xml"
        root = svg_root(drawn.get_data(as_text=True))
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert root.find("{http://www.w3.org/2000/svg}title") is not None


def test_the_year_figure_counts_started_active_and_ended(policy_client: FlaskClient) -> None:
    data = api(policy_client, "/insights/figures/years.json")
    by_year = {row["year"]: row for row in data["rows"]}
    counted = api(policy_client, "/api/v1/insights")["dimensions"]
    for column, dimension in (
        ("started", "year_started"),
        ("active", "year_active"),
        ("ended", "year_ended"),
    ):
        expected = {int(c["value"]): c["count"] for c in counted[dimension]}
        assert {y: r[column] for y, r in by_year.items() if r[column]} == expected
    years = sorted(by_year)
    assert years == list(range(years[0], years[-1] + 1)), "no year is skipped"


def test_harvested_labels_are_escaped_everywhere(policy_client: FlaskClient) -> None:
    for path in (
        "/insights",
        "/insights/figures/participation.svg",
        "/insights/figures/funder.svg",
    ):
        text = policy_client.get(path).get_data(as_text=True)
        assert "<script>alert" not in text, path
        assert "&lt;script&gt;" in text, path
    rows = read_csv(policy_client.get("/insights/figures/funder.csv"))
    assert any(HOSTILE in row["label"] for row in rows)


def test_policy_filters_reach_the_search_page(policy_client: FlaskClient) -> None:
    page = policy_client.get("/?policy_aims=true").get_data(as_text=True)
    assert "Policy aims" in page and "Results meant for policy making" in page
    for facet in ("participation", "policy_relevance", "funder", "for_schools"):
        assert f'name="{facet}"' in page, facet
    counted = api(policy_client, "/api/v1/insights?policy_aims=true")
    assert counted["total"] == api(policy_client, "/api/v1/search?policy_aims=true")["total"] == 3


def test_the_page_has_no_inline_script_or_style(policy_client: FlaskClient) -> None:
    page = policy_client.get("/insights").get_data(as_text=True)
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
    assert " style=" not in page and "<style" not in page


def test_compare_draws_both_sides_on_one_scale(policy_client: FlaskClient) -> None:
    query = "a.country=DE&b.country=ES"
    page = policy_client.get(f"/insights/compare?{query}").get_data(as_text=True)
    maps = re.findall(r'<svg[^>]*class="chart map".*?</svg>', page, re.S)
    assert len(maps) == 2
    legends = [re.findall(r'class="legend".*?</g>', m, re.S)[0] for m in maps]
    assert legends[0] == legends[1].replace("map1", "map0"), "one scale for both"
    data = api(policy_client, f"/insights/figures/topic.json?{query}")
    assert data["columns"] == ["value", "label", "count_a", "count_b"]
    for side, country in (("a", "DE"), ("b", "ES")):
        alone = api(policy_client, f"/api/v1/insights?country={country}")["dimensions"]["topic"]
        found = {row["value"]: row[f"count_{side}"] for row in data["rows"] if row[f"count_{side}"]}
        assert found == {c["value"]: c["count"] for c in alone}
    totals = [s["total"] for s in data["selections"]]
    assert totals == [
        api(policy_client, f"/api/v1/search?country={c}")["total"] for c in ("DE", "ES")
    ]


def test_a_side_replaces_only_what_it_names(policy_client: FlaskClient) -> None:
    query = "topic=1.5&a.year_from=2015&a.year_to=2018&b.year_from=2019&b.year_to=2026"
    data = api(policy_client, f"/insights/figures/kind.json?{query}")
    expected = [
        api(policy_client, f"/api/v1/search?topic=1.5&year_from={a}&year_to={b}")["total"]
        for a, b in (("2015", "2018"), ("2019", "2026"))
    ]
    assert [s["total"] for s in data["selections"]] == expected
    assert data["selections"][0]["name"] == "2015–2018"


def test_the_compare_page_without_sides_offers_the_forms(client: FlaskClient) -> None:
    page = client.get("/insights/compare?kind=project").get_data(as_text=True)
    assert 'name="a.country"' in page and 'name="b.year_from"' in page
    assert '<input type="hidden" name="kind" value="project">' in page


def test_bad_page_parameters_say_what_is_wrong(client: FlaskClient) -> None:
    response = client.get("/insights?country=Spain")
    assert response.status_code == 400
    assert "country must be a two-letter code" in response.get_data(as_text=True)
    compare = client.get("/insights/compare?a.year_from=20x0")
    assert compare.status_code == 400 and "A: year_from" in compare.get_data(as_text=True)
    assert client.get("/insights/figures/pie.csv").status_code == 404
    assert client.get("/insights/figures/country.exe").status_code == 404


def test_the_search_page_links_to_its_insights(client: FlaskClient) -> None:
    page = client.get("/?kind=dataset&page=2").get_data(as_text=True)
    assert 'href="/insights?kind=dataset"' in page
    assert 'href="/insights"' in page  # in the header, from every page


def test_the_year_figure_offers_projects_alone(policy_client: FlaskClient) -> None:
    page = policy_client.get("/insights?country=DE").get_data(as_text=True)
    assert 'href="/insights?country=DE&amp;kind=project#figure-years"' in page
    filtered = policy_client.get("/insights?country=DE&kind=project").get_data(as_text=True)
    assert "Count projects only" not in filtered
    chips = policy_client.get("/insights?year_from=2015&q=air").get_data(as_text=True)
    assert "from 2015" in chips and "“air”" in chips


def test_the_fair_profile_names_its_metrics_in_the_page_language(client: FlaskClient) -> None:
    german = client.get("/insights?lang=de").get_data(as_text=True)
    assert "Persistenter Identifikator" in german
    assert "Persistent identifier" not in german
