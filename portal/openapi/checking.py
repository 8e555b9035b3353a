"""Every request to the API read as its OpenAPI document describes it, before its view runs.

The operation a view carries (:func:`portal.openapi.contract.documented`) names the models of
its path and query parameters; :func:`check_request` reads the request into them, strictly
(an empty value is a value, and refused where the schema refuses it; a parameter the
operation does not declare is refused), and raises :class:`QueryError` naming the parameter,
which the API answers with 400 in its one error shape. So no operation can take what its
document does not say, and a new operation is checked as soon as it is documented.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from pydantic import BaseModel, ValidationError

from harvester.index.query import QueryError
from portal.openapi.arguments import describe, read_arguments
from portal.openapi.contract import operation_of
from portal.openapi.parameters import NoParameters

UNCHECKED_METHODS = frozenset(("OPTIONS",))
"""CORS preflight requests carry the real request's query string and are answered as such."""


def check_request() -> BaseModel | None:
    """The request's query parameters, read into its operation's model.

    Returns:
        The parameters, or None for a request no operation describes (its view answers).

    Raises:
        QueryError: a path or query parameter the document does not allow, named.
    """
    view = current_app.view_functions.get(request.endpoint or "")
    operation = operation_of(view) if view is not None else None
    if operation is None or request.method in UNCHECKED_METHODS:
        return None
    if operation.path is not None:
        _check_path(operation.path, request.view_args or {})
    return read_arguments(operation.query or NoParameters, request.args, skip_empty=False)


def _check_path(model: type[BaseModel], values: dict[str, Any]) -> None:
    try:
        model.model_validate(values)
    except ValidationError as exc:
        raise QueryError(describe(exc.errors()[0])) from None
