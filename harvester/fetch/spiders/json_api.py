"""The ``json-api`` spider: a JSON web API listed page by page.

Each page becomes one item: its records (one JSON item each, serialised), the failures
(an item without identifier) and the next page's URL as checkpoint. Pages are read one after
the other, since each names the next. A page that cannot be read, a request that fails for
good, or a next page already read in this run (a list that would never end) stops the crawl
with that reason; what came before is kept.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

from scrapy.http import Request, Response
from twisted.python.failure import Failure

from harvester.core.source_options import JsonApiOptions
from harvester.fetch.json_records import JsonRecordReader
from harvester.fetch.spiders.base import CrawlSpider, describe
from harvester.fetch.spiders.messages import Channel, CrawlJob, PageItem
from harvester.fetch.spiders.paging import first_url, next_url, with_params, without_params


class JsonApiSpider(CrawlSpider):
    """Lists a JSON API for one source."""

    name = "json-api"

    def __init__(self, job: CrawlJob, channel: Channel, **kwargs: Any) -> None:
        super().__init__(job, channel, **kwargs)
        options = job.source.json_api
        assert options is not None
        self.options: JsonApiOptions = options
        self.reader = JsonRecordReader(job.source)
        self.secrets = {k: v for k, v in job.params.items() if k in job.secret_params}
        self.seen_urls: set[str] = set()
        self.previous_page: str | None = None
        self.pages = 0

    async def start(self) -> AsyncIterator[Request]:
        """The checkpoint's page, or the first page."""
        if self.job.resume_url:
            yield self.request(self.job.resume_url)
            return
        params = dict(self.job.params)
        if self.job.since and self.options.incremental:
            params[self.options.incremental.param] = self.options.incremental.value(self.job.since)
        yield self.request(first_url(self.job.source.url, params, self.options.pagination))

    def request(self, url: str) -> Request:
        """A request for a page (``url`` without secrets; they are added here)."""
        public = without_params(url, self.job.secret_params)
        self.seen_urls.add(public)
        return Request(
            with_params(public, self.secrets),
            callback=self.parse,
            errback=self.failed,
            headers={"Accept": "application/json", **self.job.headers},
            dont_filter=True,
            meta={"page_url": public},
        )

    def parse(self, response: Response, **kwargs: Any) -> Iterator[PageItem | Request]:
        """Read one page: its records, then the next page's request."""
        self.answered_once(response)
        url = response.meta["page_url"]
        try:
            document = json.loads(response.body)
        except ValueError as exc:
            self.fail(f"invalid JSON from {url}: {exc}")
            return
        items = self.reader.items(document)
        if items is None:
            self.fail(f"no records at '{self.options.records_path}' in the answer from {url}")
            return
        read = self.reader.read(items)
        page = PageItem(records=read.records, failures=read.failures)
        signature = _signature(page)
        if signature is not None and signature == self.previous_page:
            self.fail(f"page {url} repeats the records of the page before it")
            return
        self.previous_page = signature
        self.pages += 1
        try:
            following = next_url(
                self.options.pagination,
                url,
                document,
                (response.headers.get("Link") or b"").decode("latin-1") or None,
                len(items),
            )
        except ValueError as exc:
            self.fail(f"cannot find the next page after {url}: {exc}")
            following = None
        following = without_params(following, self.job.secret_params) if following else None
        cap = self.options.max_pages
        if following and following in self.seen_urls:
            page.checkpoint = following
            yield page
            self.fail(f"the next page {following} was already read in this run (after {url})")
            return
        if following and cap is not None and self.pages >= cap:
            self.partial(f"stopped at the page cap (max_pages {cap}); the list goes on")
            following = None
        page.checkpoint = following or ""
        yield page
        if following:
            yield self.request(following)

    def failed(self, failure: Failure) -> None:
        """A page could not be fetched (after the retries): the crawl stops here."""
        self.fail(describe(failure, self.job.source.timeout or self.job.settings.timeout))


def _signature(page: PageItem) -> str | None:
    if not page.records:
        return None
    joined = "\n".join(record.identifier for record in page.records)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()
