"""Searching by cluster: one hit per project however many platforms list it.

The index holds a document per listing (record) and, for each cluster of several listings,
one more: the *cluster document*, made from every listing of the cluster. Each document
says in which view it is hidden (the reserved facet :data:`VIEW`): a listing of a cluster
of several is hidden when results are collapsed, a cluster document when they are not; a
record alone in its cluster is the same in both views and says nothing. So collapsing is a
filter in either backend, and totals and facet counts count clusters exactly.

What a cluster document is, and so what collapsed results mean: **a cluster matches a
query when any of its listings would (its words are those of all its listings), and it has
a facet value when any listing has it** (countries, languages, platforms, sources, years,
boxes: the union). Filters are ANDed over the cluster as a whole: a cluster listed once as
Spanish and once with the topic "birds" is found by ``country=ES&topic=1.6``. It is shown
as its representative listing (the richest, most FAIR one), with the other listings under
"also listed on"; its hit links to the representative's record.

Listings and cluster documents of a cluster of several also carry its id in the counted
facet ``cluster`` (:mod:`harvester.index.dimensions`), so that insights count it once
whichever view they count; a record alone in its cluster carries none (a million clusters
of one would otherwise be a million bitmaps in the embedded index's facet state).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from harvester.index.dimensions import CLUSTER as CLUSTER_FACET
from harvester.index.documents import IndexDocument, document_from_record

VIEW = "_view"
"""The reserved facet naming the view a document is hidden in (never counted or shown)."""
LISTING = "listing"  # hidden when collapsed: a listing of a cluster of several
CLUSTER = "cluster"  # hidden when not collapsed: a cluster document
CLUSTER_PREFIX = "cluster:"
"""Ids of cluster documents: ``cluster:cl-<hex>``, never a record id (``<source>:<16 hex
digits>``, no hyphen after the colon)."""


def hidden_view(collapse: bool) -> str:
    """The documents a search leaves out: listings of clusters when collapsed, cluster
    documents otherwise."""
    return LISTING if collapse else CLUSTER


def cluster_document_id(cluster_id: str) -> str:
    """The index id of a cluster's document."""
    return f"{CLUSTER_PREFIX}{cluster_id}"


def hit_record_id(document_id: str, summary: Mapping[str, Any]) -> str:
    """The record a hit links to: the representative for a cluster document."""
    if document_id.startswith(CLUSTER_PREFIX):
        return str(summary.get("record_id") or document_id)
    return document_id


def listing_entry(record: Mapping[str, Any]) -> dict[str, Any]:
    """What a hit shows of one listing of its cluster ("also listed on")."""
    provenance = record.get("provenance") or {}
    return {
        "id": record.get("id"),
        "platform": provenance.get("platform"),
        "source_id": provenance.get("source_id"),
        "source_name": provenance.get("source_name"),
        "url": record.get("url") or provenance.get("original_url"),
    }


def listing_document(
    record: Mapping[str, Any], cluster_id: str, others: Sequence[Mapping[str, Any]] = ()
) -> IndexDocument:
    """A record's own document: its cluster id, and the other listings of its cluster
    (when there are any, the document is hidden from collapsed results)."""
    document = document_from_record(record)
    summary = {**document.summary, "cluster_id": cluster_id}
    facets = dict(document.facets)
    if others:
        summary["listings"] = [listing_entry(o) for o in others]
        facets[VIEW] = (LISTING,)
        facets[CLUSTER_FACET] = (cluster_id,)
    return _replace(document, facets=facets, summary=summary)


def with_cluster(document: IndexDocument, cluster_id: str) -> IndexDocument:
    """A plain document of a record alone in its cluster, with the cluster's id."""
    return _replace(document, summary={**document.summary, "cluster_id": cluster_id})


def cluster_document(
    cluster_id: str, representative: Mapping[str, Any], others: Sequence[Mapping[str, Any]]
) -> IndexDocument:
    """The document standing for a cluster of several listings in collapsed results."""
    parts = [document_from_record(representative)] + [document_from_record(o) for o in others]
    first = parts[0]
    facets: dict[str, tuple[str, ...]] = {}
    for part in parts:
        for name, values in part.facets.items():
            facets[name] = tuple(dict.fromkeys((*facets.get(name, ()), *values)))
    facets[VIEW] = (CLUSTER,)
    facets[CLUSTER_FACET] = (cluster_id,)
    summary = {
        **first.summary,
        "record_id": first.id,
        "cluster_id": cluster_id,
        "listings": [listing_entry(o) for o in others],
    }
    return IndexDocument(
        id=cluster_document_id(cluster_id),
        title=first.title,
        alt_titles=_joined(
            [first.alt_titles], (p.title for p in parts[1:]), (p.alt_titles for p in parts[1:])
        ),
        keywords=_joined(p.keywords for p in parts),
        description=_joined(p.description for p in parts),
        other=_joined(p.other for p in parts),
        facets=facets,
        year=first.year,
        newest=max(p.newest for p in parts),
        bbox=_envelope(p.bbox for p in parts),
        boost=max(p.boost for p in parts),
        summary=summary,
    )


def _joined(*groups: Iterable[str]) -> str:
    seen: dict[str, None] = {}
    for group in groups:
        for text in group:
            if text and text not in seen:
                seen[text] = None
    return " · ".join(seen)


def _envelope(
    boxes: Iterable[tuple[float, float, float, float] | None],
) -> tuple[float, float, float, float] | None:
    found = [b for b in boxes if b is not None]
    if not found:
        return None
    return (
        min(b[0] for b in found),
        min(b[1] for b in found),
        max(b[2] for b in found),
        max(b[3] for b in found),
    )


def _replace(document: IndexDocument, **changes: Any) -> IndexDocument:
    values = {name: getattr(document, name) for name in document.__dataclass_fields__}
    return IndexDocument(**{**values, **changes})
