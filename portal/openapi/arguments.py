"""A query string read as the document describes it, into the operation's parameter model.

Each parameter is read by its schema in the document: an array in exploded form style is
the parameter repeated (``country=NL&country=DE``), an array not exploded is one value split
at commas (``bbox=-10,35,30,70``), anything else is one value (given once).
The model then checks the values; the first problem becomes a :class:`QueryError` naming
the parameter, which the API answers with HTTP 400 in its one error shape.

The views still validate through the query validation (:func:`portal.params.query_from_args`)
and ignore empty values, as the search page does. The tests read every request through
this module too, so the document never promises what the query validation refuses;
validating every parameter against the document is one call per view, with
``skip_empty=False``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from werkzeug.datastructures import MultiDict

from harvester.index.query import QueryError
from portal.openapi.plugin import json_schema

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Reading:
    """How one parameter is written in a URL."""

    name: str
    array: bool
    exploded: bool


@cache
def readings(model: type[BaseModel]) -> tuple[Reading, ...]:
    """How each parameter of ``model`` is written, from its schema in the document."""
    properties: dict[str, Any] = json_schema(model, mode="validation").get("properties", {})
    return tuple(
        Reading(
            name=name,
            array=schema.get("type") == "array",
            exploded=bool(schema.get("explode", schema.get("style", "form") == "form")),
        )
        for name, schema in properties.items()
    )


def read_arguments(
    model: type[Model], args: MultiDict[str, str], *, skip_empty: bool = True
) -> Model:
    """The parameters in ``args`` as an instance of ``model``.

    Args:
        model: the operation's query parameters.
        args: the query string.
        skip_empty: leave out empty values (``sort=``), as the search page does.

    Raises:
        QueryError: a parameter the model does not know (when it forbids others), given
            more than once when it takes one value, or a value it does not take; the message
            says which.
    """
    known = readings(model)
    if model.model_config.get("extra") == "forbid":
        unknown = sorted(set(args) - {reading.name for reading in known})
        if unknown:
            names = ", ".join(sorted(reading.name for reading in known))
            raise QueryError(f"unknown parameter {unknown[0]!r}; known: {names}")
    data: dict[str, Any] = {}
    for reading in known:
        values = [v for v in args.getlist(reading.name) if v or not skip_empty]
        if not values:
            continue
        if len(values) > 1 and not (reading.array and reading.exploded):
            raise QueryError(f"{reading.name} takes one value, not {len(values)}")
        if not reading.array:
            data[reading.name] = values[0]
        else:
            data[reading.name] = values if reading.exploded else values[0].split(",")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise QueryError(describe(exc.errors()[0])) from None


def describe(error: ErrorDetails) -> str:
    """One validation problem in words, naming the parameter."""
    context = error.get("ctx") or {}
    name, *inside = error["loc"] or ("the parameters",)
    where = f"{name}" + "".join(f"[{part}]" for part in inside if isinstance(part, int))
    if error["type"] == "value_error" and "error" in context:
        said = str(context["error"])  # a check of the model's own, worded as the code's
        return said if not error["loc"] or said.startswith(str(name)) else f"{where}: {said}"
    return f"{where}: {error['msg']}, not {error['input']!r}"
