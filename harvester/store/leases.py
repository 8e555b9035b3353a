"""Source leases: which process on which host harvests a source, until when; taken and
renewed with one conditional statement each, so of racing processes one wins.

Taking a lease is one ``INSERT ... ON CONFLICT DO UPDATE ... WHERE`` (SQLite and
PostgreSQL alike): a free source is inserted, an expired lease (or our own) is taken over,
a live one is left alone, and the database's row lock decides between racing processes.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from harvester.store.engine import StoreBase
from harvester.store.schema import source_leases
from harvester.store.values import Lease, utcnow


class Leases(StoreBase):
    """The ``source_leases`` table."""

    def acquire_lease(
        self,
        source_id: str,
        holder: str,
        *,
        host: str,
        pid: int,
        ttl: float,
        now: datetime | None = None,
    ) -> bool:
        """Take the source's lease for ``ttl`` seconds if it is free, expired or already
        ours; one statement, so of any number of racing processes one wins."""
        now = now or utcnow()
        values = {
            "holder": holder,
            "host": host,
            "pid": pid,
            "run_id": None,
            "acquired_at": now,
            "expires_at": now + timedelta(seconds=ttl),
        }
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        stmt = (
            dialect.insert(source_leases)
            .values(source_id=source_id, **values)
            .on_conflict_do_update(
                index_elements=[source_leases.c.source_id],
                set_=values,
                where=or_(source_leases.c.expires_at <= now, source_leases.c.holder == holder),
            )
            .returning(source_leases.c.holder)  # a row only when inserted or taken over
        )
        with self.engine.begin() as conn:
            return conn.execute(stmt).first() is not None

    def renew_lease(
        self,
        source_id: str,
        holder: str,
        ttl: float,
        *,
        run_id: int | None = None,
        now: datetime | None = None,
    ) -> bool:
        """Push the lease's expiry on (and name its run); false when it is no longer ours."""
        now = now or utcnow()
        values: dict[str, Any] = {"expires_at": now + timedelta(seconds=ttl)}
        if run_id is not None:
            values["run_id"] = run_id
        stmt = (
            update(source_leases)
            .where(source_leases.c.source_id == source_id, source_leases.c.holder == holder)
            .values(values)
        )
        with self.engine.begin() as conn:
            return conn.execute(stmt).rowcount == 1

    def release_lease(
        self, source_id: str, holder: str | None = None, *, run_id: int | None = None
    ) -> bool:
        """Drop the lease if ``holder`` (or the lease of run ``run_id``) has it."""
        stmt = delete(source_leases).where(source_leases.c.source_id == source_id)
        if holder is not None:
            stmt = stmt.where(source_leases.c.holder == holder)
        if run_id is not None:
            stmt = stmt.where(source_leases.c.run_id == run_id)
        with self.engine.begin() as conn:
            return conn.execute(stmt).rowcount > 0

    def leases(self, source_id: str | None = None) -> list[Lease]:
        """The leases held now (expired ones included), by source."""
        stmt = select(source_leases).order_by(source_leases.c.source_id)
        if source_id is not None:
            stmt = stmt.where(source_leases.c.source_id == source_id)
        with self.engine.connect() as conn:
            return [Lease.from_row(row) for row in conn.execute(stmt)]
