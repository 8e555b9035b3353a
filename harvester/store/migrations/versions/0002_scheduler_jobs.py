"""The scheduler's job store (``scheduler_jobs``) becomes part of the schema.

The first release let APScheduler create the table the first time ``csfinder scheduler``
ran, so a database made by it may have the table (with its jobs, kept) or not.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``scheduler_jobs`` as APScheduler defines it, unless the scheduler did."""
    offline = op.get_context().as_sql  # writing SQL out: the table is assumed absent
    if not offline and sa.inspect(op.get_bind()).has_table("scheduler_jobs"):
        return
    op.create_table(
        "scheduler_jobs",
        sa.Column("id", sa.Unicode(191), primary_key=True),
        sa.Column("next_run_time", sa.Float(25)),
        sa.Column("job_state", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_scheduler_jobs_next_run_time", "scheduler_jobs", ["next_run_time"])


def downgrade() -> None:
    """Drop the job store (the scheduler would create it again)."""
    op.drop_index("ix_scheduler_jobs_next_run_time", "scheduler_jobs")
    op.drop_table("scheduler_jobs")
