"""Normalising stored raw records again after a crosswalk changed: no network, and only what
changed is rewritten and re-indexed."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from harvester.core.sources import SourceConfig
from harvester.index.base import SearchIndex
from harvester.index.service import index_changed
from harvester.normalise.service import Normaliser
from harvester.store import NormaliseCounts, NormalisedRow, Store, StoredRecord

BATCH = 500


def write_normalised(
    normaliser: Normaliser,
    store: Store,
    stored: Iterable[StoredRecord],
    index: SearchIndex | None = None,
    progress: Callable[[int], None] | None = None,
) -> NormaliseCounts:
    """Normalise and store records in batches, indexing what changed; memory stays flat.
    ``progress`` is told how many records are done after each batch."""
    counts = NormaliseCounts()
    batch: list[NormalisedRow] = []
    done = 0
    for item in stored:
        batch.append(normaliser.row(item.record, item.changed_at))
        if len(batch) >= BATCH:
            counts.add(_write(store, batch, index))
            done += len(batch)
            batch = []
            if progress is not None:
                progress(done)
    counts.add(_write(store, batch, index))
    if progress is not None:
        progress(done + len(batch))
    return counts


def _write(store: Store, batch: list[NormalisedRow], index: SearchIndex | None) -> NormaliseCounts:
    counts = store.write_normalised(batch)
    if index is not None:
        index_changed(index, counts.changed, store=store)
    return counts


def normalise_source(
    store: Store,
    source: SourceConfig,
    index: SearchIndex | None = None,
    progress: Callable[[int], None] | None = None,
) -> NormaliseCounts:
    """Re-map every stored raw record of a source, and index what changed; no network."""
    normaliser = Normaliser(source)
    return write_normalised(normaliser, store, store.iter_records(source.id), index, progress)
