"""Fixtures for the sample provider tests: servers on 127.0.0.1, stopped after each test."""

from tests.support.servers import fixture_server, sample_server, server_factory

__all__ = ["fixture_server", "sample_server", "server_factory"]
