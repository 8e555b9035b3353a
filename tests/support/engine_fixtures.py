"""pytest plugin: the engines a deployment grows into, started once per session on loopback.

- ``postgres_server`` / ``postgres_url``: a throw-away PostgreSQL and a fresh database per
  test; ``database_url`` is parametrised over SQLite and PostgreSQL (ids ``sqlite`` and
  ``postgresql``) for the suites that must hold on both.
- ``redis_server``: a throw-away ``redis-server``.
- ``es_cluster``: the cluster at ``CSFINDER_ES_URL`` when it is set (a real one), otherwise
  noida-db's Elasticsearch-8 API emulator; its ``gaps`` are the features the backend uses
  that the emulator lacks, found by probing it. A test that needs one is marked
  ``@pytest.mark.es_feature(NAME)`` and is skipped on the emulator, the emulator named.

A server that cannot start skips the tests that need it, loudly (the reason, and a line in
the summary); under CI (``CI`` set) it is an error instead: there, they must run. The
summary says which engine ran which tests, and that the Elasticsearch run was an emulator's.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tests.support.elastic_gaps import EsCluster, probe_cluster
from tests.support.engines import (
    ElasticEmulator,
    PostgresServer,
    RedisServer,
    Unavailable,
)

ENV_ES_URL = "CSFINDER_ES_URL"
ES_PARAM = "elasticsearch" if os.environ.get(ENV_ES_URL) else "elasticsearch-emulator"
"""The id of Elasticsearch parameters: ``elasticsearch-emulator`` unless a real cluster is
given, so that every emulator run says so in its test ids."""

MARKS = {
    "postgresql": "PostgreSQL",
    "redis": "Redis",
    "elasticsearch": "Elasticsearch",
}
_Server = TypeVar("_Server", PostgresServer, RedisServer, ElasticEmulator)


@dataclass
class EngineBook:
    """Which engines ran, which could not start, and what their tests did."""

    versions: dict[str, str] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, Counter[str]] = field(default_factory=dict)
    gap_skips: Counter[str] = field(default_factory=Counter)


BOOK = EngineBook()


def must_run() -> bool:
    """Under CI the engines' tests must run: a server that cannot start is an error."""
    return bool(os.environ.get("CI"))


def unavailable(engine: str, reason: str) -> None:
    """Skip (or, under CI, fail) a test whose engine cannot start."""
    BOOK.unavailable[engine] = reason
    message = f"{engine} UNAVAILABLE, its tests did not run: {reason}"
    if must_run():
        pytest.fail(f"{message} (CI must run them)", pytrace=False)
    pytest.skip(message)


def _start(engine: str, factory: Callable[[], _Server]) -> Iterator[_Server]:
    if engine in BOOK.unavailable:
        unavailable(engine, BOOK.unavailable[engine])
    try:
        server = factory().start()
    except Unavailable as exc:
        unavailable(engine, str(exc))
    BOOK.versions[engine] = server.version
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the session."""
    yield from _start("PostgreSQL", PostgresServer)


@pytest.fixture
def postgres_database(postgres_server: PostgresServer) -> Iterator[str]:
    """The name of a fresh, empty database, dropped after the test."""
    name = postgres_server.create_database()
    yield name
    postgres_server.drop_database(name)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer, postgres_database: str) -> str:
    """The SQLAlchemy URL of a fresh, empty PostgreSQL database."""
    return postgres_server.url(postgres_database)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store database of each kind: a SQLite file, a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """A redis-server for the session."""
    yield from _start("Redis", RedisServer)


@pytest.fixture(scope="session")
def es_cluster() -> Iterator[EsCluster]:
    """The cluster at ``CSFINDER_ES_URL``, or noida-db's emulator when none is given."""
    url = os.environ.get(ENV_ES_URL)
    if url:
        cluster = probe_cluster(url, emulator=False)
        if cluster is None:
            unavailable("Elasticsearch", f"{ENV_ES_URL}={url} does not answer")
        assert cluster is not None
        BOOK.versions["Elasticsearch"] = cluster.version
        yield cluster
        return
    for emulator in _start("Elasticsearch", ElasticEmulator):
        found = probe_cluster(emulator.url, emulator=True, version=emulator.version)
        if found is None:
            unavailable("Elasticsearch", "noida-db started but does not answer")
        assert found is not None
        yield found


def skip_missing_features(request: pytest.FixtureRequest, cluster: EsCluster) -> None:
    """Skip the test when it is marked ``es_feature(NAME, ...)`` and the cluster (the
    emulator) lacks one of them, the emulator named in the reason."""
    marker = request.node.get_closest_marker("es_feature")
    missing = [name for name in (marker.args if marker else ()) if name in cluster.gaps]
    if missing:
        BOOK.gap_skips.update(missing)
        lacks = "; ".join(f"{name} ({cluster.gaps[name]})" for name in missing)
        pytest.skip(f"emulator gap: {cluster.version} lacks {lacks}")


@pytest.fixture(autouse=True)
def _es_features(request: pytest.FixtureRequest) -> None:
    """Apply :func:`skip_missing_features` to tests that use ``es_cluster`` directly (the
    contract suite's ``index_backend`` applies it to its Elasticsearch parameter)."""
    if "es_cluster" in request.fixturenames and request.node.get_closest_marker("es_feature"):
        skip_missing_features(request, request.getfixturevalue("es_cluster"))


def pytest_configure(config: pytest.Config) -> None:
    """Declare the markers this plugin uses."""
    for mark, engine in MARKS.items():
        config.addinivalue_line("markers", f"{mark}: runs on a throw-away {engine}")
    config.addinivalue_line(
        "markers", "es_emulator: runs on noida-db's Elasticsearch API emulator, not Lucene"
    )
    config.addinivalue_line(
        "markers", "es_feature(name): needs an Elasticsearch feature the emulator may lack"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with the engines it runs on (from its fixtures and parameters)."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        params = {str(v) for v in getattr(getattr(item, "callspec", None), "params", {}).values()}
        on_postgres = "postgresql" in params if "database_url" in names else False
        if on_postgres or ("postgres_server" in names and "database_url" not in names):
            item.add_marker("postgresql")
        if "redis_server" in names:
            item.add_marker("redis")
        if "es_cluster" in names or ("index_backend" in names and ES_PARAM in params):
            item.add_marker("elasticsearch")
            if ES_PARAM.endswith("emulator"):
                item.add_marker("es_emulator")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Count each engine's outcomes (the call phase, or a skip or error in setup)."""
    if report.when != "call" and not (report.when == "setup" and not report.passed):
        return
    for mark in MARKS:
        if mark in report.keywords:
            BOOK.outcomes.setdefault(mark, Counter())[report.outcome] += 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """One line per engine: which server, what its tests did; an emulator run says so."""
    if not BOOK.outcomes and not BOOK.unavailable:
        return
    terminalreporter.section("engines")
    for mark, engine in MARKS.items():
        counts = BOOK.outcomes.get(mark)
        if not counts:
            continue
        tally = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
        if engine in BOOK.unavailable:
            line = f"{engine}: UNAVAILABLE ({BOOK.unavailable[engine]}): {tally}"
        else:
            line = f"{engine}: {BOOK.versions.get(engine, '?')}: {tally}"
        if mark == "elasticsearch" and ES_PARAM.endswith("emulator"):
            line = "EMULATOR RUN of the Elasticsearch contract: " + line
            if BOOK.gap_skips:
                gaps = ", ".join(f"{name} ({n})" for name, n in sorted(BOOK.gap_skips.items()))
                line += f"; skipped for emulator gaps: {gaps}"
        terminalreporter.write_line(line)
