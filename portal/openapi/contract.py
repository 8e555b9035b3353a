"""An API operation's contract: what it takes and answers, as models, attached to its view.

The document (:mod:`portal.openapi.document`) is made from the app's routes and the
contracts of their views, so a route cannot be served undocumented, nor documented with
another path than it has.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

JSON = "application/json"

Body = type[BaseModel] | str
"""A body's model, or the name of a component schema that is not a model (the record)."""


@dataclass(frozen=True)
class Answer:
    """A successful answer: its description, a body per media type, and its headers."""

    description: str
    content: Mapping[str, Body] = field(default_factory=dict)
    headers: type[BaseModel] | None = None


@dataclass(frozen=True)
class Operation:
    """One operation of the API: its parameters, its answer and the errors it documents
    (beside ``default``, which every operation has)."""

    operation_id: str
    tag: str
    summary: str
    answer: Answer
    description: str = ""
    query: type[BaseModel] | None = None
    path: type[BaseModel] | None = None
    errors: tuple[int, ...] = ()
    """HTTP statuses answered for a reason of this operation's (400, 404)."""


View = TypeVar("View", bound=Callable[..., Any])
_contracts: dict[Callable[..., Any], Operation] = {}


def documented(operation: Operation) -> Callable[[View], View]:
    """Attach ``operation`` to a view (put it below the route decorator)."""

    def attach(view: View) -> View:
        _contracts[view] = operation
        return view

    return attach


def operation_of(view: Callable[..., Any]) -> Operation | None:
    """The operation attached to a view (or to the function it wraps), if any."""
    return _contracts.get(view) or _contracts.get(inspect.unwrap(view))
