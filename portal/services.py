"""What the portal reads: the store, the search index and the source files."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import current_app

from harvester.core.settings import Settings
from harvester.core.sources import LoadedSources
from harvester.index.service import open_index, semantic_notice
from harvester.ops.metrics import search_latency
from harvester.store import Store
from harvester.store.registrations import load_all_sources

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from harvester.index.base import SearchIndex, SearchResult
    from harvester.index.query import SearchQuery


@dataclass
class Services:
    """Opened on first use, shared by the threads of one portal process."""

    settings: Settings
    _store: Store | None = None
    _index: SearchIndex | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def store(self) -> Store:
        """The store of harvested and normalised records."""
        with self._lock:
            if self._store is None:
                self.settings.home.mkdir(parents=True, exist_ok=True)
                self._store = Store(self.settings.database_url)
            return self._store

    @property
    def index(self) -> SearchIndex:
        """The search index the settings choose."""
        with self._lock:
            if self._index is None:
                self.settings.home.mkdir(parents=True, exist_ok=True)
                self._index = open_index(self.settings)
                notice = semantic_notice(self.settings)
                if notice is not None:
                    log.warning("%s", notice)
            return self._index

    def search(self, query: SearchQuery) -> SearchResult:
        """Answer a search, its time observed for the ``/metrics`` latency histogram."""
        with search_latency.time():
            return self.index.search(query)

    def sources(self) -> LoadedSources:
        """The source files and approved registrations, read afresh each time (they change
        while the portal runs)."""
        return load_all_sources(self.settings.sources_dir, self.store)


def services() -> Services:
    """The services of the running app."""
    found: Services = current_app.extensions["csfinder"]
    return found
