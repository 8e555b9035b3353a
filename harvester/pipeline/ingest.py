"""The stages of a harvest, overlapped so that a large harvest keeps both cores busy.

A page goes through fetching and parsing, normalising its changed records, storing raw
and normalised records with the checkpoint (one transaction), and indexing. One after the
other, the provider waits for csfinder and csfinder for the provider. Instead:

- :func:`harvester.fetch.prefetch.prefetched` fetches the next pages in a thread while
  the current one is worked on (at most ``depth`` pages wait);
- :class:`PageIngest` normalises pages in worker processes once a harvest has listed
  enough records to pay for starting them (``HarvestSettings.parallel_after``), or from
  its first page when the provider announces that many, so that crosswalks run on
  another core while this process stores and indexes (and this process never loads the
  vocabularies: its memory stays that of fetching, storing and indexing); small harvests
  normalise in process. Either way a page is normalised before its transaction, and the
  transaction only picks the rows of the records that turned out to have changed.

Pages are still stored one by one, in list order, each with its checkpoint (see
:meth:`harvester.pipeline.run.HarvestRun.write`).
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime

from harvester.core.records import RawRecord
from harvester.core.sources import SourceConfig
from harvester.index.base import SearchIndex
from harvester.index.service import index_changed
from harvester.normalise import vocab
from harvester.normalise.service import Normaliser
from harvester.store import NormalisedRow, Store

log = logging.getLogger(__name__)
Key = tuple[str, str]  # a raw record's identifier and content hash
INDEX_BEHIND = 2  # pages the index may lag behind the store while a harvest runs
CATCH_UP_BATCH = 1000


class PendingRows:
    """The normalised rows of one page, being made (in a worker process or not yet)."""

    def __init__(
        self,
        normaliser: Normaliser,
        ready: dict[Key, NormalisedRow],
        keys: list[Key] | None = None,
        future: Future[list[NormalisedRow]] | None = None,
    ) -> None:
        self.normaliser = normaliser
        self._rows = ready
        self._keys = keys or []
        self._future = future

    def wait(self) -> None:
        """Collect the worker's rows (a broken worker leaves them to be made here)."""
        future, self._future = self._future, None
        if future is None:
            return
        try:
            made = future.result()
        except BrokenProcessPool as exc:
            log.warning("normalising worker stopped (%s); normalising in process", exc)
            return
        self._rows.update(zip(self._keys, made, strict=True))

    def rows(self, changed: Sequence[RawRecord], at: datetime) -> list[NormalisedRow]:
        """The rows of the records that changed; any not made ahead are made now."""
        self.wait()
        return [
            self._rows.get((raw.identifier, raw.content_hash)) or self.normaliser.row(raw, at)
            for raw in changed
        ]


class PageIngest:
    """Normalises each page of a harvest (in worker processes once it is large enough)
    and indexes what the store changed."""

    def __init__(
        self,
        source: SourceConfig,
        store: Store,
        index: SearchIndex | None = None,
        *,
        workers: int = 1,
        parallel_after: int = 2000,
    ) -> None:
        self.source = source
        self.store = store
        self.index = index
        self.normaliser = Normaliser(source)  # ConfigError: no usable crosswalk
        self.workers = workers
        self.parallel_after = parallel_after
        self._listed = 0
        self._announced = 0
        self._pool: ProcessPoolExecutor | None = None
        self._broken = False
        self._indexer: ThreadPoolExecutor | None = None
        self._indexing: deque[Future[None]] = deque()

    @property
    def parallel(self) -> bool:
        """True once pages are normalised by worker processes."""
        return self._pool is not None and not self._broken

    def start(
        self, records: Sequence[RawRecord], at: datetime, announced: int | None = None
    ) -> PendingRows:
        """Begin normalising the records of a page that the store does not hold as they are
        (a worker process does it when the pool runs, this process otherwise);
        ``announced``: how many records the provider says the whole list holds."""
        self._listed += len(records)
        self._announced = max(self._announced, announced or 0)
        wanted = self.store.to_normalise(records)
        keys = [(raw.identifier, raw.content_hash) for raw in wanted]
        pool = self._worker_pool()
        if pool is not None and wanted:
            try:
                future = pool.submit(_normalise_page, wanted, at)
                return PendingRows(self.normaliser, {}, keys, future)
            except BrokenProcessPool as exc:
                log.warning("normalising worker stopped (%s); normalising in process", exc)
                self._broken = True
        ready = {key: self.normaliser.row(raw, at) for key, raw in zip(keys, wanted, strict=True)}
        return PendingRows(self.normaliser, ready)

    def _worker_pool(self) -> ProcessPoolExecutor | None:
        large = max(self._listed, self._announced) > self.parallel_after
        if self._broken or self.workers < 1 or not large:
            return None
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(self.source,),
            )
        return self._pool

    def index_rows(self, rows: list[NormalisedRow]) -> None:
        """Send a page's changed normalised rows to the search index, if there is one: in
        a thread once the workers run (pages in order, at most ``INDEX_BEHIND`` waiting),
        so that the index's own work (SQLite releases the GIL) overlaps storing the next
        page."""
        if self.index is None or not rows:
            return
        if self._indexer is None and not self.parallel:
            index_changed(self.index, rows, store=self.store)
            return
        if self._indexer is None:
            self._indexer = ThreadPoolExecutor(1, thread_name_prefix="csfinder-index")
        self._indexing.append(
            self._indexer.submit(index_changed, self.index, rows, store=self.store)
        )
        while len(self._indexing) > INDEX_BEHIND:
            self._indexing.popleft().result()

    def catch_up(self, since: datetime) -> int:
        """Index again what the store changed for this source since ``since``: a run that
        died (killed, or its index thread failing) may have stored pages that never reached
        the index. Returns the rows sent."""
        if self.index is None:
            return 0
        sent = 0
        batch: list[NormalisedRow] = []
        rows = self.store.iter_normalised(self.source.id, include_deleted=True, changed_since=since)
        for row in rows:
            batch.append(row)
            if len(batch) >= CATCH_UP_BATCH:
                index_changed(self.index, batch, store=self.store)
                sent, batch = sent + len(batch), []
        index_changed(self.index, batch, store=self.store)
        return sent + len(batch)

    def close(self) -> None:
        """Wait for the index to have every page, stop the worker processes."""
        while self._indexing:
            self._indexing.popleft().result()
        if self._indexer is not None:
            self._indexer.shutdown(wait=True)
            self._indexer = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


_worker: Normaliser | None = None


def _start_worker(source: SourceConfig) -> None:
    """In a new worker process: the normaliser, with the vocabulary tables built, and
    everything made so far kept out of garbage collection (the tables are large and live
    as long as the process; collecting would walk them again and again)."""
    global _worker
    _worker = Normaliser(source)
    vocab.load_tables()
    gc.collect()
    gc.freeze()
    threading.Thread(target=_end_with_parent, name="csfinder-parent-watch", daemon=True).start()


def _end_with_parent() -> None:
    """In a worker process: exit as soon as the harvesting process is gone, even killed
    with SIGKILL (the worker would otherwise wait on its task queue forever, since it
    holds both ends of it)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    multiprocessing.connection.wait([parent.sentinel])
    os._exit(1)


def _normalise_page(records: list[RawRecord], at: datetime) -> list[NormalisedRow]:
    """In a worker process: the rows of a page. Their index documents are made by the
    harvesting process, from the rows' JSON, while it indexes: that balances the two
    processes (normalising is the larger part of the work) and sends half as much data
    back."""
    assert _worker is not None, "worker not started"
    return [_worker.row(raw, at) for raw in records]
