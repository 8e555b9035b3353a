"""Normalised records: rows of the common model, written unless unchanged (a deletion keeps
the last document) and read back by id, by source, streamed or summarised."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.engine import Connection

from harvester.store.engine import LOOKUP_CHUNK, StoreBase
from harvester.store.schema import records
from harvester.store.values import NormaliseCounts, NormalisedRow, normalised_from, utcnow
from harvester.store.vectors import queue_vectors, unqueue_vectors

WITHDRAWAL_KEYS = ("b_source", "b_identifier", "content_hash", "deleted", "changed_at")
"""What a deletion rewrites: the last document stays, for the OAI-PMH sets it was in."""


class NormalisedRecords(StoreBase):
    """The ``records`` table: the normalised record of each raw record."""

    def write_normalised(self, rows: Sequence[NormalisedRow]) -> NormaliseCounts:
        """Store normalised records; unchanged ones are not rewritten, deletions marked."""
        if not rows:
            return NormaliseCounts()
        with self.engine.begin() as conn:
            return write_normalised_rows(conn, rows, utcnow())

    def quality_scores(self) -> dict[str, float]:
        """Mean quality score of each source's live normalised records."""
        stmt = (
            select(records.c.source_id, func.avg(records.c.score))
            .where(records.c.deleted.is_(False))
            .group_by(records.c.source_id)
        )
        with self.engine.connect() as conn:
            return {row[0]: round(float(row[1]), 1) for row in conn.execute(stmt)}

    def get_normalised(self, record_id: str) -> NormalisedRow | None:
        """One normalised record by its record id (deleted ones included), or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(records).where(records.c.id == record_id)).first()
        return None if row is None else normalised_from(row)

    def iter_normalised(
        self,
        source_id: str | None = None,
        *,
        include_deleted: bool = False,
        batch: int = 1000,
        changed_since: datetime | None = None,
    ) -> Iterator[NormalisedRow]:
        """Stream normalised records in key order, ``batch`` rows per query; only those
        changed at or after ``changed_since`` when it is given."""
        rows = self._keyset(
            records, "source_identifier", source_id, include_deleted, batch, changed_since
        )
        for row in rows:
            yield normalised_from(row)

    def normalised_counts(self) -> dict[str, int]:
        """Per source: live normalised records."""
        stmt = (
            select(records.c.source_id, func.count().label("total"))
            .where(records.c.deleted.is_(False))
            .group_by(records.c.source_id)
        )
        with self.engine.connect() as conn:
            return {row.source_id: row.total for row in conn.execute(stmt)}


def write_normalised_rows(
    conn: Connection, rows: Sequence[NormalisedRow], now: datetime
) -> NormaliseCounts:
    """Write normalised records in the caller's transaction, as changed at ``now``."""
    counts = NormaliseCounts()
    if not rows:
        return counts
    source_id = rows[0].source_id
    known = _known_normalised(conn, source_id, [r.source_identifier for r in rows])
    inserts: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    withdrawals: list[dict[str, Any]] = []
    for row in rows:
        previous = known.get(row.source_identifier)
        values = {
            "b_source": row.source_id,
            "b_identifier": row.source_identifier,
            "id": row.id,
            "kind": row.kind,
            "document": row.document,
            "content_hash": row.content_hash,
            "score": row.score,
            "deleted": row.deleted,
            "changed_at": now,
        }
        if previous is None:
            if row.deleted:
                counts.unchanged += 1
                continue
            counts.added += 1
            inserts.append(_normalised_row(values))
            counts.changed.append(row)
        elif previous == (row.content_hash, row.deleted):
            counts.unchanged += 1
        elif row.deleted:  # the last document stays, for the OAI-PMH sets of a tombstone
            counts.deleted += 1
            withdrawals.append({k: values[k] for k in WITHDRAWAL_KEYS})
            counts.changed.append(row)
        else:
            counts.updated += 1
            changes.append(values)
            counts.changed.append(row)
        known[row.source_identifier] = (row.content_hash, row.deleted)
    if inserts:
        conn.execute(insert(records), inserts)
    stmt = (
        update(records)
        .where(records.c.source_id == bindparam("b_source"))
        .where(records.c.source_identifier == bindparam("b_identifier"))
    )
    for batch in (changes, withdrawals):
        if batch:
            conn.execute(stmt, batch)
    queue_vectors(conn, [row.id for row in counts.changed if not row.deleted], now)
    unqueue_vectors(conn, [row.id for row in counts.changed if row.deleted])
    return counts


def _known_normalised(
    conn: Connection, source_id: str, identifiers: list[str]
) -> dict[str, tuple[str, bool]]:
    """The stored (content hash, deleted) of those of a source's records that exist."""
    wanted = sorted(set(identifiers))
    known: dict[str, tuple[str, bool]] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        rows = conn.execute(
            select(records.c.source_identifier, records.c.content_hash, records.c.deleted)
            .where(records.c.source_id == source_id)
            .where(records.c.source_identifier.in_(wanted[start : start + LOOKUP_CHUNK]))
        )
        known.update((r.source_identifier, (r.content_hash, bool(r.deleted))) for r in rows)
    return known


def _normalised_row(values: dict[str, Any]) -> dict[str, Any]:
    """The insert values of a row, from its update values (keys bound as ``b_...``)."""
    row = {k: v for k, v in values.items() if not k.startswith("b_")}
    return {**row, "source_id": values["b_source"], "source_identifier": values["b_identifier"]}
