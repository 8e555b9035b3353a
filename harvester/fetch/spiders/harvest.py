"""One ``json-api`` or ``sitemap-jsonld`` harvest run: the crawl in a child process, every
page stored here, in the parent, exactly as the OAI-PMH path stores its pages.

Incremental where the source allows it: a json-api source with an ``incremental`` parameter
asks for records changed since the HTTP ``Date`` of the first answer of the last successful
run (the server's clock, as OAI-PMH's ``responseDate``); a sitemap crawl skips entries whose
``lastmod`` is older. The next page's URL is checkpointed with each json-api page, so a run
that dies is resumed from it. A record that a complete listing (every page read, nothing
failed, no cap, no date filter) no longer holds is marked deleted; after any other run,
nothing is.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from datetime import UTC, datetime
from typing import Any

from harvester.core.errors import HarvestError
from harvester.core.records import RawRecord, RecordFailure
from harvester.core.settings import HarvestSettings
from harvester.core.source_options import resolve
from harvester.core.sources import SourceConfig
from harvester.fetch.base import Harvester, HarvestRequest, PageSink
from harvester.fetch.spiders.child import crawl
from harvester.fetch.spiders.messages import Answered, CrawlJob, Ended, Note, PageItem, Retrying
from harvester.store import Checkpoint, PageWrite, Run, Store

DEFAULT_TYPES = ("Dataset", "ResearchProject", "Project")
POLL = 1.0  # seconds between looks at a quiet child
HEARTBEAT = 30.0  # seconds of quiet after which the run still says it is alive


class CrawlHarvest(Harvester):
    """Harvests one json-api or sitemap-jsonld source into the store."""

    _secrets: set[str] = frozenset()  # type: ignore[assignment]

    def __init__(
        self,
        source: SourceConfig,
        store: Store,
        settings: HarvestSettings,
        types: tuple[str, ...] = (),
    ) -> None:
        """``types``: the schema.org types a sitemap crawl keeps (its crosswalk's)."""
        super().__init__(source, store, settings)
        self.types = types or DEFAULT_TYPES

    def harvest(
        self, run: Run, resumed: Run | None, request: HarvestRequest, sink: PageSink
    ) -> None:
        """Crawl in a child process; store its pages; mark what vanished from a full list."""
        self.sink = sink
        self._run_id = run.id
        job = self._job(run, resumed, request)
        self.store.update_run(run.id, from_date=job.since)
        chain_start = self._chain_start(run)
        ended = self._follow(run, resumed, job)
        if ended.error:
            raise HarvestError(self._redact(ended.error))
        if ended.complete and job.since is None:
            self._delete_vanished(chain_start)
        elif job.since is None:
            self.store.add_run_error(run.id, "not a complete listing: no record marked deleted")

    def _job(self, run: Run, resumed: Run | None, request: HarvestRequest) -> CrawlJob:
        source = self.source
        params: dict[str, str] = {}
        headers: dict[str, str] = {}
        secret_params: set[str] = set()
        since = resumed.from_date if resumed else self._since(request)
        if source.json_api is not None:
            params, secrets = resolve(source.json_api.params, source.id, "params")
            headers, header_secrets = resolve(source.json_api.headers, source.id, "headers")
            secret_params = {k for k, v in params.items() if v in secrets}
            self._secrets = secrets | header_secrets
        token = run.checkpoint.token if resumed else None
        return CrawlJob(
            source=source,
            settings=self.settings,
            params=params,
            headers=headers,
            secret_params=frozenset(secret_params),
            resume_url=token or None,
            since=since,
            types=self._types(),
        )

    def _since(self, request: HarvestRequest) -> str | None:
        """The date to ask from, in the API's format; ``None`` for a full listing."""
        if request.full:
            return None
        options = self.source.json_api
        pattern = options.incremental.format if options and options.incremental else None
        if pattern is None and not self.source.sitemap_options.incremental:
            if request.from_date:
                self.store.add_run_error(
                    self._run_id, "the source lists no changes by date: listing everything"
                )
            return None
        if request.from_date:
            stamp = request.from_date
        else:
            last = self.store.last_successful_run(self.source.id)
            if last is None:
                return None
            stamp = last.response_date or f"{last.started_at:%Y-%m-%dT%H:%M:%SZ}"
        when = _parse_stamp(stamp)
        return when.strftime(pattern) if pattern else f"{when:%Y-%m-%dT%H:%M:%SZ}"

    def _types(self) -> tuple[str, ...]:
        return self.types if self.source.protocol == "sitemap-jsonld" else ()

    def _follow(self, run: Run, resumed: Run | None, job: CrawlJob) -> Ended:
        context = multiprocessing.get_context("spawn")
        messages: Any = context.Queue(maxsize=8)
        child = context.Process(
            target=crawl, args=(job, messages, os.getpid()), name=f"crawl-{self.source.id}"
        )
        child.start()
        quiet = 0.0
        try:
            while True:
                try:
                    message = messages.get(timeout=POLL)
                except queue.Empty:
                    if not child.is_alive():
                        return Ended(f"the crawl process died (exit code {child.exitcode})", False)
                    quiet += POLL
                    if quiet >= HEARTBEAT:
                        self.sink.heartbeat()
                        quiet = 0.0
                    continue
                quiet = 0.0
                if isinstance(message, Ended):
                    return message
                self._receive(run, resumed, message)
        finally:
            if child.is_alive():
                child.join(timeout=10)
            if child.is_alive():
                child.terminate()
                child.join(timeout=5)
            messages.close()

    def _receive(self, run: Run, resumed: Run | None, message: object) -> None:
        if isinstance(message, PageItem):
            checkpoint = None
            if message.checkpoint is not None:
                checkpoint = Checkpoint(0, None, self._redact(message.checkpoint) or None)
            failures = [
                RecordFailure(f.identifier, self._redact(f.reason)) for f in message.failures
            ]
            self.sink.write(PageWrite(message.records, failures), checkpoint)
        elif isinstance(message, Note):
            self.store.add_run_error(run.id, self._redact(message.text))
        elif isinstance(message, Retrying):
            self.sink.heartbeat()
        elif isinstance(message, Answered) and resumed is None:
            stamp = message.date or f"{run.started_at:%Y-%m-%dT%H:%M:%SZ}"
            self.store.update_run(run.id, response_date=stamp)

    def _chain_start(self, run: Run) -> datetime:
        """When the first run of a chain of resumed runs started."""
        start, current = run.started_at, run
        while current.resumed_run_id is not None:
            previous = self.store.get_run(current.resumed_run_id)
            if previous is None:
                break
            start, current = previous.started_at, previous
        return start

    def _delete_vanished(self, listed_since: datetime) -> None:
        """Mark deleted every record the complete listing did not hold."""
        while True:
            self.sink.flush()  # the pages handed over are stored before the store is asked
            gone: list[RawRecord] = self.store.unseen_since(self.source.id, listed_since)
            if not gone:
                return
            self.sink.write(PageWrite(gone, listed=False), None)

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


def _parse_stamp(stamp: str) -> datetime:
    text = stamp.strip().replace("Z", "+00:00")
    when = datetime.fromisoformat(text if "T" in text else text[:10])
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
