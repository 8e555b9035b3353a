"""Multilingual vectors: the vectors of each record's language versions, and the backlog
of records waiting for them (issue 18).

Every live record a database already holds is queued, so that ``csfinder embed`` (or the
worker of the next harvest) computes its vectors.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_multilingual_vectors"
down_revision = "0004_clusters"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``record_vectors`` and ``vector_backlog``; queue every live record."""
    aware = sa.DateTime(timezone=True)
    op.create_table(
        "record_vectors",
        sa.Column("record_id", sa.String(128), primary_key=True),
        sa.Column("encoder", sa.String(64), nullable=False),
        sa.Column("text_hash", sa.String(64), nullable=False),
        sa.Column("languages", sa.String(255), nullable=False),
        sa.Column("dims", sa.Integer, nullable=False),
        sa.Column("vectors", sa.LargeBinary, nullable=False),
        sa.Column("computed_at", aware, nullable=False),
    )
    op.create_table(
        "vector_backlog",
        sa.Column("record_id", sa.String(128), primary_key=True),
        sa.Column("queued_at", aware, nullable=False),
    )
    op.create_index("ix_vector_backlog_queued", "vector_backlog", ["queued_at"])
    op.execute(
        "INSERT INTO vector_backlog (record_id, queued_at) "
        "SELECT id, changed_at FROM records WHERE deleted = false"
    )


def downgrade() -> None:
    """Drop both tables (the vectors can be computed again)."""
    op.drop_index("ix_vector_backlog_queued", "vector_backlog")
    op.drop_table("vector_backlog")
    op.drop_table("record_vectors")
