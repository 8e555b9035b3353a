"""Alembic's environment for the store, configured in code (no ``alembic.ini``).

Online, the migrations run on the connection :mod:`harvester.store.versions` hands over
(which already holds the schema lock); offline (``csfinder db upgrade --sql``) they are
written out as SQL for the database's dialect.
"""

from __future__ import annotations

from alembic import context

from harvester.store.schema import metadata

config = context.config


def run_offline() -> None:
    """Write the migrations' SQL instead of running it."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run the migrations on the given connection; tables are rebuilt in batch mode where
    SQLite cannot alter them in place."""
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run the migrations with `csfinder db upgrade`")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
