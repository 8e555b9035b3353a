"""The store: raw records and harvest runs, with SQLAlchemy Core.

SQLite by default (WAL, so readers never wait for a harvest); PostgreSQL (psycopg 3) for
several machines: nothing here is SQLite-only, and the tests run on both. The schema has
Alembic migrations (:mod:`~harvester.store.migrations`, :mod:`~harvester.store.versions`):
an empty database is created at the newest revision, any other revision is refused until
``csfinder db upgrade``. A page of records and the run's checkpoint are written in
one transaction: a harvest killed at any moment resumes with nothing lost or doubled.

The tables are in :mod:`~harvester.store.schema`, the values in
:mod:`~harvester.store.values`, and :class:`Store` (in :mod:`~harvester.store.database`) is
composed of one class per table family: :mod:`~harvester.store.raw`,
:mod:`~harvester.store.normalised`, :mod:`~harvester.store.runs`,
:mod:`~harvester.store.leases`, :mod:`~harvester.store.changes`,
:mod:`~harvester.store.clusters` and :mod:`~harvester.store.decisions`.
"""

from harvester.store.database import Store
from harvester.store.schema import (
    RUN_COUNTS,
    harvest_runs,
    metadata,
    raw_records,
    record_sets,
    records,
    registered_sources,
    run_errors,
    source_leases,
)
from harvester.store.values import (
    FAILED,
    RUNNING,
    STALLED,
    SUCCEEDED,
    Checkpoint,
    Counts,
    Lease,
    Normalise,
    NormaliseCounts,
    NormalisedRow,
    PageOutcome,
    PageWrite,
    Run,
    StoredRecord,
    utcnow,
)

__all__ = [
    "FAILED",
    "RUNNING",
    "RUN_COUNTS",
    "STALLED",
    "SUCCEEDED",
    "Checkpoint",
    "Counts",
    "Lease",
    "Normalise",
    "NormaliseCounts",
    "NormalisedRow",
    "PageOutcome",
    "PageWrite",
    "Run",
    "Store",
    "StoredRecord",
    "harvest_runs",
    "metadata",
    "raw_records",
    "record_sets",
    "records",
    "registered_sources",
    "run_errors",
    "source_leases",
    "utcnow",
]
