"""The ``sitemap-jsonld`` spider: pages carrying schema.org metadata, found through
sitemaps or by following links from start pages.

Each page's JSON-LD, microdata and RDFa (read with extruct) gives one raw record per node of
a wanted type: the node as JSON-LD, identified by its ``@id`` (or ``url``, or the page's
canonical URL). A page that cannot be fetched is a failed record and makes the crawl partial
(no deletions); a sitemap that cannot be read fails the run, after everything else is read.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import extruct
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.python.failure import Failure

from harvester.core.jsonld import jsonld_nodes
from harvester.core.records import RawRecord, RecordFailure
from harvester.fetch.spiders.base import CrawlSpider, describe
from harvester.fetch.spiders.messages import Channel, CrawlJob, PageItem

SITEMAP_END = re.compile(r"(\.xml(\.gz)?|/robots\.txt)$", re.IGNORECASE)
RDF_VALUE = "@value"


class SitemapJsonLdSpider(CrawlSpider):
    """Crawls one source's pages for embedded metadata."""

    name = "sitemap-jsonld"

    def __init__(self, job: CrawlJob, channel: Channel, **kwargs: Any) -> None:
        super().__init__(job, channel, **kwargs)
        options = job.source.sitemap_options
        self.options = options
        sitemaps, starts = list(options.sitemaps), list(options.start_pages)
        if not sitemaps and not starts:
            url = job.source.url
            (sitemaps if SITEMAP_END.search(urlsplit(url).path) else starts).append(url)
        self.sitemaps, self.starts = sitemaps, starts
        hosts = {urlsplit(u).hostname for u in [*sitemaps, *starts, job.source.url]}
        self.allowed_domains = sorted(h for h in hosts if h)
        self.links = (
            LinkExtractor(allow=options.follow, deny=options.deny)  # off-site: allowed_domains
            if options.follow
            else None
        )
        self.types = options.types or job.types
        self.scheduled = 0
        self.forbidden = 0

    async def start(self) -> AsyncIterator[Request]:
        """The sitemaps, then the start pages."""
        for url in self.sitemaps:
            yield Request(url, callback=self.parse_sitemap, errback=self.sitemap_failed)
        for url in self.starts:
            request = self.page_request(url, None)
            if request is not None:
                yield request

    def page_request(self, url: str, lastmod: str | None) -> Request | None:
        """A request for a page, unless the page cap is reached."""
        cap = self.options.max_pages
        if cap is not None and self.scheduled >= cap:
            if self.scheduled == cap:
                self.scheduled += 1
                self.partial(f"stopped at the page cap (max_pages {cap}); more pages are listed")
            return None
        self.scheduled += 1
        return Request(
            url, callback=self.parse, errback=self.page_failed, meta={"lastmod": lastmod}
        )

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        """A sitemap, sitemap index or robots.txt: the pages (and sitemaps) it lists."""
        self.answered_once(response)
        if response.url.endswith("/robots.txt"):
            for url in sitemap_urls_from_robots(response.body, base_url=response.url):
                yield Request(url, callback=self.parse_sitemap, errback=self.sitemap_failed)
            return
        body = _sitemap_body(response)
        sitemap = Sitemap(body) if body else None
        if sitemap is None or sitemap.type not in ("sitemapindex", "urlset"):
            self.fail(f"{response.url} is not a sitemap")
            return
        for entry in self.changed(sitemap):
            loc = entry.get("loc")
            if not loc:
                continue
            if sitemap.type == "sitemapindex":
                yield Request(loc, callback=self.parse_sitemap, errback=self.sitemap_failed)
                continue
            request = self.page_request(loc, entry.get("lastmod"))
            if request is not None:
                yield request

    def changed(self, entries: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Sitemap entries, only those changed since the run's date when it has one."""
        for entry in entries:
            lastmod = entry.get("lastmod")
            if self.job.since and lastmod and lastmod < self.job.since[: len(lastmod)]:
                continue
            yield entry

    def parse(self, response: Response, **kwargs: Any) -> Iterator[PageItem | Request]:
        """One page: its metadata records, then the links worth following."""
        self.answered_once(response)
        if not isinstance(response, TextResponse):
            return
        yield self.records(response)
        if self.links is not None:
            for link in self.links.extract_links(response):
                request = self.page_request(link.url, None)
                if request is not None:
                    yield request

    def records(self, response: TextResponse) -> PageItem:
        """Raw records of the nodes of a wanted type on a page."""
        page = PageItem(batch=True)
        try:
            data = extruct.extract(
                response.text,
                base_url=response.url,
                syntaxes=list(self.options.syntaxes),
                uniform=True,
                errors="ignore",
            )
        except Exception as exc:  # extruct's parsers raise many kinds
            page.failures.append(RecordFailure(response.url, f"page not readable: {exc}"))
            return page
        documents = [
            *data.get("json-ld", []),
            *data.get("microdata", []),
            *(simplify_expanded(data.get("rdfa", []))),
        ]
        canonical = response.css('link[rel="canonical"]::attr(href)').get()
        page_url = response.urljoin(canonical) if canonical else response.url
        stamp = response.meta.get("lastmod") or _header(response, "Last-Modified")
        kept: set[str] = set()
        for document in documents:
            for node in jsonld_nodes(document, self.types):
                identifier = _identifier(node, page_url, len(kept))
                if identifier in kept:
                    continue
                kept.add(identifier)
                modified = node.get("dateModified")
                page.records.append(
                    RawRecord(
                        source_id=self.job.source.id,
                        identifier=identifier,
                        datestamp=modified if isinstance(modified, str) else stamp,
                        metadata_format=self.job.source.crosswalk,
                        payload=json.dumps(node, ensure_ascii=False),
                        media_type="application/ld+json",
                    )
                )
        return page

    def page_failed(self, failure: Failure) -> PageItem | None:
        """A page could not be fetched: a failed record; the crawl goes on, partial."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else None
        if isinstance(failure.value, IgnoreRequest) and "robots.txt" in str(failure.value):
            self.forbidden += 1
            if self.forbidden == 1:
                self.note(f"pages forbidden by robots.txt are skipped (first: {url})")
            return None
        self.complete = False
        reason = describe(failure, self.job.source.timeout or self.job.settings.timeout)
        return PageItem(failures=[RecordFailure(url, reason)], batch=True)

    def sitemap_failed(self, failure: Failure) -> None:
        """A sitemap could not be fetched: the list is unknown, the run fails."""
        self.fail(describe(failure, self.job.source.timeout or self.job.settings.timeout))


def simplify_expanded(nodes: list[Any]) -> list[Any]:
    """Expanded JSON-LD (extruct's RDFa) as plain nested JSON-LD: one value where a list
    holds one, ``{"@value": v}`` as ``v``, a reference to a node of the page as that node."""
    by_id = {n["@id"]: n for n in nodes if isinstance(n, dict) and isinstance(n.get("@id"), str)}

    def plain(value: Any, depth: int) -> Any:
        if isinstance(value, list):
            items = [plain(v, depth) for v in value]
            return items[0] if len(items) == 1 else items
        if not isinstance(value, dict):
            return value
        if RDF_VALUE in value:
            return value[RDF_VALUE]
        if set(value) == {"@id"} and value["@id"] in by_id and depth < 4:
            return plain(by_id[value["@id"]], depth + 1)
        return {k: v if k in ("@id", "@type") else plain(v, depth) for k, v in value.items()}

    return [plain(node, 0) for node in nodes if isinstance(node, dict)]


def _identifier(node: dict[str, Any], page_url: str, before: int) -> str:
    for key in ("@id", "url"):
        value = node.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    return page_url if before == 0 else f"{page_url}#{before + 1}"


def _sitemap_body(response: Response) -> bytes | None:
    if gzip_magic_number(response):
        try:
            return gunzip(response.body, max_size=64 * 1024 * 1024)
        except Exception:  # not gzip after all, or too big
            return None
    return response.body if response.body.lstrip().startswith(b"<") else None


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
