"""The store: raw records and harvest runs, with SQLAlchemy Core.

SQLite by default (WAL, so readers never wait for a harvest); nothing here is SQLite-only,
so a PostgreSQL URL works too. A page of records and the run's checkpoint are written in
one transaction: a harvest killed at any moment resumes with nothing lost or doubled.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection, Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import ConnectionPoolEntry

from harvester.core.records import RawRecord, RecordFailure

metadata = MetaData()

raw_records = Table(
    "raw_records",
    metadata,
    Column("source_id", String(64), primary_key=True),
    Column("identifier", String(1024), primary_key=True),
    Column("metadata_format", String(64), nullable=False),
    Column("media_type", String(64), nullable=False),
    Column("datestamp", String(40)),
    Column("set_specs", Text, nullable=False, default="[]"),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("payload", Text),
    Column("content_hash", String(64), nullable=False),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("last_run_id", Integer),
)

RUN_COUNTS = ("seen", "added", "updated", "unchanged", "deleted", "failed")

harvest_runs = Table(
    "harvest_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source_id", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("mode", String(16), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Column("heartbeat_at", DateTime(timezone=True), nullable=False),
    Column("pid", Integer),
    Column("host", String(255)),
    Column("from_date", String(40)),
    Column("response_date", String(40)),
    Column("resumed_run_id", Integer),
    *(Column(name, Integer, nullable=False, default=0) for name in RUN_COUNTS),
    Column("error", Text),
    Column("checkpoint_set_index", Integer, nullable=False, default=0),
    Column("checkpoint_set", String(255)),
    Column("checkpoint_token", Text),
    Index("ix_harvest_runs_source_started", "source_id", "started_at"),
)

run_errors = Table(
    "run_errors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("harvest_runs.id"), nullable=False, index=True),
    Column("identifier", String(1024)),
    Column("reason", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)

records = Table(
    "records",
    metadata,
    Column("source_id", String(64), primary_key=True),
    Column("source_identifier", String(1024), primary_key=True),
    Column("id", String(128), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("document", Text, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("score", Integer, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

record_sets = Table(
    "record_sets",
    metadata,
    Column("record_id", String(128), primary_key=True),
    Column("set_spec", String(255), primary_key=True),
    Column("set_name", String(512), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Index("ix_record_sets_spec", "set_spec"),
    Index("ix_record_sets_changed", "changed_at"),
)
"""The OAI-PMH sets of each normalised record, kept after the record is deleted (its
document is then empty), so a deletion notice is still listed in the sets it was in."""

Index("ix_records_changed_id", records.c.changed_at, records.c.id)
source_leases = Table(
    "source_leases",
    metadata,
    Column("source_id", String(64), primary_key=True),
    Column("holder", String(255), nullable=False),
    Column("host", String(255), nullable=False),
    Column("pid", Integer, nullable=False),
    Column("run_id", Integer),
    Column("acquired_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)
"""One row per source being harvested: who holds it and until when (renewed by the run's
heartbeat). Taken with one conditional statement, so only one process on any machine wins."""

RUNNING, SUCCEEDED, FAILED, STALLED = "running", "succeeded", "failed", "stalled"
LOOKUP_CHUNK = 500  # identifiers per IN (...) query, well under every database's limit


# Sources registered by operators in the portal (see harvester.store.registrations).
registered_sources = Table(
    "registered_sources",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("status", String(16), nullable=False),
    Column("config", Text, nullable=False),
    Column("contact", Text, nullable=False),  # private: administrators only
    Column("metadata_license", String(200), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
    Column("reviewed_at", DateTime(timezone=True)),
    Column("reviewer", String(200)),
)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Checkpoint:
    """Where a run is in its list: which set, and the token for the next page."""

    set_index: int = 0
    set_spec: str | None = None
    token: str | None = None


@dataclass
class Counts:
    """What a run (or one page of it) did to the store."""

    seen: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    failed: int = 0

    def add(self, other: Counts) -> None:
        """Add another tally to this one."""
        for name in RUN_COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        """The counts by name."""
        return {name: getattr(self, name) for name in RUN_COUNTS}


@dataclass
class PageOutcome(Counts):
    """What a page did, and the records it added, changed or deleted (to normalise); with
    ``normalised``, what normalising them (in the same transaction) did."""

    changed: list[RawRecord] = field(default_factory=list)
    at: datetime = field(default_factory=lambda: utcnow())
    normalised: NormaliseCounts | None = None


Normalise = Callable[[Sequence[RawRecord], datetime], Sequence["NormalisedRow"]]
"""Normalised rows for changed raw records (in order), given when they changed."""


@dataclass(frozen=True)
class Run:
    """One harvest run as stored."""

    id: int
    source_id: str
    status: str
    mode: str
    started_at: datetime
    ended_at: datetime | None
    heartbeat_at: datetime
    pid: int | None
    host: str | None
    from_date: str | None
    response_date: str | None
    resumed_run_id: int | None
    counts: Counts
    error: str | None
    checkpoint: Checkpoint

    @classmethod
    def from_row(cls, row: Row[Any]) -> Run:
        """Build from a ``harvest_runs`` row."""
        m = row._mapping
        return cls(
            id=m["id"],
            source_id=m["source_id"],
            status=m["status"],
            mode=m["mode"],
            started_at=_aware(m["started_at"]) or utcnow(),
            ended_at=_aware(m["ended_at"]),
            heartbeat_at=_aware(m["heartbeat_at"]) or utcnow(),
            pid=m["pid"],
            host=m["host"],
            from_date=m["from_date"],
            response_date=m["response_date"],
            resumed_run_id=m["resumed_run_id"],
            counts=Counts(**{name: m[name] for name in RUN_COUNTS}),
            error=m["error"],
            checkpoint=Checkpoint(
                m["checkpoint_set_index"], m["checkpoint_set"], m["checkpoint_token"]
            ),
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view of the run."""
        return {
            "id": self.id,
            "source": self.source_id,
            "status": self.status,
            "mode": self.mode,
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "heartbeat_at": self.heartbeat_at.isoformat(),
            "from_date": self.from_date,
            "response_date": self.response_date,
            "resumed_run_id": self.resumed_run_id,
            "counts": self.counts.as_dict(),
            "error": self.error,
            "checkpoint": {
                "set": self.checkpoint.set_spec,
                "resumption_token": self.checkpoint.token,
            },
        }


@dataclass(frozen=True)
class Lease:
    """Who holds a source: a process on a host, for a run, until a time."""

    source_id: str
    holder: str
    host: str
    pid: int
    run_id: int | None
    acquired_at: datetime
    expires_at: datetime

    @classmethod
    def from_row(cls, row: Row[Any]) -> Lease:
        """Build from a ``source_leases`` row."""
        m = row._mapping
        return cls(
            source_id=m["source_id"],
            holder=m["holder"],
            host=m["host"],
            pid=m["pid"],
            run_id=m["run_id"],
            acquired_at=_aware(m["acquired_at"]) or utcnow(),
            expires_at=_aware(m["expires_at"]) or utcnow(),
        )

    def expired(self, now: datetime | None = None) -> bool:
        """Whether the holder stopped renewing it in time."""
        return self.expires_at <= (now or utcnow())

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view of the lease."""
        return {
            "source": self.source_id,
            "holder": self.holder,
            "host": self.host,
            "pid": self.pid,
            "run_id": self.run_id,
            "acquired_at": self.acquired_at.isoformat(),
            "expires_at": self.expires_at.isoformat(),
        }


@dataclass(frozen=True)
class NormalisedRow:
    """A record in the common model, serialised, as the store keeps it."""

    source_id: str
    source_identifier: str
    id: str
    kind: str
    document: str
    content_hash: str
    score: int
    deleted: bool = False


@dataclass
class NormaliseCounts:
    """What re-normalising changed; ``changed`` holds the rows of one write that changed
    (for the search index), and is not carried over by :meth:`add`."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    failed: int = 0
    changed: list[NormalisedRow] = field(default_factory=list, repr=False, compare=False)

    def add(self, other: NormaliseCounts) -> None:
        """Add another tally to this one (the counts only)."""
        for name in ("added", "updated", "unchanged", "deleted", "failed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class StoredRecord:
    """A raw record as kept in the store."""

    record: RawRecord
    content_hash: str
    first_seen_at: datetime
    last_seen_at: datetime
    changed_at: datetime


@dataclass
class _Seen:
    content_hash: str
    deleted: bool


@dataclass(frozen=True)
class PageWrite:
    """What one page asks of the store: its records and the records that failed."""

    records: Sequence[RawRecord]
    failures: Sequence[RecordFailure] = ()
    listed: bool = True
    """False for deletions inferred from a record's absence: they count as deleted, not seen."""


class Store:
    """Raw records and harvest runs in one relational database."""

    def __init__(self, url: str, *, error_samples: int = 50) -> None:
        self.url = url
        self.max_error_samples = error_samples
        self.engine: Engine = create_engine(url)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine)

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    # -- raw records ---------------------------------------------------------------------

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
                counts.normalised = self._write_normalised(conn, rows, now)
            if page.failures:
                self._sample_failures(conn, run_id, page.failures, now)
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
        source_id = records[0].source_id
        known = self._known(conn, source_id, [r.identifier for r in records])
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
            known = self._known(conn, records[0].source_id, [r.identifier for r in records])
        wanted = []
        for record in records:
            previous = known.get(record.identifier)
            if record.deleted:
                continue
            if previous is None or previous.deleted or previous.content_hash != record.content_hash:
                wanted.append(record)
        return wanted

    @staticmethod
    def _known(conn: Connection, source_id: str, identifiers: list[str]) -> dict[str, _Seen]:
        wanted = sorted(set(identifiers))
        known: dict[str, _Seen] = {}
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            rows = conn.execute(
                select(raw_records.c.identifier, raw_records.c.content_hash, raw_records.c.deleted)
                .where(raw_records.c.source_id == source_id)
                .where(raw_records.c.identifier.in_(wanted[start : start + LOOKUP_CHUNK]))
            )
            known.update(
                (row.identifier, _Seen(row.content_hash, bool(row.deleted))) for row in rows
            )
        return known

    def _sample_failures(
        self, conn: Connection, run_id: int, failures: Sequence[RecordFailure], now: datetime
    ) -> None:
        kept = conn.execute(
            select(func.count()).select_from(run_errors).where(run_errors.c.run_id == run_id)
        ).scalar_one()
        room = max(0, self.max_error_samples - kept)
        rows = [
            {"run_id": run_id, "identifier": f.identifier, "reason": f.reason[:2000], "at": now}
            for f in failures[:room]
        ]
        if rows:
            conn.execute(insert(run_errors), rows)

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

    def _keyset(
        self,
        table: Table,
        second_key: str,
        source_id: str | None,
        include_deleted: bool,
        batch: int,
        changed_since: datetime | None = None,
    ) -> Iterator[Row[Any]]:
        """Rows of a table keyed by (source_id, ``second_key``), one keyset page at a time."""
        first, second = table.c.source_id, table.c[second_key]
        last: tuple[str, str] = ("", "")
        while True:
            stmt = select(table).order_by(first, second)
            if source_id is not None:
                stmt = stmt.where(first == source_id)
            if changed_since is not None:
                stmt = stmt.where(table.c.changed_at >= changed_since)
            if not include_deleted:
                stmt = stmt.where(table.c.deleted.is_(False))
            stmt = stmt.where((first > last[0]) | and_(first == last[0], second > last[1]))
            with self.engine.connect() as conn:
                rows = conn.execute(stmt.limit(batch)).all()
            if not rows:
                return
            yield from rows
            last = (rows[-1]._mapping["source_id"], rows[-1]._mapping[second_key])

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

    # -- normalised records --------------------------------------------------------------

    def write_normalised(self, rows: Sequence[NormalisedRow]) -> NormaliseCounts:
        """Store normalised records; unchanged ones are not rewritten, deletions marked."""
        if not rows:
            return NormaliseCounts()
        with self.engine.begin() as conn:
            return self._write_normalised(conn, rows, utcnow())

    def _write_normalised(
        self, conn: Connection, rows: Sequence[NormalisedRow], now: datetime
    ) -> NormaliseCounts:
        counts = NormaliseCounts()
        if not rows:
            return counts
        source_id = rows[0].source_id
        known = self._known_normalised(conn, source_id, [r.source_identifier for r in rows])
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
        return counts

    @staticmethod
    def _known_normalised(
        conn: Connection, source_id: str, identifiers: list[str]
    ) -> dict[str, tuple[str, bool]]:
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
        return None if row is None else _normalised_from(row)

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
            yield _normalised_from(row)

    # -- runs ----------------------------------------------------------------------------

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
            self._sample_failures(conn, run_id, [RecordFailure(identifier, reason)], utcnow())

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
                    (_aware(row.ended_at) or utcnow()) - (_aware(row.started_at) or utcnow())
                ).total_seconds(),
            )
            for row in rows
        ]

    def normalised_counts(self) -> dict[str, int]:
        """Per source: live normalised records."""
        stmt = (
            select(records.c.source_id, func.count().label("total"))
            .where(records.c.deleted.is_(False))
            .group_by(records.c.source_id)
        )
        with self.engine.connect() as conn:
            return {row.source_id: row.total for row in conn.execute(stmt)}

    def error_samples(self, run_id: int) -> list[RecordFailure]:
        """The error samples kept for a run, oldest first."""
        stmt = select(run_errors).where(run_errors.c.run_id == run_id).order_by(run_errors.c.id)
        with self.engine.connect() as conn:
            return [RecordFailure(row.identifier, row.reason) for row in conn.execute(stmt)]

    # -- OAI-PMH provider: sets and changes of normalised records ------------------------

    def earliest_change(self) -> datetime | None:
        """The oldest ``changed_at`` of the normalised records, or None when there are none."""
        with self.engine.connect() as conn:
            found = conn.execute(select(func.min(records.c.changed_at))).scalar_one_or_none()
        return _aware(found)

    def sync_record_sets(
        self, sets_of: Callable[[NormalisedRow], Sequence[tuple[str, str]]], batch: int = 500
    ) -> int:
        """Bring ``record_sets`` up to date with the normalised records changed since the
        newest change it holds; only rows that differ are written.

        A live record's sets are replaced by ``sets_of(row)`` (``(spec, name)`` pairs); a
        deleted record keeps the sets it had (its document is empty by then), or gets
        ``sets_of(row)`` when none were ever recorded.

        Returns:
            How many records had their sets written.
        """
        with self.engine.connect() as conn:
            mark = _aware(conn.execute(select(func.max(record_sets.c.changed_at))).scalar())
        written = 0
        after: tuple[datetime, str] | None = None
        while True:
            stmt = select(records).order_by(records.c.changed_at, records.c.id).limit(batch)
            if mark is not None:
                stmt = stmt.where(records.c.changed_at >= mark)
            if after is not None:
                stmt = stmt.where(_after(after))
            with self.engine.connect() as conn:
                rows = conn.execute(stmt).all()
            if not rows:
                return written
            # IntegrityError: another process wrote the same sets at the same moment.
            with contextlib.suppress(IntegrityError):
                written += self._write_record_sets(rows, sets_of)
            last = rows[-1]._mapping
            after = (_aware(last["changed_at"]) or utcnow(), last["id"])

    def _write_record_sets(
        self,
        rows: Sequence[Row[Any]],
        sets_of: Callable[[NormalisedRow], Sequence[tuple[str, str]]],
    ) -> int:
        ids = [row._mapping["id"] for row in rows]
        written = 0
        with self.engine.begin() as conn:
            known: dict[str, dict[str, tuple[str, datetime | None]]] = {}
            for start in range(0, len(ids), LOOKUP_CHUNK):
                found = conn.execute(
                    select(record_sets).where(
                        record_sets.c.record_id.in_(ids[start : start + LOOKUP_CHUNK])
                    )
                )
                for item in found:
                    known.setdefault(item.record_id, {})[item.set_spec] = (
                        item.set_name,
                        _aware(item.changed_at),
                    )
            inserts: list[dict[str, Any]] = []
            stale: list[str] = []
            for row in rows:
                normalised = _normalised_from(row)
                changed_at = _aware(row._mapping["changed_at"])
                had = known.get(normalised.id, {})
                if normalised.deleted and had:
                    wanted = {spec: name for spec, (name, _) in had.items()}
                else:
                    wanted = dict(sets_of(normalised))
                same = {spec: (name, changed_at) for spec, name in wanted.items()}
                if same == had:
                    continue
                written += 1
                stale.append(normalised.id)
                inserts.extend(
                    {
                        "record_id": normalised.id,
                        "set_spec": spec,
                        "set_name": name,
                        "changed_at": changed_at,
                    }
                    for spec, name in wanted.items()
                )
            for start in range(0, len(stale), LOOKUP_CHUNK):
                conn.execute(
                    delete(record_sets).where(
                        record_sets.c.record_id.in_(stale[start : start + LOOKUP_CHUNK])
                    )
                )
            if inserts:
                conn.execute(insert(record_sets), inserts)
        return written

    def count_changes(
        self, set_spec: str | None, from_: datetime | None, until: datetime | None
    ) -> int:
        """How many normalised records (deleted ones included) changed in the inclusive
        range and belong to ``set_spec`` or one of its subsets."""
        stmt = _changes_filter(select(func.count()).select_from(records), set_spec, from_, until)
        with self.engine.connect() as conn:
            return int(conn.execute(stmt).scalar_one())

    def list_changes(
        self,
        set_spec: str | None,
        from_: datetime | None,
        until: datetime | None,
        after: tuple[datetime, str] | None,
        limit: int,
    ) -> list[tuple[NormalisedRow, datetime]]:
        """One keyset page of :meth:`count_changes`' records with their ``changed_at``,
        ordered by (changed_at, id), starting after the key ``after``."""
        stmt = select(records).order_by(records.c.changed_at, records.c.id).limit(limit)
        stmt = _changes_filter(stmt, set_spec, from_, until)
        if after is not None:
            stmt = stmt.where(_after(after))
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [
            (_normalised_from(row), _aware(row._mapping["changed_at"]) or utcnow()) for row in rows
        ]

    def normalised_change(self, record_id: str) -> tuple[NormalisedRow, datetime] | None:
        """One normalised record (deleted ones included) with its ``changed_at``, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(records).where(records.c.id == record_id)).first()
        if row is None:
            return None
        return _normalised_from(row), _aware(row._mapping["changed_at"]) or utcnow()

    def record_set_specs(self, record_ids: Sequence[str]) -> dict[str, list[str]]:
        """The set specs of each record, sorted (records without sets left out)."""
        found: dict[str, list[str]] = {}
        wanted = sorted(set(record_ids))
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), LOOKUP_CHUNK):
                rows = conn.execute(
                    select(record_sets.c.record_id, record_sets.c.set_spec)
                    .where(record_sets.c.record_id.in_(wanted[start : start + LOOKUP_CHUNK]))
                    .order_by(record_sets.c.record_id, record_sets.c.set_spec)
                )
                for row in rows:
                    found.setdefault(row.record_id, []).append(row.set_spec)
        return found

    def record_set_names(self) -> list[tuple[str, str]]:
        """Every set spec any record is in, with its name, sorted by spec."""
        stmt = (
            select(record_sets.c.set_spec, func.max(record_sets.c.set_name))
            .group_by(record_sets.c.set_spec)
            .order_by(record_sets.c.set_spec)
        )
        with self.engine.connect() as conn:
            return [(row[0], row[1]) for row in conn.execute(stmt)]

    # -- leases ------------------------------------------------------------------------------

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
        ours; one statement each way, so of any number of racing processes one wins."""
        now = now or utcnow()
        values = {
            "holder": holder,
            "host": host,
            "pid": pid,
            "run_id": None,
            "acquired_at": now,
            "expires_at": now + timedelta(seconds=ttl),
        }
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(source_leases).values(source_id=source_id, **values))
            return True
        except IntegrityError:
            pass
        stmt = (
            update(source_leases)
            .where(source_leases.c.source_id == source_id)
            .where(or_(source_leases.c.expires_at <= now, source_leases.c.holder == holder))
            .values(values)
        )
        with self.engine.begin() as conn:
            return conn.execute(stmt).rowcount == 1

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


def _after(key: tuple[datetime, str]) -> Any:
    """Rows after ``key`` in (changed_at, id) order."""
    changed_at, record_id = key
    return or_(
        records.c.changed_at > changed_at,
        and_(records.c.changed_at == changed_at, records.c.id > record_id),
    )


def _changes_filter(
    stmt: Any, set_spec: str | None, from_: datetime | None, until: datetime | None
) -> Any:
    """Restrict a select on ``records`` to a set (and its subsets) and a changed_at range."""
    if from_ is not None:
        stmt = stmt.where(records.c.changed_at >= from_.astimezone(UTC))
    if until is not None:
        stmt = stmt.where(records.c.changed_at <= until.astimezone(UTC))
    if set_spec is not None:
        member = (
            select(record_sets.c.record_id)
            .where(record_sets.c.record_id == records.c.id)
            .where(
                or_(
                    record_sets.c.set_spec == set_spec,
                    record_sets.c.set_spec.startswith(set_spec + ":", autoescape=True),
                )
            )
        )
        stmt = stmt.where(exists(member))
    return stmt


WITHDRAWAL_KEYS = ("b_source", "b_identifier", "content_hash", "deleted", "changed_at")


def _normalised_from(row: Row[Any]) -> NormalisedRow:
    m = row._mapping
    return NormalisedRow(
        source_id=m["source_id"],
        source_identifier=m["source_identifier"],
        id=m["id"],
        kind=m["kind"],
        document=m["document"],
        content_hash=m["content_hash"],
        score=m["score"],
        deleted=bool(m["deleted"]),
    )


def _normalised_row(values: dict[str, Any]) -> dict[str, Any]:
    row = {k: v for k, v in values.items() if not k.startswith("b_")}
    return {**row, "source_id": values["b_source"], "source_identifier": values["b_identifier"]}


def _new_row(record: RawRecord, digest: str, now: datetime, run_id: int) -> dict[str, Any]:
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
        first_seen_at=_aware(m["first_seen_at"]) or utcnow(),
        last_seen_at=_aware(m["last_seen_at"]) or utcnow(),
        changed_at=_aware(m["changed_at"]) or utcnow(),
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
