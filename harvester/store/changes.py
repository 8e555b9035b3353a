"""What the OAI-PMH provider reads: normalised records in (changed_at, id) order, filtered
by set and date range, and the ``record_sets`` kept in step with them."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, exists, func, insert, or_, select
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError

from harvester.store.engine import LOOKUP_CHUNK, StoreBase
from harvester.store.schema import record_sets, records
from harvester.store.values import NormalisedRow, aware, normalised_from, utcnow


class Changes(StoreBase):
    """The normalised records' changes and the ``record_sets`` table, for the provider."""

    def earliest_change(self) -> datetime | None:
        """The oldest ``changed_at`` of the normalised records, or None when there are none."""
        with self.engine.connect() as conn:
            found = conn.execute(select(func.min(records.c.changed_at))).scalar_one_or_none()
        return aware(found)

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
            mark = aware(conn.execute(select(func.max(record_sets.c.changed_at))).scalar())
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
            after = (aware(last["changed_at"]) or utcnow(), last["id"])

    def _write_record_sets(
        self,
        rows: Sequence[Row[Any]],
        sets_of: Callable[[NormalisedRow], Sequence[tuple[str, str]]],
    ) -> int:
        """Write the sets of those records whose sets differ from the stored ones; return
        how many."""
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
                        aware(item.changed_at),
                    )
            inserts: list[dict[str, Any]] = []
            stale: list[str] = []
            for row in rows:
                normalised = normalised_from(row)
                changed_at = aware(row._mapping["changed_at"])
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
            (normalised_from(row), aware(row._mapping["changed_at"]) or utcnow()) for row in rows
        ]

    def normalised_change(self, record_id: str) -> tuple[NormalisedRow, datetime] | None:
        """One normalised record (deleted ones included) with its ``changed_at``, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(records).where(records.c.id == record_id)).first()
        if row is None:
            return None
        return normalised_from(row), aware(row._mapping["changed_at"]) or utcnow()

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
