"""Administrators' sessions (``admin_sessions``): kept on the server, so that logging out,
a timeout or a new password ends a session whatever cookie a browser still holds."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``admin_sessions`` (empty: nobody is logged in after an upgrade)."""
    aware = sa.DateTime(timezone=True)
    op.create_table(
        "admin_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("credential", sa.String(64), nullable=False),
        sa.Column("created_at", aware, nullable=False),
        sa.Column("seen_at", aware, nullable=False),
    )


def downgrade() -> None:
    """Drop the sessions (every administrator is logged out)."""
    op.drop_table("admin_sessions")
