"""The store's tests run on SQLite and on PostgreSQL (ids ``sqlite`` and ``postgresql``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from harvester.store import Store


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    """A real store on each database: a SQLite file, a throw-away PostgreSQL database."""
    opened = Store(database_url, error_samples=50)
    yield opened
    opened.close()
