"""Small helpers shared by the sample provider tests: parse responses, walk lists, validate."""

from __future__ import annotations

from typing import Any

import requests
from lxml import etree

from harvester.fetch.oai.protocol import DC_NS, OAI_DC_NS, OAI_NS
from tests.support.oai_schemas import oai_dc_schema as oai_dc_schema

NS = {"o": OAI_NS, "oai_dc": OAI_DC_NS, "dc": DC_NS}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def get(url: str, **params: Any) -> tuple[requests.Response, etree._Element]:
    """GET the provider and parse the body (which must be well-formed)."""
    response = requests.get(url, params=params, timeout=10)
    return response, etree.fromstring(response.content)


def error_code(root: etree._Element) -> str | None:
    """The first OAI error code of a response, or None."""
    error = root.find("o:error", NS)
    return None if error is None else error.get("code")


def walk(url: str, verb: str = "ListRecords", **params: Any) -> list[etree._Element]:
    """Follow resumption tokens to the end; return each page's root element."""
    pages = []
    args: dict[str, Any] = {"verb": verb, "metadataPrefix": "oai_dc", **params}
    for _ in range(10_000):
        response, root = get(url, **args)
        assert response.status_code == 200
        pages.append(root)
        token = root.find(f"o:{verb}/o:resumptionToken", NS)
        if token is None or not (token.text or "").strip():
            return pages
        args = {"verb": verb, "resumptionToken": token.text}
    raise AssertionError("the list never ended")


def headers_of(pages: list[etree._Element]) -> list[etree._Element]:
    """All ``header`` elements of ListRecords or ListIdentifiers pages, in order."""
    return [h for page in pages for h in page.iterfind(".//o:header", NS)]


def identifiers_of(pages: list[etree._Element]) -> list[str]:
    """All identifiers listed, in order."""
    return [h.findtext("o:identifier", namespaces=NS) or "" for h in headers_of(pages)]
