"""The API does what its OpenAPI document says: every parameter of every operation is checked
against the document (what it refuses answers 400, naming the parameter), and every error
the API can answer is documented, in the one error shape."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    status_code_conformance,
)

from harvester.core.settings import Settings
from harvester.index.query import MAX_VALUES_PER_FACET
from portal.app import create_app
from tests.portal.test_openapi import OPERATIONS

FORGIVEN = [
    ("sort=", "sort"),
    ("access=", "access"),
    ("has_pid=", "has_pid"),
    ("year=", "year"),
    ("kind=", "kind"),
    ("page=", "page"),
    ("kind=PROJECT", "kind"),
    ("access=OPEN", "access"),
    ("has_pid=TRUE", "has_pid"),
    ("year=2021%20", "year"),
    ("year_from=2020&year_to=2010", "year_from"),
    ("&".join(["country=NL"] * (MAX_VALUES_PER_FACET + 1)), "country"),
    ("sdg=3.0", "sdg"),
]
"""Values the query validation used to forgive (empty, in another case, too many)."""


def get(client: FlaskClient, path: str) -> Any:
    """GET ``path``, its body read whole (exports stream it)."""
    response = client.get(path)
    response.get_data()
    return response


def error_of(response: Any) -> dict[str, Any]:
    assert response.content_type == "application/json", response.data[:200]
    found: dict[str, Any] = response.get_json()["error"]
    return found


@pytest.mark.parametrize(("query", "named"), FORGIVEN, ids=[q[:30] for q, _ in FORGIVEN])
@pytest.mark.parametrize("path", ["/api/v1/search", "/export.csv", "/export.json"])
def test_what_the_document_refuses_answers_400_naming_the_parameter(
    client: FlaskClient, path: str, query: str, named: str
) -> None:
    response = get(client, f"{path}?{query}")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "bad-parameter" and named in error["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/search?colour=red",
        "/api/v1/suggest?q=bird&colour=red",
        "/api/v1/suggest?limit=",
        "/api/v1/suggest?limit=21",
        "/api/v1/sources?colour=red",
        "/api/v1/sources/demo-eu-cs-projects/runs?limit=0",
        "/api/v1/sources/demo-eu-cs-projects/runs?colour=red",
        "/api/v1/openapi.json?colour=red",
        "/export.csv?colour=red",
        "/export.json?per_page=",
    ],
)
def test_every_operation_checks_its_parameters(client: FlaskClient, path: str) -> None:
    response = get(client, path)
    assert response.status_code == 400
    assert error_of(response)["code"] == "bad-parameter"


def test_a_record_id_not_of_the_documented_form_is_a_bad_parameter(client: FlaskClient) -> None:
    response = client.get("/api/v1/records/not-an-id")
    assert response.status_code == 400
    assert "record_id" in error_of(response)["message"]
    assert client.get("/api/v1/records/demo:0123456789abcdef").status_code == 404


def test_valid_requests_still_answer(client: FlaskClient) -> None:
    assert client.get("/api/v1/search?country=NL&country=de&sort=newest").status_code == 200
    assert client.get("/api/v1/search?q=").status_code == 200
    assert get(client, "/export.json?kind=project&page=3&per_page=10").status_code == 200


def test_the_search_page_links_exports_the_api_takes(client: FlaskClient) -> None:
    """The page's own form sends empty fields; its export links leave them out."""
    page = client.get("/?q=&year_from=&year_to=&country=NL&per_page=5").get_data(as_text=True)
    links = [part.split('"')[0] for part in page.split('href="/export.')[1:]]
    assert links
    for link in links:
        assert get(client, "/export." + link.replace("&amp;", "&")).status_code == 200, link


NO_PARAMETERS = {"/api/v1/sources", "/api/v1/openapi.json"}
"""Operations whose document declares no parameter: no value is outside it to try."""
DOCUMENTED_ERRORS = {"400", "405", "413", "414", "429", "431", "default"}


def test_every_error_the_api_answers_is_documented(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            statuses = set(operation["responses"]) - {"200"}
            missing = DOCUMENTED_ERRORS - statuses
            assert not missing, f"{method} {path} does not document {sorted(missing)}"
            if "{" in path:
                assert "404" in statuses, f"{method} {path}"
    responses = document["components"]["responses"]
    for name in ("MethodNotAllowed", "PayloadTooLarge", "UriTooLong", "HeadersTooLarge"):
        schema = responses[name]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/Error"}


def test_a_wrong_method_and_a_large_body_answer_in_the_api_shape(client: FlaskClient) -> None:
    wrong = client.post("/api/v1/search")
    assert wrong.status_code == 405 and error_of(wrong)["code"] == "method-not-allowed"
    assert "GET" in wrong.headers["Allow"]
    large = client.get("/api/v1/search", data=b"x" * 70_000)
    assert large.status_code == 413 and error_of(large)["status"] == 413


@pytest.fixture(scope="module")
def api_schema(portal_settings: Settings) -> Any:
    app = create_app(portal_settings, EXPORT_LIMIT=150, PROPAGATE_EXCEPTIONS=False)
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


TAKING_PARAMETERS = [(m, p) for m, p in OPERATIONS if p not in NO_PARAMETERS]


@pytest.mark.parametrize(
    ("method", "path"), TAKING_PARAMETERS, ids=[f"{m} {p}" for m, p in TAKING_PARAMETERS]
)
def test_values_outside_the_document_are_refused(api_schema: Any, method: str, path: str) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def refused(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(
            checks=[
                not_a_server_error,
                negative_data_rejection,
                status_code_conformance,
                content_type_conformance,
            ]
        )

    refused()
