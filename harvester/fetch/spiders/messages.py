"""What the parent hands a crawl, and what the crawl sends back, across processes.

Everything here is picklable: the job goes to the child process as its argument, the
messages come back through a :class:`multiprocessing.Queue`, which is bounded, so a crawl
waits for the parent to store its pages and memory stays flat.
"""

from __future__ import annotations

import os
import queue
from dataclasses import dataclass, field
from multiprocessing.queues import Queue
from typing import Any

from harvester.core.records import RawRecord, RecordFailure
from harvester.core.settings import HarvestSettings
from harvester.core.sources import SourceConfig


@dataclass(frozen=True)
class CrawlJob:
    """One crawl of one source, with everything resolved in the parent.

    Attributes:
        source: the source configuration.
        settings: harvest settings (timeouts, retries, User-Agent).
        params: query parameters of every request, secrets included.
        headers: request headers, secrets included.
        secret_params: names of the parameters holding secrets (kept out of checkpoints).
        resume_url: the checkpoint's next page, to start from instead of the first.
        since: records changed since this date only (already in the API's format).
        types: schema.org types to keep (sitemap-jsonld).
    """

    source: SourceConfig
    settings: HarvestSettings
    params: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    secret_params: frozenset[str] = frozenset()
    resume_url: str | None = None
    since: str | None = None
    types: tuple[str, ...] = ()


@dataclass
class PageItem:
    """One page of a crawl: its records and failures, and where to go on after it.

    ``checkpoint`` is the next page's URL (``""`` once the list is done, ``None`` for crawls
    that keep no checkpoint); ``batch`` lets small pages be sent together.
    """

    records: list[RawRecord] = field(default_factory=list)
    failures: list[RecordFailure] = field(default_factory=list)
    checkpoint: str | None = None
    batch: bool = False


@dataclass(frozen=True)
class Note:
    """A run-level remark for the run's error samples."""

    text: str


@dataclass(frozen=True)
class Retrying:
    """A request is retried after ``delay`` seconds (the run is alive)."""

    problem: str
    delay: float


@dataclass(frozen=True)
class Answered:
    """The first response arrived; ``date`` is its HTTP Date header as ISO UTC, if any."""

    date: str | None


@dataclass(frozen=True)
class Ended:
    """The crawl is over. ``error`` fails the run; ``complete`` says the whole list was read
    (every page, no failure, no cap), which deletions by absence require."""

    error: str | None
    complete: bool


Message = PageItem | Note | Retrying | Answered | Ended


class Channel:
    """The child's end of the queue; gives up when the parent process is gone."""

    def __init__(self, messages: Queue[Any], parent_pid: int) -> None:
        self.messages = messages
        self.parent_pid = parent_pid
        self.ended = False

    def send(self, message: Message) -> None:
        """Put a message, waiting while the queue is full; exit if the parent died."""
        if isinstance(message, Ended):
            if self.ended:
                return
            self.ended = True
        while True:
            try:
                self.messages.put(message, timeout=1.0)
                return
            except queue.Full:
                if os.getppid() != self.parent_pid:
                    os._exit(3)  # orphaned: nobody will store what we send
