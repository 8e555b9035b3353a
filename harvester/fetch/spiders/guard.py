"""The URL guard in a crawl of a guarded (registered) source, at two levels.

:class:`UrlGuardMiddleware` checks every request before it is sent: start pages, next
pages, sitemap entries, robots.txt, each redirect (Scrapy sends a redirect as a new request
through the downloader middlewares) and each retry. :class:`GuardedResolver` is Scrapy's DNS
resolver for the crawl: it refuses to hand the connection an address that is not globally
routable, so a name that resolves differently when the connection is made (DNS rebinding)
gains nothing. Both apply the same checks and :class:`~harvester.core.settings.UrlPolicy`
as :class:`~harvester.fetch.netguard.GuardedSession`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Self

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from harvester.core.settings import UrlPolicy
from harvester.fetch.netguard import address_problem, allowed_host, url_problem

log = logging.getLogger(__name__)
ALLOW_PRIVATE = "CSFINDER_ALLOW_PRIVATE_URLS"
ALLOWLIST = "CSFINDER_PRIVATE_URL_ALLOWLIST"


def guard_settings(policy: UrlPolicy) -> dict[str, Any]:
    """The Scrapy settings that put a crawl behind the guard with ``policy``."""
    return {
        ALLOW_PRIVATE: policy.allow_private,
        ALLOWLIST: list(policy.allowlist),
        "DNS_RESOLVER": f"{__name__}.GuardedResolver",
    }


def _policy(crawler: Crawler) -> UrlPolicy:
    settings = crawler.settings
    return UrlPolicy(settings.getbool(ALLOW_PRIVATE), tuple(settings.getlist(ALLOWLIST)))


class UnsafeRequest(IgnoreRequest):
    """A request the guard refused; the message names the URL and why."""


class UrlGuardMiddleware:
    """Refuses a request whose URL the guard would not fetch, before it is sent."""

    def __init__(self, policy: UrlPolicy) -> None:
        self.policy = policy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        """Build with the crawl's policy."""
        return cls(_policy(crawler))

    async def process_request(self, request: Request) -> None:
        """Check the URL (its host resolved in a thread, off the reactor)."""
        problem = await asyncio.to_thread(
            url_problem,
            request.url,
            allow_private=self.policy.allow_private,
            allowlist=self.policy.allowlist,
        )
        if problem is not None:
            raise UnsafeRequest(f"refused by the URL guard: {request.url}: {problem}")


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's resolver, refusing addresses that are not globally routable (the hosts of
    the policy's allowlist excepted: the allowlist's ports are checked by the middleware,
    which sees the URL)."""

    policy: UrlPolicy = UrlPolicy()

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> Self:
        """Scrapy's resolver with the crawl's policy."""
        resolver = super().from_crawler(crawler, reactor)
        resolver.policy = _policy(crawler)
        return resolver

    def getHostByName(self, name: str, timeout: Any = ()) -> Deferred[str]:
        """Resolve ``name``; fail with the reason when its address must not be reached."""
        found: Deferred[str] = super().getHostByName(name, timeout)
        return found.addCallback(self._checked, name)

    def _checked(self, address: str, name: str) -> str:
        if self.policy.allow_private or self._allowed(name):
            return address
        problem = address_problem(address)
        if problem is not None:  # the connection sees "no results": the reason goes to the log
            reason = f"refused by the URL guard: {name} resolves to {problem}"
            log.error("%s", reason)
            raise DNSLookupError(reason)
        return address

    def _allowed(self, name: str) -> bool:
        hosts = {_host_of(entry) for entry in self.policy.allowlist}
        return allowed_host(name, None, tuple(hosts))


def _host_of(entry: str) -> str:
    """The host of an allowlist entry (``host`` or ``host:port``; IPv6 in brackets)."""
    if entry.startswith("["):
        return entry[1:].split("]", 1)[0]
    return entry.rsplit(":", 1)[0] if entry.count(":") == 1 else entry
