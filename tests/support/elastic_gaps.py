"""What the Elasticsearch half of the contract suite runs against, and what it lacks.

A real cluster (``CSFINDER_ES_URL``) has no gaps and gets the index template as stored.
noida-db's emulator is probed when it starts: each feature of Elasticsearch 8 that the
backend uses and the emulator refuses becomes a named gap; tests that need it are skipped
there (``es_feature``), and its template keeps every analyzer and field but swaps the
stemmers the emulator lacks for a plain lowercase filter (no contract test stems words:
the template test that installs it unchanged is the one skipped).
"""

from __future__ import annotations

import copy
import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

from harvester.index.elastic.backend import load_template

STEMMERS = "stemmers"
GEO_SHAPE_QUERY = "geo_shape queries"
COMPATIBLE_WITH = "compatible-with header checks"
PROBE_TIMEOUT = 10


@dataclass(frozen=True)
class EsCluster:
    """A cluster to run the contract on, and what it lacks."""

    url: str
    emulator: bool
    version: str
    gaps: dict[str, str] = field(default_factory=dict)
    """Gap name → what exactly is missing."""

    def template(self) -> dict[str, Any]:
        """The index template to install: as stored, or with the stemmers the emulator
        lacks swapped for a lowercase filter."""
        template = copy.deepcopy(load_template())
        if STEMMERS not in self.gaps:
            return template
        missing = set(self.gaps[STEMMERS].split(", "))
        filters = template["template"]["settings"]["analysis"]["filter"]
        for name, definition in filters.items():
            if definition.get("type") == "stemmer" and definition.get("language") in missing:
                filters[name] = {"type": "lowercase"}
        return template


def _request(url: str, method: str, body: Any = None, headers: dict[str, str] | None = None) -> int:
    data = None if body is None else json.dumps(body).encode()
    sent = {"Content-Type": "application/json", **(headers or {})}
    request = urllib.request.Request(url, data=data, method=method, headers=sent)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=PROBE_TIMEOUT) as answer:  # noqa: S310
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _version(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=PROBE_TIMEOUT) as answer:  # noqa: S310
            info = json.loads(answer.read())
    except (OSError, ValueError):
        return None
    return f"Elasticsearch {info.get('version', {}).get('number', '?')}"


def probe_cluster(url: str, *, emulator: bool, version: str | None = None) -> EsCluster | None:
    """The cluster at ``url`` with its gaps (probed on the emulator only); None when it
    does not answer."""
    found = _version(url)
    if found is None:
        return None
    if not emulator:
        return EsCluster(url, False, f"{found} at {url}")
    return EsCluster(url, True, version or found, _gaps(url))


def _gaps(url: str) -> dict[str, str]:
    gaps: dict[str, str] = {}
    filters = load_template()["template"]["settings"]["analysis"]["filter"]
    languages = [f["language"] for f in filters.values() if f.get("type") == "stemmer"]
    missing = [language for language in languages if not _accepts_stemmer(url, language)]
    if missing:
        gaps[STEMMERS] = ", ".join(missing)
    if not _answers_geo_shape(url):
        gaps[GEO_SHAPE_QUERY] = "geo_shape queries (bounding-box filters); the mapping is accepted"
    accept = "application/vnd.elasticsearch+json; compatible-with=9"
    if _request(url, "GET", headers={"Accept": accept}) == 200:
        gaps[COMPATIBLE_WITH] = "a 9.x client's compatible-with=9 is accepted (an 8.x refuses it)"
    return gaps


def _accepts_stemmer(url: str, language: str) -> bool:
    index = f"{url}/gap-probe-{uuid.uuid4().hex[:10]}"
    analysis = {"filter": {"s": {"type": "stemmer", "language": language}}}
    status = _request(index, "PUT", {"settings": {"analysis": analysis}})
    _request(index, "DELETE")
    return status == 200


def _answers_geo_shape(url: str) -> bool:
    index = f"{url}/gap-probe-{uuid.uuid4().hex[:10]}"
    _request(index, "PUT", {"mappings": {"properties": {"box": {"type": "geo_shape"}}}})
    shape = {"type": "envelope", "coordinates": [[0, 10], [10, 0]]}
    query = {"query": {"geo_shape": {"box": {"shape": shape, "relation": "intersects"}}}}
    status = _request(f"{index}/_search", "POST", query)
    _request(index, "DELETE")
    return status == 200
