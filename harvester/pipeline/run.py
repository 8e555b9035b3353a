"""The life of one harvest run, whatever the protocol: claim the source, start or resume the
run, take each page from the protocol's adapter, store it with its checkpoint, normalise and
index it, report progress, and record how the run ended."""

from __future__ import annotations

import logging
import os
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from harvester.core.errors import CsfinderError, HarvestError
from harvester.fetch.base import Harvester, HarvestRequest
from harvester.pipeline.ingest import PageIngest, PendingRows
from harvester.store import FAILED, STALLED, SUCCEEDED, Checkpoint, Counts, PageWrite, Run, utcnow
from harvester.store.engine import database_problem
from harvester.store.liveness import claim, lease_holder, this_host

log = logging.getLogger(__name__)
CLOCK_MARGIN = timedelta(seconds=5)  # processes on several machines: clocks differ a little


@dataclass(frozen=True)
class Progress:
    """A snapshot for the live progress line."""

    run_id: int
    source_id: str
    set_spec: str | None
    counts: Counts
    elapsed: float

    @property
    def rate(self) -> float:
        """Records per second so far."""
        return self.counts.seen / self.elapsed if self.elapsed > 0 else 0.0


ProgressListener = Callable[[Progress], None]


@dataclass(frozen=True)
class _Queued:
    """A page handed to :meth:`HarvestRun.write`, not stored yet."""

    page: PageWrite
    checkpoint: Checkpoint | None
    label: str | None
    at: datetime
    rows: PendingRows | None


class HarvestRun:
    """One run of one source: the page sink its protocol's :class:`Harvester` writes to."""

    def __init__(
        self,
        harvester: Harvester,
        progress: ProgressListener | None = None,
        ingest: PageIngest | None = None,
        notice: str | None = None,
    ) -> None:
        source, store, settings = harvester.source, harvester.store, harvester.settings
        self.harvester = harvester
        self.source = source
        self.store = store
        self.settings = settings
        self.progress = progress
        self.ingest = ingest
        self.notice = notice
        self.counts = Counts()
        self._started = 0.0
        self._run_id = 0
        self._queued: deque[_Queued] = deque()
        self.holder = lease_holder()

    def run(self, request: HarvestRequest | None = None) -> Run:
        """Harvest; return the finished run.

        Raises:
            RunConflictError: another live process harvests this source.
            HarvestError: the run failed; it is recorded as failed (and resumable where the
                protocol checkpoints).
        """
        request = request or HarvestRequest()
        resumable = claim(self.store, self.source.id, self.settings.stall_after, self.holder)
        try:
            return self._run(request, resumable)
        finally:
            try:
                self.store.release_lease(self.source.id, self.holder)
            except Exception as exc:  # the database is gone: the lease expires by itself
                if database_problem(exc) is None:
                    raise
                log.warning("lease of %s not released: %s", self.source.id, database_problem(exc))

    def _run(self, request: HarvestRequest, resumable: Run | None) -> Run:
        resumed = resumable if request.mode == "incremental" else None
        self._catch_up_after_a_dead_run()
        run = self.store.start_run(
            self.source.id,
            mode=resumed.mode if resumed else request.mode,
            from_date=resumed.from_date if resumed else None,
            pid=os.getpid(),
            host=this_host(),
            resumed=resumed,
        )
        self._run_id = run.id
        self._started = time.monotonic()
        self._renew()
        if self.notice:
            self.store.add_run_error(run.id, self.notice)
        try:
            self.harvester.harvest(run, resumed, request, self)
            self.flush()
        except BaseException as exc:
            if isinstance(exc, Exception):
                self._flush_after_failure()
            else:  # interrupted: the pages not stored yet are listed again by the next run
                self._queued.clear()
            lost = database_problem(exc)
            if isinstance(exc, CsfinderError):
                reason = str(exc)
            else:
                reason = lost or f"{type(exc).__name__}: {exc}".rstrip(": ")
            self._record_failure(run.id, reason)
            if lost is not None:  # its checkpoint is the last page stored: the next run resumes
                raise HarvestError(reason) from exc
            raise
        finally:
            if self.ingest is not None:
                self.ingest.close()
        return self.store.finish_run(run.id, SUCCEEDED)

    def _record_failure(self, run_id: int, reason: str) -> None:
        """Record the run as failed; if the database cannot be reached even for that, the
        run stays marked running until it is found stalled (and resumed all the same)."""
        try:
            self.store.finish_run(run_id, FAILED, reason)
        except Exception as exc:
            if database_problem(exc) is None:
                raise
            log.error("run %s failed (%s) and cannot be recorded: %s", run_id, reason, exc)

    def _catch_up_after_a_dead_run(self) -> None:
        """After a run that did not end well (killed, stalled, failed), send the index what
        that run stored since it began: its last pages may never have reached the index."""
        previous = self.store.runs(self.source.id, limit=1)
        if self.ingest is None or not previous or previous[0].status not in (FAILED, STALLED):
            return
        sent = self.ingest.catch_up(previous[0].started_at - CLOCK_MARGIN)
        log.info("index caught up with %d records of run %s", sent, previous[0].id)

    def write(
        self, page: PageWrite, checkpoint: Checkpoint | None, label: str | None = None
    ) -> None:
        """Store one page with the checkpoint after it, normalised, then index it and report
        progress.

        Once the normalising workers run, the page is stored only after the next one is
        handed over (so that a worker normalises it while this process stores and indexes
        the one before): call :meth:`flush` before reading what the pages stored.
        """
        if not self._renew():
            self._queued.clear()  # another process may own the source now: store nothing
            raise HarvestError(
                f"lost the lease of source '{self.source.id}': the run stopped reporting "
                "for longer than stall_after and another process may have taken over"
            )
        at = utcnow()
        rows = (
            self.ingest.start(page.records, at, page.announced) if self.ingest is not None else None
        )
        self._queued.append(_Queued(page, checkpoint, label, at, rows))
        waiting = self.ingest.workers if self.ingest is not None and self.ingest.parallel else 0
        while len(self._queued) > waiting:
            self._store_next()

    def flush(self) -> None:
        """Store every page handed to :meth:`write`, in order."""
        while self._queued:
            self._store_next()

    def _flush_after_failure(self) -> None:
        """Store the pages listed before the run failed (their checkpoints advance)."""
        try:
            self.flush()
        except BaseException as exc:  # the run fails with its first error; this one is logged
            self._queued.clear()
            log.warning("pages listed before the failure not stored: %s", exc)

    def _store_next(self) -> None:
        queued = self._queued.popleft()
        try:
            if queued.rows is not None:
                queued.rows.wait()  # outside the transaction
            outcome = self.store.write_page(
                self._run_id,
                queued.page,
                queued.checkpoint,
                now=queued.at,
                normalise=queued.rows.rows if queued.rows is not None else None,
            )
        except BaseException:
            self._queued.clear()  # a later page's checkpoint must not pass this one
            raise
        self.counts.add(outcome)
        if self.ingest is not None and outcome.normalised is not None and queued.rows is not None:
            self.ingest.index_rows(outcome.normalised.changed)
        if self.progress is not None:
            elapsed = time.monotonic() - self._started
            self.progress(
                Progress(self._run_id, self.source.id, queued.label, self.counts, elapsed)
            )

    def heartbeat(self, _problem: str = "", _delay: float = 0.0) -> None:
        """Tell the store the run is alive and renew its lease (also the HTTP retry
        listener; a lost lease fails the run at its next page)."""
        self.store.update_run(self._run_id)
        self._renew()

    def _renew(self) -> bool:
        return self.store.renew_lease(
            self.source.id, self.holder, self.settings.stall_after, run_id=self._run_id
        )
