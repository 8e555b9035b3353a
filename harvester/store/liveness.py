"""Who is harvesting what, across processes and machines: leases, heartbeats, stalled runs,
and which run to resume."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta

import psutil

from harvester.core.errors import RunConflictError
from harvester.store.database import Store
from harvester.store.values import FAILED, STALLED, Lease, Run, utcnow

RESUMABLE = frozenset({FAILED, STALLED})
log = logging.getLogger(__name__)


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
