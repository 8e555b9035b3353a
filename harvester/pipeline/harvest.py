"""Harvest a configured source, whatever its protocol."""

from __future__ import annotations

from harvester.core.errors import ConfigError, HarvestError
from harvester.core.settings import HarvestSettings
from harvester.core.sources import SourceConfig
from harvester.fetch.base import Harvester, HarvestRequest
from harvester.fetch.csv.harvest import CsvHarvest
from harvester.fetch.oai.harvest import OAIHarvest
from harvester.fetch.spiders.harvest import CrawlHarvest
from harvester.index.base import SearchIndex
from harvester.normalise.service import crosswalk_named
from harvester.pipeline.ingest import PageIngest
from harvester.pipeline.run import HarvestRun, ProgressListener
from harvester.store import Run, Store

__all__ = ["HarvestRequest", "harvest_source"]


def harvest_source(
    source: SourceConfig,
    store: Store,
    settings: HarvestSettings,
    request: HarvestRequest | None = None,
    progress: ProgressListener | None = None,
    *,
    normalise: bool = True,
    index: SearchIndex | None = None,
) -> Run:
    """Run one harvest of ``source`` and return the finished run.

    Changed records are normalised page by page unless ``normalise`` is false (then
    ``csfinder normalise`` maps them later, from the store).

    Raises:
        HarvestError: the run failed (it is recorded, with its reason).
        RunConflictError: another live process is harvesting the source.
    """
    harvester = protocol_adapter(source, store, settings)
    ingest, notice = page_ingest(source, store, settings, index) if normalise else (None, None)
    return HarvestRun(harvester, progress, ingest, notice).run(request)


def protocol_adapter(source: SourceConfig, store: Store, settings: HarvestSettings) -> Harvester:
    """The adapter that lists ``source`` by its protocol.

    Raises:
        HarvestError: no adapter for the source's protocol.
    """
    if source.protocol == "oai-pmh":
        return OAIHarvest(source, store, settings)
    if source.protocol in ("json-api", "sitemap-jsonld"):
        return CrawlHarvest(source, store, settings, _crosswalk_types(source))
    if source.protocol == "csv":
        return CsvHarvest(source, store, settings)
    raise HarvestError(f"protocol '{source.protocol}' is not supported yet (source '{source.id}')")


def _crosswalk_types(source: SourceConfig) -> tuple[str, ...]:
    """The schema.org types the source's crosswalk reads (a sitemap crawl keeps those)."""
    try:
        return crosswalk_named(source.crosswalk).types
    except ConfigError:
        return ()


def page_ingest(
    source: SourceConfig,
    store: Store,
    settings: HarvestSettings,
    index: SearchIndex | None = None,
) -> tuple[PageIngest | None, str | None]:
    """Normalise each page's changed records as the harvest goes, and index them.

    Returns:
        What normalises and indexes the pages, or ``None`` and a notice for the run when
        the source's crosswalk is not available (raw records are still stored, nothing is
        lost).
    """
    try:
        ingest = PageIngest(
            source,
            store,
            index,
            workers=settings.normalise_workers,
            parallel_after=settings.parallel_after,
        )
    except ConfigError as exc:
        return None, f"records stored raw, not normalised: {exc}"
    return ingest, None
