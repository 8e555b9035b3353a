"""Harvest runs: started, updated (heartbeat, checkpoint), finished, and read back for
resuming, status pages and metrics; with the error samples kept for each run."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from harvester.core.records import RecordFailure
from harvester.store.engine import StoreBase
from harvester.store.schema import RUN_COUNTS, harvest_runs, run_errors
from harvester.store.values import RUNNING, SUCCEEDED, Checkpoint, Run, aware, utcnow


class Runs(StoreBase):
    """The ``harvest_runs`` and ``run_errors`` tables."""

    def start_run(
        self,
        source_id: str,
        *,
        mode: str,
        from_date: str | None,
        pid: int,
        host: str,
        resumed: Run | None = None,
    ) -> Run:
        """Record a new running run; a resumed run inherits the old run's checkpoint."""
        now = utcnow()
        checkpoint = resumed.checkpoint if resumed else Checkpoint()
        values: dict[str, Any] = {
            "source_id": source_id,
            "status": RUNNING,
            "mode": mode,
            "started_at": now,
            "heartbeat_at": now,
            "pid": pid,
            "host": host,
            "from_date": from_date,
            "response_date": resumed.response_date if resumed else None,
            "resumed_run_id": resumed.id if resumed else None,
            "checkpoint_set_index": checkpoint.set_index,
            "checkpoint_set": checkpoint.set_spec,
            "checkpoint_token": checkpoint.token,
            **dict.fromkeys(RUN_COUNTS, 0),
        }
        with self.engine.begin() as conn:
            key = conn.execute(insert(harvest_runs).values(values)).inserted_primary_key
        assert key is not None
        run = self.get_run(int(key[0]))
        assert run is not None
        return run

    def update_run(self, run_id: int, **values: Any) -> None:
        """Set columns of a run (and its heartbeat)."""
        values.setdefault("heartbeat_at", utcnow())
        with self.engine.begin() as conn:
            conn.execute(update(harvest_runs).where(harvest_runs.c.id == run_id).values(values))

    def finish_run(self, run_id: int, status: str, error: str | None = None) -> Run:
        """Close a run with its final status."""
        now = utcnow()
        self.update_run(run_id, status=status, error=error, ended_at=now, heartbeat_at=now)
        run = self.get_run(run_id)
        assert run is not None
        return run

    def add_run_error(self, run_id: int, reason: str, identifier: str | None = None) -> None:
        """Keep a run-level error sample (the counts are not touched)."""
        with self.engine.begin() as conn:
            failures = [RecordFailure(identifier, reason)]
            sample_failures(conn, run_id, failures, utcnow(), self.max_error_samples)

    def get_run(self, run_id: int) -> Run | None:
        """Return one run, or ``None``."""
        with self.engine.connect() as conn:
            row = conn.execute(select(harvest_runs).where(harvest_runs.c.id == run_id)).first()
        return Run.from_row(row) if row is not None else None

    def runs(
        self,
        source_id: str | None = None,
        limit: int = 50,
        statuses: Sequence[str] | None = None,
    ) -> list[Run]:
        """The newest runs first, of one source or of all, of some statuses or of all."""
        stmt = select(harvest_runs).order_by(harvest_runs.c.id.desc()).limit(limit)
        if source_id is not None:
            stmt = stmt.where(harvest_runs.c.source_id == source_id)
        if statuses:
            stmt = stmt.where(harvest_runs.c.status.in_(list(statuses)))
        with self.engine.connect() as conn:
            return [Run.from_row(row) for row in conn.execute(stmt)]

    def running_runs(self, source_id: str | None = None) -> list[Run]:
        """Runs still marked running (live or not), oldest first."""
        stmt = (
            select(harvest_runs).where(harvest_runs.c.status == RUNNING).order_by(harvest_runs.c.id)
        )
        if source_id is not None:
            stmt = stmt.where(harvest_runs.c.source_id == source_id)
        with self.engine.connect() as conn:
            return [Run.from_row(row) for row in conn.execute(stmt)]

    def last_successful_run(self, source_id: str) -> Run | None:
        """The newest run of the source that succeeded."""
        stmt = (
            select(harvest_runs)
            .where(harvest_runs.c.source_id == source_id, harvest_runs.c.status == SUCCEEDED)
            .order_by(harvest_runs.c.id.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(stmt).first()
        return Run.from_row(row) if row is not None else None

    def last_successes(self) -> dict[str, datetime]:
        """When each source's newest successful run ended, by source (one query)."""
        stmt = (
            select(harvest_runs.c.source_id, func.max(harvest_runs.c.ended_at))
            .where(harvest_runs.c.status == SUCCEEDED, harvest_runs.c.ended_at.is_not(None))
            .group_by(harvest_runs.c.source_id)
        )
        with self.engine.connect() as conn:
            found = {row[0]: aware(row[1]) for row in conn.execute(stmt)}
        return {source: ended for source, ended in found.items() if ended is not None}

    def latest_runs(self) -> dict[str, Run]:
        """The newest run of every source that has one."""
        newest = select(func.max(harvest_runs.c.id)).group_by(harvest_runs.c.source_id)
        stmt = select(harvest_runs).where(harvest_runs.c.id.in_(newest.scalar_subquery()))
        with self.engine.connect() as conn:
            return {row.source_id: Run.from_row(row) for row in conn.execute(stmt)}

    def run_totals(self) -> list[dict[str, Any]]:
        """Per source and status: how many runs, and their counts summed."""
        columns = [func.sum(harvest_runs.c[name]).label(name) for name in RUN_COUNTS]
        stmt = select(
            harvest_runs.c.source_id, harvest_runs.c.status, func.count().label("runs"), *columns
        ).group_by(harvest_runs.c.source_id, harvest_runs.c.status)
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(stmt)]

    def run_durations(self) -> list[tuple[str, str, float]]:
        """(source, status, seconds) of every finished run."""
        stmt = select(
            harvest_runs.c.source_id,
            harvest_runs.c.status,
            harvest_runs.c.started_at,
            harvest_runs.c.ended_at,
        ).where(harvest_runs.c.ended_at.is_not(None))
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [
            (
                row.source_id,
                row.status,
                (
                    (aware(row.ended_at) or utcnow()) - (aware(row.started_at) or utcnow())
                ).total_seconds(),
            )
            for row in rows
        ]

    def error_samples(self, run_id: int) -> list[RecordFailure]:
        """The error samples kept for a run, oldest first."""
        stmt = select(run_errors).where(run_errors.c.run_id == run_id).order_by(run_errors.c.id)
        with self.engine.connect() as conn:
            return [RecordFailure(row.identifier, row.reason) for row in conn.execute(stmt)]


def sample_failures(
    conn: Connection,
    run_id: int,
    failures: Sequence[RecordFailure],
    now: datetime,
    limit: int,
) -> None:
    """Keep failures as the run's error samples, in the caller's transaction, until the
    run has ``limit`` of them."""
    kept = conn.execute(
        select(func.count()).select_from(run_errors).where(run_errors.c.run_id == run_id)
    ).scalar_one()
    room = max(0, limit - kept)
    rows = [
        {"run_id": run_id, "identifier": f.identifier, "reason": f.reason[:2000], "at": now}
        for f in failures[:room]
    ]
    if rows:
        conn.execute(insert(run_errors), rows)
