"""The FAIR assessor on pages that are not csfinder's: a repository's landing pages and data
files written for the test and served on loopback, read as any assessor would read them."""

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

COUNTS = b"trap,night,moth count\nT01,2022-07-01,41\nT02,2022-07-01,17\n"
"""The data file of the second dataset (a CSV whose header names its variable)."""

StartResponse = Callable[..., Any]


def data_page(base: str, size: int) -> dict[str, Any]:
    """A dataset page that links its data file, declaring its type, a size and a variable."""
    return {
        **LANDING,
        "@id": f"{base}/dataset/2",
        "publisher": {"@type": "Organization", "name": "Moth Watch"},
        "license": "http://spdx.org/licenses/CC0-1.0",
        "conditionsOfAccess": "http://purl.org/coar/access_right/c_abf2",
        "variableMeasured": [{"@type": "PropertyValue", "name": "moth count"}],
        "distribution": {
            "@type": "DataDownload",
            "contentUrl": f"{base}/files/counts.csv",
            "encodingFormat": "text/csv",
            "contentSize": f"{size} B",
        },
    }


def _html(data: dict[str, Any]) -> bytes:
    return (
        "<!doctype html><html><head><title>Moths</title>"
        f'<script type="application/ld+json">{json.dumps(data)}</script>'
        "</head><body><h1>Moths</h1></body></html>"
    ).encode()


def repository(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """A landing page with embedded JSON-LD, a DataCite rendering that tries an entity
    expansion, and nothing else."""
    path = environ["PATH_INFO"]
    accept = environ.get("HTTP_ACCEPT", "")
    if path == "/dataset/1" and "datacite" in accept:
        start_response("200 OK", [("Content-Type", "application/vnd.datacite.datacite+xml")])
        return [BOMB]
    base = f"http://{environ['HTTP_HOST']}"
    if path in ("/dataset/2", "/dataset/3"):
        size = len(COUNTS) if path == "/dataset/2" else len(COUNTS) + 1  # 3 misstates it
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [_html(data_page(base, size))]
    if path == "/files/counts.csv":
        start_response(
            "200 OK", [("Content-Type", "text/csv"), ("Content-Length", str(len(COUNTS)))]
        )
        return [COUNTS]
    if path == "/dataset/1":
        body = _html(LANDING)
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            (
                "Link",
                '<https://doi.org/10.82345/demo.other.1> ; rel="cite-as" , '
                '<https://example.org/about> ; rel="type"',
            ),
        ]
        start_response("200 OK", headers)
        return [body]
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
    assert results["FsF-F4-01M"].earned == 2  # embedded schema.org and a DOI
    assert (results["FsF-I1-01M"].earned, results["FsF-I1-01M"].points) == (
        1,
        2,
    )  # no RDF by negotiation
    # F-UJI: half a point for metadata found, the citation half lost without a publisher
    assert results["FsF-F2-01M"].earned == 0.5
    assert "citation metadata lacks publisher" in results["FsF-F2-01M"].reason
    assert results["FsF-F3-01M"].reason == "no data link"
    assert results["FsF-R1.1-01M"].earned == 2  # a Creative Commons URL is recognised
    assert results["FsF-I2-01M"].earned == 0  # schema.org alone
    assert results["FsF-R1.3-01M"].earned == 0  # schema.org is multidisciplinary
    assert results["FsF-R1.3-01M"].reason.endswith("multidisciplinary: DataCite, schema.org")
    assert 30 <= percentage(results.values()) <= 60


def test_without_fetching_data_its_declarations_are_judged(site: RunningServer) -> None:
    for page in ("/dataset/2", "/dataset/3"):
        evidence = gather(site.url + page)
        results = {r.metric: r for r in assess(evidence)}
        assert (results["FsF-R1-01MD"].earned, results["FsF-R1-01MD"].points) == (4, 4)
        assert results["FsF-A1-01M"].earned == 1  # a COAR access right
        assert evidence.data_files == {}  # nothing fetched


def test_fetched_data_files_are_compared_with_what_the_page_declares(
    site: RunningServer,
) -> None:
    honest = {r.metric: r for r in assess(gather(site.url + "/dataset/2", fetch_data=True))}
    assert honest["FsF-R1-01MD"].earned == 4, honest["FsF-R1-01MD"].reason
    assert "measured variable 'moth count' found in the data" in honest["FsF-R1-01MD"].reason
    misstated = gather(site.url + "/dataset/3", fetch_data=True)
    result = {r.metric: r for r in assess(misstated)}["FsF-R1-01MD"]
    assert result.earned == 3  # served with another size than declared
    assert "no data file served as declared" in result.reason
    served = misstated.data_files[site.url + "/files/counts.csv"]
    assert (served.status, served.content_type, served.size) == (200, "text/csv", len(COUNTS))


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
