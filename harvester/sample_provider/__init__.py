"""A small, correct OAI-PMH 2.0 data provider for the demo, the benchmark and the tests.

It serves Dublin Core (``oai_dc``) records from a :class:`Repository`: a YAML-backed
:class:`ListRepository` or a lazily generated :class:`SyntheticRepository` of any size.
This package re-exports what the demo, the benchmarks and the tests use.
"""

from __future__ import annotations

from harvester.sample_provider.list_repository import (
    ListRepository,
    demo_repositories,
    load_demo_repositories,
)
from harvester.sample_provider.repository import DC_ELEMENTS, DcValue, Repository, SampleRecord
from harvester.sample_provider.server import RunningServer, serve, serve_forever
from harvester.sample_provider.synthetic import SyntheticRepository
from harvester.sample_provider.wsgi import OAIProvider

__all__ = [
    "DC_ELEMENTS",
    "DcValue",
    "ListRepository",
    "OAIProvider",
    "Repository",
    "RunningServer",
    "SampleRecord",
    "SyntheticRepository",
    "demo_repositories",
    "load_demo_repositories",
    "serve",
    "serve_forever",
]
