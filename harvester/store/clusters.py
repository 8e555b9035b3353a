"""Clusters of records in the store: who belongs with whom, the blocking keys that find
candidates, the evidence behind each cluster, curators' decisions, and clustering runs.

The enrich stage (:mod:`harvester.enrich.clusters`) decides; this module only keeps and
reads. A batch of changes is written in one transaction, so readers see a cluster before
or after a run, never half of one.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import TextClause, bindparam, delete, func, insert, select, text, update
from sqlalchemy.engine import Connection

from harvester.store.engine import LOOKUP_CHUNK, StoreBase
from harvester.store.schema import (
    cluster_keys,
    cluster_links,
    cluster_members,
    cluster_runs,
    records,
)
from harvester.store.values import aware, utcnow

WRITE_CHUNK = 5_000
KEYS_PER_STATEMENT = 200


@dataclass(frozen=True, slots=True)
class Member:
    """A record's place in its cluster."""

    record_id: str
    cluster_id: str
    source_id: str
    representative: bool
    keys: tuple[int, ...] = ()


@dataclass(frozen=True)
class StoredLink:
    """A scored pair behind a cluster: ``signals`` as (name, points, detail); ``refused``
    says why
    the pair was not joined, when it was not."""

    record_a: str
    record_b: str
    cluster_id: str
    score: float
    signals: tuple[tuple[str, float, str], ...]
    refused: str | None


@dataclass(frozen=True, slots=True)
class MemberChange:
    """One record's membership before and after a clustering run (None: none)."""

    record_id: str
    before: Member | None
    after: Member | None


LinkWrite = tuple[Sequence[StoredLink], Collection[str] | None]
"""Links to store, and the clusters whose links they replace (None: every link)."""


@lru_cache(maxsize=8)
def _capped_holders(count: int) -> TextClause:
    """One statement asking for at most ``:cap`` holders of each of ``count`` keys."""
    parts = (
        f"SELECT * FROM (SELECT key, record_id FROM cluster_keys WHERE key = :k{n} LIMIT :cap) "  # noqa: S608 (numbered binds only)
        f"AS h{n}"
        for n in range(count)
    )
    return text(" UNION ALL ".join(parts))


def pack_keys(keys: Iterable[int]) -> bytes:
    """Blocking keys as the bytes ``cluster_members.keys`` holds."""
    return array("q", sorted(keys)).tobytes()


def unpack_keys(blob: bytes | None) -> tuple[int, ...]:
    """The blocking keys packed by :func:`pack_keys`."""
    keys = array("q")
    keys.frombytes(blob or b"")
    return tuple(keys)


class Clusters(StoreBase):
    """The cluster tables."""

    # -- reading ---------------------------------------------------------------------------

    def members_of(self, record_ids: Iterable[str]) -> dict[str, Member]:
        """The stored cluster membership of those records that have one."""
        wanted = sorted(set(record_ids))
        found: dict[str, Member] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), LOOKUP_CHUNK):
                chunk = wanted[start : start + LOOKUP_CHUNK]
                stmt = select(cluster_members).where(cluster_members.c.record_id.in_(chunk))
                found.update((r.record_id, _member(r)) for r in conn.execute(stmt))
        return found

    def cluster_members(self, cluster_ids: Iterable[str]) -> dict[str, list[Member]]:
        """Every member of each cluster, representative first."""
        wanted = sorted(set(cluster_ids))
        found: dict[str, list[Member]] = {c: [] for c in wanted}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), LOOKUP_CHUNK):
                chunk = wanted[start : start + LOOKUP_CHUNK]
                stmt = (
                    select(cluster_members)
                    .where(cluster_members.c.cluster_id.in_(chunk))
                    .order_by(cluster_members.c.representative.desc(), cluster_members.c.record_id)
                )
                for row in conn.execute(stmt):
                    found[row.cluster_id].append(_member(row))
        return found

    def iter_members(self, batch: int = 10_000) -> Iterator[Member]:
        """Every stored membership with its keys, by record id (in code-point order, as
        Python sorts, whatever the database's collation)."""
        last = ""
        column: Any = cluster_members.c.record_id
        if self.engine.dialect.name == "postgresql":
            column = column.collate("C")
        while True:
            stmt = select(cluster_members).where(column > last).order_by(column).limit(batch)
            with self.engine.connect() as conn:
                rows = conn.execute(stmt).all()
            if not rows:
                return
            for row in rows:
                yield _member(row)
            last = rows[-1].record_id

    def multi_members(self) -> dict[str, str]:
        """Record id → cluster id of every member of a cluster of several listings."""
        multi = (
            select(cluster_members.c.cluster_id)
            .group_by(cluster_members.c.cluster_id)
            .having(func.count() > 1)
        )
        stmt = select(cluster_members.c.record_id, cluster_members.c.cluster_id).where(
            cluster_members.c.cluster_id.in_(multi)
        )
        with self.engine.connect() as conn:
            return {r.record_id: r.cluster_id for r in conn.execute(stmt)}

    def cluster_ids_in_use(self, cluster_ids: Iterable[str], besides: set[str]) -> set[str]:
        """Those of ``cluster_ids`` held by some record not in ``besides``."""
        wanted = sorted(set(cluster_ids))
        found: set[str] = set()
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), LOOKUP_CHUNK):
                stmt = select(cluster_members.c.cluster_id, cluster_members.c.record_id).where(
                    cluster_members.c.cluster_id.in_(wanted[start : start + LOOKUP_CHUNK])
                )
                found.update(r.cluster_id for r in conn.execute(stmt) if r.record_id not in besides)
        return found

    def records_by_keys(self, keys: Iterable[int], cap: int) -> dict[int, list[str]]:
        """The records holding each key; a key held by more than ``cap`` records comes
        back with ``cap + 1`` of them (enough to know it is too common). Keys are asked
        for in compound statements of capped selects, so a common key costs no more than
        a rare one."""
        wanted = sorted(set(keys))
        found: dict[int, list[str]] = {k: [] for k in wanted}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), KEYS_PER_STATEMENT):
                chunk = wanted[start : start + KEYS_PER_STATEMENT]
                binds = {f"k{n}": key for n, key in enumerate(chunk)}
                for key, record_id in conn.execute(
                    _capped_holders(len(chunk)), {**binds, "cap": cap + 1}
                ):
                    found[int(key)].append(record_id)
        return found

    def cluster_links_of(self, cluster_id: str) -> list[StoredLink]:
        """The evidence behind a cluster, strongest pair first."""
        stmt = (
            select(cluster_links)
            .where(cluster_links.c.cluster_id == cluster_id)
            .order_by(cluster_links.c.score.desc())
        )
        with self.engine.connect() as conn:
            return [_link(r) for r in conn.execute(stmt)]

    def clusters_page(self, offset: int, limit: int) -> tuple[int, list[tuple[str, int]]]:
        """Clusters of several listings, largest first: how many there are, and one page
        of (cluster id, size)."""
        size = func.count().label("size")
        grouped = (
            select(cluster_members.c.cluster_id, size)
            .group_by(cluster_members.c.cluster_id)
            .having(func.count() > 1)
        )
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(grouped.subquery())).scalar()
            rows = conn.execute(
                grouped.order_by(size.desc(), cluster_members.c.cluster_id)
                .offset(offset)
                .limit(limit)
            ).all()
        return int(total or 0), [(r.cluster_id, int(r.size)) for r in rows]

    def documents(self, record_ids: Iterable[str]) -> dict[str, str]:
        """The stored documents (JSON) of those live records that exist, by record id."""
        wanted = sorted(set(record_ids))
        found: dict[str, str] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), LOOKUP_CHUNK):
                stmt = (
                    select(records.c.id, records.c.document)
                    .where(records.c.id.in_(wanted[start : start + LOOKUP_CHUNK]))
                    .where(records.c.deleted.is_(False))
                )
                found.update((r.id, r.document) for r in conn.execute(stmt))
        return found

    # -- writing ---------------------------------------------------------------------------

    def write_clusters(
        self, changes: Iterable[MemberChange], links: Callable[[], LinkWrite]
    ) -> None:
        """Apply a clustering run in one transaction: the membership changes (streamed, in
        chunks), then the links ``links()`` gives once the changes are consumed."""
        now = utcnow()
        with self.engine.begin() as conn:
            chunk: list[MemberChange] = []
            for change in changes:
                chunk.append(change)
                if len(chunk) >= WRITE_CHUNK:
                    _write_chunk(conn, chunk, now)
                    chunk = []
            _write_chunk(conn, chunk, now)
            found, touched = links()
            if touched is None:
                conn.execute(delete(cluster_links))
            else:
                ordered = sorted(touched)
                for start in range(0, len(ordered), LOOKUP_CHUNK):
                    chunk_ids = ordered[start : start + LOOKUP_CHUNK]
                    conn.execute(
                        delete(cluster_links).where(cluster_links.c.cluster_id.in_(chunk_ids))
                    )
            rows = {(x.record_a, x.record_b): x for x in found}
            _insert_chunked(conn, cluster_links, [_link_row(x) for x in rows.values()])

    def start_cluster_run(self, mode: str) -> int:
        """Record the start of a clustering run; return its id."""
        with self.engine.begin() as conn:
            key = conn.execute(
                insert(cluster_runs).values(mode=mode, started_at=utcnow())
            ).inserted_primary_key
        return int(key[0]) if key else 0

    def finish_cluster_run(self, run_id: int, high_water: datetime, summary: Any) -> None:
        """Record that a run clustered every record changed before ``high_water``."""
        with self.engine.begin() as conn:
            conn.execute(
                update(cluster_runs)
                .where(cluster_runs.c.id == run_id)
                .values(finished_at=utcnow(), high_water=high_water, summary=json.dumps(summary))
            )

    def cluster_high_water(self) -> datetime | None:
        """Records changed before this were clustered by a finished run (None: never)."""
        stmt = select(func.max(cluster_runs.c.high_water)).where(
            cluster_runs.c.finished_at.is_not(None)
        )
        with self.engine.connect() as conn:
            return aware(conn.execute(stmt).scalar())


def _write_chunk(conn: Connection, chunk: Sequence[MemberChange], now: datetime) -> None:
    """Write a chunk of membership changes: rows replaced, keys added and removed."""
    if not chunk:
        return
    stale = [c.record_id for c in chunk if c.before is not None]
    for start in range(0, len(stale), LOOKUP_CHUNK):
        ids = stale[start : start + LOOKUP_CHUNK]
        conn.execute(delete(cluster_members).where(cluster_members.c.record_id.in_(ids)))
    removed: list[dict[str, Any]] = []
    added: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    for change in chunk:
        before = set(change.before.keys) if change.before is not None else set()
        after = set(change.after.keys) if change.after is not None else set()
        removed += [{"k": k, "r": change.record_id} for k in before - after]
        added += [{"key": k, "record_id": change.record_id} for k in after - before]
        if change.after is not None:
            members.append(_member_row(change.after, now))
    if removed:
        conn.execute(
            delete(cluster_keys)
            .where(cluster_keys.c.key == bindparam("k"))
            .where(cluster_keys.c.record_id == bindparam("r")),
            removed,
        )
    _insert_chunked(conn, cluster_keys, added)
    _insert_chunked(conn, cluster_members, members)


def _member_row(member: Member, now: datetime) -> dict[str, Any]:
    return {
        "record_id": member.record_id,
        "cluster_id": member.cluster_id,
        "source_id": member.source_id,
        "representative": member.representative,
        "keys": pack_keys(member.keys),
        "clustered_at": now,
    }


def _insert_chunked(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), WRITE_CHUNK):
        conn.execute(insert(table), rows[start : start + WRITE_CHUNK])


def _member(row: Any) -> Member:
    return Member(
        row.record_id,
        row.cluster_id,
        row.source_id,
        bool(row.representative),
        unpack_keys(row.keys),
    )


def _link(row: Any) -> StoredLink:
    signals = tuple(
        (str(s[0]), float(s[1]), str(s[2]) if len(s) > 2 else "") for s in json.loads(row.signals)
    )
    return StoredLink(
        row.record_a, row.record_b, row.cluster_id, float(row.score), signals, row.refused
    )


def _link_row(link: StoredLink) -> dict[str, Any]:
    return {
        "record_a": link.record_a,
        "record_b": link.record_b,
        "cluster_id": link.cluster_id,
        "score": link.score,
        "signals": json.dumps([list(s) for s in link.signals], ensure_ascii=False),
        "refused": link.refused,
    }
