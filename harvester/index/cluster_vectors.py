"""The vectors of documents the index writes again, and of cluster documents: a collapsed
search finds a cluster by meaning whenever it would find one of its listings.

A cluster document (:mod:`harvester.index.collapse`) is made of the words of all its
listings; it is given all their vectors too (each language version of each listing, from
the store), so that matching by meaning means for a cluster what matching by words means:
any listing matches. An index replaces a document whole, vectors and all: so when a
clustering run rewrites the listings of a changed cluster, and its cluster document, they
are given their vectors again from the store; and when a listing of a cluster gets new
vectors, so does its cluster's document.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np

from harvester.enrich.vectors import as_matrix
from harvester.index.base import SearchIndex, VectorItem
from harvester.index.collapse import CLUSTER_PREFIX, cluster_document_id
from harvester.store import Store
from harvester.store.clusters import Member

BATCH = 500
"""Clusters whose vectors are read and written at a time."""


def clusters_of(store: Store, record_ids: Iterable[str]) -> set[str]:
    """The ids of the clusters of several listings that hold any of these records."""
    return set(_clusters_holding(store, record_ids))


def cluster_vector_items(
    store: Store, cluster_ids: Iterable[str], fresh: Mapping[str, VectorItem] | None = None
) -> list[VectorItem]:
    """The vectors of these clusters' documents: every listing's versions, representative
    first (an index keeps a document's first versions only: the embedded one 16);
    ``fresh`` holds vectors newer than the store's, by record id. A cluster none of whose
    listings has vectors gets none; listings whose vectors were made by another encoder
    (other dimensions than the first listing's with vectors) are left out."""
    return _items(store, _several(store.cluster_members(cluster_ids)), fresh or {})


def give_cluster_vectors(store: Store, index: SearchIndex, cluster_ids: Iterable[str]) -> int:
    """Set the vectors of these clusters' documents in ``index``; how many got some."""
    given = 0
    for chunk in _chunks(sorted(set(cluster_ids))):
        items = cluster_vector_items(store, chunk)
        if items:
            given += index.set_vectors(items)
    return given


def restore_vectors(
    store: Store, index: SearchIndex, written: Iterable[str], changed: Iterable[str] = ()
) -> int:
    """Give documents just written again their vectors: the stored ones of records (except
    ``changed`` records, whose new vectors the embedding backlog brings) and those of
    cluster documents. Returns how many documents got vectors."""
    ids = set(written)
    clusters = {d[len(CLUSTER_PREFIX) :] for d in ids if d.startswith(CLUSTER_PREFIX)}
    records = sorted(ids - {cluster_document_id(c) for c in clusters} - set(changed))
    given = 0
    for chunk in _chunks(records):
        kept = store.stored_vectors(chunk)
        if kept:
            given += index.set_vectors([(r, v.languages, as_matrix(v)) for r, v in kept.items()])
    return given + give_cluster_vectors(store, index, clusters)


def with_cluster_vectors(store: Store, items: Sequence[VectorItem]) -> list[VectorItem]:
    """New vectors of records, and the vectors this gives their clusters' documents."""
    fresh = {item[0]: item for item in items}
    return [*items, *_items(store, _clusters_holding(store, fresh), fresh)]


Clusters = Mapping[str, list[Member]]  # cluster id → its members, representative first


def _clusters_holding(store: Store, record_ids: Iterable[str]) -> Clusters:
    """The clusters of several listings that hold any of these records, with members."""
    members = store.members_of(record_ids)
    return _several(store.cluster_members({m.cluster_id for m in members.values()}))


def _several(clusters: Clusters) -> Clusters:
    return {cluster_id: listed for cluster_id, listed in clusters.items() if len(listed) > 1}


def _items(store: Store, clusters: Clusters, fresh: Mapping[str, VectorItem]) -> list[VectorItem]:
    """The vectors of these clusters' documents (see :func:`cluster_vector_items`)."""
    wanted = {m.record_id for listed in clusters.values() for m in listed} - set(fresh)
    kept = store.stored_vectors(sorted(wanted))
    items: list[VectorItem] = []
    for cluster_id, listed in sorted(clusters.items()):
        parts: list[tuple[Sequence[str], np.ndarray]] = []
        for member in listed:
            if member.record_id in fresh:
                _id, languages, matrix = fresh[member.record_id]
                parts.append((languages, matrix))
            elif member.record_id in kept:
                stored = kept[member.record_id]
                parts.append((stored.languages, as_matrix(stored)))
        parts = [p for p in parts if len(p[1]) and p[1].shape[1] == parts[0][1].shape[1]]
        if parts:
            languages = [lang for found, _m in parts for lang in found]
            matrix = np.vstack([m for _l, m in parts])
            items.append((cluster_document_id(cluster_id), languages, matrix))
    return items


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]


__all__ = [
    "cluster_vector_items",
    "clusters_of",
    "give_cluster_vectors",
    "restore_vectors",
    "with_cluster_vectors",
]
