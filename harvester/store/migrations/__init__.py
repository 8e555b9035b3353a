"""The store's schema migrations (Alembic), run from the package: ``csfinder db upgrade``.

``versions/0001_first_release.py`` is the schema of the first release (migration zero);
each later change of :mod:`harvester.store.schema` adds one revision, written with
``csfinder db revision MESSAGE`` and checked by a test that the head equals the tables.
"""
