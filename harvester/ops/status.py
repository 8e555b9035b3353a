"""What operators need to see at once: each source's state, its last runs, its lease, and
anything stalled or failed. ``csfinder status`` prints it; the portal's sources pages and
API show the same through :func:`source_status` and :func:`status_report`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from harvester.core.settings import Settings
from harvester.core.sources import LoadedSources, SourceConfig
from harvester.ops.jobs import next_fire_time, scheduled_runs
from harvester.store import FAILED, RUNNING, STALLED, SUCCEEDED, Lease, Run, Store, utcnow
from harvester.store.liveness import lease_is_live, mark_stalled


@dataclass(frozen=True)
class SourceStatus:
    """One source as operators see it."""

    source: SourceConfig
    schedule: str | None
    """The effective cron schedule (the default one when the file sets none); ``None``
    when the source is disabled."""
    next_run: datetime | None
    """When the scheduler will harvest it next (its job store's time, else the schedule's)."""
    last_run: Run | None
    last_success: Run | None
    records: int
    deleted_records: int
    normalised_records: int
    lease: Lease | None

    @property
    def state(self) -> str:
        """``disabled``, ``never`` (harvested), or the last run's status."""
        if self.last_run is None:
            return "never" if self.source.enabled else "disabled"
        return self.last_run.status

    @property
    def stalled(self) -> bool:
        """The last run stopped reporting."""
        return self.last_run is not None and self.last_run.status == STALLED

    @property
    def problem(self) -> str | None:
        """One line saying what is wrong, or ``None``."""
        run = self.last_run
        if run is not None and run.status in (FAILED, STALLED):
            return f"last run {run.id} {run.status}: {run.error or 'no reason recorded'}"
        if self.lease is not None and not lease_is_live(self.lease):
            return f"lease of process {self.lease.pid} on {self.lease.host} is stale"
        return None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view."""
        return {
            "id": self.source.id,
            "name": self.source.name,
            "platform": self.source.platform,
            "protocol": self.source.protocol,
            "enabled": self.source.enabled,
            "schedule": self.schedule,
            "default_schedule": self.source.schedule is None,
            "next_run": self.next_run.isoformat() if self.next_run else None,
            "state": self.state,
            "stalled": self.stalled,
            "problem": self.problem,
            "last_run": self.last_run.as_dict() if self.last_run else None,
            "last_success": self.last_success.as_dict() if self.last_success else None,
            "records": self.records,
            "deleted_records": self.deleted_records,
            "normalised_records": self.normalised_records,
            "lease": self.lease.as_dict() if self.lease else None,
        }


def source_status(
    store: Store,
    sources: LoadedSources,
    settings: Settings,
    *,
    detect_stalled: bool = True,
    now: datetime | None = None,
) -> list[SourceStatus]:
    """The status of every configured source, in id order.

    With ``detect_stalled`` (the default), running runs that stopped reporting are first
    marked stalled and their leases released, as ``csfinder runs`` does.
    """
    now = now or utcnow()
    if detect_stalled:
        mark_stalled(store, settings.harvest.stall_after, now=now)
    latest = store.latest_runs()
    counts = store.record_counts()
    normalised = store.normalised_counts()
    leases = {lease.source_id: lease for lease in store.leases()}
    planned = scheduled_runs(store)
    out = []
    for source in sorted(sources.sources.values(), key=lambda s: s.id):
        last = latest.get(source.id)
        success = (
            last if last and last.status == SUCCEEDED else store.last_successful_run(source.id)
        )
        schedule = (
            (source.schedule or settings.scheduler.default_schedule) if source.enabled else None
        )
        next_run = None
        if schedule is not None:
            next_run = planned.get(source.id) or next_fire_time(schedule, now)
        stored = counts.get(source.id, {})
        out.append(
            SourceStatus(
                source=source,
                schedule=schedule,
                next_run=next_run,
                last_run=last,
                last_success=success,
                records=stored.get("records", 0),
                deleted_records=stored.get("deleted", 0),
                normalised_records=normalised.get(source.id, 0),
                lease=leases.get(source.id),
            )
        )
    return out


def status_report(
    store: Store, sources: LoadedSources, settings: Settings, *, now: datetime | None = None
) -> dict[str, Any]:
    """Everything ``csfinder status --json`` prints: sources, broken source files, leases,
    running/stalled/failed counts, and the problems to act on."""
    statuses = source_status(store, sources, settings, now=now)
    problems = [f"{s.source.id}: {s.problem}" for s in statuses if s.problem]
    problems += [f"source file not loaded: {error}" for error in sources.errors]
    states = [s.state for s in statuses]
    return {
        "sources": [s.as_dict() for s in statuses],
        "source_errors": [str(error) for error in sources.errors],
        "leases": [lease.as_dict() for lease in store.leases()],
        "summary": {
            "sources": len(statuses),
            "enabled": sum(s.source.enabled for s in statuses),
            "running": states.count(RUNNING),
            "succeeded": states.count(SUCCEEDED),
            "failed": states.count(FAILED),
            "stalled": states.count(STALLED),
            "never_harvested": states.count("never"),
        },
        "problems": problems,
    }
