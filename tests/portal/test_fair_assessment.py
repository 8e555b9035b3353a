"""Record pages judged from outside: the FAIRsFAIR metrics tested over HTTP by the
project's assessor (``csfinder bench fair``), against the portal's own indicators."""

from __future__ import annotations

import json
from functools import cache

import pytest
from click.testing import CliRunner

from harvester.bench.fair.command import bench_fair
from harvester.bench.fair.evidence import gather
from harvester.bench.fair.metrics import assess, percentage
from harvester.bench.fair.subject import Result
from tests.support.fair_portal import FairPortal


@cache
def _assessed(url: str) -> tuple[Result, ...]:
    return tuple(assess(gather(url)))


def _documents(fair: FairPortal) -> list[dict[str, object]]:
    return fair.documents()


def _linked(document: dict[str, object]) -> bool:
    """Whether the record links a data file or endpoint."""
    files = document.get("distributions")
    assert isinstance(files, list)
    return any(d["download_url"] or d["access_url"] for d in files)


def test_a_dataset_page_whose_source_states_everything_scores_at_least_90(
    fair: FairPortal,
) -> None:
    results = _assessed(fair.page(fair.complete))
    failed = [(r.metric, r.reason) for r in results if r.earned < r.points]
    assert percentage(results) >= 90, failed


def test_dataset_pages_whose_source_states_files_link_their_data(fair: FairPortal) -> None:
    linked = [d for d in _documents(fair) if d["kind"] != "project" and _linked(d)]
    assert len(linked) >= 20  # the demo's 16 datasets and the real samples with file links
    for document in linked:
        results = {r.metric: r for r in _assessed(fair.page(str(document["id"])))}
        for metric in ("FsF-F3-01M", "FsF-A1-03D"):
            assert results[metric].earned == 1, (document["id"], results[metric].reason)


def test_the_demo_dataset_pages_score_at_least_90(fair: FairPortal) -> None:
    datasets = [
        d
        for d in _documents(fair)
        if d["kind"] == "dataset" and str(d["id"]).startswith("demo-eu-cs-datasets:")
    ]
    assert len(datasets) >= 15
    for document in datasets:
        results = _assessed(fair.page(str(document["id"])))
        failed = {r.metric: r.reason for r in results if r.earned < r.points}
        assert percentage(results) >= 90, (document["id"], failed)
        # what no oai_dc record can state, and what no page claims
        assert set(failed) == {"FsF-R1-01MD", "FsF-R1.3-01M"}, failed


def test_project_pages_score_at_least_70(fair: FairPortal) -> None:
    projects = [d for d in _documents(fair) if d["kind"] == "project"]
    assert len(projects) >= 10
    scores = [percentage(_assessed(fair.page(str(d["id"])))) for d in projects]
    assert min(scores) >= 70, scores


def test_the_portal_and_the_assessor_agree_metric_by_metric(fair: FairPortal) -> None:
    documents = _documents(fair)
    assert len(documents) >= 20
    for document in documents:
        results = _assessed(fair.page(str(document["id"])))
        quality = document["quality"]
        assert isinstance(quality, dict)
        ours = {
            i["id"]: (i["earned"], i["weight"] if i["applicable"] else 0)
            for i in quality["indicators"]
        }
        theirs = {r.metric: (r.earned, r.points) for r in results}
        assert ours == theirs, (document["id"], [(r.metric, r.reason) for r in results])
        assert abs(quality["score"] - percentage(results)) <= 1


def test_every_record_page_carries_fair_signposting(fair: FairPortal) -> None:
    for document in _documents(fair):
        evidence = gather(fair.page(str(document["id"])))
        assert len(evidence.rels("cite-as")) == 1
        assert {link.get("type") for link in evidence.rels("describedby")} == {
            "application/ld+json",
            "text/turtle",
            "application/rdf+xml",
            "application/vnd.datacite.datacite+xml",
        }
        assert set(evidence.described_by.values()) == {200}
        assert any("schema.org/AboutPage" in link["url"] for link in evidence.rels("type"))
        assert evidence.linkset is not None
        assert evidence.linkset["linkset"][0]["anchor"] == fair.page(str(document["id"]))


def test_the_command_prints_each_metric_and_the_score(fair: FairPortal) -> None:
    page = fair.page(fair.with_files[0])
    result = CliRunner().invoke(bench_fair, [page, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [m["metric"] for m in report["metrics"]][:2] == ["FsF-F1-01D", "FsF-F1-02D"]
    assert report["score"] == percentage(_assessed(page))
    assert report["signposting"]["item"] >= 1 and report["linkset"] is True
    table = CliRunner().invoke(bench_fair, [page]).output
    assert f"{report['score']}% ({report['earned']}/{report['points']} points)" in table


@pytest.mark.parametrize("path", ["/records/none:0000000000000000", "/no-such-page"])
def test_a_missing_page_scores_nothing_but_the_protocol(fair: FairPortal, path: str) -> None:
    results = assess(gather(fair.server.url + path))
    earned = {r.metric: r.earned for r in results if r.earned}
    assert earned == {"FsF-F1-01D": 1}  # a URL is still a unique identifier
