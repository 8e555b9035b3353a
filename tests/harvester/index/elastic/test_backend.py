"""The Elasticsearch backend: requests checked on a recording loopback server, responses
mapped without one, and a live round trip where ``CSFINDER_ES_URL`` answers."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from harvester.index.base import FacetCount
from harvester.index.elastic.backend import ElasticError, ElasticIndex, cluster_url, template_for
from harvester.index.elastic.query import document_body, search_body
from harvester.index.elastic.responses import (
    facets_from_response,
    hit_from_response,
    suggestions_from_response,
)
from harvester.index.highlight import END, START
from harvester.index.query import build_query
from tests.harvester.index.corpus import corpus, doc, rid
from tests.support.elastic_gaps import STEMMERS, EsCluster
from tests.support.es_recorder import EsRecorder

VERSIONED = re.compile(r"^/t-\d{20}$")


@pytest.fixture
def es() -> Iterator[EsRecorder]:
    with EsRecorder() as server:
        yield server


@pytest.fixture
def index(es: EsRecorder) -> Iterator[ElasticIndex]:
    opened = ElasticIndex(es.url, "t", bulk_backoff=0.01)
    yield opened
    opened.close()


def bulk_lines(es: EsRecorder) -> list[Any]:
    return [line for request in es.calls("PUT", "/_bulk") for line in request.ndjson()]


# -- requests sent -----------------------------------------------------------------------


def test_the_first_write_installs_the_template_and_a_first_index(
    es: EsRecorder, index: ElasticIndex
) -> None:
    index.upsert(corpus()[:1])
    template = es.calls("PUT", "/_index_template/t")[0].json()
    assert template["index_patterns"] == ["t-*"]
    assert template["priority"] == 101
    assert template["template"]["mappings"]["properties"]["summary"]["enabled"] is False
    created = es.calls("PUT", "/t-initial")[0]
    assert created.json() == {"aliases": {"t": {}}}
    assert es.cluster.aliases["t"] == {"t-initial"}


def test_upserts_are_bulk_index_actions_by_id_then_one_refresh(
    es: EsRecorder, index: ElasticIndex
) -> None:
    documents = corpus()
    stats = index.upsert(documents)
    assert (stats.indexed, stats.failed) == (len(documents), 0)
    lines = bulk_lines(es)
    assert lines[0::2] == [{"index": {"_index": "t", "_id": d.id}} for d in documents]
    assert lines[1::2] == [document_body(d) for d in documents]
    content_type = es.calls("PUT", "/_bulk")[0].headers["content-type"]
    assert "x-ndjson" in content_type
    assert es.requests[-1].method == "POST" and es.requests[-1].path == "/t/_refresh"
    assert index.count() == len(documents)


def test_deletes_are_bulk_delete_actions_and_unknown_ids_are_no_error(
    es: EsRecorder, index: ElasticIndex
) -> None:
    index.upsert(corpus())
    es.requests.clear()
    stats = index.delete([rid("hedgehogs"), "contract:unknown"])
    assert (stats.deleted, stats.failed, stats.errors) == (1, 0, [])
    assert bulk_lines(es) == [
        {"delete": {"_index": "t", "_id": rid("hedgehogs")}},
        {"delete": {"_index": "t", "_id": "contract:unknown"}},
    ]
    assert index.count() == len(corpus()) - 1


def test_a_rejected_bulk_request_is_retried(es: EsRecorder, index: ElasticIndex) -> None:
    index.upsert(corpus()[:1])
    es.requests.clear()
    es.bulk_script = ["429"]
    stats = index.upsert(corpus()[:3])
    assert (stats.indexed, stats.failed) == (3, 0)
    sent = es.calls("PUT", "/_bulk")
    assert len(sent) == 2 and sent[0].body == sent[1].body


def test_rejected_documents_are_retried_then_reported(es: EsRecorder) -> None:
    index = ElasticIndex(es.url, "t", bulk_retries=2, bulk_backoff=0.01)
    es.bulk_script = ["items-429"]
    assert index.upsert(corpus()[:2]).indexed == 2
    assert len(es.calls("PUT", "/_bulk")) == 2
    es.bulk_script = ["items-429"] * 3
    stats = index.upsert(corpus()[:2])
    assert (stats.indexed, stats.failed) == (0, 2)
    assert "es_rejected_execution_exception" in stats.errors[0]
    index.close()


def test_rebuild_loads_a_versioned_index_and_swaps_the_alias_in_one_call(
    es: EsRecorder, index: ElasticIndex
) -> None:
    index.upsert(corpus())
    es.requests.clear()
    seen: list[int] = []
    assert index.rebuild([doc("only", "The only record left")], seen.append) == 1
    assert seen == [1]
    created = next(r for r in es.requests if r.method == "PUT" and VERSIONED.match(r.path))
    new = created.path.lstrip("/")
    assert created.json()["settings"]["index"]["refresh_interval"] == "-1"
    assert bulk_lines(es)[0] == {"index": {"_index": new, "_id": rid("only")}}
    swaps = es.calls("POST", "/_aliases")
    assert len(swaps) == 1
    assert swaps[0].json() == {
        "actions": [
            {"remove": {"index": "t-initial", "alias": "t"}},
            {"add": {"index": new, "alias": "t"}},
        ]
    }
    order = [f"{r.method} {r.path}" for r in es.requests]
    assert order.index("POST /_aliases") < order.index("DELETE /t-initial")
    assert order.index(f"PUT /{new}/_settings") < order.index("POST /_aliases")
    assert es.cluster.aliases["t"] == {new}
    assert "t-initial" not in es.cluster.indexes
    assert index.count() == 1


def test_documents_a_rebuild_cannot_index_are_reported(es: EsRecorder, index: ElasticIndex) -> None:
    es.bulk_script = ["items-429"] * 10
    assert index.rebuild(corpus()[:2]) == 0
    assert len(index.rebuild_errors) == 2
    assert index.rebuild(corpus()[:2]) == 2
    assert index.rebuild_errors == []


def test_a_failed_rebuild_leaves_the_live_index_alone(es: EsRecorder, index: ElasticIndex) -> None:
    index.upsert(corpus())

    def broken() -> Iterator[Any]:
        yield doc("only", "The only record left")
        raise RuntimeError("store went away")

    with pytest.raises(RuntimeError):
        index.rebuild(broken())
    assert es.cluster.aliases["t"] == {"t-initial"}
    assert list(es.cluster.indexes) == ["t-initial"]
    assert not es.calls("POST", "/_aliases")


def test_search_sends_the_built_body(es: EsRecorder, index: ElasticIndex) -> None:
    query = build_query("water -plankton", [("country", "NL"), ("bbox", "170,-10,-170,10")])
    index.search(query)
    sent = es.calls("POST", "/t/_search")
    assert len(sent) == 1
    assert sent[0].json() == search_body(query)
    assert "query_string" not in sent[0].body.decode()


def test_suggest_sends_a_completion_request(es: EsRecorder, index: ElasticIndex) -> None:
    assert index.suggest('"*') == []
    assert not es.calls("POST", "/_search")
    index.suggest("Hedge", limit=4)
    body = es.calls("POST", "/t/_search")[0].json()
    assert body["suggest"]["titles"]["prefix"] == "hedge"
    assert body["suggest"]["titles"]["completion"]["size"] == 12


def test_ping_says_whether_the_cluster_answers(es: EsRecorder, index: ElasticIndex) -> None:
    assert index.ping()
    gone = ElasticIndex("http://127.0.0.1:9", "t", request_timeout=1)
    assert not gone.ping()
    gone.close()


def test_index_names_are_checked() -> None:
    with pytest.raises(ElasticError, match="lowercase"):
        ElasticIndex("http://127.0.0.1:9", "Csfinder")


def test_cluster_urls_get_a_port() -> None:
    assert cluster_url("http://localhost") == "http://localhost:9200"
    assert cluster_url("http://u:p@es/") == "http://u:p@es:9200/"
    assert cluster_url("https://es.example.org") == "https://es.example.org"
    assert cluster_url("http://es:9201 ") == "http://es:9201"


def test_longer_names_get_higher_template_priority() -> None:
    assert template_for("csfinder-test")["priority"] > template_for("csfinder")["priority"]
    assert template_for("csfinder")["index_patterns"] == ["csfinder-*"]


# -- responses mapped --------------------------------------------------------------------


def test_hits_show_highlights_escaped_and_marked() -> None:
    hit = hit_from_response(
        {
            "_id": "x",
            "_source": {
                "id": "x",
                "title": "Plankton <script> & friends",
                "description": "Tags <b>bold</b>; plankton samples from the sea. More text.",
                "summary": {"title": "Plankton <script> & friends"},
            },
            "highlight": {
                "title": [f"{START}Plankton{END} <script> & friends"],
                "description": [f"<b>bold</b>; {START}plankton{END} samples from the sea."],
            },
        }
    )
    assert hit.title_html == "<mark>Plankton</mark> &lt;script&gt; &amp; friends"
    assert hit.snippet_html == (
        "…&lt;b&gt;bold&lt;/b&gt;; <mark>plankton</mark> samples from the sea.…"
    )


def test_hits_without_highlights_show_the_escaped_title_and_summary() -> None:
    hit = hit_from_response(
        {
            "_id": "x",
            "_source": {"id": "x", "title": "A & B", "summary": {"description": "<i>d</i>"}},
        }
    )
    assert (hit.title_html, hit.snippet_html) == ("A &amp; B", "&lt;i&gt;d&lt;/i&gt;")


def test_facets_are_ordered_and_keep_selected_values() -> None:
    query = build_query("", [("country", "DE"), ("country", "JP")])

    def buckets(*pairs: tuple[str, int]) -> dict[str, Any]:
        return {"values": {"buckets": [{"key": k, "doc_count": n} for k, n in pairs]}}

    facets = facets_from_response(
        {
            "country": buckets(("AT", 1), ("DE", 2), ("BE", 1)),
            "year": buckets(("2016", 3), ("2021", 1), ("999", 1)),
        },
        query,
    )
    assert facets["country"] == [
        FacetCount("DE", 2, True),
        FacetCount("AT", 1),
        FacetCount("BE", 1),
        FacetCount("JP", 0, True),
    ]
    assert [c.value for c in facets["year"]] == ["2021", "2016", "999"]
    assert facets["kind"] == []


def test_suggestions_are_distinct_titles() -> None:
    def option(record: str, title: str) -> dict[str, Any]:
        return {"text": title, "_id": record, "_source": {"id": record, "title": title}}

    response = {
        "suggest": {
            "titles": [
                {"options": [option("a", "Water"), option("b", "WATER"), option("c", "Waves")]}
            ]
        }
    }
    found = suggestions_from_response(response, 5)
    assert [(s.id, s.title) for s in found] == [("a", "Water"), ("c", "Waves")]
    assert len(suggestions_from_response(response, 1)) == 1


# -- a live cluster ----------------------------------------------------------------------


@pytest.fixture
def live(es_cluster: EsCluster) -> Iterator[ElasticIndex]:
    """A fresh index on the cluster at ``CSFINDER_ES_URL`` (or the emulator), dropped
    afterwards."""
    opened = ElasticIndex(
        es_cluster.url, f"csfinder-test-{uuid.uuid4().hex[:10]}", template=es_cluster.template()
    )
    yield opened
    opened.drop()
    opened.close()


def test_live_round_trip(live: ElasticIndex) -> None:
    assert live.upsert(corpus()).indexed == len(corpus())
    result = live.search(build_query("plankton"))
    assert result.total == 1
    assert "<mark>Plankton</mark>" in result.hits[0].title_html
    assert [s.title for s in live.suggest("meet het w")] == ["Meet het water"]
    assert live.rebuild(corpus()[:2]) == 2
    assert live.count() == 2
    assert len(live.live_indexes()) == 1


def test_live_deletes_and_filters(live: ElasticIndex) -> None:
    live.upsert(corpus())
    assert live.delete([rid("hedgehogs"), "contract:unknown"]).deleted == 1
    assert live.search(build_query("", [("country", "DE")])).total == 2


@pytest.mark.es_feature(STEMMERS)
def test_the_stored_template_installs_unchanged(es_cluster: EsCluster) -> None:
    index = ElasticIndex(es_cluster.url, f"csfinder-test-{uuid.uuid4().hex[:10]}")
    try:
        index.upsert(corpus())
        assert index.template_problem() is None
        assert index.count() == len(corpus())
    finally:
        index.drop()
        index.close()


def test_what_the_cluster_refuses_is_a_clear_error(es_cluster: EsCluster) -> None:
    template = es_cluster.template()
    template["template"]["settings"]["analysis"]["filter"]["csf_stem_en"]["language"] = "klingon"
    index = ElasticIndex(
        es_cluster.url, f"csfinder-test-{uuid.uuid4().hex[:10]}", template=template
    )
    try:
        with pytest.raises(ElasticError, match=r"refused it \(.*[Kk]lingon"):
            index.upsert(corpus()[:1])
    finally:
        index.drop()
        index.close()


def test_a_cluster_that_does_not_answer_is_a_clear_error() -> None:
    index = ElasticIndex("http://127.0.0.1:9", "t", request_timeout=2)
    with pytest.raises(ElasticError, match=r"index template 't': the cluster does not answer"):
        index.search(build_query("x"))
    assert not index.ping()


def test_the_client_asks_for_the_8_api_that_8_and_9_clusters_both_speak(
    es: EsRecorder, index: ElasticIndex
) -> None:
    index.count()
    accept = es.requests[-1].headers["accept"]
    assert "compatible-with=8" in accept, accept


def test_a_template_version_other_than_this_csfinders_is_reported(es_cluster: EsCluster) -> None:
    name = f"csfinder-test-{uuid.uuid4().hex[:10]}"
    older = es_cluster.template()
    older["_meta"]["version"] = 0
    index = ElasticIndex(es_cluster.url, name, template=older)
    current = ElasticIndex(es_cluster.url, name, template=es_cluster.template())
    try:
        assert "no index template" in (current.template_problem() or "")
        index.upsert(corpus()[:1])
        assert "is version 0" in (current.template_problem() or "")
    finally:
        index.drop()
        index.close()
        current.close()
