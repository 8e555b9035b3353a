"""The vocabularies the assessor recognises: namespaces, identifier patterns, registered
semantic resources, disciplinary metadata standards, access-right vocabularies, licence
URLs and open file formats (as F-UJI's reference lists name them)."""

from __future__ import annotations

import re
from typing import Final

from rdflib import Namespace

SDO_HTTPS: Final = Namespace("https://schema.org/")
SDO_HTTP: Final = Namespace("http://schema.org/")
DCT: Final = Namespace("http://purl.org/dc/terms/")
DCAT: Final = Namespace("http://www.w3.org/ns/dcat#")
PROV: Final = "http://www.w3.org/ns/prov#"
IANA_PREFIXES: Final = (
    "https://www.iana.org/assignments/media-types/",
    "http://www.iana.org/assignments/media-types/",
)
DOI: Final = re.compile(r"(doi\.org/10\.|^10\.\d{4,9}/|^doi:10\.)", re.IGNORECASE)
PID: Final = re.compile(
    r"(doi\.org/10\.|^10\.\d{4,9}/|^doi:|hdl\.handle\.net/|^hdl:|n2t\.net/ark:|^ark:/|^urn:"
    r"|purl\.org/|w3id\.org/)",
    re.IGNORECASE,
)
REGISTERED: Final = {
    "http://www.w3.org/ns/dcat#": "DCAT",
    "http://www.w3.org/ns/prov#": "PROV-O",
    "http://www.w3.org/ns/adms#": "ADMS",
    "http://purl.org/coar/access_right/": "COAR access rights",
    "http://spdx.org/licenses/": "SPDX licences",
    "http://publications.europa.eu/resource/authority/": "EU Vocabularies",
    "http://rs.tdwg.org/dwc/terms/": "Darwin Core",
    "http://www.w3.org/ns/sosa/": "SOSA",
    "http://purl.org/pav/": "PAV",
}
"""Registered semantic resources by namespace. The namespaces F-UJI leaves out as common
(RDF, RDFS, OWL, XSD, SKOS, vCard, FOAF, Dublin Core, DCMI terms, schema.org) are not
here: using them earns nothing."""
DISCIPLINARY: Final = {
    "http://rs.tdwg.org/dwc/": "Darwin Core",
    "eml://ecoinformatics.org/eml": "Ecological Metadata Language",
    "https://eml.ecoinformatics.org/eml": "Ecological Metadata Language",
    "http://www.tdwg.org/schemas/abcd": "ABCD",
    "http://www.isotc211.org/2005/gmd": "ISO 19115/19139",
    "http://standards.iso.org/iso/19115": "ISO 19115",
    "ddi:": "DDI",
    "http://www.ddialliance.org/": "DDI",
    "http://cfconventions.org/": "CF conventions",
    "http://www.ivoa.net/xml/": "IVOA",
}
"""Namespaces and schema IRIs of disciplinary metadata standards (RDA Metadata Standards
Catalog), which FsF-R1.3-01M asks for; DataCite, DCAT, Dublin Core and schema.org are
multidisciplinary and earn nothing there."""
ACCESS_IRIS: Final = re.compile(
    r"(info:eu-repo/semantics|purl\.org/coar/access_right|vocabularies\.coar-repositories\.org"
    r"/access_rights|purl\.org/eprint/accessRights|europa\.eu/resource/authority/access-right)"
    r"[/#]\S",
    re.IGNORECASE,
)
"""Machine-readable access rights (the vocabularies F-UJI recognises)."""
ACCESS_WORDS: Final = re.compile(
    r"^\s*(open|public|unrestricted|restricted|embargoed|closed|metadata[- ]only)"
    r"(\s*access)?\s*$",
    re.IGNORECASE,
)
"""Access levels as standard terms in words."""
CREATIVE_COMMONS: Final = re.compile(
    r"^https?://creativecommons\.org/(licenses/by(-nc)?(-nd)?(-sa)?/(1\.0|2\.0|2\.5|3\.0|4\.0)"
    r"|publicdomain/)",
    re.IGNORECASE,
)
"""Creative Commons licence URLs, which F-UJI matches to their SPDX licences."""
OPEN_FORMATS: Final = re.compile(
    r"^(text/(csv|tab-separated-values|plain|xml|turtle)|application/(json|ld\+json|geo\+json"
    r"|xml|rdf\+xml|zip|gzip|x-tar|netcdf|x-netcdf|x-hdf5?|fits|pdf)|image/(png|tiff|jpeg)"
    r"|audio/(flac|wav|ogg)|[a-z]+/[\w.-]+\+(xml|json))$|^(csv|tsv|json|xml|netcdf|hdf5|zip"
    r"|dwc_archive)$",
    re.IGNORECASE,
)
"""Media types and names of open, long-term and scientific formats."""
