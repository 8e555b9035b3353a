"""One OAI-PMH harvest run of one source, from Identify to the last page of the last set.

Incremental by default: ``from`` is the server's ``responseDate`` at the start of the last
successful run, at the granularity Identify declares. Each page is stored together with
the checkpoint that follows it, so a run that dies is resumed by the next one; a token
the provider no longer accepts falls back to listing that set again from the run's
``from`` date, which re-reads records without doubling them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import closing
from datetime import UTC, datetime

from harvester.core.errors import OAIProtocolError
from harvester.core.records import RawRecord, RecordFailure
from harvester.fetch.base import Harvester, HarvestRequest, PageSink
from harvester.fetch.http import http_client_for
from harvester.fetch.oai.client import OAIClient, Page
from harvester.fetch.oai.records import read_page
from harvester.fetch.prefetch import prefetched
from harvester.store import Checkpoint, PageWrite, Run

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


def _size(complete_list_size: str | None) -> int | None:
    """The ``completeListSize`` of a resumption token as a number (None when absent or not
    a number: the attribute is optional and only informative)."""
    value = (complete_list_size or "").strip()
    return int(value) if value.isdigit() else None


class OAIHarvest(Harvester):
    """Harvests one OAI-PMH source into the store."""

    @property
    def prefix(self) -> str:
        """The metadata prefix to harvest."""
        if not self.source.metadata_prefix:
            raise ValueError(f"source '{self.source.id}' has no metadata_prefix")
        return self.source.metadata_prefix

    def harvest(
        self, run: Run, resumed: Run | None, request: HarvestRequest, sink: PageSink
    ) -> None:
        """Identify, then list every set from the run's checkpoint on."""
        self.sink = sink
        http = http_client_for(self.source, self.settings, sink.heartbeat)
        try:
            self._harvest(run, resumed, request, OAIClient(self.source.url, http))
        finally:
            http.close()

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
        pages = self._pages(run_id, client, set_spec, from_date, token)
        # The next pages are fetched and parsed while this one is stored and indexed.
        with closing(prefetched(self._read(page) for page in pages)) as read:
            for page, records, failures in read:
                for repair in page.response.repairs:
                    self.store.add_run_error(run_id, f"response repaired: {repair}")
                checkpoint = Checkpoint(index, set_spec, page.token) if page.token else done
                page_write = PageWrite(records, failures, announced=_size(page.complete_list_size))
                self.sink.write(page_write, checkpoint, set_spec)
        self.sink.flush()
        self.store.update_run(
            run_id,
            checkpoint_set_index=done.set_index,
            checkpoint_set=None,
            checkpoint_token=None,
        )

    def _read(self, page: Page) -> tuple[Page, list[RawRecord], list[RecordFailure]]:
        return (page, *read_page(page.items, self.source.id, self.prefix))

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
