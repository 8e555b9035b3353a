"""Multilingual vectors of records: each language version of a record (its title and
description in one language) encoded by the sentence encoder, quantised to signed bytes,
kept in the store and handed to the search index.

:func:`drain` takes the records waiting in the store's backlog batch by batch; a record
whose text has not changed since its vectors were computed (same encoder, same text hash)
is not encoded again. The index is whatever ``sink`` writes to: the enrich stage knows
nothing of the index (the pipeline and the command line pass it in).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from harvester.enrich.encoders import Encoder, Matrix
from harvester.enrich.languages import LanguageVersion, language_versions
from harvester.store import Store
from harvester.store.vectors import Queued, StoredVectors

log = logging.getLogger(__name__)

BATCH = 64  # records encoded at once
SCALE = 127  # unit vectors to signed bytes: component × 127, rounded

Quantised = npt.NDArray[np.int8]
VectorItem = tuple[str, Sequence[str], Quantised]
"""A record id, the languages of its versions ("" where untold) and their vectors (rows
of signed bytes)."""
VectorSink = Callable[[Sequence[VectorItem]], object]
ProgressCallback = Callable[[int], None]  # records taken from the backlog so far
StopCheck = Callable[[], bool]


@dataclass
class EmbedStats:
    """What a drain did: records given vectors, of them those whose text was unchanged
    (not encoded again), records gone from the store, versions encoded, and the time."""

    records: int = 0
    unchanged: int = 0
    gone: int = 0
    versions: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Records per second."""
        return self.records / self.seconds if self.seconds > 0 else 0.0


def quantise(matrix: Matrix) -> Quantised:
    """Unit vectors as signed bytes (the ANN indexes keep them so: 4 × smaller)."""
    return np.clip(np.rint(matrix * SCALE), -SCALE, SCALE).astype(np.int8)


def dequantise(vectors: Quantised) -> Matrix:
    """Signed bytes back to (nearly) unit vectors."""
    return (vectors.astype(np.float32) / SCALE).astype(np.float32)


def as_matrix(stored: StoredVectors) -> Quantised:
    """The stored vectors of one record as rows of signed bytes."""
    return np.frombuffer(stored.data, dtype=np.int8).reshape(-1, stored.dims)


def versions_of(record: Mapping[str, Any]) -> list[LanguageVersion]:
    """The language versions of a record that have text to encode: title, keywords (in
    every version: they are short, and often the words a search uses) and description."""
    keywords = ", ".join(str(k) for k in record.get("keywords") or [])
    return [
        LanguageVersion(v.lang, v.title, f"{keywords}\n{v.text}" if keywords else v.text)
        for v in language_versions(record)
        if v.full.strip()
    ]


def text_hash(encoder: str, versions: Sequence[LanguageVersion]) -> str:
    """What the vectors were computed from: the encoder and each version's text."""
    digest = hashlib.sha256(encoder.encode())
    for version in versions:
        digest.update(f"\x00{version.lang or ''}\x00{version.full}".encode())
    return digest.hexdigest()


def embed_batch(
    store: Store, encoder: Encoder, queued: Sequence[Queued], stats: EmbedStats
) -> tuple[list[StoredVectors], list[StoredVectors]]:
    """The vectors of a batch of queued records: those computed now, and those kept from
    before for records whose text did not change (not encoded again, but given to the
    index again: an index that replaces whole documents lost them when the record was
    written)."""
    wanted: list[tuple[str, list[LanguageVersion], str]] = []
    for item in queued:
        if item.document is None:
            stats.gone += 1
            continue
        versions = versions_of(json.loads(item.document))
        if versions:
            wanted.append((item.record_id, versions, text_hash(encoder.name, versions)))
    kept = store.stored_vectors([record_id for record_id, _v, _h in wanted])
    fresh = [w for w in wanted if kept.get(w[0]) is None or kept[w[0]].text_hash != w[2]]
    reused = [kept[w[0]] for w in wanted if w not in fresh]
    stats.unchanged += len(reused)
    texts = [version.full for _id, versions, _h in fresh for version in versions]
    matrix = quantise(encoder.passages(texts)) if texts else np.zeros((0, encoder.dims), np.int8)
    computed: list[StoredVectors] = []
    row = 0
    for record_id, versions, digest in fresh:
        rows = matrix[row : row + len(versions)]
        row += len(versions)
        computed.append(
            StoredVectors(
                record_id=record_id,
                encoder=encoder.name,
                text_hash=digest,
                languages=tuple(v.lang or "" for v in versions),
                dims=encoder.dims,
                data=rows.tobytes(),
            )
        )
    stats.versions += len(texts)
    stats.records += len(fresh)
    return computed, reused


def drain(
    store: Store,
    encoder: Encoder,
    sink: VectorSink | None = None,
    *,
    batch: int = BATCH,
    progress: ProgressCallback | None = None,
    should_stop: StopCheck | None = None,
) -> EmbedStats:
    """Compute the vectors of every record in the backlog, a batch at a time: hand each
    batch to ``sink`` (the index), then keep it in the store and take it off the backlog.
    Stops when the backlog is empty or ``should_stop`` says so (between batches)."""
    stats = EmbedStats()
    started = time.perf_counter()
    done = 0
    while not (should_stop is not None and should_stop()):
        queued = store.vector_backlog(batch)
        if not queued:
            break
        computed, reused = embed_batch(store, encoder, queued, stats)
        if sink is not None and (computed or reused):
            sink([(v.record_id, v.languages, as_matrix(v)) for v in [*computed, *reused]])
        store.save_vectors(computed, queued)
        done += len(queued)
        if progress is not None:
            progress(done)
    stats.seconds = time.perf_counter() - started
    return stats
