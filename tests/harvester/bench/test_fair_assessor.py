"""The FAIR assessor on pages that are not csfinder's: a repository's landing page written
for the test and served on loopback, read as any assessor would read it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest

from harvester.bench.fair.evidence import gather, offline_context
from harvester.bench.fair.metrics import assess, percentage
from harvester.sample_provider import RunningServer
from tests.support.servers import start

LANDING = {
    "@context": "https://schema.org",
    "@type": "Dataset",
    "@id": "https://doi.org/10.82345/demo.other.1",
    "name": "Moth counts at light traps, 2022",
    "description": "Nightly counts of moths at twelve light traps run by volunteers.",
    "keywords": "moths, light traps",
    "creator": {"@type": "Person", "name": "Example, Erin"},
    "datePublished": "2022-12-01",
    "license": "https://creativecommons.org/licenses/by/4.0/",
}
BOMB = b"""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><resource xmlns="http://datacite.org/schema/kernel-4">&b;</resource>"""

StartResponse = Callable[..., Any]


def repository(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """A landing page with embedded JSON-LD, a DataCite rendering that tries an entity
    expansion, and nothing else."""
    path = environ["PATH_INFO"]
    accept = environ.get("HTTP_ACCEPT", "")
    if path == "/dataset/1" and "datacite" in accept:
        start_response("200 OK", [("Content-Type", "application/vnd.datacite.datacite+xml")])
        return [BOMB]
    if path == "/dataset/1":
        body = (
            "<!doctype html><html><head><title>Moths</title>"
            f'<script type="application/ld+json">{json.dumps(LANDING)}</script>'
            "</head><body><h1>Moths</h1></body></html>"
        )
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            (
                "Link",
                '<https://doi.org/10.82345/demo.other.1> ; rel="cite-as" , '
                '<https://example.org/about> ; rel="type"',
            ),
        ]
        start_response("200 OK", headers)
        return [body.encode()]
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]


@pytest.fixture
def site() -> Iterator[RunningServer]:
    with start(repository, path="") as server:
        yield server


def test_a_plain_repository_page_is_scored_from_its_embedded_json_ld(site: RunningServer) -> None:
    evidence = gather(f"{site.url}/dataset/1")
    assert evidence.status == 200 and len(evidence.embedded_graph) > 5
    assert [link["url"] for link in evidence.rels("cite-as")] == [
        "https://doi.org/10.82345/demo.other.1"
    ]
    results = {r.metric: r for r in assess(evidence)}
    assert results["FsF-F1-02D"].earned == 1
    assert results["FsF-F4-01M"].earned == 2
    assert (results["FsF-I1-01M"].earned, results["FsF-I1-01M"].points) == (
        1,
        2,
    )  # no RDF by negotiation
    assert results["FsF-F2-01M"].reason.startswith("citation metadata lacks publisher")
    assert results["FsF-F3-01M"].reason == "no data link"
    assert results["FsF-R1.1-01M"].earned == 1  # a licence URL, not an SPDX IRI
    assert results["FsF-I2-01M"].earned == 0  # schema.org alone
    assert results["FsF-R1.3-01M"].reason == "standards: schema.org"
    assert 30 <= percentage(results.values()) <= 60


def test_entities_in_a_datacite_answer_are_not_expanded(site: RunningServer) -> None:
    evidence = gather(f"{site.url}/dataset/1")
    assert evidence.datacite is not None
    assert "aaaa" not in "".join(evidence.datacite.itertext())


def test_a_missing_page_earns_no_metadata_points(site: RunningServer) -> None:
    results = assess(gather(f"{site.url}/nothing"))
    assert {r.metric for r in results if r.earned} == {"FsF-F1-01D"}


def test_an_unreachable_page_is_a_problem_not_a_crash() -> None:
    evidence = gather("http://127.0.0.1:9/unreachable")
    assert evidence.problems == ["the page could not be fetched"]
    assert percentage(assess(evidence)) <= 10


def test_remote_schema_org_contexts_are_read_offline() -> None:
    item = {"@context": ["https://schema.org/", {"x": "https://x.org/"}], "name": "n"}
    assert offline_context(item)["@context"] == [
        {"@vocab": "https://schema.org/"},
        {"x": "https://x.org/"},
    ]
    untouched = {"@context": {"@vocab": "https://schema.org/"}}
    assert offline_context(untouched) is untouched
