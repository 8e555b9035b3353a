"""The one registry of named transforms a crosswalk may chain.

A transform takes the list of values a field has so far and an optional argument, and
returns a new list. Real logic lives in named, tested functions (many in
:mod:`harvester.normalise.vocab`); a crosswalk only names them. A value a vocabulary cannot place is
reported through :class:`Issues`, never raised, so one odd record never stops a run.

The registry and the contract live in :mod:`~harvester.normalise.transforms.registry`; the
transforms themselves in one module per family, each registering its own when imported:

- :mod:`~harvester.normalise.transforms.text`: plain lists and text;
- :mod:`~harvester.normalise.transforms.dates`: dates, date ranges and periods;
- :mod:`~harvester.normalise.transforms.places`: countries and geometry;
- :mod:`~harvester.normalise.transforms.licences`: licences and access rights;
- :mod:`~harvester.normalise.transforms.identifiers`: identifiers, landing pages, relations;
- :mod:`~harvester.normalise.transforms.organisations`: organisations;
- :mod:`~harvester.normalise.transforms.classification`: kind, status, topics, SDGs,
  languages, participation;
- :mod:`~harvester.normalise.transforms.dissemination`: creators, publishers, distributions;
- :mod:`~harvester.normalise.transforms.files`: files as DataCite and Dublin Core list them;
- :mod:`~harvester.normalise.transforms.elements`: XML elements read by their structure.

Importing this package imports every family, so :data:`REGISTRY` is complete whatever
module of the package is imported first.
"""

from __future__ import annotations

from harvester.normalise.transforms import (  # noqa: F401 - imported to register their transforms
    classification,
    dates,
    dissemination,
    elements,
    files,
    identifiers,
    licences,
    organisations,
    places,
    text,
)
from harvester.normalise.transforms.classification import kind_of
from harvester.normalise.transforms.identifiers import identifier_of
from harvester.normalise.transforms.places import geo_shape
from harvester.normalise.transforms.registry import (
    REGISTRY,
    Issues,
    Transform,
    TransformFunction,
    Values,
    transform,
    unknown_transform_message,
)
from harvester.normalise.values import TransformError

__all__ = [
    "REGISTRY",
    "Issues",
    "Transform",
    "TransformError",
    "TransformFunction",
    "Values",
    "geo_shape",
    "identifier_of",
    "kind_of",
    "transform",
    "unknown_transform_message",
]
