"""The index documents of records with their clusters, read from the store: each record's
listing document, and a cluster document for each cluster of several listings (see
:mod:`harvester.index.collapse`).

A record the clustering has not seen yet is a cluster of one under its default id. A
record of a cluster of several brings the whole cluster with it (its cluster document
changes, and the other listings show its platform and link).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from harvester.enrich.clusters.identity import default_cluster_id
from harvester.index.collapse import (
    cluster_document,
    cluster_document_id,
    listing_document,
    with_cluster,
)
from harvester.index.documents import IndexDocument
from harvester.store import Store
from harvester.store.clusters import Member


@dataclass
class ClusterDocuments:
    """What to write to the index: documents to upsert, document ids to delete."""

    upserts: list[IndexDocument] = field(default_factory=list)
    deletes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def documents_for(
    store: Store,
    record_ids: Iterable[str],
    made: Mapping[str, IndexDocument] | None = None,
    *,
    dropped: Iterable[str] = (),
    emitted: set[str] | None = None,
) -> ClusterDocuments:
    """The documents of these records and of their clusters; ``made``: plain documents
    already built for some records (used for records alone in their cluster); ``dropped``:
    ids of clusters that no longer hold several listings (their documents go);
    ``emitted``: document ids already written by this caller (a rebuild), skipped."""
    wanted = set(record_ids)
    members = store.members_of(wanted)
    clusters = store.cluster_members({m.cluster_id for m in members.values()})
    multi = {c: ms for c, ms in clusters.items() if len(ms) > 1}
    made = made or {}
    reading = (wanted - set(made)) | _members_of(multi)
    documents = {r: orjson.loads(d) for r, d in store.documents(reading).items()}
    out = ClusterDocuments()
    done = emitted if emitted is not None else set()
    for record_id in sorted(wanted):
        member = members.get(record_id)
        if member is not None and member.cluster_id in multi:
            continue  # written with its cluster below
        cluster_id = member.cluster_id if member is not None else default_cluster_id(record_id)
        try:
            if record_id in made:
                out.upserts.append(with_cluster(made[record_id], cluster_id))
            elif record_id in documents:
                out.upserts.append(listing_document(documents[record_id], cluster_id))
            else:
                out.deletes.append(record_id)
        except (ValueError, KeyError, TypeError) as exc:
            out.errors.append(f"{record_id}: cannot be indexed: {exc}")
    for cluster_id, cluster in sorted(multi.items()):
        if cluster_document_id(cluster_id) in done:
            continue
        try:
            made_here = _cluster(cluster_id, cluster, documents)
            out.upserts += made_here
            if not any(d.id == cluster_document_id(cluster_id) for d in made_here):
                out.deletes.append(cluster_document_id(cluster_id))  # one listing left
        except (ValueError, KeyError, TypeError) as exc:
            out.errors.append(f"cluster {cluster_id}: cannot be indexed: {exc}")
        done.add(cluster_document_id(cluster_id))
    live = set(documents) | set(made)
    out.deletes += sorted((wanted & _members_of(multi)) - live)  # gone since clustering
    out.deletes += [cluster_document_id(c) for c in dropped if c not in multi]
    return out


def _members_of(multi: Mapping[str, list[Member]]) -> set[str]:
    return {m.record_id for ms in multi.values() for m in ms}


def _cluster(
    cluster_id: str, cluster: list[Member], documents: Mapping[str, Mapping[str, Any]]
) -> list[IndexDocument]:
    """The listing documents of a cluster of several, and its cluster document."""
    live = [m for m in cluster if m.record_id in documents]
    if len(live) < 2:  # a member went since clustering: the next run settles it
        return [listing_document(documents[m.record_id], cluster_id) for m in live]
    first = next((m for m in live if m.representative), live[0])
    ordered = [first] + [m for m in live if m is not first]
    records = [documents[m.record_id] for m in ordered]
    made = [
        listing_document(record, cluster_id, [o for o in records if o is not record])
        for record in records
    ]
    return [*made, cluster_document(cluster_id, records[0], records[1:])]


def stored_documents_with_clusters(store: Store, batch: int = 1000) -> Iterator[IndexDocument]:
    """Every live record's documents with its cluster's (for a rebuild of the index)."""
    emitted: set[str] = set()
    ids: list[str] = []
    for row in store.iter_normalised():
        ids.append(row.id)
        if len(ids) >= batch:
            yield from _fresh(store, ids, emitted)
            ids = []
    yield from _fresh(store, ids, emitted)


def _fresh(store: Store, ids: list[str], emitted: set[str]) -> Iterator[IndexDocument]:
    if not ids:
        return
    found = documents_for(store, ids, emitted=emitted)
    for document in found.upserts:
        if document.id in emitted:
            continue
        if "listings" in document.summary or document.id.startswith("cluster:"):
            emitted.add(document.id)  # members of clusters come once, with their cluster
        yield document
