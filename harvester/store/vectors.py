"""The multilingual vectors of normalised records, and the backlog of records waiting
for them.

Writing a normalised record queues it (:func:`queue_vectors`, in the writer's transaction);
the enrich stage takes batches from the queue (:meth:`Vectors.vector_backlog`), computes
the vectors and saves them (:meth:`Vectors.save_vectors`), which takes the records off the
queue unless they were queued again meanwhile.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, delete, func, insert, literal, select
from sqlalchemy.engine import Connection

from harvester.store.engine import LOOKUP_CHUNK, StoreBase
from harvester.store.schema import record_vectors, records, vector_backlog
from harvester.store.values import utcnow

UNTOLD = "-"  # in ``record_vectors.languages``: a version whose language could not be told


@dataclass(frozen=True)
class StoredVectors:
    """The vectors of one record: ``data`` holds ``len(languages)`` rows of ``dims`` signed
    bytes, the vectors of its language versions in order (a language "" where it could
    not be told)."""

    record_id: str
    encoder: str
    text_hash: str
    languages: tuple[str, ...]
    dims: int
    data: bytes


@dataclass(frozen=True)
class Queued:
    """A record waiting for vectors: its stored document (None when it is gone or deleted)
    and when it was queued."""

    record_id: str
    document: str | None
    queued_at: datetime


def queue_vectors(conn: Connection, record_ids: Sequence[str], now: datetime) -> None:
    """Queue records for vectors in the caller's transaction (again, if already queued)."""
    wanted = sorted(set(record_ids))
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        conn.execute(delete(vector_backlog).where(vector_backlog.c.record_id.in_(chunk)))
        conn.execute(insert(vector_backlog), [{"record_id": i, "queued_at": now} for i in chunk])


def unqueue_vectors(conn: Connection, record_ids: Sequence[str]) -> None:
    """Take records off the queue in the caller's transaction (deleted records)."""
    wanted = sorted(set(record_ids))
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        chunk = wanted[start : start + LOOKUP_CHUNK]
        conn.execute(delete(vector_backlog).where(vector_backlog.c.record_id.in_(chunk)))


class Vectors(StoreBase):
    """The ``record_vectors`` and ``vector_backlog`` tables."""

    def backlog_size(self) -> int:
        """Records waiting for vectors."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(vector_backlog)).scalar_one())

    def vector_backlog(self, limit: int) -> list[Queued]:
        """The ``limit`` records queued longest, with their stored documents."""
        stmt = (
            select(vector_backlog.c.record_id, vector_backlog.c.queued_at, records.c.document)
            .select_from(
                vector_backlog.outerjoin(
                    records, (records.c.id == vector_backlog.c.record_id) & ~records.c.deleted
                )
            )
            .order_by(vector_backlog.c.queued_at, vector_backlog.c.record_id)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [Queued(r.record_id, r.document, r.queued_at) for r in conn.execute(stmt)]

    def stored_vectors(self, record_ids: Sequence[str]) -> dict[str, StoredVectors]:
        """The vectors kept for these records (those that have some), by record id."""
        found: dict[str, StoredVectors] = {}
        wanted = sorted(set(record_ids))
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), LOOKUP_CHUNK):
                chunk = wanted[start : start + LOOKUP_CHUNK]
                rows = conn.execute(
                    select(record_vectors).where(record_vectors.c.record_id.in_(chunk))
                )
                found.update((r.record_id, _stored(r)) for r in rows)
        return found

    def save_vectors(self, computed: Sequence[StoredVectors], done: Iterable[Queued]) -> None:
        """Keep computed vectors (replacing older ones) and take the records ``done`` off
        the queue, unless they were queued again after they were read."""
        now = utcnow()
        with self.engine.begin() as conn:
            ids = [v.record_id for v in computed]
            for start in range(0, len(ids), LOOKUP_CHUNK):
                chunk = ids[start : start + LOOKUP_CHUNK]
                conn.execute(delete(record_vectors).where(record_vectors.c.record_id.in_(chunk)))
            if computed:
                conn.execute(insert(record_vectors), [_row(v, now) for v in computed])
            for item in done:
                conn.execute(
                    delete(vector_backlog)
                    .where(vector_backlog.c.record_id == item.record_id)
                    .where(vector_backlog.c.queued_at <= item.queued_at)
                )

    def vector_encoder(self) -> str | None:
        """The encoder that made most of the kept vectors (None: no vectors kept)."""
        stmt = (
            select(record_vectors.c.encoder)
            .group_by(record_vectors.c.encoder)
            .order_by(func.count().desc(), record_vectors.c.encoder)
            .limit(1)
        )
        with self.engine.connect() as conn:
            found = conn.execute(stmt).scalar()
        return str(found) if found is not None else None

    def iter_vectors(
        self, encoder: str, batch: int = 1000, computed_since: datetime | None = None
    ) -> Iterator[StoredVectors]:
        """Every record's vectors made by ``encoder`` (only those computed at or after
        ``computed_since`` when given), in record id order."""
        last = ""
        while True:
            stmt = (
                select(record_vectors)
                .where(record_vectors.c.encoder == encoder)
                .where(record_vectors.c.record_id > last)
                .order_by(record_vectors.c.record_id)
                .limit(batch)
            )
            if computed_since is not None:
                stmt = stmt.where(record_vectors.c.computed_at >= computed_since)
            with self.engine.connect() as conn:
                rows = conn.execute(stmt).all()
            if not rows:
                return
            for row in rows:
                yield _stored(row)
            last = rows[-1].record_id

    def queue_all_vectors(self) -> int:
        """Queue every live record again (another encoder was chosen); returns how many."""
        now = utcnow()
        with self.engine.begin() as conn:
            conn.execute(delete(vector_backlog))
            conn.execute(
                insert(vector_backlog).from_select(
                    ["record_id", "queued_at"],
                    select(records.c.id, literal(now, DateTime(timezone=True))).where(
                        ~records.c.deleted
                    ),
                )
            )
        return self.backlog_size()


def _stored(row: Any) -> StoredVectors:
    languages = str(row.languages)
    return StoredVectors(
        record_id=str(row.record_id),
        encoder=str(row.encoder),
        text_hash=str(row.text_hash),
        languages=tuple("" if code == UNTOLD else code for code in languages.split(",")),
        dims=int(row.dims),
        data=bytes(row.vectors),
    )


def _row(vectors: StoredVectors, now: datetime) -> dict[str, Any]:
    return {
        "record_id": vectors.record_id,
        "encoder": vectors.encoder,
        "text_hash": vectors.text_hash,
        "languages": ",".join(code or UNTOLD for code in vectors.languages),
        "dims": vectors.dims,
        "vectors": vectors.data,
        "computed_at": now,
    }
