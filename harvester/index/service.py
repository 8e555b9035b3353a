"""Opening the configured index and keeping it in step with the store."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta

from harvester.core.errors import ConfigError
from harvester.core.settings import Settings
from harvester.enrich.encoders import Encoder, encoder_notice, load_encoder
from harvester.enrich.vectors import as_matrix
from harvester.index.base import IndexStats, Progress, SearchIndex, VectorItem
from harvester.index.cluster_feed import (
    ClusterDocuments,
    documents_for,
    stored_documents_with_clusters,
)
from harvester.index.cluster_vectors import give_cluster_vectors, restore_vectors
from harvester.index.collapse import CLUSTER_PREFIX
from harvester.index.documents import IndexDocument, document_from_json
from harvester.index.sqlite import SqliteIndex
from harvester.store import NormalisedRow, Store, utcnow

log = logging.getLogger(__name__)

CATCH_UP_MARGIN = timedelta(seconds=5)  # clocks of harvesting processes may differ a little
CATCH_UP_BATCH = 1000


def open_index(settings: Settings, *, with_encoder: bool = True) -> SearchIndex:
    """The search backend the settings choose (``CSFINDER_INDEX``), with the encoder they
    choose (``CSFINDER_ENCODER``) to search by meaning, unless ``with_encoder`` is false
    (writers never encode queries, and need not load it)."""
    encoder = search_encoder(settings) if with_encoder else None
    if settings.index.backend == "elasticsearch":
        # Imported here: the Elasticsearch client is loaded only by deployments that use it.
        from harvester.index.elastic import ElasticIndex

        assert settings.index.es_url is not None  # checked when settings are read
        template = None
        if settings.index.es_template is not None:
            try:
                template = json.loads(settings.index.es_template.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                message = f"{settings.index.es_template}: not an index template: {exc}"
                raise ConfigError(message) from None
        return ElasticIndex(
            settings.index.es_url, settings.index.es_index, template=template, encoder=encoder
        )
    return SqliteIndex(
        settings.index_dir, cache_bytes=settings.index.cache_mb << 20, encoder=encoder
    )


def search_encoder(settings: Settings, threads: int = 1) -> Encoder | None:
    """The encoder the settings choose, or None (its notice logged once)."""
    return load_encoder(settings.index.encoder, threads)


def semantic_notice(settings: Settings) -> str | None:
    """Why searches cannot match by meaning (no encoder), or None."""
    return encoder_notice(settings.index.encoder)


def stored_vectors(
    store: Store, encoder: str, since: datetime | None = None
) -> Iterator[VectorItem]:
    """Every record's vectors made by ``encoder`` (computed at or after ``since`` when
    given), as the index takes them."""
    for stored in store.iter_vectors(encoder, computed_since=since):
        yield stored.record_id, stored.languages, as_matrix(stored)


def apply_rows(
    index: SearchIndex,
    rows: Sequence[NormalisedRow],
    made: Mapping[str, IndexDocument] | None = None,
    store: Store | None = None,
) -> IndexStats:
    """Index changed normalised rows: upsert the live ones, delete the deleted ones.
    ``made`` holds index documents already built from some of the rows, by id. With the
    ``store``, each record comes with its cluster (see :mod:`harvester.index.collapse`)."""
    stats = IndexStats()
    if store is not None:
        ready: dict[str, IndexDocument] = {}
        for row in rows:
            if row.deleted:
                continue
            try:
                ready[row.id] = (made or {}).get(row.id) or document_from_json(row.document)
            except (ValueError, KeyError, TypeError) as exc:
                stats.failed += 1
                stats.errors.append(f"{row.id}: cannot be indexed: {exc}")
        found = documents_for(store, [r.id for r in rows if r.deleted or r.id in ready], ready)
        found.errors += stats.errors
        return write_documents(index, found, store, {r.id for r in rows})
    documents: list[IndexDocument] = []
    made = made or {}
    for row in rows:
        if row.deleted:
            continue
        try:
            documents.append(made.get(row.id) or document_from_json(row.document))
        except (ValueError, KeyError, TypeError) as exc:
            stats.failed += 1
            stats.errors.append(f"{row.id}: cannot be indexed: {exc}")
    deleted = [row.id for row in rows if row.deleted]
    if documents:
        stats.indexed = index.upsert(documents).indexed
    if deleted:
        stats.deleted = index.delete(deleted).deleted
    return stats


def write_documents(
    index: SearchIndex,
    found: ClusterDocuments,
    store: Store | None = None,
    changed: Iterable[str] = (),
) -> IndexStats:
    """Upsert and delete what :func:`documents_for` found; with the ``store``, documents
    written again get their vectors again (not the ``changed`` records': the embedding
    backlog brings theirs), cluster documents their listings'."""
    stats = IndexStats(failed=len(found.errors), errors=list(found.errors))
    if found.upserts:
        stats.indexed = index.upsert(found.upserts).indexed
        if store is not None:
            restore_vectors(store, index, (d.id for d in found.upserts), changed)
    if found.deletes:
        stats.deleted = index.delete(found.deletes).deleted
    return stats


def index_clusters(
    store: Store, index: SearchIndex, reindex: Iterable[str], dropped: Iterable[str]
) -> IndexStats:
    """Bring the index in step with a clustering run: the documents of the records whose
    cluster changed, and no documents for clusters that ended."""
    stats = IndexStats()
    ids = sorted(reindex)
    for start in range(0, max(len(ids), 1), CATCH_UP_BATCH):
        chunk = ids[start : start + CATCH_UP_BATCH]
        found = documents_for(store, chunk, dropped=dropped if start == 0 else ())
        done = write_documents(index, found, store)
        stats.indexed += done.indexed
        stats.deleted += done.deleted
        stats.failed += done.failed
        stats.errors += done.errors
    return stats


def stored_documents(store: Store) -> Iterator[IndexDocument]:
    """Every live normalised record of the store, as index documents."""
    for row in store.iter_normalised():
        try:
            yield document_from_json(row.document)
        except (ValueError, KeyError, TypeError):
            continue  # counted by reindex from the difference


def reindex(
    store: Store, index: SearchIndex, progress: Progress | None = None, encoder: str | None = None
) -> int:
    """Rebuild the index from the stored records, with the vectors ``encoder`` made of them
    (by default the encoder that made most of the kept vectors: a rebuild after clustering
    keeps them); searching continues meanwhile.

    Records that a harvest changes, and vectors that a worker computes, while the rebuild
    runs reach the old index only; they are replayed into the new one once it is live, so
    nothing is lost.
    """
    started = utcnow() - CATCH_UP_MARGIN
    encoder = encoder or store.vector_encoder()
    embedded = bool(encoder) and encoder != "none"
    vectors = stored_vectors(store, str(encoder)) if embedded else ()
    clusters = [0]

    def counted() -> Iterator[IndexDocument]:
        for document in stored_documents_with_clusters(store):
            clusters[0] += document.id.startswith(CLUSTER_PREFIX)
            yield document

    count = index.rebuild(counted(), progress, vectors)
    batch: list[NormalisedRow] = []
    for row in store.iter_normalised(include_deleted=True, changed_since=started):
        batch.append(row)
        if len(batch) >= CATCH_UP_BATCH:
            apply_rows(index, batch, store=store)
            batch = []
    apply_rows(index, batch, store=store)
    if embedded:
        late = list(stored_vectors(store, str(encoder), since=started))
        for start in range(0, len(late), CATCH_UP_BATCH):
            index.set_vectors(late[start : start + CATCH_UP_BATCH])
        give_cluster_vectors(store, index, set(store.multi_members().values()))
    return count - clusters[0]


def index_documents(index: SearchIndex, documents: Iterable[IndexDocument]) -> int:
    """Add documents to the index (benchmarks and tests build indexes this way)."""
    return index.upsert(documents).indexed


def index_changed(
    index: SearchIndex,
    rows: list[NormalisedRow],
    documents: Mapping[str, IndexDocument] | None = None,
    store: Store | None = None,
) -> None:
    """Send changed rows to the search index (``documents``: index documents already made
    for some of them, by id); a failing index never fails the harvest (the records are
    stored, and ``csfinder reindex`` catches the index up)."""
    if not rows:
        return
    try:
        stats = apply_rows(index, rows, documents, store)
    except Exception as exc:  # any backend's failure: logged, records kept in the store
        log.warning("search index not updated (%s); run `csfinder reindex`", exc)
        return
    for error in stats.errors:
        log.warning("search index: %s", error)
