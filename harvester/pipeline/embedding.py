"""Computing multilingual vectors beside a harvest, off its path: a worker process that
drains the store's vector backlog (:func:`harvester.enrich.vectors.drain`) while the
harvest stores records, and then what is left.

The worker is a process of its own (spawned: the encoder's BLAS threads and the harvest's
threads never share an interpreter), with one BLAS thread and a lower priority, so it takes
at most one core, and only what the harvest leaves. It reads the backlog from the store and
writes the vectors into the store and the index, as ``csfinder embed`` does; a harvest and
the worker only meet in the database.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.synchronize
import os
from collections.abc import Sequence
from dataclasses import dataclass

from harvester.core.settings import Settings
from harvester.enrich.encoders import load_encoder
from harvester.enrich.vectors import EmbedStats, ProgressCallback, VectorItem, VectorSink, drain
from harvester.index.base import SearchIndex
from harvester.index.cluster_vectors import with_cluster_vectors
from harvester.index.service import open_index
from harvester.store import Store

log = logging.getLogger(__name__)

IDLE_WAIT = 1.0  # seconds the worker waits for more records when the backlog is empty
STOP_WAIT = 120.0  # seconds a stopped worker may take to finish its batch
WORKER_NICENESS = 10  # the worker yields the processor to the harvest beside it


@dataclass(frozen=True)
class WorkerState:
    """What the parent tells the worker: stop when asked; when ``finishing``, stop only
    once the backlog is empty."""

    stop: multiprocessing.synchronize.Event
    finishing: multiprocessing.synchronize.Event


class EmbedWorker:
    """A worker process draining the vector backlog while (and after) a harvest runs."""

    def __init__(self, settings: Settings) -> None:
        """Prepare the worker for the store and index of ``settings``; nothing starts yet."""
        self.settings = settings
        context = multiprocessing.get_context("spawn")
        self._state = WorkerState(context.Event(), context.Event())
        self._process = context.Process(
            target=_work, args=(settings, self._state), name="csfinder-embed", daemon=True
        )

    def start(self) -> None:
        """Start draining in the background."""
        self._process.start()

    def finish(self, timeout: float | None = None) -> None:
        """Let the worker drain what is left, then wait for it to end (``timeout``: stop
        it after so many seconds, the rest left for ``csfinder embed``)."""
        self._state.finishing.set()
        self._process.join(timeout)
        self.stop()

    def stop(self) -> None:
        """Ask the worker to stop after its batch, and wait for it."""
        self._state.stop.set()
        self._process.join(STOP_WAIT)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(STOP_WAIT)


def _work(settings: Settings, state: WorkerState) -> None:
    """In the worker process: drain the backlog until told to stop (or, finishing, until
    it is empty); at a lower priority than the harvest, which it must not slow down."""
    os.nice(WORKER_NICENESS)
    encoder = load_encoder(settings.index.encoder, 1)
    if encoder is None:
        return
    store = Store(settings.database_url)
    index = open_index(settings, with_encoder=False)
    try:
        while not state.stop.is_set():
            stats = drain(store, encoder, sink_of(index, store), should_stop=state.stop.is_set)
            if stats.records == 0 and stats.gone == 0 and stats.unchanged == 0:
                if state.finishing.is_set():
                    return
                state.stop.wait(IDLE_WAIT)
    finally:
        index.close()
        store.close()


def sink_of(index: SearchIndex, store: Store) -> VectorSink:
    """A vector sink writing into ``index`` (the records' vectors, and those their clusters'
    documents get from them); a failing index is logged, never fatal (the vectors are in
    the store, and ``csfinder reindex`` brings them to the index)."""

    def sink(items: Sequence[VectorItem]) -> None:
        try:
            index.set_vectors(with_cluster_vectors(store, items))
        except Exception as exc:  # any backend's failure: logged, vectors kept in the store
            log.warning("vectors not indexed (%s); run `csfinder reindex`", exc)

    return sink


def embed_all(
    store: Store,
    index: SearchIndex | None,
    settings: Settings,
    progress: ProgressCallback | None = None,
    threads: int = 2,
) -> EmbedStats:
    """Drain the whole backlog in this process (``csfinder embed``), the encoder using
    ``threads`` BLAS threads."""
    encoder = load_encoder(settings.index.encoder, threads)
    if encoder is None:
        return EmbedStats()
    sink = sink_of(index, store) if index is not None else None
    return drain(store, encoder, sink, progress=progress)
