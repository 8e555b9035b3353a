"""Made-up records for the clustering tests, in the store's JSON shape."""

from __future__ import annotations

from typing import Any

from harvester.core.model import Record, record_id
from harvester.enrich.clusters.features import Features, features_of


def listing(source: str, key: str, title: str, **fields: Any) -> dict[str, Any]:
    """A valid record (checked by the model) from ``source``."""
    score = int(fields.pop("score", 50))
    data: dict[str, Any] = {
        "id": record_id(source, key),
        "kind": fields.pop("kind", "project"),
        "title": title,
        **fields,
        "provenance": {
            "source_id": source,
            "source_name": f"Source {source}",
            "platform": source.upper(),
            "protocol": "json-api",
            "endpoint": "https://example.org/api",
            "metadata_format": "json",
            "source_identifier": key,
            "harvested_at": "2026-01-01T00:00:00Z",
        },
        "quality": {"issues": [], "indicators": [], "score": score},
    }
    return Record.model_validate(data).model_dump(mode="json")


def features(source: str, key: str, title: str, **fields: Any) -> Features:
    """The features of :func:`listing`."""
    return features_of(listing(source, key, title, **fields))


def never_common(_kind: str, _value: str) -> bool:
    """No blocking value is common (a small catalogue)."""
    return False


def dark_sky_eu(**fields: Any) -> dict[str, Any]:
    """Dark Sky Meter as EU-Citizen.Science lists it (score 80 unless given): one of the
    pair of listings the clustering tests expect to be joined."""
    return listing(
        "eucs",
        "104",
        "Dark Sky Meter",
        url="https://www.darkskymeter.com",
        **{"score": 80, **fields},
    )


def dark_sky_jrc(**fields: Any) -> dict[str, Any]:
    """Dark Sky Meter as the JRC inventory lists it (score 40 unless given): the other of
    the pair."""
    return listing(
        "jrc",
        "116",
        "Dark sky meter / Waarnemen",
        url="http://www.darkskymeter.com/",
        **{"score": 40, **fields},
    )
