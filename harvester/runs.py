"""Harvest runs across processes: what was asked, progress, who is live, what to resume."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import psutil

from harvester.errors import RunConflictError
from harvester.store import FAILED, STALLED, Counts, Run, Store, utcnow

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
