"""Hostile requests get a clear 4xx in the surface's own error shape, never a 500: raw bytes
that are not UTF-8 in a query string, and validly signed resumption tokens holding values no
token of ours holds."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from lxml import etree

from harvester.core.settings import Settings
from portal.app import create_app
from portal.oai.config import signing_key

OAI = "{http://www.openarchives.org/OAI/2.0/}"
RAW = ("q=\xff", "\xff=1", "q=caf\xe9", "country=\xc3\x28")
"""Query strings with bytes that are not UTF-8 (a WSGI server hands them over as Latin-1)."""
JSON_SURFACES = (
    "/api/v1/search",
    "/api/v1/suggest",
    "/api/v1/sources",
    "/api/v1/openapi.json",
    "/export.csv",
    "/export.json",
)
PAGES = ("/", "/sources", "/sources/new")


@pytest.fixture
def strict_app(portal_settings: Settings) -> Flask:
    """The portal as it runs in production: exceptions become answers, not test errors."""
    return create_app(portal_settings, TESTING=False, SECRET_KEY="hostile-requests")


@pytest.fixture
def strict(strict_app: Flask) -> FlaskClient:
    return strict_app.test_client()


def raw_get(client: FlaskClient, path: str, query: str) -> Any:
    return client.get(path, environ_overrides={"QUERY_STRING": query})


@pytest.mark.parametrize("query", RAW)
@pytest.mark.parametrize("path", JSON_SURFACES)
def test_the_api_and_exports_answer_400_in_the_api_shape(
    strict: FlaskClient, path: str, query: str
) -> None:
    response = raw_get(strict, path, query)
    assert response.status_code == 400, response.data[:300]
    assert response.content_type == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == 400 and error["code"] == "bad-parameter"
    assert "UTF-8" in error["message"]


@pytest.mark.parametrize("query", RAW)
@pytest.mark.parametrize("path", PAGES)
def test_pages_answer_400_as_a_page(strict: FlaskClient, path: str, query: str) -> None:
    response = raw_get(strict, path, query)
    assert response.status_code == 400, response.data[:300]
    assert response.content_type.startswith("text/html")
    assert b"UTF-8" in response.data


def test_the_search_page_shows_the_problem_in_its_own_layout(strict: FlaskClient) -> None:
    response = raw_get(strict, "/", "q=\xff")
    assert response.status_code == 400
    assert b'role="search"' in response.data or b"<form" in response.data
    assert b"not valid UTF-8" in response.data


def test_the_search_box_suggestions_answer_400_in_json(strict: FlaskClient) -> None:
    response = raw_get(strict, "/suggest", "q=\xff")
    assert response.status_code == 400
    assert "UTF-8" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("query", [*RAW, "verb=\xff", "verb=Identify&x=\xff"])
def test_oai_pmh_answers_bad_argument(strict: FlaskClient, query: str) -> None:
    response = raw_get(strict, "/oai", query)
    assert response.status_code == 200
    root = etree.fromstring(response.data)
    error = root.find(f"{OAI}error")
    assert error is not None and error.get("code") == "badArgument"
    assert "UTF-8" in (error.text or "")


def test_percent_encoded_bytes_are_read_as_before(strict: FlaskClient) -> None:
    """``%FF`` is valid URL syntax: Werkzeug reads it as U+FFFD, and the search runs."""
    assert strict.get("/api/v1/search?q=%FF").status_code == 200


# ----------------------------------------------------------------------------- tokens


def signed(app: Flask, payload: bytes) -> str:
    """A token as :mod:`portal.oai.tokens` writes it, signed with the app's key."""
    key = signing_key(app)

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")

    return f"{b64(payload)}.{b64(hmac.new(key, payload, hashlib.sha256).digest())}"


GOOD = {
    "v": "ListRecords",
    "p": "oai_dc",
    "s": None,
    "f": None,
    "u": "2026-01-01T00:00:00+00:00",
    "k": None,
    "c": 0,
    "x": 4102444800,
}


@pytest.mark.parametrize(
    "payload",
    [
        json.dumps({**GOOD, "x": float("inf")}),
        json.dumps({**GOOD, "x": float("-inf")}),
        json.dumps({**GOOD, "x": float("nan")}),
        json.dumps({**GOOD, "c": float("inf")}),
        json.dumps({**GOOD, "c": -5}),
        json.dumps({**GOOD, "c": True}),
        json.dumps({**GOOD, "x": 1e308}),
        json.dumps({**GOOD, "x": 10**400}),
        json.dumps({**GOOD, "k": ["2026-01-01T00:00:00+00:00"]}),
        json.dumps({**GOOD, "u": "+999999-01-01"}),
        json.dumps([1, 2]),
        '{"x": 1, "x": Infinity}',
    ],
)
def test_a_signed_token_with_values_no_token_holds_is_refused(
    strict_app: Flask, payload: str
) -> None:
    token = signed(strict_app, payload.encode())
    response = strict_app.test_client().get(
        "/oai", query_string={"verb": "ListRecords", "resumptionToken": token}
    )
    assert response.status_code == 200
    error = etree.fromstring(response.data).find(f"{OAI}error")
    assert error is not None and error.get("code") == "badResumptionToken"


def test_a_signed_token_of_ours_still_works(strict_app: Flask) -> None:
    token = signed(strict_app, json.dumps(GOOD).encode())
    response = strict_app.test_client().get(
        "/oai", query_string={"verb": "ListRecords", "resumptionToken": token}
    )
    error = etree.fromstring(response.data).find(f"{OAI}error")
    assert error is None or error.get("code") == "noRecordsMatch"
