"""The values the store takes and gives back: runs and their counts and checkpoints,
leases, pages to write, raw records as stored and normalised records; with the run
statuses and the clock the store keeps time by.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Row

from harvester.core.records import RawRecord, RecordFailure
from harvester.store.schema import RUN_COUNTS

RUNNING, SUCCEEDED, FAILED, STALLED = "running", "succeeded", "failed", "stalled"


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    """The time in UTC: SQLite gives it back without a timezone, PostgreSQL in the
    session's timezone."""
    if value is None:
        return None
    if value.tzinfo is not None:
        return value.astimezone(UTC)
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
            started_at=aware(m["started_at"]) or utcnow(),
            ended_at=aware(m["ended_at"]),
            heartbeat_at=aware(m["heartbeat_at"]) or utcnow(),
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
            acquired_at=aware(m["acquired_at"]) or utcnow(),
            expires_at=aware(m["expires_at"]) or utcnow(),
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


def normalised_from(row: Row[Any]) -> NormalisedRow:
    """Build a normalised record from a ``records`` row."""
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


@dataclass(frozen=True)
class PageWrite:
    """What one page asks of the store: its records and the records that failed."""

    records: Sequence[RawRecord]
    failures: Sequence[RecordFailure] = ()
    listed: bool = True
    """False for deletions inferred from a record's absence: they count as deleted, not seen."""
    announced: int | None = None
    """How many records the whole list holds, when the provider says (OAI-PMH's
    ``completeListSize``): a large harvest starts its normalising workers at its first page."""
