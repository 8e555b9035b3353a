"""The published form of the model: the JSON Schema of a serialised :class:`Record`, as
``mappings/record.schema.json`` holds it."""

from __future__ import annotations

import json
from typing import Any

from harvester.core.model.record import Record

SCHEMA_ID = "urn:csfinder:schema:record:1"
"""The ``$id`` of the published schema: a stable name, whatever host serves the file."""

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def record_json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a serialised :class:`Record`."""
    generated = Record.model_json_schema(mode="serialization")
    head = {
        "$schema": SCHEMA_DRAFT,
        "$id": SCHEMA_ID,
        "title": "csfinder record",
        "description": "One citizen-science project, dataset, publication or resource, "
        "harvested from one source and normalised to csfinder's common record model "
        "(aligned with PPSR Core and DataCite/DCAT).",
    }
    return {**head, **{key: value for key, value in generated.items() if key not in head}}


def record_json_schema_text() -> str:
    """Return the schema as written to ``mappings/record.schema.json``."""
    return json.dumps(record_json_schema(), indent=2, ensure_ascii=False) + "\n"
