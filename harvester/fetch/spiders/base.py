"""What both spiders share: the job, the channel, the crawl's outcome, failure reasons."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from harvester.fetch.spiders.messages import Answered, Channel, CrawlJob, Ended, Note


class CrawlSpider(Spider):
    """A spider run for a :class:`CrawlJob`, reporting through a :class:`Channel`."""

    def __init__(self, job: CrawlJob, channel: Channel, **kwargs: Any) -> None:
        super().__init__(name=self.name, **kwargs)
        self.job = job
        self.channel = channel
        self.error: str | None = None
        self.complete = True
        self.answered = False

    def answered_once(self, response: Response) -> None:
        """Send the first response's Date header (the server's clock, for incremental runs)."""
        if self.answered:
            return
        self.answered = True
        raw = response.headers.get("Date")
        date = None
        if raw:
            try:
                when = parsedate_to_datetime(raw.decode("latin-1"))
                date = f"{when:%Y-%m-%dT%H:%M:%SZ}"
            except (TypeError, ValueError, IndexError):
                date = None
        self.channel.send(Answered(date))

    def fail(self, reason: str) -> None:
        """The crawl cannot go on: the run fails with this reason (the first one kept)."""
        self.complete = False
        if self.error is None:
            self.error = reason
        else:
            self.note(reason)

    def partial(self, reason: str) -> None:
        """The crawl goes on but will not have listed everything (no deletions)."""
        self.complete = False
        self.note(reason)

    def note(self, text: str) -> None:
        """A remark kept with the run."""
        self.channel.send(Note(text))

    def finish(self) -> None:
        """Report the end of the crawl (called once every page has been sent)."""
        self.channel.send(Ended(self.error, self.complete and self.error is None))


def describe(failure: Failure, timeout: float) -> str:
    """One line saying why a request failed for good."""
    exc = failure.value
    request = getattr(failure, "request", None)
    url = request.url if request is not None else "?"
    tries = 1 + int(request.meta.get("retry_times", 0)) if request is not None else 1
    attempts = f"({tries} attempt{'s' if tries > 1 else ''})"
    if isinstance(exc, HttpError):
        response = exc.response
        body = response.body[:200].decode("utf-8", "replace").strip()
        said = f": {' '.join(body.split())}" if body else ""
        return f"HTTP {response.status} from {response.url} {attempts}{said}"
    if isinstance(exc, IgnoreRequest):
        return f"{url}: {exc or 'request dropped'}"
    if isinstance(exc, TimeoutError | TCPTimedOutError) or "Timeout" in type(exc).__name__:
        return f"timed out after {timeout:g} s from {url} {attempts}"
    if isinstance(exc, DNSLookupError | ConnectionRefusedError):
        return f"connection failed ({type(exc).__name__}) to {url} {attempts}"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__} from {url} {attempts}: {text}"
