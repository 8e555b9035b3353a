"""Search backends for the contract suite: SQLite always; Elasticsearch on the cluster at
``CSFINDER_ES_URL`` when it is set, otherwise on noida-db's emulator (an emulator run:
parameter id ``elasticsearch-emulator``, tests needing what it lacks skipped)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from harvester.index.base import SearchIndex
from harvester.index.elastic.backend import ElasticIndex
from harvester.index.sqlite.backend import SqliteIndex
from tests.harvester.index.corpus import corpus
from tests.support.elastic_gaps import EsCluster
from tests.support.engine_fixtures import ES_PARAM, skip_missing_features


def elastic_index(cluster: EsCluster) -> ElasticIndex:
    """A fresh Elasticsearch index under a unique name, with the cluster's template."""
    return ElasticIndex(
        cluster.url, f"csfinder-test-{uuid.uuid4().hex[:10]}", template=cluster.template()
    )


@pytest.fixture(params=["sqlite", ES_PARAM])
def index_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchIndex]:
    """An empty index of each backend."""
    if request.param == "sqlite":
        index: SearchIndex = SqliteIndex(tmp_path / "index")
    else:
        cluster: EsCluster = request.getfixturevalue("es_cluster")
        skip_missing_features(request, cluster)
        index = elastic_index(cluster)
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
