"""``python -m harvester.core.model``: print the published JSON Schema of a record (what
``mappings/record.schema.json`` holds)."""

from __future__ import annotations

import sys

from harvester.core.model.schema import record_json_schema_text

if __name__ == "__main__":
    sys.stdout.write(record_json_schema_text())
