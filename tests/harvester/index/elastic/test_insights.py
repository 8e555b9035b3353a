"""The insights request for Elasticsearch, checked without a cluster."""

from __future__ import annotations

from harvester.index.elastic.insights import CLUSTERED, insights_body, insights_from_response
from harvester.index.elastic.query import facet_filters, main_query
from harvester.index.insights import DIMENSIONS, FAIR_FIELDS, MAX_BUCKETS
from harvester.index.query import build_query


def test_the_whole_selection_is_the_query_and_nothing_is_fetched() -> None:
    query = build_query("air", [("country", "ES"), ("policy_aims", "true"), ("year_from", "2015")])
    body = insights_body(query)
    assert body["size"] == 0 and body["track_total_hits"] is True
    assert "post_filter" not in body  # every filter narrows every count
    assert body["query"]["bool"]["must"] == [main_query(query)]
    assert body["query"]["bool"]["filter"] == list(facet_filters(query).values())
    assert set(body["aggs"]) == {*DIMENSIONS, *FAIR_FIELDS, CLUSTERED}
    for name in DIMENSIONS:
        terms = body["aggs"][name]["terms"]
        assert terms["field"] == f"facets.{name}" and terms["size"] == MAX_BUCKETS
        assert body["aggs"][name]["aggs"][CLUSTERED] == body["aggs"][CLUSTERED]
    clustered = body["aggs"][CLUSTERED]
    assert clustered["filter"] == {"exists": {"field": "facets.cluster"}}
    assert clustered["aggs"]["clusters"]["cardinality"]["field"] == "facets.cluster"


def test_an_answer_is_read_into_dimensions_and_the_fair_profile() -> None:
    query = build_query("", [("country", "ES")])
    response = {
        "hits": {"total": {"value": 7, "relation": "eq"}},
        "aggregations": {
            "country": {"buckets": [{"key": "ES", "doc_count": 7}, {"key": "PT", "doc_count": 2}]},
            "year_active": {
                "buckets": [{"key": "2021", "doc_count": 3}, {"key": "2019", "doc_count": 4}]
            },
            "fair_applies": {"buckets": [{"key": "FsF-F1-02D", "doc_count": 7}]},
            "fair_passed": {"buckets": [{"key": "FsF-F1-02D", "doc_count": 5}]},
        },
    }
    insights = insights_from_response(response, query)
    assert insights.total == 7
    country = [(c.value, c.count, c.selected) for c in insights.dimensions["country"]]
    assert country == [("ES", 7, True), ("PT", 2, False)]
    assert [c.value for c in insights.dimensions["year_active"]] == ["2019", "2021"]
    assert insights.dimensions["topic"] == []
    assert [(f.indicator, f.applicable, f.passed, f.share) for f in insights.fair] == [
        ("FsF-F1-02D", 7, 5, 5 / 7)
    ]


def test_documents_sharing_a_cluster_count_once() -> None:
    def clustered(documents: int, clusters: int) -> dict[str, object]:
        return {CLUSTERED: {"doc_count": documents, "clusters": {"value": clusters}}}

    response = {
        "hits": {"total": {"value": 9, "relation": "eq"}},
        "aggregations": {
            **clustered(5, 2),  # 4 documents without a cluster, 5 in 2 clusters: 6
            "country": {
                "buckets": [
                    {"key": "ES", "doc_count": 4, **clustered(3, 1)},
                    {"key": "PT", "doc_count": 2, **clustered(0, 0)},
                ]
            },
        },
    }
    insights = insights_from_response(response, build_query("", []))
    assert (insights.total, insights.records) == (6, 9)
    assert [(c.value, c.count) for c in insights.dimensions["country"]] == [("ES", 2), ("PT", 2)]
