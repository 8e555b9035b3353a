"""The registry of named transforms, and the contract every transform keeps.

A transform takes the list of values a field has so far, an optional argument and the
record's :class:`Issues`, and returns a new list. :func:`transform` registers a function
under its name in :data:`REGISTRY` when its family module is imported (the package imports
every family); the crosswalk loader looks each name up once, when a crosswalk loads, and
keeps the function itself, so running a chain costs no lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from harvester.core.model import excerpt
from harvester.normalise.values import as_text

Values = list[Any]


class Issues:
    """Collects the per-field problems transforms meet on one record."""

    def __init__(self) -> None:
        self.invalid: list[str] = []

    def reject(self, what: str, value: Any) -> None:
        """Note a value a vocabulary could not place."""
        shown = excerpt(as_text(value), 80)  # made public before it is cut
        self.invalid.append(f"{what}: {shown!r} not recognised")


TransformFunction = Callable[[Values, Any, Issues], Values]


@dataclass(frozen=True)
class Transform:
    """A registered transform: its function and whether it takes an argument."""

    name: str
    function: TransformFunction
    argument: bool = False
    doc: str = ""


REGISTRY: dict[str, Transform] = {}


def transform(
    name: str, *, argument: bool = False
) -> Callable[[TransformFunction], TransformFunction]:
    """Register a function under ``name``."""

    def register(function: TransformFunction) -> TransformFunction:
        if name in REGISTRY:
            raise ValueError(f"transform '{name}' registered twice")
        doc = (function.__doc__ or "").strip().splitlines()[0] if function.__doc__ else ""
        REGISTRY[name] = Transform(name, function, argument, doc)
        return function

    return register


def unknown_transform_message(name: str) -> str:
    """Say what is wrong with a transform name, listing the known ones."""
    return f"unknown transform '{name}' (known: {', '.join(sorted(REGISTRY))})"
