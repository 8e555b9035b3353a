"""Harvest a configured source, whatever its protocol."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from harvester.errors import ConfigError, HarvestError
from harvester.oai.harvest import OAIHarvest
from harvester.runs import HarvestRequest, ProgressListener
from harvester.settings import HarvestSettings
from harvester.sources import SourceConfig
from harvester.store import NormalisedRow, Run, Store

if TYPE_CHECKING:
    from harvester.index.base import SearchIndex
    from harvester.index.documents import IndexDocument
    from harvester.pipeline import PageIngest

__all__ = ["HarvestRequest", "harvest_source"]
log = logging.getLogger(__name__)


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
    ingest, notice = page_ingest(source, store, settings, index) if normalise else (None, None)
    if source.protocol == "oai-pmh":
        return OAIHarvest(source, store, settings, progress, ingest, notice).run(request)
    if source.protocol in ("json-api", "sitemap-jsonld"):
        from harvester.spiders.harvest import CrawlHarvest

        return CrawlHarvest(source, store, settings, progress, ingest, notice).run(request)
    raise HarvestError(f"protocol '{source.protocol}' is not supported yet (source '{source.id}')")


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
    from harvester.pipeline import PageIngest

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


def index_changed(
    index: SearchIndex,
    rows: list[NormalisedRow],
    documents: Mapping[str, IndexDocument] | None = None,
) -> None:
    """Send changed rows to the search index (``documents``: index documents already made
    for some of them, by id); a failing index never fails the harvest (the records are
    stored, and ``csfinder reindex`` catches the index up)."""
    from harvester.index.service import apply_rows

    if not rows:
        return
    try:
        stats = apply_rows(index, rows, documents)
    except Exception as exc:  # any backend's failure: logged, records kept in the store
        log.warning("search index not updated (%s); run `csfinder reindex`", exc)
        return
    for error in stats.errors:
        log.warning("search index: %s", error)
