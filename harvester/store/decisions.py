"""Curators' decisions about pairs of records ("one project" or "two"), kept for every
clustering run to respect: the latest decision about a pair stands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from harvester.store.engine import LOOKUP_CHUNK, StoreBase
from harvester.store.schema import cluster_decisions
from harvester.store.values import aware, utcnow


@dataclass(frozen=True)
class Decision:
    """A curator's word on a pair of records."""

    id: int
    record_a: str
    record_b: str
    same: bool
    curator: str
    note: str | None
    decided_at: datetime


class Decisions(StoreBase):
    """The ``cluster_decisions`` table."""

    def add_decision(
        self, record_a: str, record_b: str, same: bool, curator: str, note: str | None = None
    ) -> Decision:
        """Record a curator's decision about a pair (it overrides earlier ones)."""
        a, b = sorted((record_a, record_b))
        now = utcnow()
        values = {"record_a": a, "record_b": b, "same": same, "curator": curator}
        with self.engine.begin() as conn:
            new_id = conn.execute(
                insert(cluster_decisions).values(**values, note=note, decided_at=now)
            ).inserted_primary_key
        return Decision(int(new_id[0]) if new_id else 0, a, b, same, curator, note, now)

    def decisions(self, record_ids: Iterable[str] | None = None) -> dict[tuple[str, str], bool]:
        """The standing decision about each pair (the latest one), about any of
        ``record_ids`` when given."""
        return {
            (d.record_a, d.record_b): d.same for d in self.decision_log(record_ids, latest=True)
        }

    def decision_log(
        self, record_ids: Iterable[str] | None = None, *, latest: bool = False
    ) -> list[Decision]:
        """Decisions (about any of ``record_ids`` when given), oldest first; with
        ``latest``, only the standing one of each pair."""
        stmt = select(cluster_decisions).order_by(cluster_decisions.c.id)
        with self.engine.connect() as conn:
            if record_ids is None:
                rows = list(conn.execute(stmt))
            else:
                wanted = sorted(set(record_ids))
                seen: dict[int, Any] = {}
                for start in range(0, len(wanted), LOOKUP_CHUNK):
                    chunk = wanted[start : start + LOOKUP_CHUNK]
                    where = cluster_decisions.c.record_a.in_(chunk) | (
                        cluster_decisions.c.record_b.in_(chunk)
                    )
                    seen.update((r.id, r) for r in conn.execute(stmt.where(where)))
                rows = [seen[k] for k in sorted(seen)]
        log = [_decision(r) for r in rows]
        if latest:
            standing = {(d.record_a, d.record_b): d for d in log}
            log = sorted(standing.values(), key=lambda d: d.id)
        return log


def _decision(row: Any) -> Decision:
    return Decision(
        id=int(row.id),
        record_a=row.record_a,
        record_b=row.record_b,
        same=bool(row.same),
        curator=row.curator,
        note=row.note,
        decided_at=aware(row.decided_at) or utcnow(),
    )
