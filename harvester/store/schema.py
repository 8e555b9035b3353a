"""The store's tables: one ``MetaData`` holding every table, index and column type.

Nothing here is SQLite-only, so the same tables serve PostgreSQL. Code elsewhere in the
package builds its statements on these ``Table`` objects; nothing else defines a table.

A change here needs a migration (``harvester/store/migrations/versions/``): see
``docs/DEPLOY.md``, "Changing the schema". A test fails while the two differ.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Unicode,
)

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
"""The counters of a harvest run, each a column of ``harvest_runs``."""

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
Index("ix_records_changed_id", records.c.changed_at, records.c.id)

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
"""Sources registered by operators in the portal (see :mod:`harvester.store.registrations`)."""

scheduler_jobs = Table(
    "scheduler_jobs",
    metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)
"""APScheduler's job store (``csfinder scheduler``): declared here exactly as APScheduler's
``SQLAlchemyJobStore`` defines it, so that migrations own it and the scheduler finds it."""

admin_sessions = Table(
    "admin_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user", String(200), nullable=False),
    Column("credential", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)
"""Administrators' sessions (see :mod:`harvester.store.sessions`): the SHA-256 of each
session's token (the token itself is only in the administrator's cookie), who logged in,
a fingerprint of the credentials at login (a new password ends the session), and when it
began and was last used (idle and absolute timeouts)."""
# -- clusters (harvester.enrich.clusters; see harvester/store/clusters.py) ---------------

cluster_members = Table(
    "cluster_members",
    metadata,
    Column("record_id", String(128), primary_key=True),
    Column("cluster_id", String(64), nullable=False),
    Column("source_id", String(64), nullable=False),
    Column("representative", Boolean, nullable=False, default=False),
    Column("keys", LargeBinary, nullable=False),
    Column("clustered_at", DateTime(timezone=True), nullable=False),
    Index("ix_cluster_members_cluster", "cluster_id"),
)
"""The cluster of every live normalised record (a record alone is a cluster of one), the
listing that represents it, and the record's blocking keys (packed 64-bit hashes), so a
change can take its old keys out of ``cluster_keys``."""

cluster_keys = Table(
    "cluster_keys",
    metadata,
    Column("key", BigInteger, primary_key=True, autoincrement=False),
    Column("record_id", String(128), primary_key=True),
)
"""Blocking keys to records: which records a new or changed record is compared with."""

cluster_links = Table(
    "cluster_links",
    metadata,
    Column("record_a", String(128), primary_key=True),
    Column("record_b", String(128), primary_key=True),
    Column("cluster_id", String(64), nullable=False),
    Column("score", Float, nullable=False),
    Column("signals", Text, nullable=False),
    Column("refused", Text),
    Index("ix_cluster_links_cluster", "cluster_id"),
)
"""The evidence behind each cluster: the pairs that joined its records (signals as JSON
``[[name, points], ...]``), and the pairs that scored high enough but were refused, with
why (``refused``)."""

cluster_decisions = Table(
    "cluster_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("record_a", String(128), nullable=False),
    Column("record_b", String(128), nullable=False),
    Column("same", Boolean, nullable=False),
    Column("curator", String(200), nullable=False),
    Column("note", Text),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Index("ix_cluster_decisions_a", "record_a"),
    Index("ix_cluster_decisions_b", "record_b"),
)
"""Curators' decisions about pairs of records (``same``: one project, or two); the latest
decision about a pair wins, and every clustering run respects it."""

cluster_runs = Table(
    "cluster_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("mode", String(16), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("high_water", DateTime(timezone=True)),
    Column("summary", Text),
)
"""Clustering runs: ``full`` or ``incremental``; records changed before ``high_water`` were
clustered by the run; ``summary`` (JSON) says what changed."""
vector_backlog = Table(
    "vector_backlog",
    metadata,
    Column("record_id", String(128), primary_key=True),
    Column("queued_at", DateTime(timezone=True), nullable=False),
    Index("ix_vector_backlog_queued", "queued_at"),
)
"""Normalised records whose multilingual vectors are still to be computed (or computed
again): each record added or changed is queued in the transaction that writes it, and the
enrich stage's worker drains the queue off the harvest's path (``csfinder embed``)."""

record_vectors = Table(
    "record_vectors",
    metadata,
    Column("record_id", String(128), primary_key=True),
    Column("encoder", String(64), nullable=False),
    Column("text_hash", String(64), nullable=False),
    Column("languages", String(255), nullable=False),
    Column("dims", Integer, nullable=False),
    Column("vectors", LargeBinary, nullable=False),
    Column("computed_at", DateTime(timezone=True), nullable=False),
)
"""The vectors of each record's language versions (title and description in one language),
one row of ``dims`` signed bytes per version (``languages``: their codes, comma-separated,
``-`` where a version's language could not be told), computed by ``encoder`` from text
whose hash is ``text_hash``: a rebuild of the search index reads them, never the encoder."""
