"""The document assembled from an app's routes and the operations their views carry."""

from __future__ import annotations

import pytest
from flask import Blueprint, Flask
from pydantic import BaseModel

from portal.openapi.contract import JSON, Answer, Operation, documented, operation_of
from portal.openapi.document import UndocumentedRouteError, build_document, openapi_document


class Thing(BaseModel):
    """A thing."""

    name: str


class ThingPath(BaseModel):
    """The thing in the path."""

    thing_id: str


THING = Operation(
    operation_id="getThing",
    tag="things",
    summary="One thing",
    path=ThingPath,
    answer=Answer("The thing.", {JSON: Thing}),
    errors=(404,),
)


def app_with(*routes: tuple[str, Operation | None]) -> Flask:
    app = Flask(__name__)
    blueprint = Blueprint("api", __name__)
    for number, (rule, operation) in enumerate(routes):

        def view(**_: str) -> str:
            return ""

        blueprint.add_url_rule(
            rule, f"view{number}", documented(operation)(view) if operation else view
        )
    app.register_blueprint(blueprint)
    app.add_url_rule("/elsewhere", "elsewhere", lambda: "")  # not the API's: left out
    return app


def test_a_route_is_documented_by_its_views_operation() -> None:
    document = build_document(app_with(("/things/<thing_id>", THING)))
    assert list(document["paths"]) == ["/things/{thing_id}"]
    operation = document["paths"]["/things/{thing_id}"]["get"]
    assert operation["operationId"] == "getThing" and operation["tags"] == ["things"]
    assert operation["parameters"][0]["in"] == "path"
    assert operation["responses"]["200"]["content"][JSON]["schema"] == {
        "$ref": "#/components/schemas/Thing"
    }
    assert operation["responses"]["404"] == {"$ref": "#/components/responses/NotFound"}
    assert operation["responses"]["default"] == {"$ref": "#/components/responses/Error"}
    assert {"Thing", "Error", "Record"} <= set(document["components"]["schemas"])


def test_a_route_without_an_operation_is_refused() -> None:
    with pytest.raises(UndocumentedRouteError, match="/plain"):
        build_document(app_with(("/things/<thing_id>", THING), ("/plain", None)))


def test_path_parameters_must_be_the_routes() -> None:
    with pytest.raises(UndocumentedRouteError, match="thing_key"):
        build_document(app_with(("/things/<thing_key>", THING)))


def test_the_document_is_built_once_per_app() -> None:
    app = app_with(("/things/<thing_id>", THING))
    first, second = openapi_document(app), openapi_document(app, "/mounted")
    assert first["paths"] is second["paths"]
    assert second["servers"] == [{"url": "/mounted", "description": "This portal."}]


def test_an_operation_is_found_through_wrappers() -> None:
    def view() -> str:
        return ""

    documented(THING)(view)

    def wrapper() -> str:
        return view()

    wrapper.__wrapped__ = view  # type: ignore[attr-defined]
    assert operation_of(wrapper) is THING
    assert operation_of(lambda: "") is None
