"""Harvest runs across processes: what was asked, progress, who is live, what to resume,
and :class:`HarvestRun`, the life of one run that every protocol shares."""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import psutil

from harvester.errors import CsfinderError, RunConflictError
from harvester.settings import HarvestSettings
from harvester.sources import SourceConfig
from harvester.store import (
    FAILED,
    STALLED,
    SUCCEEDED,
    Checkpoint,
    Counts,
    PageOutcome,
    PageWrite,
    Run,
    Store,
    utcnow,
)

RESUMABLE = frozenset({FAILED, STALLED})


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
PageSink = Callable[[PageOutcome], None]


def this_host() -> str:
    """The name runs record as their host."""
    return socket.gethostname()


def is_live(run: Run, stall_after: float, now: datetime | None = None) -> bool:
    """Whether a running run's process is still at work.

    A run is dead when its process is gone from this host, or when its heartbeat is older
    than ``stall_after`` seconds (the only evidence for a run on another host).
    """
    now = now or utcnow()
    if now - run.heartbeat_at > timedelta(seconds=stall_after):
        return False
    if run.host == this_host() and run.pid is not None:
        return run.pid != os.getpid() and psutil.pid_exists(run.pid)
    return True


def mark_stalled(store: Store, stall_after: float, source_id: str | None = None) -> list[Run]:
    """Mark every running run whose process stopped reporting as stalled; return them."""
    stalled = []
    for run in store.running_runs(source_id):
        if not is_live(run, stall_after):
            reason = (
                f"stopped reporting: last heartbeat {run.heartbeat_at:%Y-%m-%d %H:%M:%S}Z "
                f"(process {run.pid} on {run.host})"
            )
            stalled.append(store.finish_run(run.id, STALLED, reason))
    return stalled


def claim(store: Store, source_id: str, stall_after: float) -> Run | None:
    """Make sure no live process harvests the source; return the run to resume, if any.

    Raises:
        RunConflictError: a live run of the source exists.
    """
    mark_stalled(store, stall_after, source_id)
    live = store.running_runs(source_id)
    if live:
        run = live[0]
        raise RunConflictError(
            f"source '{source_id}' is being harvested by run {run.id} "
            f"(process {run.pid} on {run.host}, last heartbeat {run.heartbeat_at:%H:%M:%S}Z)"
        )
    latest = store.runs(source_id, limit=1)
    if latest and latest[0].status in RESUMABLE and _has_progress(latest[0]):
        return latest[0]
    return None


def _has_progress(run: Run) -> bool:
    return bool(run.checkpoint.token) or run.checkpoint.set_index > 0


class HarvestRun:
    """One run of one source, whatever the protocol: claim the source, start (or resume) the
    run, store each page with its checkpoint, normalise it, report progress, and record how
    the run ended. A protocol implements :meth:`harvest`.
    """

    def __init__(
        self,
        source: SourceConfig,
        store: Store,
        settings: HarvestSettings,
        progress: ProgressListener | None = None,
        page_sink: PageSink | None = None,
        notice: str | None = None,
    ) -> None:
        self.source = source
        self.store = store
        self.settings = settings
        self.progress = progress
        self.page_sink = page_sink
        self.notice = notice
        self.counts = Counts()
        self._started = 0.0
        self._run_id = 0

    def run(self, request: HarvestRequest | None = None) -> Run:
        """Harvest; return the finished run.

        Raises:
            RunConflictError: another live process harvests this source.
            HarvestError: the run failed; it is recorded as failed (and resumable where the
                protocol checkpoints).
        """
        request = request or HarvestRequest()
        resumable = claim(self.store, self.source.id, self.settings.stall_after)
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
        if self.notice:
            self.store.add_run_error(run.id, self.notice)
        try:
            self.harvest(run, resumed, request)
        except CsfinderError as exc:
            self.store.finish_run(run.id, FAILED, str(exc))
            raise
        except BaseException as exc:
            self.store.finish_run(run.id, FAILED, f"{type(exc).__name__}: {exc}".rstrip(": "))
            raise
        return self.store.finish_run(run.id, SUCCEEDED)

    def harvest(self, run: Run, resumed: Run | None, request: HarvestRequest) -> None:
        """List the source into the store (raise :class:`HarvestError` to fail the run)."""
        raise NotImplementedError

    def write(
        self, page: PageWrite, checkpoint: Checkpoint | None, label: str | None = None
    ) -> PageOutcome:
        """Store one page with the checkpoint after it, normalise it and report progress."""
        outcome = self.store.write_page(self._run_id, page, checkpoint)
        self.counts.add(outcome)
        if self.page_sink is not None and outcome.changed:
            self.page_sink(outcome)
        if self.progress is not None:
            elapsed = time.monotonic() - self._started
            self.progress(Progress(self._run_id, self.source.id, label, self.counts, elapsed))
        return outcome

    def heartbeat(self, _problem: str = "", _delay: float = 0.0) -> None:
        """Tell the store the run is alive (also the HTTP retry listener)."""
        self.store.update_run(self._run_id)
