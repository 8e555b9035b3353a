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
    return {RECORD: _rewrite(schema)} | {name: _rewrite(item) for name, item in definitions.items()}


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
