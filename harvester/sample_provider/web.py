"""Synthetic web sources for ``csfinder bench harvest``: a JSON list API (GBIF-style
``offset``/``limit`` pages), a web site of project pages carrying JSON-LD, listed in a
sitemap, and an inventory published as one CSV file (JRC-style columns). Every record is
invented from its number; nothing is stored.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qsl

StartResponse = Callable[..., Any]


def synthetic_project(number: int) -> dict[str, Any]:
    """An invented citizen-science dataset, GBIF-like."""
    return {
        "key": f"00000000-0000-4000-9000-{number:012d}",
        "title": f"Synthetic citizen-science survey {number}",
        "description": f"Volunteers record observations for survey {number}.",
        "type": "OCCURRENCE",
        "modified": f"2025-01-{1 + number % 28:02d}T00:00:00.000+00:00",
        "license": "http://creativecommons.org/licenses/by/4.0/legalcode",
        "language": "eng",
        "keywordCollections": [{"keywords": ["citizen science", f"survey {number % 50}"]}],
    }


class SyntheticJsonApi:
    """``count`` invented datasets, ``offset``/``limit`` pages with ``endOfRecords``."""

    def __init__(self, count: int, page_size: int = 100) -> None:
        self.count = count
        self.page_size = page_size

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer one page (and a 404 for robots.txt)."""
        if environ.get("PATH_INFO") == "/robots.txt":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b""]
        query = dict(parse_qsl(environ.get("QUERY_STRING", "")))
        offset = int(query.get("offset", 0))
        limit = min(int(query.get("limit", self.page_size)), self.page_size)
        end = min(offset + limit, self.count)
        body = json.dumps(
            {
                "offset": offset,
                "limit": limit,
                "endOfRecords": end >= self.count,
                "count": self.count,
                "results": [synthetic_project(n) for n in range(offset, end)],
            }
        ).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]


class SyntheticSite:
    """``count`` project pages with a schema.org Dataset each, listed in ``/sitemap.xml``."""

    def __init__(self, count: int) -> None:
        self.count = count

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer the sitemap, a page, or a 404."""
        path = environ.get("PATH_INFO", "/")
        base = f"http://{environ['HTTP_HOST']}"
        if path == "/sitemap.xml":
            locs = "".join(f"<url><loc>{base}/p/{n}</loc></url>" for n in range(self.count))
            body = (
                '<?xml version="1.0" encoding="UTF-8"?><urlset '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'
            ).encode()
            start_response("200 OK", [("Content-Type", "application/xml")])
            return [body]
        if path.startswith("/p/") and path[3:].isdigit() and int(path[3:]) < self.count:
            number = int(path[3:])
            item = synthetic_project(number)
            node = {
                "@context": "https://schema.org",
                "@type": "Dataset",
                "@id": f"https://synthetic.csfinder.example/{item['key']}",
                "name": item["title"],
                "description": item["description"],
                "dateModified": item["modified"][:10],
                "keywords": "citizen science",
            }
            body = (
                f"<!DOCTYPE html><html><head><title>{item['title']}</title>"
                f'<script type="application/ld+json">{json.dumps(node)}</script></head>'
                f"<body><h1>{item['title']}</h1></body></html>"
            ).encode()
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [body]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b""]


CSV_COLUMNS = (
    "UID",
    "Name",
    "Website",
    "Brief description",
    "Geographic coverage",
    "Lead organisation name",
    "Lead organisation category",
    "Start year",
    "Still active",
    "End year",
    "Primary environmental field",
    "Policy aims",
    "Policy relevance",
    "Social uptake",
    *(f"SDG {goal}" for goal in range(1, 18)),
)
"""The columns of the synthetic inventory: a subset of the JRC inventory's layout."""
_COUNTRIES = ("Austria", "Belgium", "Spain", "Netherlands (the)", "Italy", "World")


def synthetic_inventory_row(number: int) -> list[str]:
    """One invented inventory row, in the order of :data:`CSV_COLUMNS`."""
    return [
        str(number),
        f"Synthetic inventory project {number}",
        f"www.project-{number}.csfinder.example",
        f'Volunteers record "observations", pond life and birds for project {number}.',
        _COUNTRIES[number % len(_COUNTRIES)],
        f"Synthetic Society {number % 97}",
        ("Academic", "Governmental", "Non-governmental")[number % 3],
        str(1990 + number % 30),
        "Yes" if number % 4 else "No",
        "Unknown" if number % 4 else str(2000 + number % 20),
        ("Biodiversity, nature and landscapes", "Air quality", "Water")[number % 3],
        "Yes" if number % 5 == 0 else "No",
        "Policy implementation or monitoring",
        ("Considerable", "Large", "Very large")[number % 3],
        *(str((number + goal) % 3) for goal in range(1, 18)),
    ]


class SyntheticCsv:
    """``count`` invented inventory rows as one CSV file, streamed (never built whole), with
    an ETag and a 304 to a request that names it."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.etag = f'"synthetic-{count}"'

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer the file, or 304."""
        if environ.get("HTTP_IF_NONE_MATCH") == self.etag:
            start_response("304 Not Modified", [("ETag", self.etag)])
            return [b""]
        start_response("200 OK", [("Content-Type", "text/csv; charset=utf-8"), ("ETag", self.etag)])
        return self._chunks()

    def _chunks(self) -> Iterator[bytes]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for number in range(1, self.count + 1):
            writer.writerow(synthetic_inventory_row(number))
            if number % 1000 == 0:
                yield out.getvalue().encode()
                out.seek(0)
                out.truncate()
        yield out.getvalue().encode()
