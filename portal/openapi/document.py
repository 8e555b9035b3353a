"""The OpenAPI 3.1 document of the JSON API and the exports, served at /api/v1/openapi.json.

apispec assembles it from the app's routes: every route of the ``api`` blueprint, described
by the operation its view carries (:mod:`portal.openapi.contract`), its parameters and
answers from the operation's models (:mod:`portal.openapi.plugin`). The record schema is
``mappings/record.schema.json`` itself. The document is built once per app and kept; only
``servers`` (where the portal is mounted) changes with the request.
"""

from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from flask import Flask
from werkzeug.routing import Rule

from portal.openapi.answers import Error
from portal.openapi.contract import JSON, Answer, Operation, operation_of
from portal.openapi.operations import (
    ERROR_ANSWERS,
    EVERY_OPERATION,
    INFO,
    RATE_LIMITED,
    RETRY_AFTER,
    TAGS,
)
from portal.openapi.plugin import PydanticPlugin
from portal.openapi.record import record_schema_components

OPENAPI_VERSION = "3.1.0"
JSON_SCHEMA_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"
BLUEPRINT = "api"
EXTENSION = "csfinder.openapi"
UNDOCUMENTED_METHODS = frozenset(("HEAD", "OPTIONS"))
_RULE_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
_ORDER = ("openapi", "jsonSchemaDialect", "info", "servers", "tags", "paths", "components")


class UndocumentedRouteError(LookupError):
    """A route of the API whose view carries no operation, or whose path parameters are not
    the operation's."""


def openapi_document(app: Flask, server_url: str = "/") -> dict[str, Any]:
    """The document; paths are relative to ``server_url`` (where the portal is mounted).

    Built on the first call and kept in the app; the answer shares all but its top level
    with the kept document, so do not change it.

    Raises:
        UndocumentedRouteError: an API route has no operation, or a wrong one.
    """
    document: dict[str, Any] | None = app.extensions.get(EXTENSION)
    if document is None:
        document = app.extensions[EXTENSION] = build_document(app)
    return {**document, "servers": [{"url": server_url, "description": "This portal."}]}


def build_document(app: Flask, blueprint: str = BLUEPRINT) -> dict[str, Any]:
    """The document of every route of ``blueprint`` in ``app`` (``servers`` is ``/``).

    Raises:
        UndocumentedRouteError: a route has no operation, or a wrong one.
    """
    plugin = PydanticPlugin()
    info = {key: value for key, value in INFO.items() if key not in ("title", "version")}
    spec = APISpec(
        title=INFO["title"],
        version=INFO["version"],
        openapi_version=OPENAPI_VERSION,
        plugins=[plugin],
        info=info,
        jsonSchemaDialect=JSON_SCHEMA_DIALECT,
        servers=[{"url": "/", "description": "This portal."}],
    )
    for name, description in TAGS:
        spec.tag({"name": name, "description": description})
    for name, schema in record_schema_components().items():
        spec.components.schema(name, schema)
    error = {JSON: {"schema": plugin.ref(Error)}}
    for status, (component, description) in ERROR_ANSWERS.items():
        answer: dict[str, Any] = {"description": description, "content": error}
        if status == RATE_LIMITED:
            answer["headers"] = RETRY_AFTER
        spec.components.response(component, answer)
    for rule in app.url_map.iter_rules():
        if rule.endpoint.partition(".")[0] == blueprint:
            operation = _operation_of(app, rule)
            methods = sorted((rule.methods or set()) - UNDOCUMENTED_METHODS)
            spec.path(
                path=openapi_path(rule),
                operations={method.lower(): _describe(plugin, operation) for method in methods},
            )
    document = spec.to_dict()
    return {key: document[key] for key in _ORDER if key in document}


def openapi_path(rule: Rule) -> str:
    """A Flask rule as an OpenAPI path: ``/records/<record_id>`` → ``/records/{record_id}``."""
    return _RULE_ARGUMENT.sub(r"{\1}", rule.rule)


def _operation_of(app: Flask, rule: Rule) -> Operation:
    operation = operation_of(app.view_functions[rule.endpoint])
    if operation is None:
        raise UndocumentedRouteError(f"{rule.rule} ({rule.endpoint}) has no operation")
    declared = set(operation.path.model_fields) if operation.path else set()
    if declared != set(rule.arguments):
        raise UndocumentedRouteError(
            f"{rule.rule}: path parameters {sorted(rule.arguments)}, "
            f"operation {operation.operation_id!r} declares {sorted(declared)}"
        )
    return operation


def _describe(plugin: PydanticPlugin, operation: Operation) -> dict[str, Any]:
    described: dict[str, Any] = {
        "operationId": operation.operation_id,
        "summary": operation.summary,
    }
    if operation.description:
        described["description"] = operation.description
    described["tags"] = [operation.tag]
    parameters = [
        *(plugin.parameters(operation.path, "path") if operation.path else []),
        *(plugin.parameters(operation.query, "query") if operation.query else []),
    ]
    if parameters:
        described["parameters"] = parameters
    statuses = sorted({*EVERY_OPERATION, *operation.errors})
    described["responses"] = {
        "200": _answer(plugin, operation.answer),
        **{str(status): ERROR_ANSWERS[status][0] for status in statuses},
        "default": ERROR_ANSWERS["default"][0],
    }
    return described


def _answer(plugin: PydanticPlugin, answer: Answer) -> dict[str, Any]:
    described: dict[str, Any] = {"description": answer.description}
    if answer.headers is not None:
        described["headers"] = plugin.headers(answer.headers)
    described["content"] = {
        media: {"schema": body if isinstance(body, str) else plugin.ref(body)}
        for media, body in answer.content.items()
    }
    return described
