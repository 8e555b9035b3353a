"""Matching by meaning on Elasticsearch: a ``dense_vector`` field (int8 HNSW, cosine) per
document, kNN searches, and their fusion with the words' order (pure functions, no client).

A document keeps one vector: the mean of its language versions' vectors (which are close,
being translations of one another), with the versions' languages. A hybrid search is one
``_msearch`` of three requests: the union of the words' matches and the nearest records
(both within the filters) for the total and the facet counts, the words' first ranks, and
the nearest records; the two lists are fused as the embedded index fuses them. The kNN
part of the facet counts is narrowed by every filter, its own included (the words' part is
disjunctive as in a lexical search).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from harvester.index.base import Hit, Matched, VectorItem
from harvester.index.elastic.query import (
    Body,
    atom_query,
    bbox_filter,
    combined,
    effective_sort,
    facet_filters,
    search_body,
    view_filter,
)
from harvester.index.fusion import LEXICAL_DEPTH, SEMANTIC_DEPTH, fuse
from harvester.index.query import SearchQuery

__all__ = ["VectorItem", "fused_hits", "hybrid_bodies", "vector_update"]

SCALE = 127.0
VECTOR_FIELD = "vector"
LANGUAGES_FIELD = "vector_languages"


def vector_update(index: str, item: VectorItem) -> dict[str, Any]:
    """A bulk action giving one document its vector (the mean of its versions')."""
    record_id, languages, matrix = item
    mean = (np.asarray(matrix, dtype=np.float32) / SCALE).mean(axis=0)
    norm = float(np.linalg.norm(mean)) or 1.0
    return {
        "_op_type": "update",
        "_index": index,
        "_id": record_id,
        "doc": {
            VECTOR_FIELD: [round(float(x) / norm, 6) for x in mean],
            LANGUAGES_FIELD: [lang for lang in languages if lang],
        },
    }


def knn_filter(query: SearchQuery) -> list[Body]:
    """Every filter of the query (facets, years, box, excluded words, and the view: a
    collapsed search leaves out the listings its clusters stand for) as kNN pre-filters."""
    found: list[Body] = [{"bool": {"must_not": [view_filter(query.collapse)]}}]
    found += facet_filters(query).values()
    if query.bbox is not None:
        found.append(bbox_filter(query.bbox))
    excluded = query.parsed.excluded
    if excluded:
        found.append({"bool": {"must_not": [atom_query(atom) for atom in excluded]}})
    return found


def knn_query(vector: Sequence[float], query: SearchQuery, floor: float) -> Body:
    """The nearest records within the filters, as a query clause."""
    return {
        "knn": {
            "field": VECTOR_FIELD,
            "query_vector": list(vector),
            "num_candidates": SEMANTIC_DEPTH,
            "similarity": floor,
            "filter": knn_filter(query),
        }
    }


def hybrid_bodies(
    query: SearchQuery, vector: Sequence[float], floor: float, mode: str, *, stemming: bool = True
) -> list[Body]:
    """The three searches of a hybrid (or semantic) query: union with counts, words, kNN."""
    lexical = search_body(query, stemming=stemming)
    near = knn_query(vector, query, floor)
    should = [near] if mode == "semantic" else [lexical["query"], near]
    union = {
        **lexical,
        "query": {"bool": {"should": should, "minimum_should_match": 1}},
        "from": 0,
        "size": 0,
    }
    union.pop("highlight", None)
    union.pop("sort", None)
    words = {**lexical, "from": 0, "size": max(query.offset + query.per_page, LEXICAL_DEPTH)}
    words.pop("aggs", None)
    knn: Body = {**near["knn"], "k": SEMANTIC_DEPTH, "num_candidates": 2 * SEMANTIC_DEPTH}
    nearest: Body = {
        "knn": knn,
        "size": SEMANTIC_DEPTH,
        "_source": [*lexical["_source"], LANGUAGES_FIELD],
        "track_total_hits": False,
    }
    if filters := knn_filter(query):
        knn["filter"] = combined(filters)
    if effective_sort(query) != "relevance":  # one order for all: the union's, page by page
        union.update({"from": query.offset, "size": query.per_page, "sort": lexical["sort"]})
        if "highlight" in lexical:
            union["highlight"] = lexical["highlight"]
    return [union, words, nearest]


def fused_hits(
    words: Mapping[str, Any],
    nearest: Mapping[str, Any],
    query: SearchQuery,
    mode: str,
    hit_from: Any,
) -> list[Hit]:
    """The page of hits: the words' and the meaning's lists fused (or the meaning's only),
    each hit saying why it came. ``hit_from`` makes a :class:`Hit` of a response hit."""
    lexical = [str(h["_id"]) for h in words.get("hits", {}).get("hits", [])]
    semantic = [str(h["_id"]) for h in nearest.get("hits", {}).get("hits", [])]
    by_id = {str(h["_id"]): h for h in nearest.get("hits", {}).get("hits", [])}
    by_id.update({str(h["_id"]): h for h in words.get("hits", {}).get("hits", [])})
    order = semantic if mode == "semantic" else fuse(lexical, semantic)
    if mode != "semantic":
        order += [i for i in lexical if i not in set(order)]
    languages = {
        str(h["_id"]): h.get("_source", {}).get(LANGUAGES_FIELD) or []
        for h in nearest.get("hits", {}).get("hits", [])
    }
    hits = []
    for record_id in order[query.offset : query.offset + query.per_page]:
        hit: Hit = hit_from(by_id[record_id])
        matched: Matched = "words"
        if record_id in languages:
            matched = "both" if record_id in set(lexical) else "meaning"
        found = languages.get(record_id) or [None]
        hits.append(Hit(hit.id, hit.summary, hit.title_html, hit.snippet_html, matched, found[0]))
    return hits
