"""Records as DCAT-AP 3.0.1 RDF: a dataset with its distributions, a project or other
resource as a ``dcat:Resource``, and the catalogue record that says where it came from.

The record page's URL is the resource's IRI; its catalogue record is ``<page>#record``.
Values use the vocabularies DCAT-AP names: COAR access rights are given beside the EU
access-right authority's term, licences are SPDX IRIs, countries and languages the EU
authority tables' IRIs, media types IANA's. Nothing is invented: a distribution without a
URL of its own gets the landing page as its access URL (which DCAT-AP allows: the page
leads to the data), and an empty description is left out rather than made up.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, PROV, RDF, SKOS, XSD

from portal.jsonld import licence_iri, related_iri, source_record_url
from portal.vocabularies import COAR_ACCESS_RIGHTS, EU, EU_ACCESS, eu_country, eu_language

ADMS: Final = Namespace("http://www.w3.org/ns/adms#")
HYDRA: Final = Namespace("http://www.w3.org/ns/hydra/core#")
IANA: Final = "https://www.iana.org/assignments/media-types/"


DCAT_RESOURCE: Final = URIRef(f"{DCAT}resource")
"""dcat:resource (DCAT 3), which rdflib's DCAT 2 namespace lacks."""

PREFIXES: Final = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "foaf": FOAF,
    "prov": PROV,
    "adms": ADMS,
    "hydra": HYDRA,
}


def new_graph() -> Graph:
    """An empty graph with the catalogue's prefixes bound."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def _date(value: object) -> Literal:
    """An ISO 8601 date at its precision, typed as XSD knows it."""
    text = str(value)
    if len(text) == 4:
        return Literal(text, datatype=XSD.gYear)
    if len(text) == 7:
        return Literal(text, datatype=XSD.gYearMonth)
    if len(text) == 10:
        return Literal(text, datatype=XSD.date)
    return Literal(text, datatype=XSD.dateTime)


def _datestamp(text: str) -> Literal:
    """A source's datestamp as an XSD date or date-time (as sent when it is neither)."""
    if len(text) == 10 or (len(text) == 20 and text.endswith("Z")):
        return _date(text)
    return Literal(text)


def _agent(graph: Graph, value: Mapping[str, Any]) -> URIRef | BNode:
    """A creator or publisher as a foaf:Agent (a foaf:Person or foaf:Organization)."""
    node: URIRef | BNode = URIRef(str(value["identifier"])) if value.get("identifier") else BNode()
    graph.add((node, RDF.type, FOAF.Agent))
    kind = {"person": FOAF.Person, "organisation": FOAF.Organization}.get(str(value.get("kind")))
    if kind is not None:
        graph.add((node, RDF.type, kind))
    graph.add((node, FOAF.name, Literal(str(value["name"]))))
    return node


def _access_rights(graph: Graph, subject: URIRef, access: str) -> None:
    """Access rights: the EU authority's term, and the COAR term as its exact match."""
    code = EU_ACCESS.get(access)
    if code is None:
        return
    rights = URIRef(f"{EU}access-right/{code}")
    graph.add((subject, DCTERMS.accessRights, rights))
    graph.add((rights, RDF.type, DCTERMS.RightsStatement))
    graph.add((rights, SKOS.inScheme, URIRef(f"{EU}access-right")))
    coar = COAR_ACCESS_RIGHTS.get(access)
    if coar:
        graph.add((subject, DCTERMS.rights, URIRef(coar[0])))
        graph.add((URIRef(coar[0]), RDF.type, DCTERMS.RightsStatement))


def _licence(graph: Graph, value: Any) -> URIRef | None:
    """The licence as a dct:LicenseDocument IRI (SPDX where known)."""
    if not isinstance(value, Mapping):
        return None
    iri = licence_iri(value)
    if not iri or not iri.startswith(("http://", "https://")):
        return None
    node = URIRef(str(iri))
    graph.add((node, RDF.type, DCTERMS.LicenseDocument))
    return node


def _distribution(
    graph: Graph, page: str, doc: Mapping[str, Any], index: int, value: Mapping[str, Any]
) -> URIRef:
    """One distribution; its IRI is ``<page>#distribution-<n>``."""
    node = URIRef(f"{page}#distribution-{index}")
    graph.add((node, RDF.type, DCAT.Distribution))
    access = value.get("access_url") or value.get("download_url") or doc.get("url") or page
    graph.add((node, DCAT.accessURL, URIRef(str(access))))
    if value.get("download_url"):
        graph.add((node, DCAT.downloadURL, URIRef(str(value["download_url"]))))
    if value.get("title"):
        graph.add((node, DCTERMS.title, Literal(str(value["title"]))))
    if value.get("media_type"):
        media = URIRef(IANA + str(value["media_type"]))
        graph.add((node, DCAT.mediaType, media))
        graph.add((media, RDF.type, DCTERMS.MediaType))
    if value.get("size_bytes") is not None:
        graph.add(
            (
                node,
                DCAT.byteSize,
                Literal(int(value["size_bytes"]), datatype=XSD.nonNegativeInteger),
            )
        )
    licence = _licence(graph, doc.get("license"))
    if licence is not None:
        graph.add((node, DCTERMS.license, licence))
    return node


def add_record(
    graph: Graph, doc: Mapping[str, Any], page: str, catalog: URIRef | None = None
) -> URIRef:
    """Add one record (and its catalogue record) to ``graph``; return the resource's IRI."""
    subject = URIRef(page)
    dataset = doc.get("kind") == "dataset"
    graph.add((subject, RDF.type, DCAT.Resource))
    if dataset:
        graph.add((subject, RDF.type, DCAT.Dataset))
    graph.add((subject, DCTERMS.title, Literal(str(doc.get("title")), lang=doc.get("title_lang"))))
    if doc.get("description"):
        said = Literal(str(doc["description"]), lang=doc.get("description_lang"))
        graph.add((subject, DCTERMS.description, said))
    for version in doc.get("alternate_descriptions") or []:  # one per language
        if version.get("lang"):
            said = Literal(str(version["value"]), lang=str(version["lang"]))
            graph.add((subject, DCTERMS.description, said))
    for keyword in doc.get("keywords") or []:
        graph.add((subject, DCAT.keyword, Literal(str(keyword))))
    if doc.get("url"):
        graph.add((subject, DCAT.landingPage, URIRef(str(doc["url"]))))
        graph.add((URIRef(str(doc["url"])), RDF.type, FOAF.Document))
    for identifier in doc.get("identifiers") or []:
        graph.add((subject, DCTERMS.identifier, Literal(str(identifier["value"]))))
    for item in doc.get("related") or []:
        iri = related_iri(item)
        if iri:
            graph.add((subject, DCTERMS.relation, URIRef(iri)))
    for creator in doc.get("creators") or []:
        graph.add((subject, DCTERMS.creator, _agent(graph, creator)))
    if doc.get("publisher"):
        graph.add((subject, DCTERMS.publisher, _agent(graph, doc["publisher"])))
    for field, predicate in (
        ("date_published", DCTERMS.issued),
        ("date_created", DCTERMS.created),
        ("date_modified", DCTERMS.modified),
    ):
        if doc.get(field):
            graph.add((subject, predicate, _date(doc[field])))
    for code in doc.get("countries") or []:
        country = _iri(eu_country(str(code)))
        if country:
            graph.add((subject, DCTERMS.spatial, country))
            graph.add((country, RDF.type, DCTERMS.Location))
            graph.add((country, SKOS.inScheme, URIRef(f"{EU}country")))
    for code in doc.get("languages") or []:
        language = _iri(eu_language(str(code)))
        if language:
            graph.add((subject, DCTERMS.language, language))
            graph.add((language, RDF.type, DCTERMS.LinguisticSystem))
            graph.add((language, SKOS.inScheme, URIRef(f"{EU}language")))
    if dataset:
        _access_rights(graph, subject, str(doc.get("access_rights") or ""))
        for index, value in enumerate(doc.get("distributions") or [], start=1):
            graph.add((subject, DCAT.distribution, _distribution(graph, page, doc, index, value)))
    else:
        licence = _licence(graph, doc.get("license"))
        if licence is not None:
            graph.add((subject, DCTERMS.license, licence))
    source = source_record_url(dict(doc))
    if source:
        graph.add((subject, PROV.wasDerivedFrom, URIRef(source)))
    _harvest(graph, doc, subject)
    if dataset:
        _catalog_record(graph, doc, page, subject, source)
    elif source:
        graph.add((subject, DCTERMS.source, URIRef(source)))
    if catalog is not None:
        predicate = DCAT.dataset if dataset else DCAT_RESOURCE
        graph.add((catalog, predicate, subject))
        if dataset:
            graph.add((catalog, DCAT.record, URIRef(f"{page}#record")))
    return subject


def _harvest(graph: Graph, doc: Mapping[str, Any], subject: URIRef) -> None:
    """The harvest that produced this description, as a PROV activity."""
    origin = doc.get("provenance") or {}
    activity = BNode()
    graph.add((subject, PROV.wasGeneratedBy, activity))
    graph.add((activity, RDF.type, PROV.Activity))
    graph.add((activity, PROV.endedAtTime, _date(origin.get("harvested_at"))))
    endpoint = str(origin.get("endpoint") or "")
    if endpoint.startswith(("http://", "https://")):
        graph.add((activity, PROV.used, URIRef(endpoint)))


def _catalog_record(
    graph: Graph, doc: Mapping[str, Any], page: str, subject: URIRef, source: str | None
) -> None:
    """The catalogue record of a dataset: when it was harvested, and from which record.

    DCAT-AP allows catalogue records of datasets, services and catalogues only, so projects
    and other resources carry their source (``dct:source``) themselves.
    """
    origin = doc.get("provenance") or {}
    record = URIRef(f"{page}#record")
    graph.add((record, RDF.type, DCAT.CatalogRecord))
    graph.add((record, FOAF.primaryTopic, subject))
    graph.add((record, DCTERMS.modified, _date(origin.get("harvested_at"))))
    if source and origin.get("datestamp"):
        # The source's own record of the same dataset, last changed at its datestamp.
        theirs = URIRef(source)
        graph.add((record, DCTERMS.source, theirs))
        graph.add((theirs, RDF.type, DCAT.CatalogRecord))
        graph.add((theirs, FOAF.primaryTopic, subject))
        graph.add((theirs, DCTERMS.modified, _datestamp(str(origin["datestamp"]))))


def _iri(value: str | None) -> URIRef | None:
    return URIRef(value) if value else None
