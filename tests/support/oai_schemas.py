"""The official OAI-PMH, oai_dc, oai-identifier and DataCite schemas from
``shared/fixtures/schemas``, loaded offline for lxml.

``simpledc20021212.xsd`` imports ``http://www.w3.org/2001/03/xml.xsd``; :class:`LocalSchemas`
resolves that one remote import to the bundled ``datacite/kernel-4.5/include/xml.xsd`` (see
``shared/fixtures/SOURCES.md``), and the parser never touches the network.

The OAI ``provenance`` schema (http://www.openarchives.org/OAI/2.0/provenance.xsd) is not among
the bundled files; :data:`PROVENANCE_XSD` is the project's own transcription of the structure
the OAI-PMH guidelines give for it, so that ``<about>`` (validated strictly by OAI-PMH.xsd) can
be checked too.

Every function returns ``None`` where ``shared/fixtures`` is absent; tests skip then.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from tests.support.fixture_provider import SHARED_FIXTURES

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_DATACITE_NS = "http://schema.datacite.org/oai/oai-1.1/"
DATACITE_NS = "http://datacite.org/schema/kernel-4"
PROVENANCE_NS = "http://www.openarchives.org/OAI/2.0/provenance"

PROVENANCE_LOCATION = "urn:csfinder:test:provenance.xsd"
SKIP_REASON = "shared/fixtures/schemas is not available beside the repository"

PROVENANCE_XSD = f"""<schema xmlns="http://www.w3.org/2001/XMLSchema"
    xmlns:provenance="{PROVENANCE_NS}" targetNamespace="{PROVENANCE_NS}"
    elementFormDefault="qualified" attributeFormDefault="unqualified">
  <element name="provenance" type="provenance:provenanceType"/>
  <complexType name="provenanceType">
    <sequence>
      <element name="originDescription" type="provenance:originDescriptionType"/>
    </sequence>
  </complexType>
  <complexType name="originDescriptionType">
    <sequence>
      <element name="baseURL" type="anyURI"/>
      <element name="identifier" type="anyURI"/>
      <element name="datestamp" type="provenance:UTCdatetimeType"/>
      <element name="metadataNamespace" type="anyURI"/>
      <element name="originDescription" type="provenance:originDescriptionType" minOccurs="0"/>
    </sequence>
    <attribute name="harvestDate" type="provenance:UTCdatetimeType" use="required"/>
    <attribute name="altered" type="boolean" use="required"/>
  </complexType>
  <simpleType name="UTCdatetimeType">
    <union memberTypes="date dateTime"/>
  </simpleType>
</schema>
"""


class LocalSchemas(etree.Resolver):
    """Resolve the W3C ``xml.xsd`` (imported by simpledc) to the offline copy."""

    def __init__(self, xml_xsd: Path) -> None:
        super().__init__()
        self.xml_xsd = xml_xsd

    def resolve(self, system_url: str | None, public_id: str | None, context: Any) -> Any:
        """The bundled copy for ``http://www.w3.org/.../xml.xsd``; None (default) otherwise."""
        if (
            system_url
            and system_url.startswith("http://www.w3.org/")
            and system_url.endswith("xml.xsd")
        ):
            return self.resolve_filename(str(self.xml_xsd), context)
        if system_url == PROVENANCE_LOCATION:
            return self.resolve_string(PROVENANCE_XSD, context)
        return None


def schema_dir() -> Path | None:
    """``shared/fixtures/schemas``, or None where it (or a needed file) is absent."""
    if SHARED_FIXTURES is None:
        return None
    schemas = SHARED_FIXTURES / "schemas"
    needed = [
        "oai-pmh/OAI-PMH.xsd",
        "oai-pmh/oai_dc.xsd",
        "oai-pmh/oai-identifier.xsd",
        "datacite/kernel-4.5/include/xml.xsd",
    ]
    return schemas if all((schemas / name).is_file() for name in needed) else None


def _load(imports: list[tuple[str, str]]) -> etree.XMLSchema | None:
    schemas = schema_dir()
    if schemas is None:
        return None
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(LocalSchemas(schemas / "datacite" / "kernel-4.5" / "include" / "xml.xsd"))
    lines = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{location}"/>' for ns, location in imports
    )
    driver = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"
        targetNamespace="urn:csfinder:test:schema-driver" elementFormDefault="qualified">
      {lines}
    </xs:schema>"""
    base = schemas / "oai-pmh" / "OAI-PMH.xsd"
    document = etree.fromstring(driver.encode(), parser, base_url=str(base))
    return etree.XMLSchema(document)


@cache
def oai_dc_schema() -> etree.XMLSchema | None:
    """OAI-PMH.xsd + oai_dc.xsd, or None when the schemas are absent."""
    schemas = schema_dir()
    if schemas is None:
        return None
    return _load(
        [
            (OAI_NS, (schemas / "oai-pmh" / "OAI-PMH.xsd").as_uri()),
            (OAI_DC_NS, (schemas / "oai-pmh" / "oai_dc.xsd").as_uri()),
        ]
    )


@cache
def provider_schema() -> etree.XMLSchema | None:
    """Everything the portal's provider writes: OAI-PMH, oai_dc, oai-identifier, oai_datacite
    1.1 with DataCite kernel 4 (its ``payload`` is checked laxly, so the kernel's
    ``resource`` is validated wherever it is loaded) and provenance. None when the schemas
    are absent."""
    schemas = schema_dir()
    if schemas is None:
        return None
    imports = [
        (OAI_NS, (schemas / "oai-pmh" / "OAI-PMH.xsd").as_uri()),
        (OAI_DC_NS, (schemas / "oai-pmh" / "oai_dc.xsd").as_uri()),
        (OAI_IDENTIFIER_NS, (schemas / "oai-pmh" / "oai-identifier.xsd").as_uri()),
        (PROVENANCE_NS, PROVENANCE_LOCATION),
    ]
    datacite = schemas / "datacite"
    if (datacite / "oai_datacite-1.1" / "oai.xsd").is_file():
        imports.append((OAI_DATACITE_NS, (datacite / "oai_datacite-1.1" / "oai.xsd").as_uri()))
    if (datacite / "kernel-4" / "metadata.xsd").is_file():
        imports.append((DATACITE_NS, (datacite / "kernel-4" / "metadata.xsd").as_uri()))
    return _load(imports)


def datacite_kernel4() -> etree.XMLSchema | None:
    """DataCite kernel 4 (``metadata.xsd``) alone, for a ``resource`` element."""
    schemas = schema_dir()
    path = None if schemas is None else schemas / "datacite" / "kernel-4" / "metadata.xsd"
    if path is None or not path.is_file():
        return None
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.parse(str(path), parser))
