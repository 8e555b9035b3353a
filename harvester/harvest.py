"""Harvest a configured source, whatever its protocol."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from harvester.errors import ConfigError, HarvestError
from harvester.oai.harvest import OAIHarvest
from harvester.runs import HarvestRequest, ProgressListener
from harvester.settings import HarvestSettings
from harvester.sources import SourceConfig
from harvester.store import NormalisedRow, PageOutcome, Run, Store

if TYPE_CHECKING:
    from harvester.index.base import SearchIndex

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
    sink, notice = normalising_sink(source, store, index) if normalise else (None, None)
    if source.protocol == "oai-pmh":
        return OAIHarvest(source, store, settings, progress, sink, notice).run(request)
    if source.protocol in ("json-api", "sitemap-jsonld"):
        from harvester.spiders.harvest import CrawlHarvest

        return CrawlHarvest(source, store, settings, progress, sink, notice).run(request)
    raise HarvestError(f"protocol '{source.protocol}' is not supported yet (source '{source.id}')")


def normalising_sink(
    source: SourceConfig, store: Store, index: SearchIndex | None = None
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
        counts = store.write_normalised(
            [normaliser.row(raw, outcome.at) for raw in outcome.changed]
        )
        if index is not None:
            index_changed(index, counts.changed)

    return write, None


def index_changed(index: SearchIndex, rows: list[NormalisedRow]) -> None:
    """Send changed rows to the search index; a failing index never fails the harvest
    (the records are stored, and ``csfinder reindex`` catches the index up)."""
    from harvester.index.service import apply_rows

    if not rows:
        return
    try:
        stats = apply_rows(index, rows)
    except Exception as exc:  # any backend's failure: logged, records kept in the store
        log.warning("search index not updated (%s); run `csfinder reindex`", exc)
        return
    for error in stats.errors:
        log.warning("search index: %s", error)
