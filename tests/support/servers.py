"""Pytest helpers that run OAI-PMH providers on 127.0.0.1 for the duration of a test.

Use the fixtures by importing them into a ``conftest.py`` (or list this module in the root
conftest's ``pytest_plugins``)::

    from tests.support.servers import fixture_server, sample_server, server_factory  # noqa: F401
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from harvester.sample_provider import ListRepository, OAIProvider, RunningServer, serve
from tests.support.fixture_provider import SHARED_FIXTURES, FixtureProvider

SAMPLE_YAML = Path(__file__).resolve().parents[1] / "fixtures" / "sample_repository.yaml"
"""The invented 12-record test repository."""

SAMPLE_PAGE_SIZE = 5


def start(app: Callable[..., Any], path: str = "/oai") -> RunningServer:
    """Serve ``app`` on a free port of 127.0.0.1; the caller stops it."""
    return serve(app, host="127.0.0.1", port=0, path=path)


def sample_repository() -> ListRepository:
    """Load the invented test repository (12 records, 2 sets, 1 deleted)."""
    return ListRepository.from_yaml(SAMPLE_YAML)


@pytest.fixture
def server_factory() -> Iterator[Callable[..., RunningServer]]:
    """Start any WSGI app with ``server_factory(app)``; every server stops after the test."""
    servers: list[RunningServer] = []

    def make(app: Callable[..., Any], path: str = "/oai") -> RunningServer:
        server = start(app, path)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def sample_server() -> Iterator[RunningServer]:
    """The test repository served by :class:`OAIProvider` with 5-record pages."""
    with start(OAIProvider(sample_repository(), page_size=SAMPLE_PAGE_SIZE)) as server:
        yield server


@pytest.fixture
def fixture_server() -> Iterator[Callable[..., RunningServer]]:
    """Factory: ``fixture_server("zenodo", **options)`` serves recorded responses.

    The test is skipped when ``shared/fixtures`` is absent. ``server.app`` is the
    :class:`FixtureProvider`, whose ``log`` lists the requests it answered.
    """
    if SHARED_FIXTURES is None:
        pytest.skip("shared/fixtures is not available beside the repository")
    servers: list[RunningServer] = []

    def make(profile: str, **options: Any) -> RunningServer:
        server = start(FixtureProvider(profile, **options))
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()
