"""Sickle, wrapped: our HTTP layer underneath, safe parsing, OAI errors read from any status.

Sickle 0.7 alone stops on a ``Retry-After`` given as an HTTP date, raises on HTTP 4xx
before reading the OAI error in the body, retries only listed statuses, has no default
timeout and re-parses a response each time its ``xml`` is read. :class:`OAIClient`
overrides ``Sickle.harvest`` (the one method that talks HTTP) and uses Sickle's
``iterator`` hook with :class:`PageIterator`, which yields whole pages so that a page and
its checkpoint can be stored together, and refuses a resumption token it has seen before.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree
from sickle import Sickle
from sickle.iterator import BaseOAIIterator
from sickle.models import Identify

from harvester.core.errors import (
    FetchError,
    HarvestError,
    MalformedResponseError,
    OAIProtocolError,
    ResumptionLoopError,
    UnsafeXMLError,
)
from harvester.fetch.http import Fetched, HttpClient
from harvester.fetch.oai.xml import parse_xml

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
_OAI = "{" + OAI_NS + "}"
MAX_EMPTY_PAGES = 100


class OAIResponse:
    """One OAI-PMH response, parsed once (Sickle's ``OAIResponse`` shape)."""

    def __init__(self, fetched: Fetched, params: dict[str, str]) -> None:
        self.params = params
        self.http_response = fetched
        parsed = parse_xml(fetched.content, fetched.charset)
        self.xml: etree._Element = parsed.root
        self.repairs = parsed.repairs

    @property
    def raw(self) -> str:
        """The response as text."""
        return etree.tostring(self.xml, encoding="unicode")

    @property
    def response_date(self) -> str | None:
        """The server's ``responseDate``."""
        value = self.xml.findtext(_OAI + "responseDate")
        return value.strip() if value else None


class OAIClient(Sickle):  # type: ignore[misc]
    """A Sickle client whose requests go through :class:`HttpClient`."""

    def __init__(self, endpoint: str, http: HttpClient, malformed_retries: int = 2) -> None:
        super().__init__(endpoint, iterator=PageIterator, max_retries=0)
        self.http = http
        self.malformed_retries = malformed_retries

    def harvest(self, **params: str) -> OAIResponse:
        """Issue one OAI-PMH request and return the parsed, error-checked response.

        Raises:
            OAIProtocolError: the body holds an OAI-PMH ``<error>`` (whatever the status).
            FetchError: HTTP failed, or a 4xx came without an OAI error.
            MalformedResponseError: the body is not an OAI-PMH document, even after repair.
        """
        attempt = 0
        while True:
            fetched = self.http.get(self.endpoint, params)
            try:
                response = OAIResponse(fetched, dict(params))
            except UnsafeXMLError:
                raise
            except MalformedResponseError as exc:
                if fetched.status >= 400:
                    raise FetchError(
                        f"HTTP {fetched.status} from {fetched.url}: body is not OAI-PMH ({exc})",
                        status=fetched.status,
                    ) from None
                if attempt >= self.malformed_retries:
                    raise MalformedResponseError(
                        f"{params.get('verb', '?')} response from {self.endpoint}: {exc}"
                    ) from None
                attempt += 1
                continue
            return _checked(response, fetched)

    def identify(self) -> IdentifyInfo:
        """Ask Identify and return what the harvester needs from it."""
        response = self.harvest(verb="Identify")
        identify = Identify(response)
        return IdentifyInfo(
            repository_name=str(getattr(identify, "repositoryName", "") or ""),
            protocol_version=str(getattr(identify, "protocolVersion", "") or ""),
            granularity=str(getattr(identify, "granularity", "") or "YYYY-MM-DD"),
            earliest_datestamp=getattr(identify, "earliestDatestamp", None),
            deleted_record=getattr(identify, "deletedRecord", None),
            response_date=response.response_date,
        )

    def list_pages(self, verb: str = "ListRecords", **params: str) -> Iterator[Page]:
        """Iterate over the pages of a list request (``resumptionToken`` resumes one)."""
        params = dict(params, verb=verb)
        iterator: PageIterator = self.iterator(self, params)
        return iterator


def _checked(response: OAIResponse, fetched: Fetched) -> OAIResponse:
    root = response.xml
    if root.tag != _OAI + "OAI-PMH":
        detail = f"root element is <{etree.QName(root).localname}>"
        if fetched.status >= 400:
            raise FetchError(
                f"HTTP {fetched.status} from {fetched.url}: {detail}", status=fetched.status
            )
        raise MalformedResponseError(f"not an OAI-PMH response from {fetched.url}: {detail}")
    error = root.find(_OAI + "error")
    if error is not None:
        raise OAIProtocolError(
            error.get("code", "unknown"), " ".join((error.text or "").split()), fetched.status
        )
    if fetched.status >= 400:
        raise FetchError(
            f"HTTP {fetched.status} from {fetched.url} without an OAI-PMH error",
            status=fetched.status,
        )
    return response


@dataclass(frozen=True)
class IdentifyInfo:
    """What Identify says that matters to harvesting."""

    repository_name: str
    protocol_version: str
    granularity: str
    earliest_datestamp: str | None
    deleted_record: str | None
    response_date: str | None


@dataclass(frozen=True)
class Page:
    """One page of a list response."""

    response: OAIResponse
    items: list[etree._Element]
    token: str | None
    cursor: str | None
    complete_list_size: str | None


class PageIterator(BaseOAIIterator):  # type: ignore[misc]
    """Sickle iterator yielding pages; refuses repeated tokens and endless empty pages."""

    oai_response: OAIResponse
    resumption_token: Any
    verb: str

    def __init__(self, sickle: OAIClient, params: dict[str, str], ignore_deleted: bool = False):
        self._seen_tokens: set[int] = set()
        self._empty_pages = 0
        self._pending: Page | None = None
        start_token = params.get("resumptionToken")
        if start_token:
            self._seen_tokens.add(hash(start_token))
        super().__init__(sickle, params, ignore_deleted)

    def _next_response(self) -> None:
        super()._next_response()
        response: OAIResponse = self.oai_response
        token = self.resumption_token
        value = (token.token or "").strip() if token is not None else ""
        if value:
            key = hash(value)
            if key in self._seen_tokens:
                raise ResumptionLoopError(
                    f"{self.verb}: the provider sent resumption token '{_short(value)}' again; "
                    "the list would never end"
                )
            self._seen_tokens.add(key)
        element = {"ListRecords": "record", "ListIdentifiers": "header"}.get(self.verb, "set")
        container = response.xml.find(_OAI + self.verb)
        items = list(container.iterfind(_OAI + element)) if container is not None else []
        self._empty_pages = 0 if items else self._empty_pages + 1
        if self._empty_pages > MAX_EMPTY_PAGES and value:
            raise HarvestError(
                f"{self.verb}: {MAX_EMPTY_PAGES} pages in a row held no records; giving up"
            )
        self._pending = Page(
            response=response,
            items=items,
            token=value or None,
            cursor=token.cursor if token is not None else None,
            complete_list_size=token.complete_list_size if token is not None else None,
        )
        if not value:
            self.resumption_token = None

    def next(self) -> Page:
        """Return the next page."""
        if self._pending is None:
            if self.resumption_token is None or not self.resumption_token.token:
                raise StopIteration
            self._next_response()
        page, self._pending = self._pending, None
        assert page is not None
        return page

    def __next__(self) -> Any:
        return self.next()


def _short(token: str) -> str:
    return token if len(token) <= 60 else token[:57] + "..."
