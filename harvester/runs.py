"""Harvest runs across processes: what was asked, progress, who is live, what to resume,
and :class:`HarvestRun`, the life of one run that every protocol shares."""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import psutil

from harvester.errors import CsfinderError, HarvestError, RunConflictError
from harvester.settings import HarvestSettings
from harvester.sources import SourceConfig
from harvester.store import (
    FAILED,
    STALLED,
    SUCCEEDED,
    Checkpoint,
    Counts,
    Lease,
    PageWrite,
    Run,
    Store,
    utcnow,
)

if TYPE_CHECKING:
    from harvester.pipeline import PageIngest, PendingRows

RESUMABLE = frozenset({FAILED, STALLED})
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HarvestRequest:
    """What the operator asked for: incremental (default), ``full``, or from a date."""

    full: bool = False
    from_date: str | None = None

    @property
    def mode(self) -> str:
        """``full``, ``from`` or ``incremental``."""
        if self.full:
            return "full"
        return "from" if self.from_date else "incremental"


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


def this_host() -> str:
    """The name runs record as their host."""
    return socket.gethostname()


def lease_holder() -> str:
    """A name for one claim of one process: host, pid and a nonce (pids get reused)."""
    return f"{this_host()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _process_alive(host: str | None, pid: int | None) -> bool:
    """False only when the process is known to be gone: on this host, and not this one."""
    if host == this_host() and pid is not None:
        return pid != os.getpid() and psutil.pid_exists(pid)
    return True


def is_live(run: Run, stall_after: float, now: datetime | None = None) -> bool:
    """Whether a running run's process is still at work.

    A run is dead when its process is gone from this host, or when its heartbeat is older
    than ``stall_after`` seconds (the only evidence for a run on another host).
    """
    now = now or utcnow()
    if now - run.heartbeat_at > timedelta(seconds=stall_after):
        return False
    return _process_alive(run.host, run.pid)


def lease_is_live(lease: Lease, now: datetime | None = None) -> bool:
    """Whether a lease still protects its source: not expired, and its process not gone."""
    return not lease.expired(now) and _process_alive(lease.host, lease.pid)


def mark_stalled(
    store: Store, stall_after: float, source_id: str | None = None, now: datetime | None = None
) -> list[Run]:
    """Mark every running run whose process stopped reporting as stalled, release the
    leases of dead holders; return the runs marked."""
    stalled = []
    for run in store.running_runs(source_id):
        if not is_live(run, stall_after, now):
            reason = (
                f"stopped reporting: last heartbeat {run.heartbeat_at:%Y-%m-%d %H:%M:%S}Z "
                f"(process {run.pid} on {run.host})"
            )
            stalled.append(store.finish_run(run.id, STALLED, reason))
            store.release_lease(run.source_id, run_id=run.id)
            log.warning(
                "run %s of %s stalled: %s",
                run.id,
                run.source_id,
                reason,
                extra={"source": run.source_id, "run_id": run.id, "event": "run_stalled"},
            )
    for lease in store.leases(source_id):
        if not lease_is_live(lease, now):
            store.release_lease(lease.source_id, lease.holder)
    return stalled


def claim(store: Store, source_id: str, stall_after: float, holder: str) -> Run | None:
    """Take the source's lease in the database, so that no other process on any machine
    harvests it; return the run to resume, if any.

    The lease lasts ``stall_after`` seconds and each heartbeat of the run renews it; the
    caller releases it when the run ends (:meth:`HarvestRun.run` does).

    Raises:
        RunConflictError: a live process holds the source.
    """
    mark_stalled(store, stall_after, source_id)
    if not store.acquire_lease(
        source_id, holder, host=this_host(), pid=os.getpid(), ttl=stall_after
    ):
        raise RunConflictError(_conflict(store, source_id))
    live = store.running_runs(source_id)
    if live:  # a run that holds no lease (started before leases existed)
        store.release_lease(source_id, holder)
        raise RunConflictError(_conflict(store, source_id))
    latest = store.runs(source_id, limit=1)
    if latest and latest[0].status in RESUMABLE and _has_progress(latest[0]):
        return latest[0]
    return None


def _conflict(store: Store, source_id: str) -> str:
    leases = store.leases(source_id)
    run = store.get_run(leases[0].run_id) if leases and leases[0].run_id else None
    if run is None:
        running = store.running_runs(source_id)
        run = running[0] if running else None
    if run is not None:
        return (
            f"source '{source_id}' is being harvested by run {run.id} "
            f"(process {run.pid} on {run.host}, last heartbeat {run.heartbeat_at:%H:%M:%S}Z)"
        )
    if leases:
        lease = leases[0]
        return (
            f"source '{source_id}' is being harvested (lease held by process {lease.pid} "
            f"on {lease.host} until {lease.expires_at:%H:%M:%S}Z)"
        )
    return f"source '{source_id}' is being harvested by another process"


def _has_progress(run: Run) -> bool:
    return bool(run.checkpoint.token) or run.checkpoint.set_index > 0


class HarvestRun:
    """One run of one source, whatever the protocol: claim the source, start (or resume) the
    run, store each page with its checkpoint, normalise and index it, report progress, and
    record how the run ended. A protocol implements :meth:`harvest`.
    """

    def __init__(
        self,
        source: SourceConfig,
        store: Store,
        settings: HarvestSettings,
        progress: ProgressListener | None = None,
        ingest: PageIngest | None = None,
        notice: str | None = None,
    ) -> None:
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
            self.store.release_lease(self.source.id, self.holder)

    def _run(self, request: HarvestRequest, resumable: Run | None) -> Run:
        resumed = resumable if request.mode == "incremental" else None
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
            self.harvest(run, resumed, request)
            self.flush()
        except BaseException as exc:
            if isinstance(exc, Exception):
                self._flush_after_failure()
            else:  # interrupted: the pages not stored yet are listed again by the next run
                self._queued.clear()
            if isinstance(exc, CsfinderError):
                reason = str(exc)
            else:
                reason = f"{type(exc).__name__}: {exc}".rstrip(": ")
            self.store.finish_run(run.id, FAILED, reason)
            raise
        finally:
            if self.ingest is not None:
                self.ingest.close()
        return self.store.finish_run(run.id, SUCCEEDED)

    def harvest(self, run: Run, resumed: Run | None, request: HarvestRequest) -> None:
        """List the source into the store (raise :class:`HarvestError` to fail the run)."""
        raise NotImplementedError

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
        rows = self.ingest.start(page.records, at) if self.ingest is not None else None
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
            self.ingest.index_rows(outcome.normalised.changed, queued.rows.documents)
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
