"""Fixtures of the spider tests: loopback servers, and a skip where shared/ is absent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from harvester.sample_provider import RunningServer
from tests.support.fixture_provider import SHARED_FIXTURES
from tests.support.servers import server_factory

__all__ = ["server_factory"]


@pytest.fixture
def serve(server_factory: Callable[..., RunningServer]) -> Callable[..., RunningServer]:
    """``serve(app, path="/api")`` runs a WSGI app on 127.0.0.1 until the test ends."""

    def make(app: Callable[..., Any], path: str = "/api") -> RunningServer:
        return server_factory(app, path)

    return make


@pytest.fixture
def recorded() -> None:
    """Skip unless the recorded responses of shared/fixtures are beside the repository."""
    if SHARED_FIXTURES is None:
        pytest.skip("shared/fixtures is not available beside the repository")
