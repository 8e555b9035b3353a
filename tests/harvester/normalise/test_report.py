"""A source's quality report: shares of records passing each FAIRsFAIR metric, counted
among the records it applies to."""

from __future__ import annotations

import json
from typing import Any

from harvester.core.model import Record, record_id
from harvester.normalise.quality import with_quality
from harvester.normalise.report import quality_summary
from harvester.store import NormalisedRow

PROVENANCE = {
    "source_id": "mixed",
    "source_name": "Mixed",
    "platform": "test",
    "protocol": "json-api",
    "endpoint": "https://example.org/api",
    "metadata_format": "application/json",
    "datestamp": "2024-01-01T00:00:00Z",
    "harvested_at": "2024-02-01T00:00:00Z",
}


def row(identifier: str, kind: str, **fields: Any) -> NormalisedRow:
    provenance = {**PROVENANCE, "source_identifier": identifier}
    record = Record.model_validate(
        {
            "id": record_id("mixed", identifier),
            "kind": kind,
            "title": identifier,
            "provenance": provenance,
            **fields,
        }
    )
    document = with_quality(record).model_dump(mode="json")
    return NormalisedRow(
        "mixed",
        identifier,
        document["id"],
        kind,
        json.dumps(document),
        "h",
        document["quality"]["score"],
    )


def test_data_metrics_count_only_the_records_they_apply_to() -> None:
    file = {"download_url": "https://example.org/a.csv", "media_type": "text/csv", "size_bytes": 3}
    rows = [
        row("p1", "project"),
        row("p2", "project"),
        row("d1", "dataset", distributions=[file]),
        row("d2", "dataset"),
    ]
    summary = quality_summary(rows)
    passing = {i["id"]: i["passing"] for i in summary["indicators"]}
    assert passing["FsF-F3-01M"] == 0.5  # one of the two datasets; projects left out
    assert passing["FsF-R1.3-02D"] == 0.5
    assert passing["FsF-A1-02M"] == 1.0
    assert passing["FsF-F4-01M"] == 0.0  # no DOI: no registry point, so not every point
    labels = {i["id"]: i["label"] for i in summary["indicators"]}
    assert labels["FsF-F3-01M"] == "Data identifier in metadata"
    assert summary["records"] == 4
