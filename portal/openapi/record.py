"""The record schema in the document: ``mappings/record.schema.json`` itself (the published
form of the common model), its ``$defs`` become components."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from harvester.core.model import record_json_schema

RECORD_SCHEMA_PATH = Path(__file__).resolve().parents[2] / "mappings" / "record.schema.json"
RECORD = "Record"
"""The component name of the record schema."""
RECORD_IN_CLUSTER = "RecordInCluster"
"""The component name of a record as the API serves it: with its cluster's listings."""
LISTINGS = {
    "type": "array",
    "items": {"type": "string"},
    "description": "Ids of every record in the record's cluster (the same project or dataset "
    "on several platforms), this one included, the representative listing first.",
}


@cache
def _record_schema_file() -> dict[str, Any]:
    if RECORD_SCHEMA_PATH.exists():
        loaded: dict[str, Any] = json.loads(RECORD_SCHEMA_PATH.read_text(encoding="utf-8"))
        return loaded
    return record_json_schema()  # installed without the mappings folder: the same, generated


def record_schema_components() -> dict[str, dict[str, Any]]:
    """The record schema (as :data:`RECORD`) and its definitions, by component name, with
    ``#/$defs/X`` pointing at components."""
    schema = copy.deepcopy(_record_schema_file())
    definitions = schema.pop("$defs", {})
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    record = _rewrite(schema)
    served = copy.deepcopy(record)
    served["title"] = RECORD_IN_CLUSTER
    served["properties"]["listings"] = LISTINGS
    served["required"] = [*served.get("required", []), "listings"]
    components = {name: _rewrite(item) for name, item in definitions.items()}
    return {RECORD: record, RECORD_IN_CLUSTER: served} | components


def _rewrite(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: (
                value.replace("#/$defs/", "#/components/schemas/")
                if key == "$ref" and isinstance(value, str)
                else _rewrite(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite(item) for item in node]
    return node
