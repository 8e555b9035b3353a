"""Pagination of JSON web APIs, as pure functions of URLs and response bodies.

The whole state of a list is the URL of its next page, so that URL is the checkpoint: a run
that dies resumes by asking for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import jmespath
from requests.utils import parse_header_links

from harvester.core.source_options import (
    CursorPaging,
    NextLinkPaging,
    OffsetPaging,
    PagePaging,
    Paging,
)


def with_params(url: str, params: Mapping[str, str]) -> str:
    """``url`` with these query parameters set (replacing any of the same name)."""
    if not params:
        return url
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query.extend(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def without_params(url: str, names: Iterable[str]) -> str:
    """``url`` without these query parameters (secrets never reach a checkpoint)."""
    names = set(names)
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if not names.intersection(k for k, _ in query):
        return url
    kept = [(k, v) for k, v in query if k not in names]
    return urlunsplit(parts._replace(query=urlencode(kept)))


def param(url: str, name: str) -> str | None:
    """The value of one query parameter of ``url``."""
    for key, value in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if key == name:
            return value
    return None


def first_url(url: str, params: Mapping[str, str], paging: Paging) -> str:
    """The first page's URL: the source's URL, its parameters, and the paging's own."""
    own: dict[str, str] = {}
    if isinstance(paging, PagePaging):
        own[paging.page_param] = str(paging.start)
        if paging.size_param:
            own[paging.size_param] = str(paging.size)
    elif isinstance(paging, OffsetPaging):
        own = {paging.offset_param: "0", paging.limit_param: str(paging.limit)}
    elif isinstance(paging, CursorPaging) and paging.initial is not None:
        own[paging.cursor_param] = paging.initial
    return with_params(url, {**params, **own})


def next_url(
    paging: Paging, url: str, document: Any, link_header: str | None, count: int
) -> str | None:
    """The next page's URL after the page ``url`` answered, or ``None`` at the end.

    Args:
        paging: the source's strategy.
        url: the page just read.
        document: its parsed body.
        link_header: its ``Link`` header, if any.
        count: how many records it held.

    Raises:
        ValueError: the page says something the strategy cannot read (a count that is no
            number, a page parameter that is no integer).
    """
    if isinstance(paging, NextLinkPaging):
        target = _search(paging.next_path, document) if paging.next_path else _link(link_header)
        return urljoin(url, target) if isinstance(target, str) and target.strip() else None
    if count == 0:
        return None
    if isinstance(paging, PagePaging):
        page = _int(param(url, paging.page_param), paging.start, paging.page_param)
        if paging.stop == "short" and count < paging.size:
            return None
        if paging.stop == "total":
            total = _int(_search(paging.total_path, document), None, str(paging.total_path))
            if (page - paging.start + 1) * paging.size >= total:
                return None
        return with_params(url, {paging.page_param: str(page + 1)})
    if isinstance(paging, OffsetPaging):
        offset = _int(param(url, paging.offset_param), 0, paging.offset_param)
        if paging.end_path:
            if _search(paging.end_path, document) is True:
                return None
        elif paging.total_path:
            total = _int(_search(paging.total_path, document), None, paging.total_path)
            if offset + count >= total:
                return None
        elif count < paging.limit:
            return None
        return with_params(url, {paging.offset_param: str(offset + count)})
    if isinstance(paging, CursorPaging):
        cursor = _search(paging.cursor_path, document)
        if cursor in (None, "", False):
            return None
        return with_params(url, {paging.cursor_param: str(cursor)})
    return None


def _search(path: str | None, document: Any) -> Any:
    return jmespath.search(path, document) if path else None


def _link(header: str | None) -> str | None:
    if not header:
        return None
    for link in parse_header_links(header):
        if "next" in link.get("rel", "").split():
            return link.get("url")
    return None


def _int(value: Any, default: int | None, name: str) -> int:
    if value is None and default is not None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError(f"'{name}' is {value!r}, not a whole number") from None
