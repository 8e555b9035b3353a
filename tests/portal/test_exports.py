"""CSV and JSON exports of a search: streamed, complete up to the limit, safe in spreadsheets."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from harvester.core.settings import Settings, load_settings
from harvester.index.base import SearchResult
from harvester.index.query import MAX_WINDOW, SearchQuery
from harvester.index.service import apply_rows, open_index
from harvester.store import NormalisedRow, Store
from portal.app import create_app
from portal.exports import COLUMNS, EXPORT_PAGE, csv_cell
from portal.services import services
from tests.harvester.index.corpus import record

FORMULAS = ('=HYPERLINK("https://evil.example","click")', "+SUM(A1:A9)", "-2+3", "@cmd")
PLAIN_TITLE = 'Plankton & krill < 5 mm, "counted" at sea'
MANY = 250


def read_csv(response: Any) -> list[dict[str, str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff"), "a byte order mark for spreadsheets"
    reader = csv.DictReader(io.StringIO(text[1:], newline=""))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


def api_ids(client: FlaskClient, query: str, pages: int = 100) -> list[str]:
    """Every id of a search, page by page through the API, in order."""
    ids: list[str] = []
    for page in range(1, pages + 1):
        body = client.get(f"/api/v1/search?per_page=100&page={page}&{query}").get_json()
        ids += [hit["id"] for hit in body["hits"]]
        if len(body["hits"]) < 100:
            break
    return ids


# -- over the demo's records -------------------------------------------------------------


def test_csv_export_sends_every_result_as_an_attachment(client: FlaskClient) -> None:
    total = client.get("/api/v1/search").get_json()["total"]
    response = client.get("/export.csv")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith('.csv"')
    assert response.headers["X-Export-Limit"] == "10000"
    assert response.headers["X-Export-Total"] == str(total)
    assert response.headers["X-Export-Truncated"] == "false"
    rows = read_csv(response)
    assert len(rows) == total > 20
    assert [row["id"] for row in rows] == api_ids(client, "")
    assert all(row["title"] and row["kind"] and row["source"] for row in rows)


def test_csv_cells_are_the_records_fields(app: Flask, client: FlaskClient) -> None:
    rows = read_csv(client.get("/export.csv?q=water"))
    assert rows
    for row in rows:
        record = client.get(f"/api/v1/records/{row['id']}").get_json()
        assert row["title"] == " ".join(record["title"].split())
        assert row["kind"] == record["kind"]
        assert row["countries"] == "; ".join(record["countries"])
        assert row["languages"] == "; ".join(record["languages"])
        assert row["platform"] == record["provenance"]["platform"]
        assert row["source"] == record["provenance"]["source_id"]
        assert row["url"] == (record["url"] or "")
        assert row["date_modified"] == (record["date_modified"] or "")
        page = urlsplit(row["record_page"])
        assert page.scheme == "http" and page.path == f"/records/{row['id']}"
        assert client.get(page.path).status_code == 200
        assert "<mark>" not in "".join(row.values())


def test_json_export_is_one_document_with_limit_and_flag(client: FlaskClient) -> None:
    csv_rows = read_csv(client.get("/export.csv?country=ES&country=IT"))
    response = client.get("/export.json?country=ES&country=IT&page=2&per_page=1")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].endswith('.json"')
    body = json.loads(response.get_data(as_text=True))
    assert body["limit"] == 10_000 and body["truncated"] is False
    assert body["total"] == len(body["records"]) == len(csv_rows) > 0
    assert body["query"] == {"country": ["ES", "IT"], "per_page": ["1"]}
    assert [r["id"] for r in body["records"]] == [row["id"] for row in csv_rows]
    for item in body["records"]:
        assert set(item) == set(COLUMNS)
        assert {"ES", "IT"} & set(item["countries"])
        assert isinstance(item["languages"], list)


def test_paging_is_ignored_and_filters_apply(client: FlaskClient) -> None:
    total = client.get("/api/v1/search?kind=dataset").get_json()["total"]
    rows = read_csv(client.get("/export.csv?kind=dataset&page=3&per_page=2"))
    assert len(rows) == total > 0 and {row["kind"] for row in rows} == {"dataset"}


def test_a_small_limit_truncates_and_says_so(portal_settings: Settings) -> None:
    client = create_app(portal_settings, TESTING=True, EXPORT_LIMIT=5).test_client()
    total = client.get("/api/v1/search").get_json()["total"]
    response = client.get("/export.csv")
    assert response.headers["X-Export-Limit"] == "5"
    assert response.headers["X-Export-Truncated"] == "true"
    assert response.headers["X-Export-Total"] == str(total)
    assert len(read_csv(response)) == 5
    body = client.get("/export.json").get_json()
    assert (body["limit"], body["truncated"], body["total"]) == (5, True, total)
    assert len(body["records"]) == 5
    narrow = client.get("/export.json?country=IT").get_json()
    assert narrow["truncated"] is False and len(narrow["records"]) == narrow["total"] <= 5


def test_the_limit_never_exceeds_the_index_window(portal_settings: Settings) -> None:
    client = create_app(portal_settings, TESTING=True, EXPORT_LIMIT=50_000).test_client()
    response = client.get("/export.csv")
    assert response.headers["X-Export-Limit"] == str(MAX_WINDOW)
    response.get_data()


def test_bad_parameters_answer_before_any_row(client: FlaskClient) -> None:
    for path in ("/export.csv?country=Spain", "/export.json?year_from=20x"):
        response = client.get(path)
        assert response.status_code == 400 and response.mimetype == "application/json"
        assert response.get_json()["error"]["code"] == "bad-parameter"


def test_rows_are_streamed_page_by_page(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[SearchQuery] = []
    with app.app_context():
        index = services().index
        original = index.search

        def counting(query: SearchQuery) -> SearchResult:
            asked.append(query)
            return original(query)

        monkeypatch.setattr(index, "search", counting)
    response = client.get("/export.csv")
    assert len(asked) == 1, "only the first page is asked before the body is read"
    chunks: Iterator[bytes] = response.iter_encoded()
    assert next(chunks).startswith("\ufeffid,title".encode())
    rest = b"".join(chunks)
    assert rest.count(b"\r\n") == int(response.headers["X-Export-Total"])
    assert all(q.per_page == EXPORT_PAGE for q in asked)


# -- over crafted records: many pages, formulas, text that looks like markup -----------------


@pytest.fixture(scope="module")
def crafted_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A portal folder with 250 plankton records, some with titles a spreadsheet would run."""
    home = tmp_path_factory.mktemp("exports")
    settings = load_settings({"CSFINDER_HOME": str(home), "CSFINDER_CONFIG": str(home)})
    titles = [*FORMULAS, PLAIN_TITLE]
    titles += [f"Plankton survey {n:03d}" for n in range(MANY - len(titles))]
    rows = []
    for n, title in enumerate(titles):
        data = record(
            f"r{n:03d}",
            title,
            keywords=["plankton"],
            countries=["NL", "DE"],
            languages=["nl"],
            date_modified=f"20{n % 25:02d}-01-01",
        )
        rows.append(
            NormalisedRow(
                "contract", f"r{n:03d}", data["id"], "project", json.dumps(data), "h", 50, False
            )
        )
    store = Store(settings.database_url)
    store.write_normalised(rows)
    store.close()
    apply_rows(open_index(settings), rows)
    return settings


@pytest.fixture
def crafted(crafted_settings: Settings) -> FlaskClient:
    return create_app(crafted_settings, TESTING=True).test_client()


def test_every_page_is_exported_in_the_search_order(crafted: FlaskClient) -> None:
    rows = read_csv(crafted.get("/export.csv?sort=title"))
    assert len(rows) == MANY > 2 * EXPORT_PAGE
    assert [row["id"] for row in rows] == api_ids(crafted, "sort=title")
    body = crafted.get("/export.json?sort=newest").get_json()
    assert [r["id"] for r in body["records"]] == api_ids(crafted, "sort=newest")


def test_a_limit_between_pages(crafted_settings: Settings) -> None:
    client = create_app(crafted_settings, TESTING=True, EXPORT_LIMIT=230).test_client()
    response = client.get("/export.csv?sort=title")
    assert response.headers["X-Export-Truncated"] == "true"
    rows = read_csv(response)
    assert [row["id"] for row in rows] == api_ids(client, "sort=title")[:230]


def test_formulas_are_defused(crafted: FlaskClient) -> None:
    titles = {row["title"] for row in read_csv(crafted.get("/export.csv"))}
    for formula in FORMULAS:
        assert "'" + formula in titles and formula not in titles
    assert "Plankton survey 000" in titles
    raw = crafted.get("/export.json").get_json()
    assert {r["title"] for r in raw["records"]} >= set(FORMULAS), "JSON keeps the text as is"


def test_cells_are_plain_text_not_html(crafted: FlaskClient) -> None:
    search = crafted.get("/api/v1/search?q=plankton&per_page=100").get_json()
    assert any("<mark>" in hit["title_html"] for hit in search["hits"])
    response = crafted.get("/export.csv?q=plankton")
    text = response.get_data(as_text=True)
    assert "<mark>" not in text and "&amp;" not in text and "&lt;" not in text
    rows = read_csv(response)
    assert PLAIN_TITLE in {row["title"] for row in rows}
    assert {row["countries"] for row in rows} == {"NL; DE"}
    records = crafted.get("/export.json?q=plankton").get_json()["records"]
    assert PLAIN_TITLE in {r["title"] for r in records}
    assert "<mark>" not in json.dumps(records)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (None, ""),
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'=1+1"),
        ("\r\n=cmd", "'=cmd"),
        ("line one\nline two", "line one line two"),
        ("a\x00b", "a b"),
        (["NL", "DE"], "NL; DE"),
        (["=bad"], "'=bad"),
        ("2021-05-01", "2021-05-01"),
        ("Ünïcødé title", "Ünïcødé title"),
    ],
)
def test_csv_cell(value: Any, cell: str) -> None:
    assert csv_cell(value) == cell


def test_an_empty_search_exports_only_the_header(crafted: FlaskClient) -> None:
    response = crafted.get("/export.csv?q=zzzznotaword")
    assert response.headers["X-Export-Total"] == "0"
    assert read_csv(response) == []
    body = crafted.get("/export.json?q=zzzznotaword").get_json()
    assert body["records"] == [] and body["truncated"] is False


def test_exports_path_is_relative_to_where_the_portal_is_mounted(tmp_path: Path) -> None:
    settings = load_settings({"CSFINDER_HOME": str(tmp_path), "CSFINDER_CONFIG": str(tmp_path)})
    data = record("one", "Only one", keywords=["plankton"])
    row = NormalisedRow("contract", "one", data["id"], "project", json.dumps(data), "h", 50, False)
    store = Store(settings.database_url)
    store.write_normalised([row])
    store.close()
    apply_rows(open_index(settings), [row])
    client = create_app(settings, TESTING=True).test_client()
    rows = read_csv(client.get("/export.csv", base_url="https://portal.example/cs"))
    assert rows[0]["record_page"] == f"https://portal.example/cs/records/{data['id']}"
