"""Harvest a configured source, whatever its protocol."""

from __future__ import annotations

from harvester.errors import HarvestError
from harvester.oai.harvest import OAIHarvest
from harvester.runs import HarvestRequest, ProgressListener
from harvester.settings import HarvestSettings
from harvester.sources import SourceConfig
from harvester.store import Run, Store

__all__ = ["HarvestRequest", "harvest_source"]


def harvest_source(
    source: SourceConfig,
    store: Store,
    settings: HarvestSettings,
    request: HarvestRequest | None = None,
    progress: ProgressListener | None = None,
) -> Run:
    """Run one harvest of ``source`` and return the finished run.

    Raises:
        HarvestError: the run failed (it is recorded, with its reason).
        RunConflictError: another live process is harvesting the source.
    """
    if source.protocol == "oai-pmh":
        return OAIHarvest(source, store, settings, progress).run(request)
    raise HarvestError(f"protocol '{source.protocol}' is not supported yet (source '{source.id}')")
