"""One OAI-PMH harvest run of one source, from Identify to the last page of the last set.

Incremental by default: ``from`` is the server's ``responseDate`` at the start of the last
successful run, at the granularity Identify declares. Each page is stored together with
the checkpoint that follows it, so a run that dies is resumed by the next one; a token
the provider no longer accepts falls back to listing that set again from the run's
``from`` date, which re-reads records without doubling them.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from harvester.errors import CsfinderError, OAIProtocolError
from harvester.http import HttpClient, http_client_for
from harvester.oai.client import OAIClient, Page
from harvester.oai.records import read_page
from harvester.runs import HarvestRequest, Progress, ProgressListener, claim, this_host
from harvester.settings import HarvestSettings
from harvester.sources import SourceConfig
from harvester.store import (
    FAILED,
    SUCCEEDED,
    Checkpoint,
    Counts,
    PageOutcome,
    PageWrite,
    Run,
    Store,
)

PageSink = Callable[[PageOutcome], None]
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECONDS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def validate_oai_date(value: str) -> str:
    """Check a date given for ``from``: ``YYYY-MM-DD`` or ``YYYY-MM-DDThh:mm:ssZ``.

    Raises:
        ValueError: any other form.
    """
    value = value.strip()
    for pattern, layout in ((_DAY, "%Y-%m-%d"), (_SECONDS, "%Y-%m-%dT%H:%M:%SZ")):
        if pattern.match(value):
            try:
                datetime.strptime(value, layout).replace(tzinfo=UTC)
            except ValueError:
                break
            return value
    raise ValueError(f"'{value}' is not a date as YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ")


def at_granularity(stamp: str, granularity: str) -> str:
    """Cut a UTC datestamp to the granularity the repository declared."""
    return stamp[:10] if "hh" not in granularity else stamp


class OAIHarvest:
    """Harvests one OAI-PMH source into the store."""

    def __init__(
        self,
        source: SourceConfig,
        store: Store,
        settings: HarvestSettings,
        progress: ProgressListener | None = None,
        page_sink: PageSink | None = None,
        notice: str | None = None,
    ) -> None:
        if not source.metadata_prefix:
            raise ValueError(f"source '{source.id}' has no metadata_prefix")
        self.source = source
        self.prefix = source.metadata_prefix
        self.store = store
        self.settings = settings
        self.progress = progress
        self.page_sink = page_sink
        self.notice = notice
        self.counts = Counts()
        self._started = 0.0
        self._run_id = 0

    def run(self, request: HarvestRequest | None = None) -> Run:
        """Harvest; return the finished run.

        Raises:
            RunConflictError: another live process harvests this source.
            HarvestError: the run failed; it is recorded as failed and resumable.
        """
        request = request or HarvestRequest()
        resumable = claim(self.store, self.source.id, self.settings.stall_after)
        resumed = resumable if request.mode == "incremental" else None
        run = self.store.start_run(
            self.source.id,
            mode=resumed.mode if resumed else request.mode,
            from_date=resumed.from_date if resumed else None,
            pid=os.getpid(),
            host=this_host(),
            resumed=resumed,
        )
        self._run_id = run.id
        self._started = time.monotonic()
        if self.notice:
            self.store.add_run_error(run.id, self.notice)
        http = self._http_client()
        try:
            self._harvest(run, resumed, request, OAIClient(self.source.url, http))
        except CsfinderError as exc:
            self.store.finish_run(run.id, FAILED, str(exc))
            raise
        except BaseException as exc:
            self.store.finish_run(run.id, FAILED, f"{type(exc).__name__}: {exc}".rstrip(": "))
            raise
        finally:
            http.close()
        return self.store.finish_run(run.id, SUCCEEDED)

    def _http_client(self) -> HttpClient:
        return http_client_for(
            self.source, self.settings, lambda problem, delay: self.store.update_run(self._run_id)
        )

    def _harvest(
        self, run: Run, resumed: Run | None, request: HarvestRequest, client: OAIClient
    ) -> None:
        identify = client.identify()
        response_date = resumed.response_date if resumed else identify.response_date
        if resumed:
            from_date = resumed.from_date
        elif request.full:
            from_date = None
        elif request.from_date:
            from_date = at_granularity(request.from_date, identify.granularity)
        else:
            from_date = self._incremental_from(identify.granularity)
        self.store.update_run(run.id, from_date=from_date, response_date=response_date)
        sets: list[str | None] = list(self.source.sets) or [None]
        start = run.checkpoint
        for index in range(start.set_index, len(sets)):
            token = start.token if index == start.set_index else None
            self._harvest_set(run.id, client, index, sets[index], from_date, token)

    def _incremental_from(self, granularity: str) -> str | None:
        last = self.store.last_successful_run(self.source.id)
        if last is None:
            return None
        stamp = last.response_date or f"{last.started_at:%Y-%m-%dT%H:%M:%SZ}"
        return at_granularity(stamp, granularity)

    def _harvest_set(
        self,
        run_id: int,
        client: OAIClient,
        index: int,
        set_spec: str | None,
        from_date: str | None,
        token: str | None,
    ) -> None:
        done = Checkpoint(index + 1, None, None)
        for page in self._pages(run_id, client, set_spec, from_date, token):
            records, failures = read_page(page.items, self.source.id, self.prefix)
            for repair in page.response.repairs:
                self.store.add_run_error(run_id, f"response repaired: {repair}")
            checkpoint = Checkpoint(index, set_spec, page.token) if page.token else done
            outcome = self.store.write_page(run_id, PageWrite(records, failures), checkpoint)
            self.counts.add(outcome)
            if self.page_sink is not None and outcome.changed:
                self.page_sink(outcome)
            self._report(set_spec)
        self.store.update_run(
            run_id,
            checkpoint_set_index=done.set_index,
            checkpoint_set=None,
            checkpoint_token=None,
        )

    def _pages(
        self,
        run_id: int,
        client: OAIClient,
        set_spec: str | None,
        from_date: str | None,
        token: str | None,
    ) -> Iterator[Page]:
        params = {"metadataPrefix": self.prefix}
        if set_spec:
            params["set"] = set_spec
        if from_date:
            params["from"] = from_date
        try:
            if token:
                try:
                    return client.list_pages(resumptionToken=token)
                except OAIProtocolError as exc:
                    if exc.code != "badResumptionToken":
                        raise
                    self.store.add_run_error(
                        run_id,
                        f"the checkpoint's resumption token was refused ({exc.message}); "
                        f"listing {f'set {set_spec}' if set_spec else 'all records'} again "
                        f"from {from_date or 'the beginning'}",
                    )
            return client.list_pages(**params)
        except OAIProtocolError as exc:
            if exc.code == "noRecordsMatch":
                return iter(())
            raise

    def _report(self, set_spec: str | None) -> None:
        if self.progress is not None:
            elapsed = time.monotonic() - self._started
            self.progress(Progress(self._run_id, self.source.id, set_spec, self.counts, elapsed))
