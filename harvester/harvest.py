"""Harvest a configured source, whatever its protocol."""

from __future__ import annotations

from collections.abc import Callable

from harvester.errors import ConfigError, HarvestError
from harvester.oai.harvest import OAIHarvest
from harvester.runs import HarvestRequest, ProgressListener
from harvester.settings import HarvestSettings
from harvester.sources import SourceConfig
from harvester.store import PageOutcome, Run, Store

__all__ = ["HarvestRequest", "harvest_source"]


def harvest_source(
    source: SourceConfig,
    store: Store,
    settings: HarvestSettings,
    request: HarvestRequest | None = None,
    progress: ProgressListener | None = None,
    *,
    normalise: bool = True,
) -> Run:
    """Run one harvest of ``source`` and return the finished run.

    Changed records are normalised page by page unless ``normalise`` is false (then
    ``csfinder normalise`` maps them later, from the store).

    Raises:
        HarvestError: the run failed (it is recorded, with its reason).
        RunConflictError: another live process is harvesting the source.
    """
    sink, notice = normalising_sink(source, store) if normalise else (None, None)
    if source.protocol == "oai-pmh":
        return OAIHarvest(source, store, settings, progress, sink, notice).run(request)
    if source.protocol in ("json-api", "sitemap-jsonld"):
        from harvester.spiders.harvest import CrawlHarvest

        return CrawlHarvest(source, store, settings, progress, sink, notice).run(request)
    raise HarvestError(f"protocol '{source.protocol}' is not supported yet (source '{source.id}')")


def normalising_sink(
    source: SourceConfig, store: Store
) -> tuple[Callable[[PageOutcome], None] | None, str | None]:
    """Normalise each page's changed records as the harvest goes.

    Returns:
        The page callback, or ``None`` and a notice for the run when the source's
        crosswalk is not available (raw records are still stored, nothing is lost).
    """
    from harvester.normalise.service import Normaliser

    try:
        normaliser = Normaliser(source)
    except ConfigError as exc:
        return None, f"records stored raw, not normalised: {exc}"

    def write(outcome: PageOutcome) -> None:
        store.write_normalised([normaliser.row(raw, outcome.at) for raw in outcome.changed])

    return write, None
