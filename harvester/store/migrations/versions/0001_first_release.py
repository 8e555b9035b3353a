"""The first release's schema (migration zero): raw records, runs and their errors,
normalised records and their OAI-PMH sets, source leases, registered sources.

A database made by the first release has exactly these tables without a revision;
``csfinder db upgrade`` records it at this revision and goes on from here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

RUN_COUNTS = ("seen", "added", "updated", "unchanged", "deleted", "failed")


def upgrade() -> None:
    """Create the first release's tables."""
    aware = sa.DateTime(timezone=True)
    op.create_table(
        "raw_records",
        sa.Column("source_id", sa.String(64), primary_key=True),
        sa.Column("identifier", sa.String(1024), primary_key=True),
        sa.Column("metadata_format", sa.String(64), nullable=False),
        sa.Column("media_type", sa.String(64), nullable=False),
        sa.Column("datestamp", sa.String(40)),
        sa.Column("set_specs", sa.Text, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("payload", sa.Text),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("first_seen_at", aware, nullable=False),
        sa.Column("last_seen_at", aware, nullable=False),
        sa.Column("changed_at", aware, nullable=False),
        sa.Column("last_run_id", sa.Integer),
    )
    op.create_table(
        "harvest_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("started_at", aware, nullable=False),
        sa.Column("ended_at", aware),
        sa.Column("heartbeat_at", aware, nullable=False),
        sa.Column("pid", sa.Integer),
        sa.Column("host", sa.String(255)),
        sa.Column("from_date", sa.String(40)),
        sa.Column("response_date", sa.String(40)),
        sa.Column("resumed_run_id", sa.Integer),
        *(sa.Column(name, sa.Integer, nullable=False) for name in RUN_COUNTS),
        sa.Column("error", sa.Text),
        sa.Column("checkpoint_set_index", sa.Integer, nullable=False),
        sa.Column("checkpoint_set", sa.String(255)),
        sa.Column("checkpoint_token", sa.Text),
    )
    op.create_index("ix_harvest_runs_source_started", "harvest_runs", ["source_id", "started_at"])
    op.create_table(
        "run_errors",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("harvest_runs.id"), nullable=False),
        sa.Column("identifier", sa.String(1024)),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", aware, nullable=False),
    )
    op.create_index("ix_run_errors_run_id", "run_errors", ["run_id"])
    op.create_table(
        "records",
        sa.Column("source_id", sa.String(64), primary_key=True),
        sa.Column("source_identifier", sa.String(1024), primary_key=True),
        sa.Column("id", sa.String(128), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("changed_at", aware, nullable=False),
    )
    op.create_index("ix_records_changed_id", "records", ["changed_at", "id"])
    op.create_table(
        "record_sets",
        sa.Column("record_id", sa.String(128), primary_key=True),
        sa.Column("set_spec", sa.String(255), primary_key=True),
        sa.Column("set_name", sa.String(512), nullable=False),
        sa.Column("changed_at", aware, nullable=False),
    )
    op.create_index("ix_record_sets_spec", "record_sets", ["set_spec"])
    op.create_index("ix_record_sets_changed", "record_sets", ["changed_at"])
    op.create_table(
        "source_leases",
        sa.Column("source_id", sa.String(64), primary_key=True),
        sa.Column("holder", sa.String(255), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("run_id", sa.Integer),
        sa.Column("acquired_at", aware, nullable=False),
        sa.Column("expires_at", aware, nullable=False),
    )
    op.create_table(
        "registered_sources",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("config", sa.Text, nullable=False),
        sa.Column("contact", sa.Text, nullable=False),
        sa.Column("metadata_license", sa.String(200), nullable=False),
        sa.Column("submitted_at", aware, nullable=False),
        sa.Column("reviewed_at", aware),
        sa.Column("reviewer", sa.String(200)),
    )


def downgrade() -> None:
    """Drop every table of the first release."""
    for table in (
        "registered_sources",
        "source_leases",
        "record_sets",
        "records",
        "run_errors",
        "harvest_runs",
        "raw_records",
    ):
        op.drop_table(table)
