"""Small helpers shared by the sample provider tests: parse responses, walk lists, validate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import requests
from lxml import etree

from harvester.sample_provider.wsgi import DC_NS, OAI_DC_NS, OAI_NS
from tests.support.fixture_provider import SHARED_FIXTURES

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


class _LocalSchemas(etree.Resolver):
    """Resolve the W3C xml.xsd (imported by simpledc) to the offline copy."""

    def __init__(self, xml_xsd: Path) -> None:
        super().__init__()
        self.xml_xsd = xml_xsd

    def resolve(self, system_url: str | None, public_id: str | None, context: Any) -> Any:
        if (
            system_url
            and system_url.startswith("http://www.w3.org/")
            and system_url.endswith("xml.xsd")
        ):
            return self.resolve_filename(str(self.xml_xsd), context)
        return None


def oai_dc_schema() -> etree.XMLSchema | None:
    """OAI-PMH.xsd + oai_dc.xsd from shared/fixtures/schemas, or None when absent."""
    if SHARED_FIXTURES is None:
        return None
    schemas = SHARED_FIXTURES / "schemas"
    oai_pmh = schemas / "oai-pmh" / "OAI-PMH.xsd"
    oai_dc = schemas / "oai-pmh" / "oai_dc.xsd"
    xml_xsd = schemas / "datacite" / "kernel-4.5" / "include" / "xml.xsd"
    if not (oai_pmh.is_file() and oai_dc.is_file() and xml_xsd.is_file()):
        return None
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas(xml_xsd))
    driver = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
        targetNamespace="urn:csfinder:test:schema-driver" elementFormDefault="qualified">
      <xs:import namespace="{OAI_NS}" schemaLocation="{oai_pmh.as_uri()}"/>
      <xs:import namespace="{OAI_DC_NS}" schemaLocation="{oai_dc.as_uri()}"/>
    </xs:schema>"""
    document = etree.fromstring(driver.encode(), parser, base_url=str(oai_pmh))
    return etree.XMLSchema(document)
