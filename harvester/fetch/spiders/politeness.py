"""Scrapy settings from csfinder's, a retry middleware with backoff, and the pipeline.

The OAI-PMH path's guarantees, in Scrapy's terms: robots.txt obeyed, AutoThrottle, the
source's rate limit as ``DOWNLOAD_DELAY``, the User-Agent naming the portal and its contact
page, timeouts, a size cap, retries of 429, 5xx and network errors with capped
exponential backoff that honours ``Retry-After``, and, for a guarded (registered) source,
the URL guard on every request and every resolved address (:mod:`.guard`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response

from harvester.core.settings import HarvestSettings
from harvester.core.sources import SourceConfig
from harvester.fetch.http import RETRY_STATUSES, RetryPolicy, retry_after_seconds
from harvester.fetch.spiders.guard import guard_settings
from harvester.fetch.spiders.messages import PageItem, Retrying

BATCH = 100  # records per page sent to the parent when a crawl has no pages of its own


def scrapy_settings(source: SourceConfig, settings: HarvestSettings) -> dict[str, Any]:
    """Scrapy settings for one crawl of ``source``."""
    retries = settings.max_retries if source.max_retries is None else source.max_retries
    delay = 1.0 / source.rate_limit if source.rate_limit else 0.0
    middlewares: dict[str, int | None] = {
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "harvester.fetch.spiders.politeness.BackoffRetryMiddleware": 550,
    }
    guard: dict[str, Any] = {}
    if source.guarded:  # every request checked first, robots.txt and redirects included
        middlewares["harvester.fetch.spiders.guard.UrlGuardMiddleware"] = 50
        guard = guard_settings(settings.url_policy)
    return {
        "BOT_NAME": "csfinder",
        "USER_AGENT": settings.agent,
        "ROBOTSTXT_OBEY": True,
        "DOWNLOAD_TIMEOUT": source.timeout or settings.timeout,
        "DOWNLOAD_MAXSIZE": settings.max_response_bytes,
        "DOWNLOAD_WARNSIZE": min(settings.max_response_bytes, 32 * 1024 * 1024),
        "DOWNLOAD_DELAY": delay,
        "DOWNLOAD_DELAY_JITTER": 0.0,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": delay,
        "AUTOTHROTTLE_MAX_DELAY": settings.backoff_max,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        "RETRY_ENABLED": True,
        "RETRY_TIMES": retries,
        "RETRY_HTTP_CODES": sorted(RETRY_STATUSES),
        "RETRY_GIVE_UP_LOG_LEVEL": "INFO",
        "RETRY_BACKOFF_BASE": settings.backoff_base,
        "RETRY_BACKOFF_MAX": settings.backoff_max,
        "DOWNLOADER_MIDDLEWARES": middlewares,
        "ITEM_PIPELINES": {"harvester.fetch.spiders.politeness.ChannelPipeline": 100},
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "ERROR",
        "MEMUSAGE_ENABLED": False,
        **guard,
    }


# Scrapy's own RetryMiddleware, extended: it neither backs off nor honours Retry-After.
class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting ``Retry-After`` or a capped exponential backoff first."""

    DELAY = "csfinder_retry_delay"

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.policy = RetryPolicy(
            self.max_retry_times,
            crawler.settings.getfloat("RETRY_BACKOFF_BASE", 2.0),
            crawler.settings.getfloat("RETRY_BACKOFF_MAX", 300.0),
        )

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        """Build from the crawler's settings."""
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        """Wait before sending a retry."""
        delay = request.meta.pop(self.DELAY, None)
        if delay:
            await asyncio.sleep(float(delay))

    def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        """Retry 429 and 5xx answers, after ``Retry-After`` when the server gives one."""
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        wait = retry_after_seconds((response.headers.get("Retry-After") or b"").decode("latin-1"))
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        return self._delayed(retry, f"HTTP {response.status}", wait)

    def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        """Retry network errors and timeouts after a backoff."""
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions_to_retry):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        return self._delayed(retry, type(exception).__name__, None)

    def _delayed(self, retry: Request, problem: str, wait: float | None) -> Request:
        attempt = int(retry.meta.get("retry_times", 1)) - 1
        delay = min(self.policy.backoff(attempt) if wait is None else wait, self.policy.backoff_max)
        retry.meta[self.DELAY] = delay
        spider = self.crawler.spider
        channel = getattr(spider, "channel", None)
        if channel is not None:
            channel.send(Retrying(f"{problem} from {retry.url}", delay))
        return retry


class ChannelPipeline:
    """Sends each page to the parent process; small pages are sent in batches."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.pending = PageItem(batch=True)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ChannelPipeline:
        """Build for one crawler."""
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        """Send (or gather) one page."""
        if not isinstance(item, PageItem):
            return item
        if item.batch:
            self.pending.records.extend(item.records)
            self.pending.failures.extend(item.failures)
            if len(self.pending.records) + len(self.pending.failures) >= BATCH:
                self._flush()
        else:
            self._flush()
            self._send(item)
        return item

    def close_spider(self) -> None:
        """Send what is gathered, then say how the crawl ended."""
        self._flush()
        finish = getattr(self.crawler.spider, "finish", None)
        if finish is not None:
            finish()

    def _flush(self) -> None:
        if self.pending.records or self.pending.failures:
            self._send(self.pending)
            self.pending = PageItem(batch=True)

    def _send(self, item: PageItem) -> None:
        self.crawler.spider.channel.send(item)  # type: ignore[union-attr]
