"""Raw records as harvested: a page written with its run's counts and checkpoint in one
transaction, and the stored records read back (one, by source, streamed, counted).

Unchanged payloads are never rewritten; a deletion notice keeps the record's last payload.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, and_, bindparam, func, insert, select, update
from sqlalchemy.engine import Connection, Row

from harvester.core.records import RawRecord
from harvester.store.engine import LOOKUP_CHUNK, StoreBase
from harvester.store.normalised import write_normalised_rows
from harvester.store.runs import sample_failures
from harvester.store.schema import RUN_COUNTS, harvest_runs, raw_records
from harvester.store.values import (
    Checkpoint,
    Normalise,
    PageOutcome,
    PageWrite,
    StoredRecord,
    aware,
    utcnow,
)


class RawRecords(StoreBase):
    """The ``raw_records`` table, written a page at a time."""

    def write_page(
        self,
        run_id: int,
        page: PageWrite,
        checkpoint: Checkpoint | None,
        *,
        now: datetime | None = None,
        normalise: Normalise | None = None,
    ) -> PageOutcome:
        """Store one page of records, its failures and the run's checkpoint, atomically.

        Unchanged payloads are not rewritten (only their last-seen time moves); a deletion
        notice marks the record deleted and keeps its last payload.

        Args:
            run_id: the run the page belongs to.
            page: records and per-record failures of the page.
            checkpoint: where to resume after this page, or ``None`` to leave it as is.
            now: when the records changed (default: now).
            normalise: when given, the records added, changed or deleted are normalised by
                it and stored normalised in the same transaction, so that a harvest killed
                at any moment leaves no raw record changed without its normalised record.

        Returns:
            What the page changed, and the records added, changed or deleted.
        """
        now = now or utcnow()
        seen = len(page.records) if page.listed else 0
        counts = PageOutcome(seen=seen + len(page.failures), failed=len(page.failures), at=now)
        with self.engine.begin() as conn:
            if page.records:
                self._upsert(conn, run_id, page.records, counts, now)
            if normalise is not None and counts.changed:
                rows = normalise(counts.changed, now)
                counts.normalised = write_normalised_rows(conn, rows, now)
            if page.failures:
                sample_failures(conn, run_id, page.failures, now, self.max_error_samples)
            values: dict[str, Any] = {
                name: getattr(harvest_runs.c, name) + getattr(counts, name) for name in RUN_COUNTS
            }
            values["heartbeat_at"] = now
            if checkpoint is not None:
                values.update(
                    checkpoint_set_index=checkpoint.set_index,
                    checkpoint_set=checkpoint.set_spec,
                    checkpoint_token=checkpoint.token,
                )
            conn.execute(update(harvest_runs).where(harvest_runs.c.id == run_id).values(values))
        return counts

    def _upsert(
        self,
        conn: Connection,
        run_id: int,
        records: Sequence[RawRecord],
        counts: PageOutcome,
        now: datetime,
    ) -> None:
        """Insert new records, rewrite changed ones, touch the rest; tally each in ``counts``."""
        source_id = records[0].source_id
        known = _known(conn, source_id, [r.identifier for r in records])
        inserts: list[dict[str, Any]] = []
        deletions: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        touches: list[dict[str, Any]] = []
        for record in records:
            digest = record.content_hash
            previous = known.get(record.identifier)
            base = {
                "b_source": record.source_id,
                "b_identifier": record.identifier,
                "datestamp": record.datestamp,
                "set_specs": json.dumps(list(record.sets)),
                "last_seen_at": now,
                "last_run_id": run_id,
            }
            if previous is None:
                counts.deleted += record.deleted
                counts.added += not record.deleted
                counts.changed.append(record)
                inserts.append(_new_row(record, digest, now, run_id))
            elif record.deleted:
                if previous.deleted:
                    counts.unchanged += 1
                    touches.append(base)
                else:
                    counts.deleted += 1
                    counts.changed.append(record)
                    deletions.append(base)
            elif previous.deleted or previous.content_hash != digest:
                counts.updated += 1
                counts.changed.append(record)
                changes.append(
                    {
                        **base,
                        "deleted": False,
                        "payload": record.payload,
                        "content_hash": digest,
                        "metadata_format": record.metadata_format,
                        "media_type": record.media_type,
                    }
                )
            else:
                counts.unchanged += 1
                touches.append(base)
            known[record.identifier] = _Seen(digest, record.deleted)
        if inserts:
            conn.execute(insert(raw_records), inserts)
        if touches:
            conn.execute(_touch_statement(), touches)
        if deletions:
            conn.execute(_touch_statement().values(deleted=True, changed_at=now), deletions)
        if changes:
            stmt = _touch_statement().values(
                deleted=bindparam("deleted"),
                payload=bindparam("payload"),
                content_hash=bindparam("content_hash"),
                metadata_format=bindparam("metadata_format"),
                media_type=bindparam("media_type"),
                changed_at=now,
            )
            conn.execute(stmt, changes)

    def to_normalise(self, records: Sequence[RawRecord]) -> list[RawRecord]:
        """The live records of a page (one source) that the store does not hold as they
        are, new, changed or stored deleted: those that writing the page would normalise."""
        if not records:
            return []
        with self.engine.connect() as conn:
            known = _known(conn, records[0].source_id, [r.identifier for r in records])
        wanted = []
        for record in records:
            previous = known.get(record.identifier)
            if record.deleted:
                continue
            if previous is None or previous.deleted or previous.content_hash != record.content_hash:
                wanted.append(record)
        return wanted

    def unseen_since(self, source_id: str, since: datetime, limit: int = 500) -> list[RawRecord]:
        """Deletion notices for up to ``limit`` live records of a source last seen before
        ``since`` (their datestamp and sets kept): what a complete listing no longer holds."""
        stmt = (
            select(raw_records)
            .where(raw_records.c.source_id == source_id)
            .where(raw_records.c.deleted.is_(False))
            .where(raw_records.c.last_seen_at < since)
            .order_by(raw_records.c.identifier)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [replace(_stored(row).record, payload=None, deleted=True) for row in rows]

    def get_record(self, source_id: str, identifier: str) -> StoredRecord | None:
        """Return one stored record, or ``None``."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(raw_records).where(
                    and_(
                        raw_records.c.source_id == source_id,
                        raw_records.c.identifier == identifier,
                    )
                )
            ).first()
        return _stored(row) if row is not None else None

    def iter_records(
        self, source_id: str | None = None, *, include_deleted: bool = True, batch: int = 1000
    ) -> Iterator[StoredRecord]:
        """Stream stored records in key order, ``batch`` rows per query (memory stays flat)."""
        for row in self._keyset(raw_records, "identifier", source_id, include_deleted, batch):
            yield _stored(row)

    def record_counts(self, source_id: str | None = None) -> dict[str, dict[str, int]]:
        """Per source: how many records are stored, and how many of them are deleted."""
        stmt = select(
            raw_records.c.source_id,
            func.count().label("total"),
            func.sum(raw_records.c.deleted.cast(Integer)).label("deleted"),
        ).group_by(raw_records.c.source_id)
        if source_id is not None:
            stmt = stmt.where(raw_records.c.source_id == source_id)
        with self.engine.connect() as conn:
            return {
                row.source_id: {"records": row.total, "deleted": int(row.deleted or 0)}
                for row in conn.execute(stmt)
            }


@dataclass
class _Seen:
    """A raw record's stored hash, and whether it is stored deleted."""

    content_hash: str
    deleted: bool


def _known(conn: Connection, source_id: str, identifiers: list[str]) -> dict[str, _Seen]:
    """The stored hash and deletion of those of a source's records that exist."""
    wanted = sorted(set(identifiers))
    known: dict[str, _Seen] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        rows = conn.execute(
            select(raw_records.c.identifier, raw_records.c.content_hash, raw_records.c.deleted)
            .where(raw_records.c.source_id == source_id)
            .where(raw_records.c.identifier.in_(wanted[start : start + LOOKUP_CHUNK]))
        )
        known.update((row.identifier, _Seen(row.content_hash, bool(row.deleted))) for row in rows)
    return known


def _new_row(record: RawRecord, digest: str, now: datetime, run_id: int) -> dict[str, Any]:
    """The insert values of a record first seen now."""
    return {
        "source_id": record.source_id,
        "identifier": record.identifier,
        "metadata_format": record.metadata_format,
        "media_type": record.media_type,
        "datestamp": record.datestamp,
        "set_specs": json.dumps(list(record.sets)),
        "deleted": record.deleted,
        "payload": record.payload,
        "content_hash": digest,
        "first_seen_at": now,
        "last_seen_at": now,
        "changed_at": now,
        "last_run_id": run_id,
    }


def _touch_statement() -> Any:
    """An update of a record seen again (keys bound as ``b_...``), to extend with values."""
    return (
        update(raw_records)
        .where(raw_records.c.source_id == bindparam("b_source"))
        .where(raw_records.c.identifier == bindparam("b_identifier"))
        .values(
            datestamp=bindparam("datestamp"),
            set_specs=bindparam("set_specs"),
            last_seen_at=bindparam("last_seen_at"),
            last_run_id=bindparam("last_run_id"),
        )
    )


def _stored(row: Row[Any]) -> StoredRecord:
    """Build a stored record from a ``raw_records`` row."""
    m = row._mapping
    record = RawRecord(
        source_id=m["source_id"],
        identifier=m["identifier"],
        datestamp=m["datestamp"],
        metadata_format=m["metadata_format"],
        payload=m["payload"],
        deleted=bool(m["deleted"]),
        sets=tuple(json.loads(m["set_specs"] or "[]")),
        media_type=m["media_type"],
    )
    return StoredRecord(
        record=record,
        content_hash=m["content_hash"],
        first_seen_at=aware(m["first_seen_at"]) or utcnow(),
        last_seen_at=aware(m["last_seen_at"]) or utcnow(),
        changed_at=aware(m["changed_at"]) or utcnow(),
    )
