"""HTTP fetching that survives real providers.

Every request has a timeout (connect, read, and a deadline for the whole body); 429, 5xx,
connection errors and timeouts are retried with capped exponential backoff, honouring
``Retry-After`` given in seconds or as an HTTP date; bodies over a size cap are refused;
an optional rate limit spaces requests. Other 4xx answers are returned, not raised, so
that the caller can read a protocol error from the body (Invenio sends OAI errors as 422).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import BinaryIO

import requests
from requests.structures import CaseInsensitiveDict
from tenacity import (
    RetryCallState,
    RetryError,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
)

from harvester.core.errors import FetchError, ResponseTooLargeError
from harvester.core.settings import HarvestSettings
from harvester.core.sources import SourceConfig
from harvester.fetch.netguard import guarded_session

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, *range(500, 600)})
CHUNK = 256 * 1024


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry."""

    max_retries: int = 5
    backoff_base: float = 2.0
    backoff_max: float = 300.0

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based), with 10 % jitter."""
        wait = self.backoff_base * (2**attempt)
        return float(min(self.backoff_max, wait * (1 + 0.1 * random.random())))  # noqa: S311


@dataclass(frozen=True)
class Fetched:
    """A complete HTTP response, body included."""

    url: str
    status: int
    headers: CaseInsensitiveDict[str]
    content: bytes

    @property
    def charset(self) -> str | None:
        """The charset named by the Content-Type header, if any."""
        for part in self.headers.get("content-type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip("\"'")
        return None

    @property
    def content_type(self) -> str:
        """The media type, without parameters."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


RetryListener = Callable[[str, float], None]


class _Retryable(Exception):
    """An attempt that failed in a way worth retrying: why, and how long the server asked
    to wait (``Retry-After``), if it did."""

    def __init__(
        self, problem: str, url: str, status: int | None = None, wait: float | None = None
    ) -> None:
        super().__init__(problem)
        self.problem = problem
        self.url = url
        self.status = status
        self.wait = wait


class HttpClient:
    """A requests session with timeouts, retries, a size cap and a rate limit."""

    def __init__(
        self,
        *,
        timeout: float,
        retry: RetryPolicy,
        max_bytes: int,
        user_agent: str,
        rate_limit: float | None = None,
        on_retry: RetryListener | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.timeout = timeout
        self.retry = retry
        self.max_bytes = max_bytes
        self.min_interval = 1.0 / rate_limit if rate_limit else 0.0
        self.on_retry = on_retry
        self.retries = 0
        self._last_request = 0.0
        self._lock = threading.Lock()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = user_agent

    def close(self) -> None:
        """Close pooled connections."""
        self.session.close()

    def get(
        self,
        url: str,
        params: Mapping[str, str] | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        into: BinaryIO | None = None,
    ) -> Fetched:
        """GET a URL, retrying what is worth retrying (tenacity runs the attempts).

        Args:
            url: the address.
            params: query parameters.
            headers: request headers (such as ``If-None-Match``).
            into: a file to stream the body into (emptied before each attempt) instead of
                keeping it in memory; the returned ``content`` is then empty.

        Returns:
            The response; 2xx, 3xx and 4xx other than 429 are returned as they are.

        Raises:
            FetchError: the retries ran out, or the request cannot succeed.
            ResponseTooLargeError: the body is over the size cap (never retried).
        """
        retrying = Retrying(
            stop=stop_after_attempt(self.retry.max_retries + 1),
            wait=self._wait,
            retry=retry_if_exception_type(_Retryable),
            before_sleep=self._before_sleep,
            sleep=time.sleep,
        )
        try:
            return retrying(self._attempt, url, params, headers, into)
        except RetryError as exc:
            failure = exc.last_attempt.exception()
            assert isinstance(failure, _Retryable)
            tries = exc.last_attempt.attempt_number
            raise FetchError(
                f"{failure.problem} from {url} ({tries} attempt{'s' if tries > 1 else ''})",
                status=failure.status,
            ) from None

    def _attempt(
        self,
        url: str,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None = None,
        into: BinaryIO | None = None,
    ) -> Fetched:
        """One request; what is worth retrying is raised as :class:`_Retryable`."""
        self._respect_rate_limit()
        if into is not None:
            into.seek(0)
            into.truncate()
        try:
            fetched = self._get_once(url, params, headers, into)
        except ResponseTooLargeError:
            raise
        except (requests.Timeout, TimeoutError) as exc:
            problem = f"timed out after {self.timeout:g} s ({type(exc).__name__})"
            raise _Retryable(problem, url) from exc
        except requests.ConnectionError as exc:
            raise _Retryable(f"connection failed ({_root_cause(exc)})", url) from exc
        except requests.RequestException as exc:
            raise _Retryable(f"request failed ({_root_cause(exc)})", url) from exc
        if fetched.status in RETRY_STATUSES:
            wait = retry_after_seconds(fetched.headers.get("retry-after"))
            raise _Retryable(f"HTTP {fetched.status}", url, fetched.status, wait)
        return fetched

    def _wait(self, state: RetryCallState) -> float:
        """The server's ``Retry-After`` where it gave one, else capped backoff with jitter."""
        failure = state.outcome.exception() if state.outcome is not None else None
        asked = failure.wait if isinstance(failure, _Retryable) else None
        delay = self.retry.backoff(state.attempt_number - 1) if asked is None else asked
        return min(delay, self.retry.backoff_max)

    def _before_sleep(self, state: RetryCallState) -> None:
        failure = state.outcome.exception() if state.outcome is not None else None
        problem = failure.problem if isinstance(failure, _Retryable) else "request failed"
        delay = state.upcoming_sleep
        log.warning("%s from %s; retrying in %.1f s", problem, getattr(failure, "url", ""), delay)
        if self.on_retry is not None:
            self.on_retry(problem, delay)
        self.retries += 1

    def _get_once(
        self,
        url: str,
        params: Mapping[str, str] | None,
        headers: Mapping[str, str] | None = None,
        into: BinaryIO | None = None,
    ) -> Fetched:
        started = time.monotonic()
        connect_timeout = min(self.timeout, 15.0)
        with self.session.get(
            url,
            params=params,
            headers=dict(headers or {}),
            timeout=(connect_timeout, self.timeout),
            stream=True,
        ) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise ResponseTooLargeError(
                    f"response from {url} announces {int(declared)} bytes, over the cap of "
                    f"{self.max_bytes}",
                    status=response.status_code,
                )
            body = bytearray()
            size = 0
            for chunk in response.iter_content(CHUNK):
                size += len(chunk)
                if into is not None and response.status_code < 300:
                    into.write(chunk)
                else:
                    body += chunk
                if size > self.max_bytes:
                    raise ResponseTooLargeError(
                        f"response from {url} is over the cap of {self.max_bytes} bytes",
                        status=response.status_code,
                    )
                if time.monotonic() - started > self.timeout:
                    raise TimeoutError(f"body not complete after {self.timeout:g} s")
            return Fetched(
                url=response.url,
                status=response.status_code,
                headers=CaseInsensitiveDict(response.headers),
                content=bytes(body),
            )

    def _respect_rate_limit(self) -> None:
        """Space requests by the source's rate limit (one client in one process: a minimum
        interval is all a token-bucket library such as pyrate-limiter would give here)."""
        if not self.min_interval:
            return
        with self._lock:
            wait = self._last_request + self.min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last_request = time.monotonic()


def http_client_for(
    source: SourceConfig, settings: HarvestSettings, on_retry: RetryListener | None = None
) -> HttpClient:
    """An HTTP client with the source's timeout, retries and rate limit over the defaults.

    A ``guarded`` source (every registered one) gets a :class:`GuardedSession`: each
    request, each redirect and each connected address is checked against the URL guard
    with the settings' :class:`~harvester.core.settings.UrlPolicy`. Every adapter that
    fetches through this client is guarded without doing anything itself.
    """
    retries = settings.max_retries if source.max_retries is None else source.max_retries
    session = guarded_session(settings.url_policy) if source.guarded else None
    return HttpClient(
        timeout=source.timeout or settings.timeout,
        retry=RetryPolicy(retries, settings.backoff_base, settings.backoff_max),
        max_bytes=settings.max_response_bytes,
        user_agent=settings.agent,
        rate_limit=source.rate_limit,
        on_retry=on_retry,
        session=session,
    )


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Read a ``Retry-After`` header: delay in seconds, or an HTTP date.

    Returns:
        Seconds to wait (never negative), or ``None`` when absent or unreadable.
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _root_cause(exc: BaseException) -> str:
    while exc.__cause__ is not None or exc.__context__ is not None:
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    text = str(exc) or type(exc).__name__
    return text.split("] ")[-1] if "] " in text else text
