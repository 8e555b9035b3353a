"""Search backends for the contract suite: SQLite always, Elasticsearch where one answers."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from harvester.index.base import SearchIndex
from harvester.index.sqlite.backend import SqliteIndex
from tests.harvester.index.corpus import corpus


def elastic_index() -> SearchIndex:
    """A fresh Elasticsearch index under a unique name, or a skip saying why not."""
    url = os.environ.get("CSFINDER_ES_URL")
    if not url:
        pytest.skip("CSFINDER_ES_URL not set (no Elasticsearch cluster)")
    from harvester.index.elastic.backend import ElasticIndex

    index = ElasticIndex(url, f"csfinder-test-{uuid.uuid4().hex[:10]}")
    if not index.ping():
        pytest.skip(f"CSFINDER_ES_URL={url} does not answer")
    return index


@pytest.fixture(params=["sqlite", "elasticsearch"])
def index_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchIndex]:
    """An empty index of each backend."""
    if request.param == "sqlite":
        index: SearchIndex = SqliteIndex(tmp_path / "index")
    else:
        index = elastic_index()
    yield index
    drop = getattr(index, "drop", None)
    if callable(drop):  # leave nothing behind on a shared cluster
        drop()
    index.close()


@pytest.fixture
def loaded(index_backend: SearchIndex) -> SearchIndex:
    """The contract corpus, indexed the way harvesting indexes (upserts)."""
    index_backend.upsert(corpus())
    return index_backend
