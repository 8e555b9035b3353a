"""Helpers for tests that harvest a loopback provider into a real store."""

from __future__ import annotations

from typing import Any

from harvester.core.errors import HarvestError
from harvester.core.settings import HarvestSettings
from harvester.core.sources import SourceConfig
from harvester.pipeline.harvest import HarvestRequest, harvest_source
from harvester.store import FAILED, Run, Store


def oai_source(source_id: str, url: str, prefix: str = "oai_dc", **fields: Any) -> SourceConfig:
    """An OAI-PMH source configuration for a test provider."""
    return SourceConfig(
        id=source_id,
        name=f"Test provider {source_id}",
        platform="test",
        protocol="oai-pmh",
        url=url,
        metadata_prefix=prefix,
        crosswalk="oai_dc",
        **fields,
    )


def harvest_run(
    source: SourceConfig,
    store: Store,
    settings: HarvestSettings,
    request: HarvestRequest | None = None,
) -> Run:
    """Harvest and return the run, failed or not; a failure must raise the reason it stores."""
    try:
        return harvest_source(source, store, settings, request)
    except HarvestError as exc:
        reason = str(exc)
    failed = store.runs(source.id, limit=1)[0]
    assert failed.status == FAILED
    assert failed.error == reason
    return failed
