"""Golden tests: real samples mapped with a fixed harvest time, against expected JSON."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from harvester.core.records import RawRecord
from harvester.core.source_options import CsvOptions
from harvester.normalise.engine import SourceContext, normalise
from harvester.normalise.files import raw_records_from_file
from harvester.normalise.service import crosswalk_named

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "golden"
"""Expected results, written by the project and read by eye against their sources."""

HARVESTED_AT = "2026-01-01T00:00:00Z"

WRITE = os.environ.get("CSFINDER_WRITE_GOLDEN") == "1"
"""Set ``CSFINDER_WRITE_GOLDEN=1`` to rewrite the expected files (then read them again)."""


def map_sample(
    name: str, path: Path, endpoint: str, csv_options: CsvOptions | None = None
) -> list[dict[str, Any]]:
    """Map one file as ``csfinder map --json`` does, with a fixed source and harvest time
    (a CSV file read with ``csv_options``, as its source would read it)."""
    crosswalk = crosswalk_named(name)
    context = SourceContext("golden", "Golden samples", name, "file", endpoint)
    out: list[dict[str, Any]] = []
    for item in raw_records_from_file(path, crosswalk, "golden", csv_options):
        if not isinstance(item, RawRecord):
            out.append({"failed": item.identifier, "reason": item.reason})
            continue
        out.append(normalise(item, crosswalk, context, HARVESTED_AT).model_dump(mode="json"))
    return out
