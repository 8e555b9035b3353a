"""What every protocol adapter shares: the request it serves, the sink it writes pages to,
and the interface the pipeline drives."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Protocol

from harvester.core.settings import HarvestSettings
from harvester.core.sources import SourceConfig
from harvester.store import Checkpoint, PageWrite, Run, Store


@dataclass(frozen=True)
class HarvestRequest:
    """What the operator asked for: incremental (default), ``full``, or from a date."""

    full: bool = False
    from_date: str | None = None

    @property
    def mode(self) -> str:
        """``full``, ``from`` or ``incremental``."""
        if self.full:
            return "full"
        return "from" if self.from_date else "incremental"


class PageSink(Protocol):
    """Where an adapter puts what it lists: the pipeline's run, which stores each page with
    its checkpoint, normalises and indexes it."""

    def write(
        self, page: PageWrite, checkpoint: Checkpoint | None, label: str | None = None
    ) -> None:
        """Store one page with the checkpoint after it (and whatever follows storing)."""

    def flush(self) -> None:
        """Store every page written so far, in order."""

    def heartbeat(self, problem: str = "", delay: float = 0.0) -> None:
        """Say the run is alive (also the HTTP retry listener)."""


class Harvester(ABC):
    """One protocol's way of listing a source: from the run's checkpoint on, page by page,
    into a :class:`PageSink`."""

    def __init__(self, source: SourceConfig, store: Store, settings: HarvestSettings) -> None:
        self.source = source
        self.store = store
        self.settings = settings

    @abstractmethod
    def harvest(
        self, run: Run, resumed: Run | None, request: HarvestRequest, sink: PageSink
    ) -> None:
        """List the source into ``sink`` (raise :class:`HarvestError` to fail the run)."""
