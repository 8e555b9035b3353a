"""The OpenAPI document: complete, valid, and true of the running app (schemathesis)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from harvester.core.settings import Settings
from harvester.index.query import ACCESS, FACETS, KINDS, MAX_PER_PAGE, SORTS
from portal import api
from portal.app import create_app
from portal.openapi.document import openapi_document
from portal.openapi.record import RECORD_SCHEMA_PATH
from portal.params import KNOWN_PARAMS


@pytest.fixture
def document(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    found: dict[str, Any] = response.get_json()
    return found


def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    validate(document)
    assert document["servers"] == [{"url": "/", "description": "This portal."}]
    assert document["info"]["title"] and document["info"]["version"]


def test_the_server_is_where_the_portal_is_mounted(app: Flask) -> None:
    response = app.test_client().get("/api/v1/openapi.json", base_url="http://localhost/cs")
    assert response.get_json()["servers"][0]["url"] == "/cs"


def test_every_route_of_the_api_blueprint_is_documented_and_nothing_else(
    app: Flask, document: dict[str, Any]
) -> None:
    routes = {
        openapi_path(rule.rule): rule.methods or set()
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
    }
    assert set(routes) == set(document["paths"])
    for path, methods in routes.items():
        documented = {method.upper() for method in document["paths"][path]}
        assert documented == methods - {"HEAD", "OPTIONS"}, path
    for path, item in document["paths"].items():
        for operation in item.values():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == set(re.findall(r"{([a-z_]+)}", path)), path
            assert "default" in operation["responses"], path


def test_search_and_export_parameters_are_the_pages(document: dict[str, Any]) -> None:
    def names(path: str) -> set[str]:
        return {p["name"] for p in document["paths"][path]["get"]["parameters"]}

    assert names("/api/v1/search") == set(KNOWN_PARAMS)
    assert names("/export.csv") == names("/export.json") == set(KNOWN_PARAMS)  # paging ignored
    params = {p["name"]: p for p in document["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert params["sort"]["schema"]["enum"] == list(SORTS)
    assert params["per_page"]["schema"]["maximum"] == MAX_PER_PAGE
    assert set(params["kind"]["schema"]["items"]["enum"]) == KINDS
    assert set(params["access"]["schema"]["items"]["enum"]) == ACCESS
    for facet in FACETS:
        assert params[facet]["schema"]["type"] == "array" and params[facet]["explode"] is True


@pytest.mark.parametrize(
    ("pattern_of", "good", "bad"),
    [
        ("country", ["NL", "de"], ["NLD", "N1", ""]),
        ("year", ["2021", "7"], ["20211", "twenty"]),
    ],
)
def test_patterns_agree_with_the_query_validation(
    client: FlaskClient, document: dict[str, Any], pattern_of: str, good: list[str], bad: list[str]
) -> None:
    params = {p["name"]: p for p in document["paths"]["/api/v1/search"]["get"]["parameters"]}
    schema = params[pattern_of]["schema"]
    pattern = re.compile(schema.get("items", schema)["pattern"])
    for value in good:
        assert pattern.match(value), value
        assert client.get("/api/v1/search", query_string={pattern_of: value}).status_code == 200
    for value in bad:
        assert not pattern.match(value), value
        if value:  # empty values are ignored, as on the search page
            response = client.get("/api/v1/search", query_string={pattern_of: value})
            assert response.status_code == 400, value


def test_the_bounding_box_is_four_numbers_within_the_globe(
    client: FlaskClient, document: dict[str, Any]
) -> None:
    params = {p["name"]: p for p in document["paths"]["/api/v1/search"]["get"]["parameters"]}
    bbox = params["bbox"]
    assert (bbox["style"], bbox["explode"]) == ("form", False)
    validator = Draft202012Validator(bbox["schema"])
    for good in ("-10,35.5,30,70", "170,-10,-170,10"):
        assert validator.is_valid([float(x) for x in good.split(",")])
        assert client.get("/api/v1/search", query_string={"bbox": good}).status_code == 200
    for bad in ("-181,0,0,0", "0,-91,0,0", "0,0,0", "0,0,0,0,0"):
        assert not validator.is_valid([float(x) for x in bad.split(",")])
        assert client.get("/api/v1/search", query_string={"bbox": bad}).status_code == 400


def test_the_record_schema_is_the_published_one(document: dict[str, Any]) -> None:
    published = json.loads(RECORD_SCHEMA_PATH.read_text(encoding="utf-8"))
    schemas = document["components"]["schemas"]
    assert schemas["Record"]["properties"].keys() == published["properties"].keys()
    assert schemas["Record"]["required"] == published["required"]
    for name in published["$defs"]:
        assert name in schemas
    text = json.dumps(document)
    assert "#/$defs/" not in text
    for ref in set(re.findall(r'"\$ref": "#/([^"]+)"', text)):
        node: Any = document
        for part in ref.split("/"):
            node = node[part]
        assert isinstance(node, dict), ref


def component_validator(document: dict[str, Any], name: str) -> Draft202012Validator:
    """A validator for one component, its references resolved inside the document."""
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_served_records_match_the_record_component(
    client: FlaskClient, document: dict[str, Any]
) -> None:
    validator = component_validator(document, "RecordInCluster")
    hits = client.get("/api/v1/search?per_page=100").get_json()["hits"]
    assert len(hits) > 10
    for hit in hits:
        validator.validate(client.get(f"/api/v1/records/{hit['id']}").get_json())


def test_errors_match_the_error_component(client: FlaskClient, document: dict[str, Any]) -> None:
    validator = component_validator(document, "Error")
    for response in (
        client.get("/api/v1/search?sort=sideways"),
        client.get("/api/v1/records/nope:0000000000000000"),
        client.post("/api/v1/sources"),
        client.get("/api/v1/no-such-thing"),
        client.get("/export.csv?country=Atlantis"),
    ):
        validator.validate(response.get_json())


def test_the_document_is_built_once_and_depends_on_no_request(
    app: Flask, document: dict[str, Any]
) -> None:
    built = openapi_document(app)  # outside any request
    assert built == document
    assert openapi_document(app, "/cs")["paths"] is built["paths"]  # kept, not built again


# -- schemathesis: the document checked against the running app --------------------------


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def api_routes() -> list[tuple[str, str]]:
    """Every route of the API blueprint, as (method, OpenAPI path)."""
    app = Flask(__name__)
    app.register_blueprint(api.blueprint)
    return [
        (method, openapi_path(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    ]


OPERATIONS = api_routes()


@pytest.fixture(scope="module")
def api_schema(portal_settings: Settings) -> Any:
    """The document as the running app serves it, loaded by schemathesis over WSGI
    (real requests through the app's WSGI interface, errors answered, not raised)."""
    app = create_app(portal_settings, EXPORT_LIMIT=150, PROPAGATE_EXCEPTIONS=False)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_app_answers_as_documented(api_schema: Any, method: str, path: str) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=12,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def answers_as_documented(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(checks=CHECKS)

    answers_as_documented()
